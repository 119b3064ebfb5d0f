// The HTTP server over real sockets, in-process: the io_context runs on a thread, the client is a
// plain blocking socket with receive timeouts.
#include <sys/resource.h>

#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "daemon/server.hpp"
#include "server_fixture.hpp"
#include "test_support.hpp"

namespace coursecal {
namespace {

using namespace std::chrono_literals;
using namespace coursecal::test;

feed_output small_feed() {
  feed_output f;
  f.id = "cse1";
  f.name = "CSE 1";
  f.ics = shared_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n");
  f.last_modified = 1743465600;
  return f;
}

class ServerTest : public in_process_server {
 protected:
  void start(server_limits limits) { in_process_server::start(limits, small_feed()); }
};

TEST_F(ServerTest, ServesAFeed) {
  start({});
  const auto r = http_get(port_, "/cse1.ics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(r->body, small_feed().ics);
  EXPECT_EQ(server_->local_address(), "127.0.0.1:" + std::to_string(port_));
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start({});
  const int fd = connect_local(port_);
  ASSERT_GE(fd, 0);
  std::string buf;
  ASSERT_TRUE(send_all(fd, "GET /cse1.ics HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto first = read_reply(fd, buf);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  ASSERT_TRUE(send_all(fd, "GET /cse1.ics HTTP/1.1\r\nHost: x\r\nIf-None-Match: " +
                               first->header("etag") + "\r\n\r\n"));
  auto second = read_reply(fd, buf);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 304);
  // Pipelined: two requests in one write.
  ASSERT_TRUE(send_all(fd,
                       "HEAD /cse1.ics HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\n"
                       "Host: x\r\nConnection: close\r\n\r\n"));
  auto third = read_reply(fd, buf, true);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 200);
  EXPECT_EQ(third->header("content-length"), std::to_string(small_feed().ics.size()));
  auto fourth = read_reply(fd, buf);
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->status, 200);
  EXPECT_NE(fourth->body.find("\"status\":\"ok\""), std::string::npos);
  EXPECT_TRUE(closed_by_peer(fd, 3s));
  ::close(fd);
  EXPECT_GE(metrics_.responses(200), 3u);
  EXPECT_EQ(metrics_.responses(304), 1u);
  EXPECT_GT(metrics_.bytes_sent(), 0u);
}

TEST_F(ServerTest, HugeHeadersGet431) {
  start({});
  const int fd = connect_local(port_);
  ASSERT_GE(fd, 0);
  std::string req = "GET /cse1.ics HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 16; ++i)
    req += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
  req += "\r\n";
  send_all(fd, req);  // the server may stop reading early
  std::string buf;
  const auto r = read_reply(fd, buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(closed_by_peer(fd, 5s));
  ::close(fd);
}

TEST_F(ServerTest, MalformedRequestsGet400) {
  start({});
  for (const char* bad : {"GARBAGE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET  HTTP/1.1\r\n\r\n",
                          "GET /x HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    SCOPED_TRACE(bad);
    const int fd = connect_local(port_);
    ASSERT_GE(fd, 0);
    send_all(fd, bad);
    std::string buf;
    const auto r = read_reply(fd, buf);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    ::close(fd);
  }
}

TEST_F(ServerTest, BodiesAreRefusedAndTheConnectionCloses) {
  start({});
  const int fd = connect_local(port_);
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /cse1.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
  std::string buf;
  const auto r = read_reply(fd, buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(closed_by_peer(fd, 5s));
  ::close(fd);
}

TEST_F(ServerTest, TraversalOverTheWire) {
  start({});
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"}) {
    const auto r = http_get(port_, target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
  }
  const auto r = http_get(port_, "http://evil/x.ics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, SlowClientIsDroppedByTheHeaderTimeout) {
  server_limits limits;
  limits.header_timeout = 300ms;
  start(limits);
  const int fd = connect_local(port_);
  ASSERT_GE(fd, 0);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(send_all(fd, "GET /cse1.ics HTTP/1.1\r\nHost: x\r\n"));  // and never finishes
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(50ms);
    send_all(fd, "X-Slow: 1\r\n");  // trickling bytes does not extend the deadline
  }
  EXPECT_TRUE(closed_by_peer(fd, 3s));
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2500ms);
  ::close(fd);
  EXPECT_TRUE(wait_connections(0));
}

TEST_F(ServerTest, IdleKeepAliveConnectionsAreClosed) {
  server_limits limits;
  limits.idle_timeout = 300ms;
  start(limits);
  const int fd = connect_local(port_);
  ASSERT_GE(fd, 0);
  std::string buf;
  ASSERT_TRUE(send_all(fd, "GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(read_reply(fd, buf));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_peer(fd, 3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  ::close(fd);
}

TEST_F(ServerTest, ConnectionsAboveTheCapAreClosedAtOnce) {
  server_limits limits;
  limits.max_connections = 2;
  start(limits);
  const int a = connect_local(port_);
  const int b = connect_local(port_);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  ASSERT_TRUE(wait_connections(2));
  const int c = connect_local(port_);
  ASSERT_GE(c, 0);
  EXPECT_TRUE(closed_by_peer(c, 2s));
  ::close(c);
  // The two connections below the cap still work.
  std::string buf;
  ASSERT_TRUE(send_all(a, "GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const auto r = read_reply(a, buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ::close(a);
  ::close(b);
  ASSERT_TRUE(wait_connections(0));
  const auto again = http_get(port_, "/robots.txt");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(ServerTest, AcceptLoopSurvivesRunningOutOfFileDescriptors) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // With every descriptor taken, the sanitizer runtimes cannot open what their own checks need
  // (UBSan's vptr check reports a false type mismatch inside Asio): not a meaningful run there.
  GTEST_SKIP() << "descriptor exhaustion starves the sanitizer runtime";
#endif
  start({});
  // The client's socket exists before the limit is lowered; then every free descriptor below the
  // limit is taken, so the server's accept() fails with EMFILE until the limit is restored.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
  int highest = 0;
  std::vector<int> in_use;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    in_use.push_back(std::stoi(e.path().filename().string()));
  }
  for (int n : in_use) highest = std::max(highest, n);
  rlimit tight = old;
  tight.rlim_cur = static_cast<rlim_t>(highest + 1);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &tight), 0);
  std::vector<int> fillers;
  for (int d; (d = ::dup(fd)) >= 0;) fillers.push_back(d);
  const int before = static_cast<int>(metrics_.responses(200));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  std::this_thread::sleep_for(350ms);  // a few failed accepts, 100 ms apart
  EXPECT_EQ(server_->connection_count(), 0u);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &old), 0);
  for (int d : fillers) ::close(d);
  ASSERT_EQ(rc, 0);
  std::string buf;
  ASSERT_TRUE(send_all(fd, "GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const auto r = read_reply(fd, buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // The server counts a response when its write completes, then closes (Connection: close): the
  // reply can arrive before the count, the close cannot.
  EXPECT_TRUE(closed_by_peer(fd, 3s));
  EXPECT_EQ(static_cast<int>(metrics_.responses(200)), before + 1);
  ::close(fd);
  const auto later = http_get(port_, "/healthz");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST_F(ServerTest, ShutdownLetsRequestsInFlightFinishAndClosesIdleOnes) {
  start({});
  const int idle = connect_local(port_);
  const int busy = connect_local(port_);
  ASSERT_GE(idle, 0);
  ASSERT_GE(busy, 0);
  ASSERT_TRUE(send_all(busy, "GET /cse1.ics HTTP/1.1\r\nHost: x\r\n"));  // half a request
  ASSERT_TRUE(wait_connections(2));
  std::this_thread::sleep_for(100ms);
  std::promise<void> drained;
  on_io([&] { server_->shutdown(3s, [&] { drained.set_value(); }); });
  EXPECT_TRUE(closed_by_peer(idle, 2s));
  ASSERT_TRUE(send_all(busy, "\r\n"));
  std::string buf;
  const auto r = read_reply(busy, buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, small_feed().ics);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(closed_by_peer(busy, 2s));
  ::close(idle);
  ::close(busy);
  EXPECT_EQ(drained.get_future().wait_for(3s), std::future_status::ready);
  // The acceptor is closed: new connections are refused.
  EXPECT_LT(connect_local(port_), 0);
}

TEST(ParseListen, HostAndPort) {
  std::string host;
  unsigned short port = 1;
  EXPECT_TRUE(parse_listen("127.0.0.1:0", host, port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  EXPECT_TRUE(parse_listen("[::1]:8080", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  EXPECT_FALSE(parse_listen("::1:8080", host, port));
  EXPECT_FALSE(parse_listen("localhost", host, port));
  EXPECT_FALSE(parse_listen("h:99999", host, port));
  EXPECT_FALSE(parse_listen("h:", host, port));
  EXPECT_FALSE(parse_listen(":80", host, port));
}

}  // namespace
}  // namespace coursecal
