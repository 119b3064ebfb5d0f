#include "daemon/server.hpp"

#include <malloc.h>

#include <sys/inotify.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

namespace coursecal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::mutex log_mutex;

std::string endpoint_string(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  const std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

// One whole line per write(2) call, under a lock, so concurrent log lines never interleave.
void write_log(std::string_view line) {
  std::lock_guard lock(log_mutex);
  while (!line.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    if (n <= 0) break;
    line.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void log_line(int level, std::string_view text) {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on `"<" + std::to_string(...)` at -O3.
  std::string line(1, '<');
  line += static_cast<char>('0' + level % 10);
  line += ">coursecal: ";
  line += text;
  line += '\n';
  write_log(line);
}

bool parse_listen(std::string_view text, std::string& host, unsigned short& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = text.substr(0, colon);
  const std::string_view p = text.substr(colon + 1);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return false;  // IPv6 addresses need brackets
  }
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || value > 65535) return false;
  host = std::string(h);
  port = static_cast<unsigned short>(value);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The HTTP server

class session;

struct http_server::impl : std::enable_shared_from_this<http_server::impl> {
  impl(asio::io_context& io, const snapshot_store& s, server_metrics& m, server_limits l)
      : ioc(io), acceptor(io), retry_timer(io), grace_timer(io), store(s), metrics(m), limits(l) {}

  void do_accept();
  void session_ended(session* s);

  asio::io_context& ioc;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  asio::steady_timer grace_timer;
  const snapshot_store& store;
  server_metrics& metrics;
  server_limits limits;
  std::string listen_address;
  std::atomic<std::size_t> connections{0};
  std::unordered_map<session*, std::weak_ptr<session>> sessions;  // I/O thread only
  bool stopping = false;
  std::function<void()> on_drained;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, std::shared_ptr<http_server::impl> srv)
      : stream_(std::move(socket)), buffer_(64 * 1024), srv_(std::move(srv)) {}
  ~session() { srv_->session_ended(this); }
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void start() {
    // The first request's header must arrive within header_timeout of the connection.
    stream_.expires_after(srv_->limits.header_timeout);
    wait_for_request();
  }

  // Called on shutdown: an idle connection is closed now; a request in flight finishes.
  void stop_if_idle() {
    if (state_ == state::idle) {
      error_code ec;
      stream_.socket().cancel(ec);
    }
  }

  void force_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

 private:
  enum class state { idle, reading, writing, closing };

  void wait_for_request() {
    state_ = state::idle;
    if (srv_->stopping) return close();
    if (buffer_.size() > 0) return read_header();
    if (!first_) stream_.expires_after(srv_->limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->close();
                              self->read_header();
                            });
  }

  void read_header() {
    state_ = state::reading;
    if (!first_) stream_.expires_after(srv_->limits.header_timeout);
    parser_.emplace();
    parser_->header_limit(srv_->limits.header_limit);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      return write(error_response(431));
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return write(error_response(400));
    }
    if (ec) return close();  // the connection broke

    const http_request& req = parser_->get();
    const std::shared_ptr<const snapshot> snap = srv_->store.get();
    if (!snap) return write(error_response(503, req.version()));
    handler_context ctx;
    ctx.now = std::chrono::system_clock::now();
    ctx.listen_address = srv_->listen_address;
    ctx.metrics = &srv_->metrics;
    http_response res = handle(req, *snap, ctx);
    if (srv_->stopping) res.keep_alive(false);
    write(std::move(res));
  }

  // Sends the head and then the body's bytes straight from the snapshot (two buffers, one
  // gathered write), without Beast's generic serializer.
  void write(http_response res) {
    state_ = state::writing;
    head_ = response_head(res);
    body_ = std::move(res.body());
    status_ = res.result_int();
    keep_alive_ = res.keep_alive();
    stream_.expires_after(srv_->limits.write_timeout);
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_),
                                                       asio::buffer(body_.data(), body_.size())};
    asio::async_write(stream_, buffers, [self = shared_from_this()](error_code ec, std::size_t n) {
      self->srv_->metrics.count_response(self->status_, n);
      self->body_ = {};
      if (ec || !self->keep_alive_) return self->close();
      self->first_ = false;
      self->wait_for_request();
    });
  }

  // Half-closes, then reads and discards what the client still sends for a short while, so that
  // unread request bytes do not turn the close into a reset that destroys the response.
  void close() {
    if (state_ == state::closing) return;
    state_ = state::closing;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return;
    stream_.expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](error_code ec, std::size_t) {
                              if (!ec) self->drain();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::string head_;  // the response being written: status line and fields
  shared_text body_;  // and its body (the snapshot's bytes, shared)
  unsigned status_ = 0;
  bool keep_alive_ = false;
  std::shared_ptr<http_server::impl> srv_;
  state state_ = state::idle;
  bool first_ = true;
  std::array<char, 1024> discard_{};
};

void http_server::impl::do_accept() {
  acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket socket) {
    if (self->stopping || !self->acceptor.is_open()) return;
    if (ec) {
      if (ec == asio::error::connection_aborted) return self->do_accept();
      // EMFILE, ENFILE, ENOBUFS, ENOMEM: transient. Pause so as not to spin, then go on.
      log_line(4, "accept failed: " + ec.message() + "; retrying");
      self->retry_timer.expires_after(self->limits.accept_retry);
      self->retry_timer.async_wait([self](error_code wait_ec) {
        if (!wait_ec && !self->stopping) self->do_accept();
      });
      return;
    }
    if (self->connections.load() >= self->limits.max_connections) {
      error_code close_ec;
      socket.close(close_ec);
    } else {
      self->connections.fetch_add(1);
      auto s = std::make_shared<session>(std::move(socket), self);
      self->sessions.emplace(s.get(), s);
      s->start();
    }
    self->do_accept();
  });
}

void http_server::impl::session_ended(session* s) {
  sessions.erase(s);
  connections.fetch_sub(1);
  if (stopping && sessions.empty()) {
    grace_timer.cancel();
    if (on_drained) std::exchange(on_drained, nullptr)();
  }
}

http_server::http_server(asio::io_context& ioc, const snapshot_store& store,
                         server_metrics& metrics, server_limits limits)
    : impl_(std::make_shared<impl>(ioc, store, metrics, limits)) {}

http_server::~http_server() {
  error_code ec;
  impl_->acceptor.close(ec);
  impl_->retry_timer.cancel();
  impl_->grace_timer.cancel();
}

void http_server::listen(const std::string& host, unsigned short port) {
  const tcp::endpoint ep{asio::ip::make_address(host), port};
  auto& a = impl_->acceptor;
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  if (ep.protocol() == tcp::v6()) a.set_option(asio::ip::v6_only(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  impl_->listen_address = endpoint_string(a.local_endpoint());
}

void http_server::adopt(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw boost::system::system_error(error_code(errno, boost::system::system_category()),
                                      "getsockname");
  }
  impl_->acceptor.assign(addr.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd);
  impl_->listen_address = endpoint_string(impl_->acceptor.local_endpoint());
}

std::string http_server::local_address() const { return impl_->listen_address; }

unsigned short http_server::local_port() const {
  error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void http_server::start() { impl_->do_accept(); }

void http_server::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  auto& s = *impl_;
  if (s.stopping) {  // already shutting down: run `done` too once drained
    if (s.sessions.empty()) {
      asio::post(s.ioc, std::move(done));
    } else {
      s.on_drained = [first = std::move(s.on_drained), then = std::move(done)] {
        if (first) first();
        then();
      };
    }
    return;
  }
  s.stopping = true;
  error_code ec;
  s.acceptor.close(ec);
  s.retry_timer.cancel();
  s.on_drained = std::move(done);
  if (s.sessions.empty()) {
    asio::post(s.ioc, [self = impl_] {
      if (self->on_drained) std::exchange(self->on_drained, nullptr)();
    });
    return;
  }
  for (auto& [ptr, weak] : s.sessions) {
    if (auto live = weak.lock()) live->stop_if_idle();
  }
  s.grace_timer.expires_after(grace);
  s.grace_timer.async_wait([self = impl_](error_code wait_ec) {
    if (wait_ec) return;
    if (!self->sessions.empty()) {
      log_line(4, std::to_string(self->sessions.size()) +
                      " connection(s) still open after the shutdown deadline; closing them");
    }
    std::vector<std::shared_ptr<session>> live;
    for (auto& [ptr, weak] : self->sessions) {
      if (auto l = weak.lock()) live.push_back(std::move(l));
    }
    for (auto& l : live) l->force_close();
  });
}

std::size_t http_server::connection_count() const { return impl_->connections.load(); }

// ---------------------------------------------------------------------------------------------
// The daemon: reloads, file watching, signals, systemd.

namespace {

void log_diagnostics(const diagnostics& diags) {
  for (const diagnostic& d : diags.items()) {
    std::string line = d.sev == severity::error ? "<3>" : "<4>";
    line += format_diagnostic(d);
    line += '\n';
    write_log(line);
  }
}

void notify(const std::string& state) { sd_notify(0, state.c_str()); }

std::uint64_t monotonic_usec() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

std::chrono::sys_seconds now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Builds feeds on a worker thread so the I/O thread keeps serving during a rebuild. Requests that
// arrive during a build are coalesced into one more build after it.
class reloader {
 public:
  using done_fn = std::function<void(build_result, std::shared_ptr<const snapshot>)>;

  reloader(asio::io_context& ioc, const snapshot_store& store, feed_builder build,
           std::string config_path, done_fn done)
      : ioc_(ioc),
        store_(store),
        build_(std::move(build)),
        config_path_(std::move(config_path)),
        done_(std::move(done)),
        thread_([this] { run(); }) {}
  ~reloader() { stop(); }
  reloader(const reloader&) = delete;
  reloader& operator=(const reloader&) = delete;

  void request() {
    {
      std::lock_guard lock(mutex_);
      pending_ = true;
    }
    cv_.notify_one();
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return pending_ || stopping_; });
        if (stopping_) return;
        pending_ = false;
      }
      notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()) +
             "\nSTATUS=reloading");
      build_result result;
      std::shared_ptr<const snapshot> snap;
      try {
        result = build_(config_path_);
        // Feeds whose bytes did not change keep their gzip, ETags and page lines.
        if (result.ok())
          snap =
              make_snapshot(result.feeds, result.config->server, now_seconds(), store_.get().get());
      } catch (const std::exception& e) {
        result.diags.error({config_path_, 0, 0}, std::string("reload failed: ") + e.what());
        snap.reset();
      }
      ::malloc_trim(0);  // what the build freed goes back to the system, not to an arena
      asio::post(ioc_, [this, r = std::move(result), s = std::move(snap)]() mutable {
        done_(std::move(r), std::move(s));
      });
    }
  }

  asio::io_context& ioc_;
  const snapshot_store& store_;
  feed_builder build_;
  std::string config_path_;
  done_fn done_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool pending_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

// Watches folders with inotify and calls `on_change` once per burst of events (debounced).
class watcher {
 public:
  watcher(asio::io_context& ioc, std::chrono::milliseconds debounce,
          std::function<void()> on_change)
      : fd_(ioc), debounce_timer_(ioc), debounce_(debounce), on_change_(std::move(on_change)) {
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      log_line(
          4, std::string("inotify unavailable (") + std::strerror(errno) + "); reload with SIGHUP");
      return;
    }
    fd_.assign(fd);
    read();
  }

  // Watches exactly these folders from now on (missing ones are skipped: their parent's watch
  // sees them appear, and the reload that follows adds them).
  void set_folders(const std::set<std::string>& folders) {
    if (!fd_.is_open()) return;
    constexpr std::uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                                   IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
                                   IN_ONLYDIR;
    std::map<int, std::string> next;
    for (const std::string& folder : folders) {
      const int wd = inotify_add_watch(fd_.native_handle(), folder.c_str(), mask);
      if (wd >= 0) next[wd] = folder;
    }
    for (const auto& [wd, folder] : watches_) {
      if (next.find(wd) == next.end()) inotify_rm_watch(fd_.native_handle(), wd);
    }
    watches_ = std::move(next);
  }

  void stop() {
    debounce_timer_.cancel();
    error_code ec;
    fd_.close(ec);
  }

 private:
  void read() {
    fd_.async_read_some(asio::buffer(buf_), [this](error_code ec, std::size_t n) {
      if (ec) return;  // closed on shutdown
      if (relevant(n)) schedule();
      read();
    });
  }

  // False when every event is about an editor's temporary or hidden file.
  bool relevant(std::size_t n) const {
    std::size_t off = 0;
    while (off + sizeof(inotify_event) <= n) {
      inotify_event ev{};
      std::memcpy(&ev, buf_.data() + off, sizeof ev);
      const std::size_t name_at = off + sizeof ev;
      off = name_at + ev.len;
      if ((ev.mask & IN_Q_OVERFLOW) != 0 || ev.len == 0) return true;
      const std::string_view name(buf_.data() + name_at, ::strnlen(buf_.data() + name_at, ev.len));
      const bool scratch = name.empty() || name.front() == '.' || name.back() == '~' ||
                           name.ends_with(".swp") || name.ends_with(".swx") || name == "4913";
      if (!scratch) return true;
    }
    return false;
  }

  void schedule() {
    debounce_timer_.expires_after(debounce_);  // cancels a pending wait: the burst goes on
    debounce_timer_.async_wait([this](error_code ec) {
      if (!ec) on_change_();
    });
  }

  asio::posix::stream_descriptor fd_;
  asio::steady_timer debounce_timer_;
  std::chrono::milliseconds debounce_;
  std::function<void()> on_change_;
  std::map<int, std::string> watches_;
  alignas(inotify_event) std::array<char, 16 * 1024> buf_{};
};

// The folders to watch for a build: the config file's folder, each site and its _modules/, and
// the folder of every watched path (a file's folder, or the folder itself).
std::set<std::string> folders_to_watch(const std::string& config_path, const build_result& r) {
  namespace fs = std::filesystem;
  std::set<std::string> out;
  auto add = [&out](const fs::path& p) {
    std::error_code ec;
    const fs::path abs = fs::absolute(p, ec).lexically_normal();
    if (ec) return;
    if (fs::is_directory(abs, ec)) {
      out.insert(abs.string());
    } else if (abs.has_parent_path()) {
      out.insert(abs.parent_path().string());
    }
  };
  add(fs::path(config_path).parent_path().empty() ? fs::path(".")
                                                  : fs::path(config_path).parent_path());
  for (const std::string& p : r.watched_paths) add(p);
  if (r.config) {
    for (const feed_config& f : r.config->feeds) {
      if (f.site_path.empty()) continue;
      add(f.site_path);
      add(fs::path(f.site_path) / "_modules");
    }
  }
  return out;
}

std::string status_line(const snapshot& snap, bool last_ok) {
  return "serving " + std::to_string(snap.feeds.size()) + " feed(s), " +
         std::to_string(snap.event_count) + " events; last reload " + (last_ok ? "ok" : "failed");
}

}  // namespace

int run_daemon(const serve_options& opts, const feed_builder& build, const daemon_tuning& tuning) {
  build_result first = build(opts.config_path);
  log_diagnostics(first.diags);
  if (!first.ok()) {
    log_line(3, "not starting: " + opts.config_path + " has errors");
    return 1;
  }
  const server_config server = first.config->server;

  std::string host = server.listen_host;
  unsigned short port = static_cast<unsigned short>(server.listen_port);
  if (opts.listen && !parse_listen(*opts.listen, host, port)) {
    log_line(3, "invalid listen address '" + *opts.listen + "' (expected HOST:PORT)");
    return 1;
  }

  snapshot_store store;
  server_metrics metrics;
  store.set(make_snapshot(first.feeds, server, now_seconds()));
  // Only the folders of the last good build are kept; its feeds and events live in the snapshot.
  std::set<std::string> good_folders = folders_to_watch(opts.config_path, first);
  first = build_result{};
  // Building on several threads leaves freed memory in glibc's per-thread arenas: return it.
  ::malloc_trim(0);

  asio::io_context ioc{1};
  http_server http(ioc, store, metrics, tuning.limits);
  try {
    const int fds = sd_listen_fds(1);
    if (fds > 1) log_line(4, "systemd passed " + std::to_string(fds) + " sockets; using the first");
    if (fds >= 1) {
      http.adopt(SD_LISTEN_FDS_START);
    } else {
      http.listen(host, port);
    }
  } catch (const boost::system::system_error& e) {
    log_line(3,
             "cannot listen on " + host + ":" + std::to_string(port) + ": " + e.code().message());
    return 1;
  }
  http.start();

  const std::string base = "http://" + http.local_address();
  log_line(6, "listening on " + base + "/");
  {
    const auto snap = store.get();
    const std::string links = snap->public_url.empty() ? base : snap->public_url;
    for (const served_feed& f : snap->feeds) log_line(6, "feed " + f.id + ": " + links + f.path);
  }

  bool stopping = false;
  std::optional<watcher> watch;
  asio::steady_timer watchdog(ioc);
  asio::signal_set signals(ioc, SIGINT, SIGTERM, SIGHUP);

  reloader reload(ioc, store, build, opts.config_path,
                  [&](build_result r, std::shared_ptr<const snapshot> snap) {
                    if (stopping) return;
                    log_diagnostics(r.diags);
                    const bool ok = r.ok() && snap != nullptr;
                    metrics.reload_done(ok);
                    std::set<std::string> folders = folders_to_watch(opts.config_path, r);
                    if (ok) {
                      store.set(snap);
                      log_line(6, "reloaded: " + std::to_string(snap->feeds.size()) + " feed(s), " +
                                      std::to_string(snap->event_count) + " events");
                    } else {
                      log_line(3, "reload failed; still serving the previous feeds");
                      // Keep watching what the last good build used, too.
                      folders.insert(good_folders.begin(), good_folders.end());
                    }
                    if (ok) good_folders = folders;
                    if (watch) watch->set_folders(folders);
                    notify("READY=1\nSTATUS=" + status_line(*store.get(), ok));
                  });

  watch.emplace(ioc, tuning.debounce, [&reload] { reload.request(); });
  watch->set_folders(good_folders);

  std::uint64_t watchdog_usec = 0;
  std::function<void()> pet_watchdog = [&] {
    notify("WATCHDOG=1");
    watchdog.expires_after(std::chrono::microseconds(watchdog_usec / 2));
    watchdog.async_wait([&](error_code ec) {
      if (!ec) pet_watchdog();
    });
  };
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) pet_watchdog();

  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (!stopping) {
          log_line(6, "SIGHUP: reloading");
          reload.request();
        }
      } else if (!stopping) {
        stopping = true;
        log_line(6, std::string(sig == SIGTERM ? "SIGTERM" : "SIGINT") + ": shutting down");
        notify("STOPPING=1\nSTATUS=shutting down");
        watch->stop();
        watchdog.cancel();
        http.shutdown(tuning.shutdown_grace, [&] {
          error_code ignored;
          signals.cancel(ignored);
        });
      }
      wait_signal();
    });
  };
  wait_signal();

  notify("READY=1\nSTATUS=" + status_line(*store.get(), true));
  ioc.run();
  reload.stop();
  log_line(6, "stopped");
  return 0;
}

}  // namespace coursecal
