// Reads a Just the Class site (_config.yml and _modules/*.md) into the course content model.
// Problems in the content are diagnostics, never exceptions: the reader warns and goes on.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>

#include "core/content_model.hpp"
#include "core/diagnostics.hpp"

namespace coursecal::content {

// What a page needs from _config.yml to resolve links and Liquid.
struct site_info {
  std::string url;       // as written in _config.yml
  std::string baseurl;   // as written in _config.yml
  std::string origin;    // url with a scheme (https:// when missing) and no trailing slash
  std::string site_url;  // origin + baseurl, single slashes, no trailing slash
  // Flattened _config.yml scalars for {{ site.X }}: "title", "links.lec.slides" -> value.
  std::map<std::string, std::string, std::less<>> variables;
};

// Builds a site_info from url and baseurl as written (variables "url" and "baseurl" are set).
site_info make_site_info(std::string url, std::string baseurl);

// Reads SITE_DIR/_config.yml and every SITE_DIR/_modules/*.md (names starting with '_' or '.'
// are ignored) in file-name order. Never throws for bad content: problems are warnings
// "file:line:col: warning: ..."; a missing or unreadable site or _modules folder is an error.
// Numeric dates are read as day/month everywhere when any first field in the site is over 12;
// slot numbers that run on across pages are turned into per-week slots 1..n.
course_content read_site(const std::string& site_dir, diagnostics& diags);

// Parses one week page from memory (front matter included). `file` is used in locations only.
// The page is its own "site" for the day/month and running-counter decisions.
content_week parse_week_page(std::string_view text, const std::string& file, const site_info& site,
                             diagnostics& diags);

// Prints the model for `coursecal check`: deterministic plain text, one line per heading, item,
// link, reading and deadline.
void print_course(std::ostream& out, const course_content& course);

}  // namespace coursecal::content
