// libFuzzer target: bytes -> Beast's request parser (header only, 8 KiB limit, as the server
// reads requests) -> handle() with a small fixed snapshot. The response must be complete and
// well-formed: a known status, Content-Length equal to the body (the GET body's length for HEAD,
// with an empty body; a 304 has no body), and it must serialize and parse back (no CR/LF
// injected into a header).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "daemon/http_handler.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/snapshot.hpp"

namespace http = boost::beast::http;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz_http: %s %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

coursecal::feed_output make_feed(const std::string& id, const std::string& name) {
  using namespace date::literals;
  coursecal::feed_output f;
  f.id = id;
  f.name = name;
  f.short_name = "CSE 1";
  f.timezone = "America/Los_Angeles";
  f.last_modified = 1'740'000'000;
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\n";
  for (int i = 0; i < 3; ++i) {
    coursecal::calendar_event ev;
    ev.uid = id + "-lecture-" + std::to_string(i);
    ev.kind = "lecture";
    ev.title = "Lecture " + std::to_string(i + 1);
    ev.summary = "CSE 1: " + ev.title;
    ev.date = date::sys_days{2025_y / date::April / 1} + date::days{i};
    ev.start = 11 * 60;
    ev.end = 11 * 60 + 50;
    ev.start_utc = date::sys_seconds{ev.date} + std::chrono::minutes{18 * 60};
    ev.end_utc = ev.start_utc + std::chrono::minutes{50};
    ev.location = "Hall A";
    f.events.push_back(ev);
    ics += "BEGIN:VEVENT\r\nUID:" + ev.uid + "\r\nSUMMARY:" + ev.summary + "\r\nEND:VEVENT\r\n";
  }
  ics += "END:VCALENDAR\r\n";
  f.ics = coursecal::shared_text(ics);
  f.event_count = f.events.size();
  f.upcoming = std::make_shared<const coursecal::upcoming_list>(f.events);
  return f;
}

struct fixture {
  fixture() {
    coursecal::server_config server;
    server.refresh_seconds = 3600;
    snap = coursecal::make_snapshot(
        {make_feed("cse1", "CSE 1: Intro"), make_feed("evil", "<script>\"x\"</script>")}, server,
        date::sys_seconds{std::chrono::seconds{1'740'000'100}});
    ctx.now = std::chrono::system_clock::time_point{std::chrono::seconds{1'740'000'160}};
    ctx.metrics = &metrics;
  }
  std::shared_ptr<const coursecal::snapshot> snap;
  coursecal::server_metrics metrics;
  coursecal::handler_context ctx;
};

bool known_status(unsigned s) {
  for (const unsigned k : {200u, 204u, 304u, 400u, 404u, 405u, 413u, 500u, 503u})
    if (s == k) return true;
  return false;
}

void check_response(const coursecal::http_request& req, coursecal::http_response& res) {
  if (!known_status(res.result_int())) fail("unexpected status", std::to_string(res.result_int()));
  if (res.result() == http::status::not_modified || res.result() == http::status::no_content) {
    // 304, and 204 (the OPTIONS answer): no body (RFC 9110 15.3.5, 15.4.5).
    if (!res.body().empty()) fail("304 or 204 with a body");
  } else {
    const auto length = res[http::field::content_length];
    if (length.empty()) fail("no Content-Length");
    if (req.method() != http::verb::head && length != std::to_string(res.body().size()))
      fail("Content-Length differs from the body", length);
    if (req.method() == http::verb::head && !res.body().empty()) fail("HEAD with a body");
  }

  // Serialize as the server does and parse it back: the header must survive unchanged.
  std::string wire;
  {
    http::response_serializer<coursecal::shared_text_body> sr{res};
    if (req.method() == http::verb::head) sr.split(true);
    boost::beast::error_code ec;
    do {
      sr.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
        std::size_t n = 0;
        for (const auto b : boost::beast::buffers_range_ref(buffers)) {
          wire.append(static_cast<const char*>(b.data()), b.size());
          n += b.size();
        }
        sr.consume(n);
      });
      if (ec) fail("serializer", ec.message());
      if (req.method() == http::verb::head && sr.is_header_done()) break;
    } while (!sr.is_done());
  }
  http::response_parser<http::string_body> back;
  back.eager(true);
  back.skip(req.method() == http::verb::head);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < wire.size() && !back.is_done()) {
    const auto n = back.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
    if (ec) fail("response does not parse back", ec.message());
    if (n == 0) break;
    used += n;
  }
  if (!back.is_done() || used != wire.size()) fail("response is not one complete message", wire);
  std::size_t fields = 0;
  for (const auto& f : back.get()) {
    (void)f;
    ++fields;
  }
  std::size_t sent = 0;
  for (const auto& f : res) {
    (void)f;
    ++sent;
  }
  if (fields != sent) fail("header fields changed on the wire", wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture fx;
  http::request_parser<http::empty_body> parser;
  parser.header_limit(8 * 1024);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_header_done() && used < size) {
    const auto n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) return 0;
    if (ec) return 0;
    if (n == 0) return 0;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  const coursecal::http_request& req = parser.get();
  auto res = coursecal::handle(req, *fx.snap, fx.ctx);
  check_response(req, res);
  return 0;
}
