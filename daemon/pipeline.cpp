#include "daemon/pipeline.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>

#include <date/tz.h>

#include "config/config_reader.hpp"
#include "content/site_reader.hpp"
#include "core/render.hpp"
#include "core/resolve.hpp"

namespace coursecal {

namespace {

// The newest modification time among `paths` (seconds since the epoch; 0 when none is readable).
std::int64_t newest_mtime(const std::vector<std::string>& paths) {
  std::int64_t newest = 0;
  for (const auto& p : paths) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) newest = std::max<std::int64_t>(newest, st.st_mtim.tv_sec);
  }
  return newest;
}

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

std::string default_name(const feed_config& feed, const course_content& site) {
  if (!feed.name.empty()) return feed.name;
  if (!site.title.empty() && !site.description.empty()) return site.title + ": " + site.description;
  if (!site.title.empty()) return site.title;
  return feed.id;
}

std::string default_short_name(const feed_config& feed, const course_content& site) {
  if (!feed.short_name.empty()) return feed.short_name;
  if (!site.title.empty()) return site.title;
  return feed.id;
}

feed_output build_one(const app_config& cfg, const feed_config& feed,
                      std::optional<std::int64_t> fixed_stamp, diagnostics& diags) {
  feed_output out;
  out.id = feed.id;
  out.timezone = feed.timezone;

  const course_content site = content::read_site(feed.site_path, diags);
  out.name = default_name(feed, site);
  out.short_name = default_short_name(feed, site);
  out.inputs.push_back(cfg.path);
  out.inputs.insert(out.inputs.end(), site.input_files.begin(), site.input_files.end());

  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(feed.timezone);
  } catch (const std::exception& e) {
    diags.error(feed.loc, "feed '" + feed.id + "': unknown time zone '" + feed.timezone + "'");
    return out;
  }

  resolve_input in;
  in.feed = &feed;
  in.content = &site;
  in.zone = zone;
  in.short_name = out.short_name;
  out.events = resolve(in, diags);

  calendar_meta meta;
  meta.feed_id = feed.id;
  meta.name = out.name;
  meta.description = site.description;
  meta.timezone = feed.timezone;
  meta.refresh = cfg.server.refresh;
  meta.url = site.site_url;
  out.last_modified = fixed_stamp ? *fixed_stamp : newest_mtime(out.inputs);
  meta.stamp = date::sys_seconds{std::chrono::seconds{out.last_modified}};
  meta.range_from = feed.term.start;
  meta.range_to = feed.term.end;
  for (const auto& ev : out.events) {
    meta.range_from = std::min(meta.range_from, ev.date);
    meta.range_to = std::max(meta.range_to, ev.date);
  }
  out.ics = render_calendar(meta, out.events, *zone);
  if (out.ics.size() > 900 * 1024)
    diags.warn(feed.loc, "feed '" + feed.id + "' is " + std::to_string(out.ics.size() / 1024) +
                             " KiB; Google Calendar drops events past about 1 MB");
  return out;
}

}  // namespace

build_result build_feeds(const std::string& config_path,
                         const std::optional<std::string>& only_feed) {
  build_result result;
  result.watched_paths.push_back(config_path);
  result.config = config::read_config_file(config_path, result.diags);
  if (!result.config) {
    result.diags.sort();
    return result;
  }
  const app_config& cfg = *result.config;
  const auto stamp = source_date_epoch(result.diags);

  bool found = !only_feed.has_value();
  for (const auto& feed : cfg.feeds) {
    result.watched_paths.push_back(feed.site_path);
    result.watched_paths.push_back(feed.site_path + "/_modules");
    if (only_feed && feed.id != *only_feed) continue;
    found = true;
    result.feeds.push_back(build_one(cfg, feed, stamp, result.diags));
  }
  if (!found) {
    std::string ids;
    for (const auto& f : cfg.feeds) ids += (ids.empty() ? "" : ", ") + f.id;
    result.diags.error({config_path, 0, 0},
                       "no feed with id '" + *only_feed + "' (feeds: " + ids + ")");
  }
  result.diags.sort();
  if (result.diags.has_errors()) result.feeds.clear();
  return result;
}

}  // namespace coursecal
