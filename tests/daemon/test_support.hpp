// Small blocking HTTP/1.1 client and child-process helpers for the daemon tests. Every wait is
// bounded (socket receive timeouts, poll deadlines).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace coursecal::test {

using namespace std::chrono_literals;

// A connected socket to 127.0.0.1:port with a receive timeout, or -1.
inline int connect_local(unsigned short port, std::chrono::milliseconds recv_timeout = 5000ms) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(recv_timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((recv_timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// What recv() said: bytes, 0 for an orderly close, -1 for an error or timeout.
inline ssize_t recv_some(int fd, std::string& into) {
  char buf[4096];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n > 0) into.append(buf, static_cast<std::size_t>(n));
  return n;
}

// True when the peer closes (EOF or reset) before `within` runs out.
inline bool closed_by_peer(int fd, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::string ignored;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    const ssize_t n = recv_some(fd, ignored);
    if (n == 0) return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return true;
  }
  return false;
}

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return headers.count(name) != 0; }
};

// Reads one response from `fd` (`buffer` keeps bytes of a following response). nullopt on a
// timeout or a close before the response is complete.
inline std::optional<http_reply> read_reply(int fd, std::string& buffer, bool head = false) {
  std::size_t end = std::string::npos;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (recv_some(fd, buffer) <= 0) return std::nullopt;
  }
  http_reply r;
  const std::string head_text = buffer.substr(0, end);
  buffer.erase(0, end + 4);
  std::size_t pos = head_text.find("\r\n");
  const std::string status_line = head_text.substr(0, pos);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  r.status = std::stoi(status_line.substr(9, 3));
  while (pos != std::string::npos && pos < head_text.size()) {
    const std::size_t start = pos + 2;
    pos = head_text.find("\r\n", start);
    const std::string line = head_text.substr(start, pos == std::string::npos ? pos : pos - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r.headers[name] = value;
  }
  std::size_t length = 0;
  if (!head && r.status != 304 && r.has("content-length")) {
    length = std::stoul(r.header("content-length"));
  }
  while (buffer.size() < length) {
    if (recv_some(fd, buffer) <= 0) return std::nullopt;
  }
  r.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return r;
}

// One request on a fresh connection. `extra` holds whole header lines ("Name: value\r\n").
inline std::optional<http_reply> http_get(unsigned short port, const std::string& target,
                                          const std::string& extra = "",
                                          const std::string& method = "GET") {
  const int fd = connect_local(port);
  if (fd < 0) return std::nullopt;
  std::string buffer;
  std::optional<http_reply> r;
  if (send_all(fd, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                       "\r\n" + extra + "Connection: close\r\n\r\n")) {
    r = read_reply(fd, buffer, method == "HEAD");
  }
  ::close(fd);
  return r;
}

// A child process with its stderr on a pipe.
struct child_process {
  pid_t pid = -1;
  int stderr_fd = -1;
  std::string err;  // everything read from stderr so far

  child_process() = default;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
    if (stderr_fd >= 0) ::close(stderr_fd);
  }

  bool start(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    stderr_fd = fds[0];
    ::fcntl(stderr_fd, F_SETFL, O_NONBLOCK);
    if (rc != 0) pid = -1;
    return rc == 0;
  }

  // Reads stderr until `needle` appears (true) or `within` runs out / the pipe closes (false).
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds within,
                       std::size_t from = 0) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (err.find(needle, from) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{stderr_fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(stderr_fd, buf, sizeof buf);
      if (n == 0) return false;
      if (n > 0) err.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  // The port from "listening on http://127.0.0.1:PORT/", or 0.
  unsigned short wait_for_port(std::chrono::milliseconds within = 10000ms) {
    constexpr std::string_view marker = "<6>coursecal: listening on http://127.0.0.1:";
    if (!wait_for_output(marker, within)) return 0;
    const auto at = err.find(marker) + marker.size();
    if (!wait_for_output("/", within, at)) return 0;
    return static_cast<unsigned short>(std::stoi(err.substr(at)));
  }

  // The exit status after a normal exit, -1 on a timeout or a signal.
  int wait_exit(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }
};

// coursecal.yaml of the one-feed test course ("test101", site folder "site" beside it) that the
// tests with the real binary serve.
inline std::string test101_config() {
  return "server:\n"
         "  listen: 127.0.0.1:8080\n"
         "  refresh: PT1H\n"
         "feeds:\n"
         "  - id: test101\n"
         "    site: site\n"
         "    name: \"TEST 101: Testing\"\n"
         "    short_name: TEST 101\n"
         "    timezone: America/Los_Angeles\n"
         "    term:\n"
         "      start: 2025-03-31\n"
         "      end: 2025-06-06\n"
         "    meetings:\n"
         "      - kind: lecture\n"
         "        days: [Mon, Wed, Fri]\n"
         "        start: \"11:00\"\n"
         "        end: \"11:50\"\n"
         "        location: Room 1\n";
}

}  // namespace coursecal::test
