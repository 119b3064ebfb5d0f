#include "daemon/http_handler.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include <date/date.h>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

namespace coursecal {

namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_upcoming = 5;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

// A response with common headers; the caller adds the rest.
http_response base_response(http::status status, const http_request& req,
                            const handler_context& ctx) {
  http_response res{status, req.version()};
  res.set(http::field::server, "coursecal");
  // The Date header changes once a second: format it once a second per thread.
  thread_local std::int64_t date_second = -1;
  thread_local std::string date_text;
  const std::int64_t second =
      std::chrono::duration_cast<std::chrono::seconds>(ctx.now.time_since_epoch()).count();
  if (second != date_second) {
    date_second = second;
    date_text = http_date(second);
  }
  res.set(http::field::date, date_text);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  return res;
}

// Sets the body; for HEAD the same Content-Length with no body.
void finish(http_response& res, shared_text body, bool head) {
  if (head) {
    res.content_length(body.size());
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
}

http_response text_response(http::status status, const http_request& req,
                            const handler_context& ctx, std::string body, bool head) {
  http_response res = base_response(status, req, ctx);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  finish(res, shared_text(std::move(body)), head);
  return res;
}

bool has_body(const http_request& req) {
  if (req.chunked()) return true;
  const auto cl = sv(req[http::field::content_length]);
  if (cl.empty()) return false;
  std::uint64_t n = 0;
  const auto [ptr, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), n);
  return ec != std::errc{} || ptr != cl.data() + cl.size() || n > 0;
}

// Feeds are public: a calendar in a web page (ical.js, FullCalendar) on any origin may read them,
// and their validators, to revalidate.
void allow_any_origin(http_response& res) {
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, "ETag, Last-Modified");
}

// OPTIONS: the methods; on a feed, the CORS preflight answer a browser needs before a request
// with conditional headers (If-None-Match, If-Modified-Since).
http_response serve_options(const http_request& req, const handler_context& ctx, bool feed) {
  http_response res = base_response(http::status::no_content, req, ctx);
  res.set(http::field::allow, "GET, HEAD, OPTIONS");
  if (feed) {
    allow_any_origin(res);
    res.set(http::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
    res.set(http::field::access_control_allow_headers,
            "If-None-Match, If-Modified-Since, Cache-Control");
    res.set(http::field::access_control_max_age, "86400");
  }
  res.set(http::field::cache_control, "no-store");
  return res;  // 204: no Content-Length (RFC 9110 8.6)
}

http_response serve_feed(const http_request& req, const snapshot& snap, const served_feed& feed,
                         bool download, const handler_context& ctx, bool head) {
  const bool gzip = accepts_gzip(sv(req[http::field::accept_encoding]));
  const std::string& etag = gzip ? feed.etag_gzip : feed.etag_identity;

  bool not_modified = false;
  if (req.find(http::field::if_none_match) != req.end()) {
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    not_modified = etag_matches(sv(req[http::field::if_none_match]), etag);
  } else if (req.find(http::field::if_modified_since) != req.end()) {
    const std::int64_t since = parse_http_date(sv(req[http::field::if_modified_since]));
    not_modified = since >= 0 && feed.last_modified <= since;
  }

  http_response res =
      base_response(not_modified ? http::status::not_modified : http::status::ok, req, ctx);
  allow_any_origin(res);
  res.set(http::field::etag, etag);
  res.set(http::field::last_modified, feed.last_modified_http);
  res.set(http::field::cache_control, snap.feed_cache_control);
  res.set(http::field::vary, "Accept-Encoding");
  if (not_modified) return res;  // no body, no Content-Length

  res.set(http::field::content_type, "text/calendar; charset=utf-8");
  if (gzip) res.set(http::field::content_encoding, "gzip");
  if (download) {
    res.set(http::field::content_disposition, "attachment; filename=\"" + feed.id + ".ics\"");
  }
  finish(res, gzip ? feed.gzip : feed.identity, head);
  return res;
}

http_response serve_page(const http_request& req, const snapshot& snap, const handler_context& ctx,
                         bool head) {
  std::string base;
  std::string webcal;
  if (!snap.public_url.empty()) {
    base = html_escape(snap.public_url);
    const auto scheme_end = snap.public_url.find("://");
    webcal = "webcal://" + html_escape(scheme_end == std::string::npos
                                           ? snap.public_url
                                           : snap.public_url.substr(scheme_end + 3));
  } else {
    std::string_view host = valid_host(sv(req[http::field::host]));
    if (host.empty()) host = ctx.listen_address;
    // Behind a TLS-terminating proxy the scheme is https; only the exact token is believed.
    const bool https = sv(req["X-Forwarded-Proto"]) == "https";
    base = (https ? "https://" : "http://") + html_escape(host);
    webcal = "webcal://" + html_escape(host);
  }

  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(ctx.now);
  std::string body;
  body.reserve(16 * 1024);
  for (const page_part& part : snap.page) {
    switch (part.what) {
      case page_part::kind::text:
        body += part.text;
        break;
      case page_part::kind::base_url:
        body += base;
        break;
      case page_part::kind::webcal_base:
        body += webcal;
        break;
      case page_part::kind::upcoming: {
        const std::string_view next = snap.feeds[part.feed].upcoming->next(now, max_upcoming);
        body += next.empty() ? "<li>No upcoming sessions.</li>\n" : next;
        break;
      }
    }
  }

  http_response res = base_response(http::status::ok, req, ctx);
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  res.set("Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
          "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.set("Referrer-Policy", "no-referrer");
  finish(res, shared_text(std::move(body)), head);
  return res;
}

std::int64_t snapshot_age(const snapshot& snap, const handler_context& ctx) {
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(
      ctx.now - std::chrono::system_clock::time_point{snap.built_at});
  return std::max<std::int64_t>(0, age.count());
}

http_response serve_health(const http_request& req, const snapshot& snap,
                           const handler_context& ctx, bool head) {
  const bool last_ok = ctx.metrics == nullptr || ctx.metrics->last_reload_ok();
  std::string body =
      "{\"status\":\"ok\",\"snapshot_age_seconds\":" + std::to_string(snapshot_age(snap, ctx)) +
      ",\"feeds\":" + std::to_string(snap.feeds.size()) +
      ",\"events\":" + std::to_string(snap.event_count) + ",\"last_reload\":\"" +
      (last_ok ? "ok" : "failed") + "\"}\n";
  http_response res = base_response(http::status::ok, req, ctx);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  finish(res, shared_text(std::move(body)), head);
  return res;
}

http_response serve_metrics(const http_request& req, const snapshot& snap,
                            const handler_context& ctx, bool head) {
  static const server_metrics none;
  const server_metrics& m = ctx.metrics != nullptr ? *ctx.metrics : none;
  std::ostringstream out;
  out << "# HELP coursecal_http_responses_total HTTP responses sent, by status code.\n"
         "# TYPE coursecal_http_responses_total counter\n";
  for (unsigned code : server_metrics::tracked_statuses) {
    out << "coursecal_http_responses_total{code=\"" << code << "\"} " << m.responses(code) << '\n';
  }
  out << "coursecal_http_responses_total{code=\"other\"} " << m.other_responses() << '\n'
      << "# HELP coursecal_http_response_bytes_total Bytes sent in HTTP responses.\n"
         "# TYPE coursecal_http_response_bytes_total counter\n"
         "coursecal_http_response_bytes_total "
      << m.bytes_sent() << '\n'
      << "# HELP coursecal_reloads_ok_total Reloads that published a new snapshot.\n"
         "# TYPE coursecal_reloads_ok_total counter\n"
         "coursecal_reloads_ok_total "
      << m.reloads_ok() << '\n'
      << "# HELP coursecal_reloads_failed_total Reloads that failed (the previous snapshot "
         "stays).\n"
         "# TYPE coursecal_reloads_failed_total counter\n"
         "coursecal_reloads_failed_total "
      << m.reloads_failed() << '\n'
      << "# HELP coursecal_last_reload_success 1 if the last reload succeeded (or none ran).\n"
         "# TYPE coursecal_last_reload_success gauge\n"
         "coursecal_last_reload_success "
      << (m.last_reload_ok() ? 1 : 0) << '\n'
      << "# HELP coursecal_snapshot_age_seconds Age of the snapshot being served.\n"
         "# TYPE coursecal_snapshot_age_seconds gauge\n"
         "coursecal_snapshot_age_seconds "
      << snapshot_age(snap, ctx) << '\n'
      << "# HELP coursecal_feeds Feeds being served.\n"
         "# TYPE coursecal_feeds gauge\n"
         "coursecal_feeds "
      << snap.feeds.size() << '\n'
      << "# HELP coursecal_events Events in the feeds being served.\n"
         "# TYPE coursecal_events gauge\n"
         "coursecal_events "
      << snap.event_count << '\n';
  http_response res = base_response(http::status::ok, req, ctx);
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  finish(res, shared_text(out.str()), head);
  return res;
}

}  // namespace

void server_metrics::count_response(unsigned status, std::uint64_t bytes_sent) {
  bytes_.fetch_add(bytes_sent, std::memory_order_relaxed);
  for (std::size_t i = 0; i < tracked_statuses.size(); ++i) {
    if (tracked_statuses[i] == status) {
      by_status_[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  other_.fetch_add(1, std::memory_order_relaxed);
}

void server_metrics::reload_done(bool ok) {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1);
  last_reload_ok_.store(ok);
}

std::uint64_t server_metrics::responses(unsigned status) const {
  for (std::size_t i = 0; i < tracked_statuses.size(); ++i) {
    if (tracked_statuses[i] == status) return by_status_[i].load();
  }
  return 0;
}

http_response handle(const http_request& req, const snapshot& snap, const handler_context& ctx) {
  const std::string_view target = sv(req.target());
  const bool head = req.method() == http::verb::head;
  // Only origin-form targets: absolute-form ("http://host/x") and asterisk-form ("*") are refused.
  if (target.empty() || target.front() != '/') {
    http_response res = text_response(http::status::bad_request, req, ctx, "Bad request\n", head);
    res.keep_alive(false);
    return res;
  }
  // RFC 9112 sections 3.2 and 6.3: an HTTP/1.1 request without a Host field or with several, or
  // a Transfer-Encoding that does not end in chunked (the body length cannot be known): 400, and
  // the connection closes. (HTTP/1.0 has no Host requirement.)
  const std::size_t hosts = req.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && req.version() >= 11) ||
      (req.count(http::field::transfer_encoding) != 0 && !req.chunked())) {
    http_response res = text_response(http::status::bad_request, req, ctx, "Bad request\n", head);
    res.keep_alive(false);
    return res;
  }
  const bool get_or_head = head || req.method() == http::verb::get;
  if (has_body(req)) {
    // The body is never read, so the connection cannot be reused.
    http_response res = get_or_head ? text_response(http::status::payload_too_large, req, ctx,
                                                    "Request bodies are not accepted\n", head)
                                    : text_response(http::status::method_not_allowed, req, ctx,
                                                    "Method not allowed\n", false);
    if (!get_or_head) res.set(http::field::allow, "GET, HEAD, OPTIONS");
    res.keep_alive(false);
    return res;
  }
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  constexpr std::string_view download_prefix = "/download";
  const bool download = path.starts_with(download_prefix);
  if (req.method() == http::verb::options)
    return serve_options(
        req, ctx, snap.find_feed(download ? path.substr(download_prefix.size()) : path) != nullptr);
  if (!get_or_head) {
    http_response res =
        text_response(http::status::method_not_allowed, req, ctx, "Method not allowed\n", false);
    res.set(http::field::allow, "GET, HEAD, OPTIONS");
    return res;
  }

  if (path == "/" || path == "/index.html") return serve_page(req, snap, ctx, head);
  if (path == "/healthz") return serve_health(req, snap, ctx, head);
  if (path == "/metrics") return serve_metrics(req, snap, ctx, head);
  if (path == "/robots.txt") {
    http_response res = base_response(http::status::ok, req, ctx);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "public, max-age=86400");
    finish(res, shared_text(snap.robots), head);
    return res;
  }
  const served_feed* feed = snap.find_feed(download ? path.substr(download_prefix.size()) : path);
  if (feed != nullptr) return serve_feed(req, snap, *feed, download, ctx, head);
  return text_response(http::status::not_found, req, ctx, "Not found\n", head);
}

std::string response_head(const http_response& res) {
  std::string out;
  out.reserve(384);
  out += "HTTP/";
  out += static_cast<char>('0' + res.version() / 10);
  out += '.';
  out += static_cast<char>('0' + res.version() % 10);
  out += ' ';
  const unsigned code = res.result_int();
  out += static_cast<char>('0' + code / 100 % 10);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  out += sv(res.reason());
  out += "\r\n";
  for (const auto& f : res) {
    out += sv(f.name_string());
    out += ": ";
    out += sv(f.value());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

http_response error_response(unsigned status, unsigned version) {
  http_response res{static_cast<http::status>(status), version};
  res.set(http::field::server, "coursecal");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() =
      shared_text(std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\n");
  res.prepare_payload();
  res.keep_alive(false);
  return res;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::string_view s = trim(if_none_match);
  if (s == "*") return true;
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  while (!s.empty()) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ',')) {
      s.remove_prefix(1);
    }
    if (s.starts_with("W/")) s.remove_prefix(2);
    if (s.empty()) break;
    if (s.front() != '"') {  // not an entity-tag: skip to the next list element
      const auto comma = s.find(',');
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma);
      continue;
    }
    const auto close = s.find('"', 1);
    if (close == std::string_view::npos) break;
    if (s.substr(0, close + 1) == etag) return true;
    s.remove_prefix(close + 1);
  }
  return false;
}

bool accepts_gzip(std::string_view accept_encoding) {
  double q_gzip = -1;
  double q_identity = -1;
  double q_star = -1;
  std::string_view s = accept_encoding;
  while (!s.empty()) {
    const auto comma = s.find(',');
    std::string_view element = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    const auto semi = element.find(';');
    const std::string_view coding = trim(element.substr(0, semi));
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view params = element.substr(semi + 1);
      while (!params.empty()) {
        const auto next = params.find(';');
        const std::string_view param = trim(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
          const std::string_view value = trim(param.substr(2));
          double v = 0;
          const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
          q = (ec == std::errc{} && ptr == value.data() + value.size() && v >= 0 && v <= 1) ? v : 0;
        }
      }
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      q_gzip = std::max(q_gzip, q);
    } else if (iequals(coding, "identity")) {
      q_identity = q;
    } else if (coding == "*") {
      q_star = q;
    }
  }
  const double gzip = q_gzip >= 0 ? q_gzip : std::max(q_star, 0.0);
  return gzip > 0 && (q_identity < 0 || gzip >= q_identity);
}

std::int64_t parse_http_date(std::string_view text) {
  // The three forms differ in order and separators only:
  //   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
  //   asctime "Sun Nov  6 08:49:37 1994". Collect the month, the time and the two numbers.
  static constexpr std::array<std::string_view, 12> months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto number = [](std::string_view t, int& out) {
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc{} && ptr == t.data() + t.size();
  };
  int month = 0;
  int numbers[2] = {0, 0};
  std::size_t number_count = 0;
  std::size_t number_digits[2] = {0, 0};
  int hh = -1;
  int mm = -1;
  int ss = -1;
  std::size_t tokens = 0;
  std::string_view s = text;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(" ,-");
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto len = std::min(s.find_first_of(" ,-"), s.size());
    const std::string_view tok = s.substr(0, len);
    s.remove_prefix(len);
    if (++tokens > 6) return -1;
    if (tok.size() == 8 && tok[2] == ':' && tok[5] == ':') {
      if (!number(tok.substr(0, 2), hh) || !number(tok.substr(3, 2), mm) ||
          !number(tok.substr(6, 2), ss)) {
        return -1;
      }
    } else if (tok.front() >= '0' && tok.front() <= '9') {
      if (number_count == 2 || !number(tok, numbers[number_count])) return -1;
      number_digits[number_count++] = tok.size();
    } else if (const auto m = std::find(months.begin(), months.end(), tok); m != months.end()) {
      month = static_cast<int>(m - months.begin()) + 1;
    } else if (tok != "GMT" && tok.size() < 3) {
      return -1;  // weekday names are not checked
    }
  }
  if (month == 0 || number_count != 2 || hh < 0 || hh > 23 || mm > 59 || ss > 60) return -1;
  int year = numbers[1];
  if (number_digits[1] == 2) year += year < 70 ? 2000 : 1900;
  if (number_digits[1] != 2 && number_digits[1] != 4) return -1;
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(numbers[0])}};
  if (!ymd.ok()) return -1;
  const auto days = date::sys_days{ymd}.time_since_epoch().count();
  return static_cast<std::int64_t>(days) * 86400 + hh * 3600 + mm * 60 + ss;
}

std::string_view valid_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return {};
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return {};
  }
  return host;
}

}  // namespace coursecal
