// The daemon's shared state: every feed rendered, gzip-compressed and hashed once, plus the
// subscribe page prepared once. Built off the I/O thread, published whole, never mutated: a
// request holds the std::shared_ptr<const snapshot> it started with.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/term_model.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/shared_body.hpp"
#include "daemon/upcoming.hpp"

namespace coursecal {

struct served_feed {
  std::string id;
  std::string name;
  std::string path;                // "/<id>.ics"
  shared_text identity;            // the .ics bytes (shared with the responses that send them)
  shared_text gzip;                // `identity` compressed once (gzip wrapper, level 9, mtime 0)
  std::string etag_identity;       // strong ETag of `identity`, quoted: "\"<32 hex of SHA-256>\""
  std::string etag_gzip;           // strong ETag of `gzip` (differs from etag_identity)
  std::int64_t last_modified = 0;  // unix seconds, from the inputs
  std::string last_modified_http;  // the same as an IMF-fixdate
  std::size_t event_count = 0;
  // The page's "next sessions" lines, sorted by shown_until (shared with the build cache).
  std::shared_ptr<const upcoming_list> upcoming;
};

// A piece of the subscribe page: fixed text, or a place where the per-request part goes.
struct page_part {
  enum class kind { text, base_url, webcal_base, upcoming };
  kind what = kind::text;
  std::string text;      // kind::text
  std::size_t feed = 0;  // kind::upcoming: index into snapshot::feeds
};

struct snapshot {
  std::vector<served_feed> feeds;       // in config order
  std::string public_url;               // from server.public_url (no trailing slash), may be empty
  long refresh_seconds = 0;             // Cache-Control max-age of the feeds
  std::string feed_cache_control;       // "public, max-age=<refresh_seconds>"
  std::chrono::sys_seconds built_at{};  // when the snapshot was made (for its age)
  std::size_t event_count = 0;          // over all feeds
  std::vector<page_part> page;          // the subscribe page, prepared once
  std::string robots;                   // /robots.txt

  std::map<std::string, std::size_t, std::less<>> by_path;  // "/<id>.ics" -> index in feeds

  // The feed served at `path` ("/<id>.ics"), or nullptr.
  const served_feed* find_feed(std::string_view path) const;
};

// Builds a snapshot: compresses and hashes every feed (on up to four threads) and prepares the
// subscribe page. CPU-heavy (gzip level 9): call it off the I/O thread. `built_at` is recorded for
// /healthz and /metrics. A feed whose id, name, bytes and Last-Modified equal those in `previous`
// (may be null) is taken from it instead of being compressed and hashed again.
std::shared_ptr<const snapshot> make_snapshot(const std::vector<feed_output>& feeds,
                                              const server_config& server,
                                              std::chrono::sys_seconds built_at,
                                              const snapshot* previous = nullptr);

// The snapshot being served. get() and set() may be called from any thread.
class snapshot_store {
 public:
  std::shared_ptr<const snapshot> get() const;
  void set(std::shared_ptr<const snapshot> snap);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const snapshot> current_;
};

// Helpers, exposed for tests.
std::string gzip_compress(std::string_view data);  // deterministic: mtime 0, OS unix, level 9
std::string sha256_hex(std::string_view data);     // 64 lowercase hex digits
std::string http_date(std::int64_t unix_seconds);  // "Sun, 06 Nov 1994 08:49:37 GMT"

}  // namespace coursecal
