// The HTTP server (Boost.Beast over Asio, one I/O thread) and the daemon around it: reloads
// (SIGHUP, inotify), graceful shutdown (SIGTERM/SIGINT), systemd notification, socket activation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "daemon/http_handler.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/serve.hpp"
#include "daemon/snapshot.hpp"

namespace coursecal {

struct server_limits {
  // From the connection (or, on a kept-alive connection, the first byte of the next request) to
  // the end of the request header. Slow clients are dropped when it runs out.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};   // keep-alive: waiting for the next request
  std::chrono::milliseconds write_timeout{30'000};  // writing one response
  std::size_t max_connections = 1024;               // above it, new connections are closed at once
  std::uint32_t header_limit = 8 * 1024;            // bytes; larger headers get 431
  std::chrono::milliseconds accept_retry{100};      // pause after EMFILE/ENFILE and the like
};

// Serves the snapshot in `store` over HTTP. All methods must be called on the I/O thread (the
// thread running `ioc`), except connection_count().
class http_server {
 public:
  http_server(boost::asio::io_context& ioc, const snapshot_store& store, server_metrics& metrics,
              server_limits limits = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and listens. Throws boost::system::system_error.
  void listen(const std::string& host, unsigned short port);
  // Takes over a listening socket (from systemd). Throws boost::system::system_error.
  void adopt(int fd);
  // "127.0.0.1:8080" or "[::1]:8080": the address actually listened on (real port after port 0).
  std::string local_address() const;
  unsigned short local_port() const;

  void start();  // starts accepting
  // Stops accepting, closes idle connections, lets requests in flight finish (their responses
  // carry Connection: close), and after `grace` closes whatever is left. `done` runs on the I/O
  // thread once no connection is left.
  void shutdown(std::chrono::milliseconds grace, std::function<void()> done);
  std::size_t connection_count() const;  // any thread

  struct impl;  // internal (shared with the connections)

 private:
  std::shared_ptr<impl> impl_;
};

// How the daemon behaves; tests shorten the times.
struct daemon_tuning {
  server_limits limits;
  std::chrono::milliseconds debounce{50};           // inotify events -> one reload
  std::chrono::milliseconds shutdown_grace{5'000};  // SIGTERM: requests in flight get this long
};

// What run_daemon calls to build the feeds: build_feeds in production, a fake in tests.
using feed_builder = std::function<build_result(const std::string& config_path)>;

// The daemon behind run_serve(), with the builder injected. Returns the process exit code.
int run_daemon(const serve_options& opts, const feed_builder& build,
               const daemon_tuning& tuning = {});

// Splits "HOST:PORT" / "[V6]:PORT" (brackets removed from the host). False when malformed.
bool parse_listen(std::string_view text, std::string& host, unsigned short& port);

// One line to stderr with an sd-daemon prefix: "<level>coursecal: text". Thread-safe.
// level: 3 error, 4 warning, 6 info.
void log_line(int level, std::string_view text);

}  // namespace coursecal
