#include "daemon/cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include "content/site_reader.hpp"
#include "core/time_format.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/serve.hpp"

namespace coursecal {

namespace {

constexpr const char* version_text = "coursecal 0.1.0";

constexpr const char* usage_text =
    "usage: coursecal check SITE_DIR\n"
    "       coursecal check -c coursecal.yaml [--feed ID]\n"
    "       coursecal export -c coursecal.yaml [--feed ID] [-o FILE|-|DIR]\n"
    "       coursecal serve -c coursecal.yaml [--listen HOST:PORT]\n"
    "       coursecal --help | --version\n";

constexpr const char* help_text =
    "coursecal turns a Just the Class course site and a term config into an iCalendar feed.\n"
    "\n"
    "commands:\n"
    "  check SITE_DIR        show what coursecal reads from a site, and every problem (file:line)\n"
    "  check -c FILE         show the resolved schedule of every feed, and every problem\n"
    "  export -c FILE        write the .ics feed: to FILE, to stdout with -o -, or with several\n"
    "                        feeds one ID.ics per feed into the folder -o DIR (default: .)\n"
    "  serve -c FILE         serve the feeds over HTTP, reloading when the inputs change\n"
    "\n"
    "options:\n"
    "  -c, --config FILE     the coursecal.yaml to read\n"
    "      --feed ID         only this feed\n"
    "  -o, --output PATH     where export writes (file, '-' for stdout, or a folder)\n"
    "      --listen H:P      serve: listen here instead of server.listen (e.g. 127.0.0.1:0)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, fixes DTSTAMP/LAST-MODIFIED (else the inputs' newest git commit\n"
    "or, for files not committed, modification time: docs/feed.md).\n"
    "exit status: 0 ok, 1 errors in the input or a failed write, 2 usage error.\n";

struct options {
  std::string command;
  std::vector<std::string> positional;
  std::optional<std::string> config;
  std::optional<std::string> feed;
  std::optional<std::string> output;
  std::optional<std::string> listen;
  bool help = false;
  bool version = false;
};

// Parses argv; returns an error message for a usage error.
std::optional<std::string> parse_args(const std::vector<std::string>& args, options& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::optional<std::string>& slot) -> std::optional<std::string> {
      if (i + 1 >= args.size()) return "option '" + a + "' needs a value";
      slot = args[++i];
      return std::nullopt;
    };
    std::optional<std::string> problem;
    if (a == "-h" || a == "--help")
      o.help = true;
    else if (a == "-V" || a == "--version")
      o.version = true;
    else if (a == "-c" || a == "--config")
      problem = value(o.config);
    else if (a == "--feed")
      problem = value(o.feed);
    else if (a == "-o" || a == "--output")
      problem = value(o.output);
    else if (a == "--listen")
      problem = value(o.listen);
    else if (a.size() > 1 && a[0] == '-' && a != "-")
      problem = "unknown option '" + a + "'";
    else if (o.command.empty())
      o.command = a;
    else
      o.positional.push_back(a);
    if (problem) return problem;
  }
  return std::nullopt;
}

void print_diagnostics(std::ostream& err, const diagnostics& diags) {
  for (const auto& line : format_grouped(diags)) err << line << '\n';
}

// Pads (or cuts, ending in "…") to `width` code points, not bytes, so non-ASCII titles keep the
// columns straight; one space always separates it from the next column.
std::string pad(const std::string& s, std::size_t width) {
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() < width) return s + std::string(width - starts.size(), ' ');
  return s.substr(0, starts[width - 2]) + "… ";
}

void print_schedule(std::ostream& out, const feed_output& feed) {
  out << "feed " << feed.id << ": " << feed.name << " (" << feed.timezone << "), "
      << feed.events.size() << " events, " << feed.ics.size() << " bytes\n";
  out << pad("week", 5) << pad("date", 11) << pad("day", 4) << pad("time", 12) << pad("kind", 12)
      << pad("title", 48) << pad("location", 14) << "links/readings\n";
  for (const auto& ev : feed.events) {
    const std::string when =
        ev.all_day ? "all day" : clock_text(ev.start) + "-" + clock_text(ev.end);
    out << pad(std::to_string(ev.week), 5) << pad(iso_date(ev.date), 11)
        << pad(date::format("%a", ev.date), 4) << pad(when, 12) << pad(ev.kind, 12)
        << pad(ev.title, 48) << pad(ev.location, 14) << ev.link_count << '/' << ev.reading_count
        << '\n';
  }
  out << '\n';
}

int run_check(const options& o, std::ostream& out, std::ostream& err) {
  if (o.config) {
    if (!o.positional.empty()) {
      err << "coursecal: check takes either SITE_DIR or -c FILE, not both\n" << usage_text;
      return 2;
    }
    const build_result r = build_feeds(*o.config, o.feed);
    for (const auto& f : r.feeds) print_schedule(out, f);
    print_diagnostics(err, r.diags);
    err << r.diags.error_count() << " error(s), " << r.diags.warning_count() << " warning(s)\n";
    return r.ok() ? 0 : 1;
  }
  if (o.positional.size() != 1) {
    err << "coursecal: check needs a SITE_DIR or -c FILE\n" << usage_text;
    return 2;
  }
  diagnostics diags;
  course_content course = content::read_site(o.positional[0], diags);
  content::print_course(out, course);
  diags.sort();
  print_diagnostics(err, diags);
  err << diags.error_count() << " error(s), " << diags.warning_count() << " warning(s)\n";
  return diags.has_errors() ? 1 : 0;
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

// True when `path` is a regular file holding exactly `data`: an export that would not change it
// leaves it alone (same inode and modification time, so static hosts and caches see no change).
bool holds_exactly(const std::string& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<std::uint64_t>(st.st_size) == data.size();
  std::string buf(same ? std::min<std::size_t>(data.size(), 1 << 16) : 0, '\0');
  for (std::size_t at = 0; same && at < data.size();) {
    const ssize_t n = ::read(fd, buf.data(), std::min(buf.size(), data.size() - at));
    if (n < 0 && errno == EINTR) continue;
    same = n > 0 && data.compare(at, static_cast<std::size_t>(n),
                                 std::string_view(buf.data(), static_cast<std::size_t>(n))) == 0;
    at += n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  ::close(fd);
  return same;
}

// Takes the feeds of an export as they are built (from several threads) and writes each into a
// temporary file beside its final name at once, so that the whole catalog is never in memory.
// Nothing is renamed into place until every feed is built without errors: commit() or discard().
// Where the feeds go is settled by the second feed: until then the first is held in memory (one
// feed goes to stdout or to the file -o names; several need a folder).
class export_writer {
 public:
  // `output`: -o as given (empty: stdout for one feed, the current folder for several).
  explicit export_writer(std::optional<std::string> output) : output_(std::move(output)) {
    if (output_ && *output_ != "-" && is_directory(*output_)) folder_ = *output_;
  }
  export_writer(const export_writer&) = delete;
  export_writer& operator=(const export_writer&) = delete;
  ~export_writer() { discard(); }

  void add(feed_output&& feed) {
    std::unique_lock lock(mutex_);
    ++count_;
    if (!folder_ && count_ == 2 && !output_) folder_ = ".";
    if (!folder_) {
      if (count_ == 1) held_.emplace(std::move(feed.id), std::move(feed.ics));
      return;  // with two or more, too_many() reports it
    }
    if (held_) {
      auto first = std::move(*held_);
      held_.reset();
      stage(lock, first.first, first.second);
    }
    stage(lock, feed.id, feed.ics);
  }

  // Several feeds for stdout or for one file: nothing can be written.
  bool too_many() const { return !folder_ && count_ > 1; }
  std::size_t count() const { return count_; }

  // Writes what is held (one feed, not to a folder) or renames the staged files into place.
  int commit(std::ostream& out, std::ostream& err) {
    if (!error_.empty()) {
      err << error_ << "\n";
      return 1;
    }
    if (held_) {
      const std::string target = output_.value_or("-");
      if (target == "-") {
        out << held_->second;
        out.flush();
        return out ? 0 : 1;
      }
      if (holds_exactly(target, held_->second)) {
        err << "coursecal: unchanged " << target << "\n";
        return 0;
      }
      std::string why;
      if (!write_file_atomically(target, held_->second, why)) {
        err << target << ": error: " << why << "\n";
        return 1;
      }
      err << "coursecal: wrote " << target << " (" << held_->second.size() << " bytes)\n";
      return 0;
    }
    // The staged files reach the disk before any is renamed over a previous export: one syncfs(2)
    // of the folder's file system instead of an fsync per file (1000 fsyncs took 0.4 s on ext4).
    if (std::any_of(staged_.begin(), staged_.end(),
                    [](const staged& s) { return !s.temp.empty(); })) {
      const int dir = ::open(folder_->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir < 0 || ::syncfs(dir) != 0) {
        err << *folder_ << ": error: cannot flush the files to disk: " << std::strerror(errno)
            << "\n";
        if (dir >= 0) ::close(dir);
        return 1;
      }
      ::close(dir);
    }
    // Sorted, so that the report reads in order whatever order the feeds were built in.
    std::sort(staged_.begin(), staged_.end());
    for (auto it = staged_.begin(); it != staged_.end(); ++it) {
      if (it->temp.empty()) {
        err << "coursecal: unchanged " << it->path << "\n";
        continue;
      }
      if (::rename(it->temp.c_str(), it->path.c_str()) != 0) {
        err << it->path << ": error: cannot rename into place: " << std::strerror(errno) << "\n";
        staged_.erase(staged_.begin(), it);  // those are in place; the rest are removed
        return 1;
      }
      err << "coursecal: wrote " << it->path << " (" << it->size << " bytes)\n";
    }
    staged_.clear();
    return 0;
  }

  // Removes every staged file (after errors, or when commit() stopped half-way).
  void discard() {
    for (const auto& s : staged_)
      if (!s.temp.empty()) ::unlink(s.temp.c_str());
    staged_.clear();
  }

 private:
  struct staged {
    std::string path;  // the final name
    std::string temp;  // written, not yet renamed; empty: the file already holds these bytes
    std::size_t size = 0;
    bool operator<(const staged& o) const { return path < o.path; }
  };

  // Writes one feed's temporary file; the lock is released while writing.
  void stage(std::unique_lock<std::mutex>& lock, const std::string& id, const shared_text& ics) {
    const std::string path = *folder_ + (folder_->ends_with('/') ? "" : "/") + id + ".ics";
    lock.unlock();
    std::string why;
    const bool unchanged = holds_exactly(path, ics);
    const std::optional<std::string> temp =
        unchanged ? std::optional<std::string>("") : write_temporary_file(path, ics, why, false);
    lock.lock();
    if (temp) {
      staged_.push_back({path, *temp, ics.size()});
    } else if (error_.empty()) {
      error_ = path + ": error: " + why;
    }
  }

  std::optional<std::string> output_;
  std::optional<std::string> folder_;  // set: every feed is staged there
  std::mutex mutex_;
  std::size_t count_ = 0;
  std::optional<std::pair<std::string, shared_text>> held_;  // the first feed, target unsettled
  std::vector<staged> staged_;
  std::string error_;  // the first write that failed
};

int run_export(const options& o, std::ostream& out, std::ostream& err) {
  if (!o.config || !o.positional.empty()) {
    err << "coursecal: export needs -c FILE\n" << usage_text;
    return 2;
  }
  export_writer writer(o.output);
  const build_result r =
      build_feeds_each(*o.config, o.feed, [&writer](feed_output&& f) { writer.add(std::move(f)); });
  print_diagnostics(err, r.diags);
  if (!r.ok()) {
    err << "coursecal: nothing written (" << r.diags.error_count() << " error(s))\n";
    return 1;
  }
  if (writer.too_many()) {
    if (o.output.value_or("-") == "-") {
      err << "coursecal: " << writer.count()
          << " feeds cannot go to stdout; use --feed ID or -o DIR\n";
    } else {
      err << "coursecal: " << writer.count() << " feeds need a folder: '" << *o.output
          << "' is not one (or use --feed ID)\n";
    }
    return 2;
  }
  return writer.commit(out, err);
}

int run_serve_command(const options& o, std::ostream& err) {
  if (!o.config || !o.positional.empty()) {
    err << "coursecal: serve needs -c FILE\n" << usage_text;
    return 2;
  }
  serve_options so;
  so.config_path = *o.config;
  so.listen = o.listen;
  return run_serve(so);
}

}  // namespace

std::optional<std::string> write_temporary_file(const std::string& path, std::string_view data,
                                                std::string& error, bool sync) {
  const std::filesystem::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmpl = dir + "/." + target.filename().string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    error = "cannot create a temporary file in '" + dir + "': " + std::strerror(errno);
    return std::nullopt;
  }
  auto fail = [&](const char* what) -> std::optional<std::string> {
    error = std::string(what) + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(tmpl.c_str());
    return std::nullopt;
  };
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  // Readable by everyone, like a file written with the default umask: feeds are public.
  if (::fchmod(fd, 0644) != 0) return fail("chmod failed");
  if (sync && ::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    error = std::string("close failed: ") + std::strerror(errno);
    ::unlink(tmpl.c_str());
    return std::nullopt;
  }
  return tmpl;
}

bool write_file_atomically(const std::string& path, std::string_view data, std::string& error) {
  const std::optional<std::string> temp = write_temporary_file(path, data, error);
  if (!temp) return false;
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    error = std::string("cannot rename into place: ") + std::strerror(errno);
    ::unlink(temp->c_str());
    return false;
  }
  return true;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  options o;
  if (const auto problem = parse_args(args, o)) {
    err << "coursecal: " << *problem << "\n" << usage_text;
    return 2;
  }
  if (o.help) {
    out << usage_text << '\n' << help_text;
    return 0;
  }
  if (o.version) {
    out << version_text << '\n';
    return 0;
  }
  if (o.command == "check") return run_check(o, out, err);
  if (o.command == "export") return run_export(o, out, err);
  if (o.command == "serve") return run_serve_command(o, err);
  if (o.command.empty())
    err << "coursecal: no command given\n" << usage_text;
  else
    err << "coursecal: unknown command '" << o.command << "'\n" << usage_text;
  return 2;
}

}  // namespace coursecal
