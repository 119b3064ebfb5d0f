// HTTP request handling as a plain function: request + snapshot -> response. Knows nothing of
// sockets; the server (server.hpp) reads requests with Beast's parser and writes the responses.
//
// Routes (a fixed table; no path ever reaches the file system; query strings are ignored):
//   GET/HEAD /                     the subscribe page (text/html)
//   GET/HEAD /<id>.ics             the feed, for subscriptions (no Content-Disposition)
//   GET/HEAD /download/<id>.ics    the same bytes with Content-Disposition: attachment, for the
//                                  page's download link (a separate path, so the subscription URL
//                                  never carries an attachment header)
//   GET/HEAD /healthz              200 + JSON: snapshot age, feeds, whether the last reload failed
//   GET/HEAD /metrics              Prometheus text format
//   GET/HEAD /robots.txt           allows everything (Google's fetcher honours robots.txt)
// Anything else: 404. Methods other than GET/HEAD: 405 + Allow. A target that is not origin-form
// ("http://host/x", "*"): 400. A request with a body (Content-Length > 0 or chunked): 413, and the
// connection closes (the body is never read). An HTTP/1.1 request without a Host field or with
// several, or a Transfer-Encoding that does not end in chunked: 400, and the connection closes
// (RFC 9112 sections 3.2, 6.3).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "daemon/shared_body.hpp"
#include "daemon/snapshot.hpp"

namespace coursecal {

// Only the header of a request is ever read: the body type is empty.
using http_request = boost::beast::http::request<boost::beast::http::empty_body>;
// Responses share the snapshot's bytes instead of copying them (see shared_body.hpp).
using http_response = boost::beast::http::response<shared_text_body>;

// Counters shared by the server, the reloader and /metrics. Thread-safe.
class server_metrics {
 public:
  // The status codes counted individually; anything else is counted as "other".
  static constexpr std::array<unsigned, 10> tracked_statuses = {200, 304, 400, 404, 405,
                                                                408, 413, 431, 500, 503};

  void count_response(unsigned status, std::uint64_t bytes_sent);
  void reload_done(bool ok);

  std::uint64_t responses(unsigned status) const;  // 0 for untracked codes; see other_responses
  std::uint64_t other_responses() const { return other_.load(); }
  std::uint64_t bytes_sent() const { return bytes_.load(); }
  std::uint64_t reloads_ok() const { return reloads_ok_.load(); }
  std::uint64_t reloads_failed() const { return reloads_failed_.load(); }
  bool last_reload_ok() const { return last_reload_ok_.load(); }

 private:
  std::array<std::atomic<std::uint64_t>, tracked_statuses.size()> by_status_{};
  std::atomic<std::uint64_t> other_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> reloads_ok_{0};
  std::atomic<std::uint64_t> reloads_failed_{0};
  std::atomic<bool> last_reload_ok_{true};
};

struct handler_context {
  std::chrono::system_clock::time_point now;  // for the page's upcoming sessions and ages
  // "host:port" the server listens on ("[::1]:8080" for IPv6): the links' host when the snapshot
  // has no public_url and the request's Host header is missing or invalid.
  std::string listen_address = "127.0.0.1:8080";
  const server_metrics* metrics = nullptr;  // for /metrics and /healthz; may be null
};

// Answers one request from `snap`. Pure apart from reading ctx.metrics: never touches files,
// sockets or clocks. The response is complete (Content-Length set; for HEAD the length of the
// body a GET would get, with an empty body). keep_alive follows the request, except that a request
// with a body gets Connection: close.
http_response handle(const http_request& req, const snapshot& snap, const handler_context& ctx);

// A minimal error response (used by the server for parse errors: 400, 431, ...). Closes.
http_response error_response(unsigned status, unsigned version = 11);

// The status line and header fields of `res`, ending in the blank line: the bytes Beast's
// serializer writes before the body of a response with a Content-Length (handle() never sets
// Transfer-Encoding). The server sends them and then the body's shared bytes as they are.
std::string response_head(const http_response& res);

// Header helpers, exposed for tests.
// True if `if_none_match` (a list, "*", W/ tags) matches `etag` by weak comparison.
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// True if the client accepts gzip (q > 0, and not less preferred than identity).
bool accepts_gzip(std::string_view accept_encoding);
// Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime); -1 when invalid.
std::int64_t parse_http_date(std::string_view text);
// The Host header if it is safe to echo into links ([A-Za-z0-9.-:[]] only, 1..255 chars), else "".
std::string_view valid_host(std::string_view host);

}  // namespace coursecal
