#include "daemon/pipeline.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <map>
#include <set>
#include <string_view>

#include <date/tz.h>

#include "config/config_reader.hpp"
#include "content/site_reader.hpp"
#include "core/lint.hpp"
#include "core/render.hpp"
#include "core/resolve.hpp"
#include "daemon/parallel.hpp"
#include "daemon/source_time.hpp"

namespace coursecal {

namespace {

// SOURCE_DATE_EPOCH (reproducible-builds.org): a decimal number of seconds since the epoch.
std::optional<std::int64_t> source_date_epoch(diagnostics& diags) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(env, &end, 10);
  if (errno != 0 || *end != '\0' || v < 0) {
    diags.error({"SOURCE_DATE_EPOCH", 0, 0},
                std::string("expected a number of seconds since 1970-01-01, got '") + env + "'");
    return std::nullopt;
  }
  return v;
}

// The site's name for the course: its title, unless the title only says "Home" (then the
// tagline, as the template's header shows it).
std::string site_name(const course_content& site) {
  std::string t = site.title;
  std::string l;
  for (unsigned char c : t) l += static_cast<char>(std::tolower(c));
  static const char* const home_words[] = {
      "home",
      "homepage",
      "\xD0\x93\xD0\xBE\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xBD\xD0\xB0" /* Головна */,
      "\xD0\x93\xD0\xBB\xD0\xB0\xD0\xB2\xD0\xBD\xD0\xB0\xD1\x8F" /* Главная */,
      ("in\xC3\xAD"
       "cio") /* início */,
      "inicio",
      "accueil",
      "startseite",
      "\xED\x99\x88" /* 홈 */};
  const bool home = std::any_of(std::begin(home_words), std::end(home_words),
                                [&](const char* w) { return l == w || t == w; });
  if ((home || t.empty()) && !site.tagline.empty()) return site.tagline;
  return t;
}

// The template's own description, left in place by many sites, is not the course's.
bool boilerplate(const std::string& description) {
  return description.starts_with("A modern, highly customizable, responsive Jekyll template");
}

std::string default_name(const feed_config& feed, const course_content& site) {
  if (!feed.name.empty()) return feed.name;
  const std::string title = site_name(site);
  const std::string& desc = site.description;
  if (!title.empty() && !desc.empty() && !boilerplate(desc) && desc != title)
    return title + ": " + desc;
  if (!title.empty()) return title;
  return feed.id;
}

std::string default_short_name(const feed_config& feed, const course_content& site) {
  if (!feed.short_name.empty()) return feed.short_name;
  const std::string title = site_name(site);
  if (!title.empty()) return title;
  return feed.id;
}

// `previous`: what a running server last published for this feed (null for a first build).
feed_output build_one(const app_config& cfg, const feed_config& feed,
                      std::optional<std::int64_t> fixed_stamp, const feed_output* previous,
                      diagnostics& diags) {
  feed_output out;
  out.id = feed.id;
  out.timezone = feed.timezone;

  const course_content site = content::read_site(feed.site_path, diags, feed.url);
  out.name = default_name(feed, site);
  out.short_name = default_short_name(feed, site);
  out.inputs.push_back(cfg.path);
  out.inputs.insert(out.inputs.end(), site.input_files.begin(), site.input_files.end());

  if (feed.meetings.empty() && site.weekly.empty())
    diags.warn(feed.loc, "feed '" + feed.id +
                             "' has no 'meetings' and the site's _schedules/weekly.md gives none: "
                             "the calendar holds only the content's dated items, deadlines and "
                             "events");

  // The feed's own timezone, else the site's _config.yml one (validated here, blamed there).
  std::string tz_name = feed.timezone;
  source_loc tz_loc = feed.loc;
  if (tz_name.empty()) {
    if (site.timezone.empty()) {
      diags.error(feed.loc, "feed '" + feed.id +
                                "' has no 'timezone' and the site's _config.yml names none "
                                "(add 'timezone: Area/City' to the feed)");
      return out;
    }
    tz_name = site.timezone;
    tz_loc = site.timezone_loc;
  }
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(tz_name);
  } catch (const std::exception& e) {
    diags.error(tz_loc, "feed '" + feed.id + "': unknown time zone '" + tz_name +
                            "' (expected an IANA name such as America/Los_Angeles)");
    return out;
  }
  out.timezone = tz_name;

  resolve_input in;
  in.feed = &feed;
  in.content = &site;
  in.zone = zone;
  in.short_name = out.short_name;
  out.events = resolve(in, diags);

  calendar_meta meta;
  meta.feed_id = feed.id;
  meta.name = out.name;
  meta.description = boilerplate(site.description) ? std::string() : site.description;
  meta.timezone = tz_name;
  meta.refresh = cfg.server.refresh;
  meta.url = site.site_url;
  meta.range_from = feed.term.start;
  meta.range_to = feed.term.end;
  for (const auto& ev : out.events) {
    meta.range_from = std::min(meta.range_from, ev.date);
    meta.range_to = std::max(meta.range_to, ev.date);
  }
  auto render = [&](std::int64_t stamp) {
    out.last_modified = stamp;
    meta.stamp = date::sys_seconds{std::chrono::seconds{stamp}};
    out.ics = shared_text(render_calendar(meta, out.events, *zone));
  };
  std::int64_t stamp = 0;
  if (fixed_stamp) {
    stamp = *fixed_stamp;
  } else {
    source_time t = inputs_time(out.inputs);
    stamp = t.seconds;
    out.git_files = std::move(t.git_files);
  }
  if (!fixed_stamp && previous && stamp <= previous->last_modified) {
    // The inputs' time went back (an older file restored with `cp -p`, the newest one deleted,
    // an older commit checked out) or stayed: a changed feed is published one second after the
    // last one, so a client asking If-Modified-Since that time gets it; an unchanged feed keeps
    // its bytes.
    render(previous->last_modified);
    if (!(out.ics == previous->ics)) render(previous->last_modified + 1);
  } else {
    render(stamp);
  }
  out.event_count = out.events.size();
  out.upcoming = std::make_shared<const upcoming_list>(out.events);
  // The produced bytes checked against docs/feed-rules.md (size, DTEND, VTIMEZONE, UIDs).
  for (const auto& problem : lint_feed(out.ics))
    diags.warn(feed.loc, "feed '" + feed.id + "': " + problem);
  return out;
}

// What a file or folder looked like when a feed was built from it.
struct file_stamp {
  std::string path;
  std::int64_t mtime_ns = -1;  // -1: missing
  std::int64_t size = -1;
  std::uint64_t inode = 0;
  bool operator==(const file_stamp&) const = default;
};

file_stamp stamp_of(const std::string& path) {
  file_stamp s;
  s.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    s.size = st.st_size;
    s.inode = st.st_ino;
  }
  return s;
}

// The files and folders whose change means the feed must be built again: the config file, the
// site's root and _modules folders (pages added or removed), every file read and its folder, and
// the git files that show a commit or checkout (the stamp may change with them).
std::vector<file_stamp> stamps_for(const feed_config& feed, const feed_output& out) {
  std::set<std::string> paths(out.inputs.begin(), out.inputs.end());
  paths.insert(out.git_files.begin(), out.git_files.end());
  paths.insert(feed.site_path);
  paths.insert(feed.site_path + "/_modules");
  for (const auto& input : out.inputs) {
    const auto slash = input.rfind('/');
    if (slash != std::string::npos && slash > 0) paths.insert(input.substr(0, slash));
  }
  std::vector<file_stamp> stamps;
  stamps.reserve(paths.size());
  for (const auto& p : paths) stamps.push_back(stamp_of(p));
  return stamps;
}

}  // namespace

struct feed_cache::impl {
  struct entry {
    std::vector<file_stamp> stamps;
    std::optional<std::int64_t> fixed_stamp;
    std::string refresh;
    feed_output output;
    diagnostics diags;
  };
  std::map<std::string, entry> entries;  // by feed id
  file_stamp config_stamp;               // the config file as last read
  std::optional<app_config> config;      // what it held (only configs without errors are kept)
  diagnostics config_diags;
  std::size_t reused = 0;
  std::size_t rendered = 0;

  const entry* fresh(const feed_config& feed, std::optional<std::int64_t> fixed_stamp,
                     const std::string& refresh) const {
    const auto it = entries.find(feed.id);
    if (it == entries.end()) return nullptr;
    const entry& e = it->second;
    if (e.fixed_stamp != fixed_stamp || e.refresh != refresh) return nullptr;
    for (const auto& s : e.stamps)
      if (!(stamp_of(s.path) == s)) return nullptr;
    return &e;
  }
};

feed_cache::feed_cache() : impl_(std::make_unique<impl>()) {}
feed_cache::~feed_cache() = default;
std::size_t feed_cache::last_reused() const { return impl_->reused; }
std::size_t feed_cache::last_rendered() const { return impl_->rendered; }

namespace {

// Builds feeds[i] for every i in `todo` on up to four threads. Each feed has its own diagnostics,
// so the outcome is the same whatever the number of threads.
// `previous[i]` is what was last published for todo[i], or null.
void build_in_parallel(const app_config& cfg, const std::vector<const feed_config*>& todo,
                       const std::vector<const feed_output*>& previous,
                       std::optional<std::int64_t> fixed_stamp, std::vector<feed_output>& outs,
                       std::vector<diagnostics>& diags) {
  outs.resize(todo.size());
  diags.resize(todo.size());
  if (todo.size() > 1) prepare_rendering();
  parallel_for(todo.size(), 4, [&](std::size_t i) {
    outs[i] = build_one(cfg, *todo[i], fixed_stamp, previous[i], diags[i]);
  });
}

}  // namespace

namespace {

// Reads the config (from the cache when its file is unchanged). False when it could not be read.
bool read_config(const std::string& config_path, feed_cache::impl* cache, build_result& result) {
  result.watched_paths.push_back(config_path);
  // The config is read again only when its file changed (a 1000-course config takes a while).
  const file_stamp config_stamp = stamp_of(config_path);
  if (cache && cache->config && cache->config_stamp == config_stamp) {
    result.config = cache->config;
    result.diags.append(cache->config_diags);
  } else {
    diagnostics config_diags;
    result.config = config::read_config_file(config_path, config_diags);
    result.diags.append(config_diags);
    // A config with errors is read again next time: it may name a site folder not made yet.
    if (cache && result.config) {
      cache->config_stamp = config_stamp;
      cache->config = result.config;
      cache->config_diags = std::move(config_diags);
    }
  }
  if (!result.config) result.diags.sort();
  return result.config.has_value();
}

// The feeds to build: all, or the one named `only_feed`. Records the folders to watch.
std::vector<const feed_config*> select_feeds(const app_config& cfg,
                                             const std::optional<std::string>& only_feed,
                                             build_result& result) {
  std::vector<const feed_config*> selected;
  for (const auto& feed : cfg.feeds) {
    result.watched_paths.push_back(feed.site_path);
    result.watched_paths.push_back(feed.site_path + "/_modules");
    if (!only_feed || feed.id == *only_feed) selected.push_back(&feed);
  }
  return selected;
}

// Ends a build: an unknown --feed is an error; diagnostics sorted; no feeds when any error.
void finish_build(const std::string& config_path, const std::optional<std::string>& only_feed,
                  bool found, build_result& result) {
  if (!found) {
    std::string ids;
    for (const auto& f : result.config->feeds) ids += (ids.empty() ? "" : ", ") + f.id;
    result.diags.error({config_path, 0, 0},
                       "no feed with id '" + *only_feed + "' (feeds: " + ids + ")");
  }
  result.diags.sort();
  if (result.diags.has_errors()) result.feeds.clear();
}

}  // namespace

build_result build_feeds_each(const std::string& config_path,
                              const std::optional<std::string>& only_feed,
                              const std::function<void(feed_output&&)>& sink) {
  build_result result;
  if (!read_config(config_path, nullptr, result)) return result;
  const app_config& cfg = *result.config;
  const auto stamp = source_date_epoch(result.diags);
  const std::vector<const feed_config*> selected = select_feeds(cfg, only_feed, result);
  std::vector<diagnostics> diags(selected.size());
  if (selected.size() > 1) prepare_rendering();
  parallel_for(selected.size(), 4, [&](std::size_t i) {
    feed_output out = build_one(cfg, *selected[i], stamp, nullptr, diags[i]);
    if (!diags[i].has_errors()) sink(std::move(out));
  });
  for (const diagnostics& d : diags) result.diags.append(d);
  finish_build(config_path, only_feed, !only_feed || !selected.empty(), result);
  return result;
}

build_result build_feeds(const std::string& config_path,
                         const std::optional<std::string>& only_feed, feed_cache* cache) {
  build_result result;
  if (!read_config(config_path, cache ? cache->impl_.get() : nullptr, result)) return result;
  const app_config& cfg = *result.config;
  const auto stamp = source_date_epoch(result.diags);

  // Which feeds to build, and which an earlier build already has.
  const std::vector<const feed_config*> selected = select_feeds(cfg, only_feed, result);
  std::vector<const feed_config*> todo;
  std::vector<const feed_output*> previous;
  for (const feed_config* feed : selected) {
    if (cache && cache->impl_->fresh(*feed, stamp, cfg.server.refresh)) continue;
    todo.push_back(feed);
    const feed_output* last = nullptr;
    if (cache) {
      const auto it = cache->impl_->entries.find(feed->id);
      if (it != cache->impl_->entries.end()) last = &it->second.output;
    }
    previous.push_back(last);
  }
  std::vector<feed_output> built;
  std::vector<diagnostics> built_diags;
  build_in_parallel(cfg, todo, previous, stamp, built, built_diags);

  // Assemble in config order: fresh builds, else the cached ones.
  std::map<std::string, std::size_t> built_index;
  for (std::size_t i = 0; i < todo.size(); ++i) built_index[todo[i]->id] = i;
  std::map<std::string, feed_cache::impl::entry> next_entries;
  for (const feed_config* feed : selected) {
    const auto b = built_index.find(feed->id);
    if (b != built_index.end()) {
      feed_output& out = built[b->second];
      result.diags.append(built_diags[b->second]);
      if (cache) {
        // The bytes and page lines are shared; the events are not kept (nor copied: `= {}` would
        // keep their capacity, 9 MB over 1000 feeds).
        std::vector<calendar_event> events = std::move(out.events);
        feed_output kept = out;
        out.events = std::move(events);
        next_entries[feed->id] = {stamps_for(*feed, out), stamp, cfg.server.refresh,
                                  std::move(kept), built_diags[b->second]};
      }
      result.feeds.push_back(std::move(out));
    } else {
      const auto& e = cache->impl_->entries.at(feed->id);
      result.diags.append(e.diags);
      result.feeds.push_back(e.output);
    }
  }
  // A commit or checkout can change a feed's stamp with no input changing: watch the git files.
  std::set<std::string> git_files;
  for (const feed_output& f : result.feeds)
    git_files.insert(f.git_files.begin(), f.git_files.end());
  result.watched_paths.insert(result.watched_paths.end(), git_files.begin(), git_files.end());
  // Only a build without errors updates the cache: every feed in it then is one a snapshot was
  // made from, and a failed build leaves the last good one's entries as they were.
  if (cache && !result.diags.has_errors()) {
    // The entries reused move over (not copied: 999 of 1000 on a typical reload). Feeds no longer
    // configured are forgotten; with --feed, the others are kept.
    std::set<std::string_view> configured;
    for (const feed_config* feed : selected) configured.insert(feed->id);
    for (auto& [id, e] : cache->impl_->entries)
      if (!next_entries.count(id) && (only_feed || configured.count(id)))
        next_entries[id] = std::move(e);
    cache->impl_->entries = std::move(next_entries);
  }
  if (cache) {
    cache->impl_->reused = selected.size() - todo.size();
    cache->impl_->rendered = todo.size();
  }
  finish_build(config_path, only_feed, !only_feed || !selected.empty(), result);
  return result;
}

}  // namespace coursecal
