// Reads a Just the Class site (_config.yml, _data/, _schedules/weekly.md and _modules/*.md) into
// the course content model. Problems in the content are diagnostics, never exceptions: the reader
// warns with file:line and goes on.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/content_model.hpp"
#include "core/diagnostics.hpp"

namespace coursecal::content {

class site_tree;

// What a page needs from the site to resolve links and Liquid.
struct site_info {
  std::string url;       // as written in _config.yml
  std::string baseurl;   // as written in _config.yml
  std::string origin;    // url with a scheme (https:// when missing) and no trailing slash
  std::string site_url;  // origin + baseurl, single slashes, no trailing slash
  // Flattened _config.yml and _data/ scalars for {{ site.X }}: "title", "links.lec.slides",
  // "data.schedule.0.topic" -> value.
  std::map<std::string, std::string, std::less<>> variables;
  // The site's files, for {% link %} and {% post_url %}; null when there is no site folder.
  std::shared_ptr<const site_tree> tree;
};

// Builds a site_info from url and baseurl as written (variables "url" and "baseurl" are set).
site_info make_site_info(std::string url, std::string baseurl);

// Reads SITE_DIR/_config.yml, SITE_DIR/_data/ and every SITE_DIR/_modules/*.md (names starting
// with '_' or '.' are ignored) in file-name order. Never throws for bad content: problems are
// warnings "file:line:col: warning: ..."; a missing or unreadable site or _modules folder is an
// error. Numeric dates are read as day/month everywhere when any first field in the site is over
// 12; lecture numbers that run on across pages become counters of the term.
// `url_override`: the feed's `url:` ("https://cs.example.edu/cse100"), which wins over the
// site's own address; "" for the site's.
course_content read_site(const std::string& site_dir, diagnostics& diags,
                         const std::string& url_override = {});

// Reads one page from memory (front matter included). `file` is used in locations only. The page
// is its own "site" for the day/month and running-counter decisions.
content_page parse_week_page(std::string_view text, const std::string& file, const site_info& site,
                             diagnostics& diags);

// Prints the model for `coursecal check`: deterministic plain text, one line per block, entry,
// link, reading and deadline.
void print_course(std::ostream& out, const course_content& course);

}  // namespace coursecal::content
