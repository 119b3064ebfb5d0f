// The whole pipeline for the CLI and the server: coursecal.yaml -> sites -> events -> .ics bytes.
// Reads files; everything after reading is pure (core/).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/event.hpp"
#include "core/term_model.hpp"
#include "daemon/shared_text.hpp"
#include "daemon/upcoming.hpp"

namespace coursecal {

struct feed_output {
  std::string id;
  std::string name;        // calendar name
  std::string short_name;  // course prefix
  std::string timezone;
  shared_text ics;                 // the rendered feed (CRLF, folded), shared, never copied
  std::int64_t last_modified = 0;  // unix seconds: DTSTAMP/LAST-MODIFIED (source_time.hpp)
  std::size_t event_count = 0;
  // The subscribe page's lines for these events (see upcoming.hpp), made with the feed.
  std::shared_ptr<const upcoming_list> upcoming;
  // Sorted by start. Empty for a feed taken from a feed_cache: the cache keeps the bytes and the
  // page lines, not the events (which take about twice the memory of the rendered text).
  std::vector<calendar_event> events;
  std::vector<std::string> inputs;  // every file this feed was built from
  // Git files whose change can change its time stamp (source_time.hpp), watched like inputs.
  std::vector<std::string> git_files;
};

struct build_result {
  std::optional<app_config> config;  // set when the config parsed
  std::vector<feed_output> feeds;    // empty when anything had an error
  diagnostics diags;                 // sorted by file and line
  bool ok() const { return !diags.has_errors() && config.has_value(); }
  std::vector<std::string> watched_paths;  // config file, site and module folders, git files
};

// Feeds from earlier builds, so that a rebuild renders again only the feeds whose inputs changed:
// a feed is reused while its config file, its site's folders and every file it was read from keep
// their size, modification time and inode, and SOURCE_DATE_EPOCH and the refresh interval stay
// the same. Only builds without errors update the cache. One build at a time may use a cache (it
// is not thread-safe).
class feed_cache {
 public:
  feed_cache();
  ~feed_cache();
  feed_cache(const feed_cache&) = delete;
  feed_cache& operator=(const feed_cache&) = delete;

  std::size_t last_reused() const;    // feeds the last build took from the cache
  std::size_t last_rendered() const;  // feeds the last build read, resolved and rendered

  struct impl;

 private:
  friend build_result build_feeds(const std::string&, const std::optional<std::string>&,
                                  feed_cache*);
  std::unique_ptr<impl> impl_;
};

// Reads `config_path` and every feed's site, resolves and renders. `only_feed` limits the work to
// one feed (an unknown id is an error). Never throws on bad input: everything goes to diags.
// SOURCE_DATE_EPOCH, when set in the environment, fixes DTSTAMP; else it is inputs_time() of the
// feed's inputs (the config file and its site's files: git commit times, else mtimes). With a
// cache, a feed whose bytes changed is never stamped at or before the time it had in the cache.
// Feeds are built on up to four threads; the result does not depend on how many. With a cache,
// unchanged feeds are reused from it.
build_result build_feeds(const std::string& config_path,
                         const std::optional<std::string>& only_feed = std::nullopt,
                         feed_cache* cache = nullptr);

// The same build for exports, without keeping the feeds: each feed without errors is handed to
// `sink` as soon as it is built, then dropped, so memory does not grow with the number of feeds.
// `sink` runs on the building threads (up to four calls at once, one per feed, in no set order).
// The result holds the config and every diagnostic, and no feeds.
build_result build_feeds_each(const std::string& config_path,
                              const std::optional<std::string>& only_feed,
                              const std::function<void(feed_output&&)>& sink);

}  // namespace coursecal
