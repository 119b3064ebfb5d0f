// Request handling as a plain function (no sockets), and the snapshot it serves.
#include <zlib.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>

#include "daemon/http_handler.hpp"
#include "daemon/snapshot.hpp"

namespace coursecal {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::int64_t lm = 1743465600;  // 2025-04-01T00:00:00Z

std::string gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

calendar_event timed(const std::string& title, date::sys_days day, int start_min) {
  calendar_event ev;
  ev.uid = title + "@test";
  ev.title = title;
  ev.summary = "CSE 1: " + title;
  ev.date = day;
  ev.start = start_min;
  ev.end = start_min + 50;
  ev.start_utc = date::sys_seconds{day} + std::chrono::minutes{start_min + 7 * 60};
  ev.end_utc = ev.start_utc + 50min;
  ev.location = "Hall A";
  return ev;
}

feed_output make_feed(const std::string& id, const std::string& name) {
  feed_output f;
  f.id = id;
  f.name = name;
  f.short_name = "CSE 1";
  f.timezone = "America/Los_Angeles";
  f.last_modified = lm;
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n";
  using namespace date::literals;
  for (int i = 0; i < 30; ++i) {
    const date::sys_days day = date::sys_days{2025_y / date::April / 1} + date::days{i};
    f.events.push_back(timed("Lecture " + std::to_string(i + 1), day, 11 * 60));
    ics += "BEGIN:VEVENT\r\nUID:" + f.events.back().uid + "\r\nSUMMARY:" + f.events.back().summary +
           "\r\nEND:VEVENT\r\n";
  }
  ics += "END:VCALENDAR\r\n";
  f.ics = shared_text(ics);
  f.event_count = f.events.size();
  f.upcoming = std::make_shared<const upcoming_list>(f.events);
  return f;
}

class HandlerTest : public ::testing::Test {
 protected:
  HandlerTest() {
    server_config server;
    server.public_url = "https://cal.example.edu/";
    server.refresh_seconds = 3600;
    feeds_ = {make_feed("cse1", "CSE 1: Intro"), make_feed("evil", "<script>alert(1)</script>")};
    snap_ = make_snapshot(feeds_, server, date::sys_seconds{std::chrono::seconds{lm + 100}});
    ctx_.now = std::chrono::system_clock::time_point{std::chrono::seconds{lm + 160}};
    ctx_.listen_address = "127.0.0.1:8080";
    ctx_.metrics = &metrics_;
  }

  http_response get(const std::string& target, http::verb method = http::verb::get,
                    std::initializer_list<std::pair<http::field, std::string>> fields = {}) {
    http_request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:8080");
    for (const auto& [f, v] : fields) req.set(f, v);
    return handle(req, *snap_, ctx_);
  }

  std::vector<feed_output> feeds_;
  std::shared_ptr<const snapshot> snap_;
  server_metrics metrics_;
  handler_context ctx_;
};

std::string field(const http_response& res, http::field f) { return std::string(res[f]); }

TEST_F(HandlerTest, FeedIsServedWithCalendarHeaders) {
  const auto res = get("/cse1.ics");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_type), "text/calendar; charset=utf-8");
  EXPECT_EQ(res.body(), feeds_[0].ics);
  EXPECT_EQ(field(res, http::field::content_length), std::to_string(feeds_[0].ics.size()));
  EXPECT_TRUE(std::regex_match(field(res, http::field::etag), std::regex("\"[0-9a-f]{32}\"")));
  EXPECT_EQ(field(res, http::field::etag), "\"" + sha256_hex(feeds_[0].ics).substr(0, 32) + "\"");
  EXPECT_EQ(field(res, http::field::last_modified), "Tue, 01 Apr 2025 00:00:00 GMT");
  EXPECT_EQ(field(res, http::field::cache_control), "public, max-age=3600");
  EXPECT_EQ(field(res, http::field::vary), "Accept-Encoding");
  EXPECT_EQ(res.find(http::field::content_disposition), res.end());
  EXPECT_EQ(res.find(http::field::content_encoding), res.end());
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(HandlerTest, GzipHasItsOwnETagAndDecompressesToTheFeed) {
  const auto plain = get("/cse1.ics");
  const auto gz = get("/cse1.ics", http::verb::get, {{http::field::accept_encoding, "gzip, br"}});
  EXPECT_EQ(gz.result_int(), 200u);
  EXPECT_EQ(field(gz, http::field::content_encoding), "gzip");
  EXPECT_EQ(field(gz, http::field::vary), "Accept-Encoding");
  EXPECT_NE(field(gz, http::field::etag), field(plain, http::field::etag));
  EXPECT_LT(gz.body().size(), plain.body().size());
  EXPECT_EQ(gunzip(gz.body().str()), feeds_[0].ics);
  // Compressed once per snapshot: the same bytes every time.
  EXPECT_EQ(gz.body(), snap_->feeds[0].gzip);
  const auto refused =
      get("/cse1.ics", http::verb::get, {{http::field::accept_encoding, "gzip;q=0"}});
  EXPECT_EQ(refused.find(http::field::content_encoding), refused.end());
}

TEST_F(HandlerTest, IfNoneMatchGives304PerEncoding) {
  const std::string etag = snap_->feeds[0].etag_identity;
  const std::string gz_etag = snap_->feeds[0].etag_gzip;
  auto res = get("/cse1.ics", http::verb::get, {{http::field::if_none_match, etag}});
  EXPECT_EQ(res.result_int(), 304u);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(field(res, http::field::etag), etag);
  EXPECT_EQ(field(res, http::field::cache_control), "public, max-age=3600");
  EXPECT_EQ(field(res, http::field::vary), "Accept-Encoding");

  // The identity tag does not validate the gzip representation, and the other way round.
  res = get("/cse1.ics", http::verb::get,
            {{http::field::if_none_match, etag}, {http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(res.result_int(), 200u);
  res = get("/cse1.ics", http::verb::get,
            {{http::field::if_none_match, gz_etag}, {http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(res.result_int(), 304u);
  res = get("/cse1.ics", http::verb::get, {{http::field::if_none_match, gz_etag}});
  EXPECT_EQ(res.result_int(), 200u);

  // Lists, weak comparison and "*".
  res = get("/cse1.ics", http::verb::get,
            {{http::field::if_none_match, "\"nope\", W/" + etag + " , \"x\""}});
  EXPECT_EQ(res.result_int(), 304u);
  res = get("/cse1.ics", http::verb::get, {{http::field::if_none_match, "*"}});
  EXPECT_EQ(res.result_int(), 304u);
  res = get("/cse1.ics", http::verb::get, {{http::field::if_none_match, "\"0123\""}});
  EXPECT_EQ(res.result_int(), 200u);
}

TEST_F(HandlerTest, IfModifiedSince) {
  auto res = get("/cse1.ics", http::verb::get,
                 {{http::field::if_modified_since, "Tue, 01 Apr 2025 00:00:00 GMT"}});
  EXPECT_EQ(res.result_int(), 304u);
  EXPECT_EQ(field(res, http::field::last_modified), "Tue, 01 Apr 2025 00:00:00 GMT");
  res = get("/cse1.ics", http::verb::get,
            {{http::field::if_modified_since, "Mon, 31 Mar 2025 23:59:59 GMT"}});
  EXPECT_EQ(res.result_int(), 200u);
  res = get("/cse1.ics", http::verb::get, {{http::field::if_modified_since, "yesterday"}});
  EXPECT_EQ(res.result_int(), 200u);
  // If-None-Match wins: a non-matching tag means 200 even with a later If-Modified-Since.
  res = get("/cse1.ics", http::verb::get,
            {{http::field::if_none_match, "\"other\""},
             {http::field::if_modified_since, "Wed, 01 Jan 2031 00:00:00 GMT"}});
  EXPECT_EQ(res.result_int(), 200u);
}

TEST_F(HandlerTest, HeadHasTheHeadersOfGetAndNoBody) {
  for (const char* target : {"/cse1.ics", "/", "/healthz", "/metrics", "/robots.txt", "/nope"}) {
    SCOPED_TRACE(target);
    const auto g = get(target);
    const auto h = get(target, http::verb::head);
    EXPECT_EQ(h.result_int(), g.result_int());
    EXPECT_TRUE(h.body().empty());
    EXPECT_EQ(field(h, http::field::content_length), std::to_string(g.body().size()));
    EXPECT_EQ(field(h, http::field::content_type), field(g, http::field::content_type));
    EXPECT_EQ(field(h, http::field::etag), field(g, http::field::etag));
  }
  const auto h = get("/cse1.ics", http::verb::head, {{http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(field(h, http::field::content_length), std::to_string(snap_->feeds[0].gzip.size()));
  EXPECT_EQ(field(h, http::field::etag), snap_->feeds[0].etag_gzip);
}

TEST_F(HandlerTest, DownloadPathAddsAttachment) {
  const auto res = get("/download/cse1.ics");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_disposition), "attachment; filename=\"cse1.ics\"");
  EXPECT_EQ(res.body(), feeds_[0].ics);
  EXPECT_EQ(get("/download/").result_int(), 404u);
  EXPECT_EQ(get("/downloadcse1.ics").result_int(), 404u);
}

TEST_F(HandlerTest, QueryStringsAreIgnoredForRouting) {
  EXPECT_EQ(get("/cse1.ics?x=1&download=1").result_int(), 200u);
  const auto with_query = get("/cse1.ics?x=1");
  EXPECT_EQ(with_query.find(http::field::content_disposition), with_query.end());
  EXPECT_EQ(get("/?utm=1").result_int(), 200u);
  EXPECT_EQ(get("/nope.ics?cse1.ics").result_int(), 404u);
}

TEST_F(HandlerTest, UnknownPathsAndTraversalNeverReachFiles) {
  EXPECT_EQ(get("/nope.ics").result_int(), 404u);
  EXPECT_EQ(get("/CSE1.ics").result_int(), 404u);
  EXPECT_EQ(get("/cse1.ics/").result_int(), 404u);
  EXPECT_EQ(get("/../../etc/passwd").result_int(), 404u);
  EXPECT_EQ(get("/%2e%2e/%2e%2e/etc/passwd").result_int(), 404u);
  EXPECT_EQ(get("/download/../cse1.ics").result_int(), 404u);
  EXPECT_EQ(get("//etc/passwd").result_int(), 404u);
  const auto abs = get("http://evil/x.ics");
  EXPECT_EQ(abs.result_int(), 400u);
  EXPECT_FALSE(abs.keep_alive());
  EXPECT_EQ(get("http://evil/cse1.ics").result_int(), 400u);
  EXPECT_EQ(get("*").result_int(), 400u);
  // Found by fuzz/fuzz_http: the 400 for HEAD carried a body.
  const auto head_abs = get("*", http::verb::head);
  EXPECT_EQ(head_abs.result_int(), 400u);
  EXPECT_TRUE(head_abs.body().empty());
  EXPECT_EQ(field(head_abs, http::field::content_length), "12");
  const auto not_found = get("/../../etc/passwd");
  EXPECT_EQ(not_found.body(), "Not found\n");
}

TEST_F(HandlerTest, OtherMethodsGet405WithAllow) {
  for (auto verb : {http::verb::post, http::verb::put, http::verb::delete_, http::verb::patch,
                    http::verb::trace}) {
    const auto res = get("/cse1.ics", verb);
    EXPECT_EQ(res.result_int(), 405u);
    EXPECT_EQ(field(res, http::field::allow), "GET, HEAD, OPTIONS");
  }
  EXPECT_EQ(get("/nope", http::verb::post).result_int(), 405u);
}

// A calendar in a web page on another origin (ical.js, FullCalendar) may read a feed and its
// validators; the preflight of a conditional request is answered 204.
TEST_F(HandlerTest, FeedsArePublicToWebPagesOnAnyOrigin) {
  for (const char* path : {"/cse1.ics", "/download/cse1.ics"}) {
    const auto res = get(path, http::verb::get, {{http::field::origin, "https://app.example"}});
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(field(res, http::field::access_control_allow_origin), "*");
    EXPECT_EQ(field(res, http::field::access_control_expose_headers), "ETag, Last-Modified");
  }
  const auto etag = field(get("/cse1.ics"), http::field::etag);
  const auto not_modified = get("/cse1.ics", http::verb::get, {{http::field::if_none_match, etag}});
  EXPECT_EQ(not_modified.result_int(), 304u);
  EXPECT_EQ(field(not_modified, http::field::access_control_allow_origin), "*");

  const auto pre = get("/cse1.ics", http::verb::options,
                       {{http::field::origin, "https://app.example"},
                        {http::field::access_control_request_method, "GET"},
                        {http::field::access_control_request_headers, "if-none-match"}});
  EXPECT_EQ(pre.result_int(), 204u);
  EXPECT_EQ(field(pre, http::field::access_control_allow_origin), "*");
  EXPECT_EQ(field(pre, http::field::access_control_allow_methods), "GET, HEAD, OPTIONS");
  EXPECT_NE(field(pre, http::field::access_control_allow_headers).find("If-None-Match"),
            std::string::npos);
  EXPECT_EQ(pre.find(http::field::content_length), pre.end());
  // Not a feed: the methods, and no CORS.
  const auto page = get("/", http::verb::options);
  EXPECT_EQ(page.result_int(), 204u);
  EXPECT_EQ(field(page, http::field::allow), "GET, HEAD, OPTIONS");
  EXPECT_EQ(page.find(http::field::access_control_allow_origin), page.end());
  const auto html = get("/", http::verb::get);
  EXPECT_EQ(html.find(http::field::access_control_allow_origin), html.end());
}

TEST_F(HandlerTest, RequestBodiesAreRefused) {
  auto res = get("/cse1.ics", http::verb::get, {{http::field::content_length, "5"}});
  EXPECT_EQ(res.result_int(), 413u);
  EXPECT_FALSE(res.keep_alive());
  res = get("/", http::verb::get, {{http::field::transfer_encoding, "chunked"}});
  EXPECT_EQ(res.result_int(), 413u);
  EXPECT_FALSE(res.keep_alive());
  res = get("/cse1.ics", http::verb::post, {{http::field::content_length, "5"}});
  EXPECT_EQ(res.result_int(), 405u);
  EXPECT_FALSE(res.keep_alive());
  res = get("/cse1.ics", http::verb::get, {{http::field::content_length, "0"}});
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(HandlerTest, ErrorResponsesForTheParser) {
  for (unsigned status : {400u, 431u, 503u}) {
    const auto res = error_response(status);
    EXPECT_EQ(res.result_int(), status);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(field(res, http::field::content_length), std::to_string(res.body().size()));
  }
  EXPECT_EQ(error_response(431).body(), "Request Header Fields Too Large\n");
}

TEST_F(HandlerTest, SubscribePageLinksEveryFeedAndEscapes) {
  const auto res = get("/");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_type), "text/html; charset=utf-8");
  const std::string page = res.body().str();
  for (const char* id : {"cse1", "evil"}) {
    SCOPED_TRACE(id);
    EXPECT_NE(page.find(std::string("href=\"webcal://cal.example.edu/") + id + ".ics\""),
              std::string::npos);
    EXPECT_NE(page.find(std::string("href=\"https://cal.example.edu/") + id + ".ics\""),
              std::string::npos);
    EXPECT_NE(page.find(std::string("data-url=\"https://cal.example.edu/") + id + ".ics\""),
              std::string::npos);
    EXPECT_NE(page.find(std::string("https://cal.example.edu/download/") + id + ".ics"),
              std::string::npos);
  }
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("CSE 1: Intro"), std::string::npos);
  EXPECT_NE(page.find("From URL"), std::string::npos);
  EXPECT_NE(page.find("8\u201324 hours"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);  // no external assets, no plain http links
}

TEST_F(HandlerTest, SubscribePageShowsTheNextSessionsAfterNow) {
  // now = 2025-04-01 00:02:40 UTC: Lecture 1 (Apr 1, 18:00 UTC) is next.
  auto page = get("/").body();
  EXPECT_NE(page.find("Lecture 1<"), std::string::npos);
  EXPECT_NE(page.find("Tue Apr 1, 11:00\u201311:50"), std::string::npos);
  EXPECT_NE(page.find("Lecture 5<"), std::string::npos);
  EXPECT_EQ(page.find("Lecture 6<"), std::string::npos);  // five shown
  ctx_.now += std::chrono::hours{24 * 10};
  page = get("/").body();
  EXPECT_EQ(page.find("Lecture 10<"), std::string::npos);
  EXPECT_NE(page.find("Lecture 11<"), std::string::npos);
  ctx_.now += std::chrono::hours{24 * 100};
  page = get("/").body();
  EXPECT_NE(page.find("No upcoming sessions."), std::string::npos);
}

TEST(HandlerHost, LinksUseAValidHostElseTheListenAddress) {
  server_config server;  // no public_url
  const auto snap = make_snapshot({make_feed("cse1", "CSE 1")}, server, {});
  handler_context ctx;
  ctx.listen_address = "127.0.0.1:8080";
  auto page_for = [&](const std::string& host, const std::string& proto = "") {
    http_request req{http::verb::get, "/", 11};
    if (!host.empty()) req.set(http::field::host, host);
    if (!proto.empty()) req.set("X-Forwarded-Proto", proto);
    return handle(req, *snap, ctx).body();
  };
  auto page = page_for("cal.example.edu:8443");
  EXPECT_NE(page.find("href=\"webcal://cal.example.edu:8443/cse1.ics\""), std::string::npos);
  EXPECT_NE(page.find("href=\"http://cal.example.edu:8443/cse1.ics\""), std::string::npos);
  page = page_for("cal.example.edu", "https");
  EXPECT_NE(page.find("href=\"https://cal.example.edu/cse1.ics\""), std::string::npos);
  page = page_for("[::1]:8080");
  EXPECT_NE(page.find("webcal://[::1]:8080/cse1.ics"), std::string::npos);
  for (const char* bad : {"evil.com\"><script>", "a b", "x/y", "host@evil", "<"}) {
    SCOPED_TRACE(bad);
    page = page_for(bad);
    EXPECT_EQ(page.find("evil"), std::string::npos);
    EXPECT_EQ(page.find("\"><script>"), std::string::npos);
    EXPECT_NE(page.find("webcal://127.0.0.1:8080/cse1.ics"), std::string::npos);
  }
  // HTTP/1.1 requires a Host field (400, and the connection closes); an HTTP/1.0 request without
  // one gets links to the listen address.
  const http_request no_host{http::verb::get, "/", 11};
  const http_response refused = handle(no_host, *snap, ctx);
  EXPECT_EQ(refused.result_int(), 400u);
  EXPECT_FALSE(refused.keep_alive());
  const http_request old_client{http::verb::get, "/", 10};
  page = handle(old_client, *snap, ctx).body();
  EXPECT_NE(page.find("webcal://127.0.0.1:8080/cse1.ics"), std::string::npos);
}

TEST_F(HandlerTest, HealthzReportsAgeAndLastReload) {
  auto res = get("/healthz");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_type), "application/json");
  EXPECT_EQ(res.body(),
            "{\"status\":\"ok\",\"snapshot_age_seconds\":60,\"feeds\":2,\"events\":60,"
            "\"last_reload\":\"ok\"}\n");
  metrics_.reload_done(false);
  res = get("/healthz");
  EXPECT_EQ(res.result_int(), 200u);  // still serving the previous snapshot
  EXPECT_NE(res.body().find("\"last_reload\":\"failed\""), std::string::npos);
}

TEST_F(HandlerTest, MetricsArePrometheusText) {
  metrics_.count_response(200, 1000);
  metrics_.count_response(200, 500);
  metrics_.count_response(404, 10);
  metrics_.count_response(418, 1);
  metrics_.reload_done(true);
  metrics_.reload_done(false);
  const auto res = get("/metrics");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_type), "text/plain; version=0.0.4; charset=utf-8");
  const std::string body = res.body().str();
  EXPECT_NE(body.find("coursecal_http_responses_total{code=\"200\"} 2\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_http_responses_total{code=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_http_responses_total{code=\"other\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_http_response_bytes_total 1511\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_reloads_ok_total 1\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_reloads_failed_total 1\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_last_reload_success 0\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_snapshot_age_seconds 60\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_feeds 2\n"), std::string::npos);
  EXPECT_NE(body.find("coursecal_events 60\n"), std::string::npos);
  // Every line is a comment (HELP/TYPE) or "name{labels} value"; every metric has a TYPE first.
  const std::regex sample(R"(([a-z_]+)(\{code="[0-9a-z]+"\})? [0-9]+)");
  const std::regex comment(R"(# (HELP|TYPE) ([a-z_]+) .+)");
  std::set<std::string> typed;
  std::istringstream lines(body);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, comment)) {
      if (m[1] == "TYPE") typed.insert(m[2]);
    } else {
      ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
      EXPECT_TRUE(typed.count(m[1])) << line;
      ++samples;
    }
  }
  EXPECT_GE(samples, 17);
  EXPECT_EQ(body.back(), '\n');
}

TEST_F(HandlerTest, RobotsTxtAllowsTheFeeds) {
  const auto res = get("/robots.txt");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(field(res, http::field::content_type), "text/plain; charset=utf-8");
  EXPECT_EQ(res.body(), "User-agent: *\nAllow: /\n");
}

TEST(HeaderHelpers, AcceptsGzip) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("deflate;q=1.0, GZIP;q=0.8"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip;q=1, identity;q=0.5"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.5, identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=nonsense"));
}

TEST(HeaderHelpers, EtagMatches) {
  const std::string tag = "\"abc\"";
  EXPECT_TRUE(etag_matches("\"abc\"", tag));
  EXPECT_TRUE(etag_matches(" W/\"abc\" ", tag));
  EXPECT_TRUE(etag_matches("\"x\",\"abc\"", tag));
  EXPECT_TRUE(etag_matches("\"a,b\", \"abc\"", tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_FALSE(etag_matches("abc", tag));
  EXPECT_FALSE(etag_matches("\"abcd\"", tag));
  EXPECT_FALSE(etag_matches("\"ab", tag));
  EXPECT_FALSE(etag_matches("", tag));
  EXPECT_FALSE(etag_matches("\"a,\"abc\"", tag));  // the tag is "a," then garbage
}

TEST(HeaderHelpers, ParseHttpDate) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date(http_date(lm)), lm);
  EXPECT_EQ(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), -1);
  EXPECT_EQ(parse_http_date("06 Nov 1994"), -1);
  EXPECT_EQ(parse_http_date(""), -1);
  EXPECT_EQ(parse_http_date("garbage"), -1);
}

TEST(HeaderHelpers, ValidHost) {
  EXPECT_EQ(valid_host("cal.example.edu"), "cal.example.edu");
  EXPECT_EQ(valid_host("127.0.0.1:8080"), "127.0.0.1:8080");
  EXPECT_EQ(valid_host("[::1]:8080"), "[::1]:8080");
  EXPECT_EQ(valid_host(""), "");
  EXPECT_EQ(valid_host("a b"), "");
  EXPECT_EQ(valid_host("x\"y"), "");
  EXPECT_EQ(valid_host("x/y"), "");
  EXPECT_EQ(valid_host(std::string(300, 'a')), "");
}

TEST(Snapshot, GzipIsDeterministicWithoutATimestamp) {
  const std::string data(5000, 'x');
  const std::string a = gzip_compress(data);
  EXPECT_EQ(a, gzip_compress(data));
  ASSERT_GE(a.size(), 10u);
  EXPECT_EQ(static_cast<unsigned char>(a[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(a[1]), 0x8b);
  EXPECT_EQ(a.substr(4, 4), std::string(4, '\0'));  // MTIME
  EXPECT_EQ(gunzip(a), data);
  EXPECT_EQ(gunzip(gzip_compress("")), "");
}

TEST(Snapshot, HelpersAndLookup) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  server_config server;
  server.refresh_seconds = 21600;
  const auto snap = make_snapshot({make_feed("a", "A"), make_feed("b", "B")}, server, {});
  ASSERT_NE(snap->find_feed("/b.ics"), nullptr);
  EXPECT_EQ(snap->find_feed("/b.ics")->id, "b");
  EXPECT_EQ(snap->find_feed("/c.ics"), nullptr);
  EXPECT_EQ(snap->find_feed("b.ics"), nullptr);
  EXPECT_EQ(snap->feed_cache_control, "public, max-age=21600");
  EXPECT_EQ(snap->event_count, 60u);
  EXPECT_NE(snap->feeds[0].etag_identity, snap->feeds[0].etag_gzip);
}

// The server writes response_head() and then the body; that must be byte for byte what Beast's
// own serializer writes for the same message, for every kind of response the handler makes.
TEST_F(HandlerTest, ResponseHeadIsWhatBeastWouldWrite) {
  std::vector<http_response> responses;
  responses.push_back(get("/cse1.ics"));
  responses.push_back(get("/cse1.ics", http::verb::head));
  responses.push_back(get("/cse1.ics", http::verb::get, {{http::field::accept_encoding, "gzip"}}));
  responses.push_back(get("/download/cse1.ics"));
  responses.push_back(get("/cse1.ics", http::verb::get,
                          {{http::field::if_none_match, snap_->feeds[0].etag_identity}}));
  responses.push_back(get("/"));
  responses.push_back(get("/nope"));
  responses.push_back(get("/healthz", http::verb::post));
  responses.push_back(error_response(431));
  responses.push_back(error_response(400, 10));
  http_request old{http::verb::get, "/cse1.ics", 10};
  old.set(http::field::connection, "keep-alive");
  responses.push_back(handle(old, *snap_, ctx_));
  std::set<unsigned> statuses;
  for (const http_response& res : responses) {
    statuses.insert(res.result_int());
    std::ostringstream beast;
    beast << res;
    const std::string head = response_head(res);
    EXPECT_EQ(head + res.body().str(), beast.str());
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
    EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
  }
  EXPECT_EQ(statuses, (std::set<unsigned>{200, 304, 400, 404, 405, 431}));
  EXPECT_TRUE(response_head(responses.back()).starts_with("HTTP/1.0 200 OK\r\n"));
  EXPECT_NE(response_head(responses.back()).find("\r\nConnection: keep-alive\r\n"),
            std::string::npos);
}

TEST(UpcomingList, NextSessionsAreOneSortedPieceOfTheBlock) {
  using namespace date::literals;
  const date::sys_days day = date::sys_days{2025_y / date::April / 1};
  // Out of order on purpose; the list sorts by the time each line stops being shown.
  std::vector<calendar_event> events = {timed("Third", day + date::days{2}, 600),
                                        timed("First", day, 600), timed("Second", day, 660)};
  calendar_event due;
  due.title = "Homework <1> & more";
  due.date = day + date::days{1};
  due.all_day = true;
  events.push_back(due);
  const upcoming_list list(events);
  ASSERT_EQ(list.size(), 4u);

  const auto at = [&](date::sys_days d, int minutes) {
    return date::sys_seconds{d} + std::chrono::minutes{minutes + 7 * 60};
  };
  const std::string all(list.next(at(day, 0), 10));
  const auto pos = [&](const std::string& what) { return all.find(what); };
  ASSERT_NE(pos("First"), std::string::npos);
  EXPECT_LT(pos("First"), pos("Second"));
  EXPECT_LT(pos("Second"), pos("Homework &lt;1&gt; &amp; more"));  // until the day is over
  EXPECT_LT(pos("Homework"), pos("Third"));
  EXPECT_EQ(all.substr(0, 4), "<li>");
  EXPECT_TRUE(all.ends_with("</li>\n"));
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 4);

  // At the first session's start it is no longer listed; max cuts the piece after whole lines.
  const std::string two(list.next(at(day, 600), 2));
  EXPECT_EQ(two.find("First"), std::string::npos);
  EXPECT_EQ(std::count(two.begin(), two.end(), '\n'), 2);
  EXPECT_NE(two.find("Second"), std::string::npos);
  EXPECT_NE(two.find("Homework"), std::string::npos);
  EXPECT_EQ(list.next(at(day, 600), 0), "");
  EXPECT_EQ(list.next(at(day + date::days{30}, 0), 5), "");
  EXPECT_EQ(upcoming_list().next(at(day, 0), 5), "");
}

TEST(SnapshotStore, SwapKeepsOldSnapshotsAliveForTheirReaders) {
  snapshot_store store;
  EXPECT_EQ(store.get(), nullptr);
  server_config server;
  auto first = make_snapshot({make_feed("a", "A")}, server, {});
  store.set(first);
  const auto held = store.get();
  store.set(make_snapshot({make_feed("b", "B")}, server, {}));
  first.reset();
  EXPECT_EQ(held->feeds[0].id, "a");  // a request keeps the snapshot it started with
  EXPECT_EQ(store.get()->feeds[0].id, "b");
}

}  // namespace
}  // namespace coursecal
