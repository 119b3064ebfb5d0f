#include "content/site_reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "content/inline_text.hpp"
#include "content/page_reader.hpp"
#include "content/phrases.hpp"
#include "content/site_tree.hpp"

namespace coursecal::content {
namespace {

namespace fs = std::filesystem;

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(ss).str();
  return true;
}

void flatten(const YAML::Node& node, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out, int depth) {
  if (depth > 16) return;  // deeper nesting is not used by Liquid in links
  if (node.IsScalar()) {
    if (!prefix.empty()) out[prefix] = node.Scalar();
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) continue;
      flatten(kv.second, prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar(), out,
              depth + 1);
    }
  } else if (node.IsSequence()) {
    std::size_t i = 0;
    for (const auto& v : node) flatten(v, prefix + "." + std::to_string(i++), out, depth + 1);
  }
}

// "https://github.com/OWNER/REPO": a repository page, not where GitHub Pages publishes the site.
// Returns the Pages address (origin) and the baseurl it implies, when `url` is one.
std::optional<std::pair<std::string, std::string>> pages_address(std::string_view url) {
  std::string u(url);
  for (std::string_view scheme : {"https://", "http://"})
    if (u.starts_with(scheme)) u.erase(0, scheme.size());
  if (u.starts_with("www.")) u.erase(0, 4);
  if (!u.starts_with("github.com/")) return std::nullopt;
  u.erase(0, 11);
  while (!u.empty() && u.back() == '/') u.pop_back();
  const std::size_t slash = u.find('/');
  if (slash == std::string::npos || u.find('/', slash + 1) != std::string::npos)
    return std::nullopt;
  std::string owner = u.substr(0, slash);
  std::string repo = u.substr(slash + 1);
  if (repo.ends_with(".git")) repo.resize(repo.size() - 4);
  for (auto& c : owner) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string lower_repo = repo;
  for (auto& c : lower_repo) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string origin = "https://" + owner + ".github.io";
  if (lower_repo == owner + ".github.io") return std::pair{origin, std::string()};
  return std::pair{origin, "/" + repo};
}

void read_data_files(const fs::path& dir, const std::string& prefix, course_content& course,
                     site_info& site, diagnostics& diags, int depth) {
  std::error_code ec;
  if (depth > 4 || !fs::is_directory(dir, ec)) return;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (fs::is_directory(p, ec)) {
      read_data_files(p, prefix + name + ".", course, site, diags, depth + 1);
      continue;
    }
    const std::string ext = p.extension().string();
    if (ext != ".yml" && ext != ".yaml" && ext != ".json") continue;
    std::string text;
    if (!read_file(p.string(), text)) continue;
    course.input_files.push_back(p.string());
    try {
      const YAML::Node root = YAML::Load(text);
      flatten(root, prefix + p.stem().string(), site.variables, 0);
    } catch (const YAML::Exception& e) {
      diags.warn(source_loc{p.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0,
                            e.mark.column >= 0 ? e.mark.column + 1 : 0},
                 "data file is not valid YAML (" + e.msg + "); {{ site.data." + prefix.substr(5) +
                     p.stem().string() + " }} is empty");
    }
  }
}

// The git remote "origin" of the repository the site folder is in (its .git, or a parent's),
// from the repository's config file; "" when there is none.
std::string git_origin_url(const fs::path& site_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(site_dir, ec);
  for (int up = 0; up < 8 && !dir.empty(); ++up, dir = dir.parent_path()) {
    const fs::path dot_git = dir / ".git";
    fs::path git_dir;
    if (fs::is_directory(dot_git, ec)) {
      git_dir = dot_git;
    } else if (fs::is_regular_file(dot_git, ec)) {  // a worktree or submodule: "gitdir: PATH"
      std::string text;
      if (!read_file(dot_git.string(), text) || !text.starts_with("gitdir:")) return {};
      git_dir = fs::path(std::string(detail::collapse_whitespace(text.substr(7))));
      if (git_dir.is_relative()) git_dir = dir / git_dir;
      std::string common;
      if (read_file((git_dir / "commondir").string(), common)) {
        const fs::path c(std::string(detail::collapse_whitespace(common)));
        git_dir = c.is_relative() ? git_dir / c : c;
      }
    } else {
      if (dir == dir.parent_path()) break;
      continue;
    }
    std::string config;
    if (!read_file((git_dir / "config").string(), config)) return {};
    // [remote "origin"] ... url = ...
    bool in_origin = false;
    std::size_t pos = 0;
    while (pos < config.size()) {
      std::size_t e = config.find('\n', pos);
      if (e == std::string::npos) e = config.size();
      const std::string line(detail::collapse_whitespace(config.substr(pos, e - pos)));
      pos = e + 1;
      if (line.starts_with("[")) {
        in_origin = line == "[remote \"origin\"]";
      } else if (in_origin && line.starts_with("url")) {
        const std::size_t eq = line.find('=');
        if (eq != std::string::npos)
          return std::string(detail::collapse_whitespace(line.substr(eq + 1)));
      }
    }
    return {};
  }
  return {};
}

// "git@github.com:OWNER/REPO.git", "ssh://git@github.com/OWNER/REPO" -> the https page form.
std::string github_https(std::string remote) {
  for (std::string_view prefix : {"git@github.com:", "ssh://git@github.com/", "git://github.com/"})
    if (remote.starts_with(prefix)) return "https://github.com/" + remote.substr(prefix.size());
  return remote;
}

// Where the site is published, so every link and the feed's URL are absolute: the feed's `url:`
// in the config; else _config.yml's url and baseurl (a GitHub repository page read as its Pages
// address, a CNAME file winning); else GitHub Pages' address from a CNAME file or the git remote,
// said once. With none of them, relative links are left out of the feed, said once.
void settle_address(const std::string& site_dir, const std::string& config_path,
                    const source_loc& url_loc, const std::string& url_override,
                    course_content& course, site_info& site, diagnostics& diags) {
  std::string url = course.url;
  std::string baseurl = course.baseurl;
  auto cname = [&]() {
    std::string text;
    if (!read_file((fs::path(site_dir) / "CNAME").string(), text)) return std::string();
    return std::string(detail::collapse_whitespace(text));
  };
  if (!url_override.empty()) {
    const std::size_t scheme = url_override.find("://");
    const std::size_t slash = url_override.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    url = url_override.substr(0, slash);
    baseurl = slash == std::string::npos ? std::string() : url_override.substr(slash);
  } else if (auto pages = pages_address(url)) {
    if (const std::string c = cname(); !c.empty())
      pages->first = "https://" + c, pages->second.clear();
    const std::string fixed = pages->first + (baseurl.empty() ? pages->second : std::string());
    diags.warn(url_loc, "'url' is the GitHub repository page (" + url +
                            "), not where the site is published; links use " + fixed +
                            " (GitHub Pages' address: write url: " + pages->first +
                            " in _config.yml)");
    url = pages->first;
    if (baseurl.empty()) baseurl = pages->second;
  } else if (url.empty()) {
    std::string from;
    if (const std::string c = cname(); !c.empty()) {
      url = "https://" + c;
      from = "its CNAME file";
    } else if (const std::string remote = git_origin_url(site_dir); !remote.empty()) {
      if (auto p = pages_address(github_https(remote))) {
        url = p->first;
        if (baseurl.empty()) baseurl = p->second;
        from = "the git remote " + remote;
      }
    }
    if (!from.empty()) {
      diags.warn(source_loc{config_path, 0, 0},
                 "no 'url' in _config.yml: links use " + detail::join_site_url(url, baseurl) +
                     ", GitHub Pages' address from " + from +
                     " (write url: in _config.yml, or on the feed, to say so)");
    } else {
      diags.warn(source_loc{config_path, 0, 0},
                 "no 'url' in _config.yml, no CNAME file and no GitHub remote: links into the "
                 "site cannot be made absolute and are left out of the feed (write url: in "
                 "_config.yml, or on the feed)");
    }
  }
  site_info built = make_site_info(url, baseurl);
  site.url = built.url;
  site.baseurl = built.baseurl;
  site.origin = built.origin;
  site.site_url = built.site_url;
  site.variables["url"] = built.url;
  site.variables["baseurl"] = built.baseurl;
}

void read_config(const std::string& site_dir, const std::string& url_override,
                 course_content& course, site_info& site, diagnostics& diags) {
  const std::string path = (fs::path(site_dir) / "_config.yml").string();
  std::string text;
  std::error_code ec;
  std::string permalink;
  std::map<std::string, site_tree::collection> collections;
  auto make_tree = [&] {
    site.tree = std::make_shared<const site_tree>(site_dir, permalink, collections);
  };
  if (!fs::exists(path, ec)) {
    settle_address(site_dir, path, source_loc{path, 0, 0}, url_override, course, site, diags);
    make_tree();
    return;
  }
  if (!read_file(path, text)) {
    diags.error(source_loc{path, 0, 0}, "cannot read the file");
    return;
  }
  course.input_files.push_back(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
    if (root.IsMap()) flatten(root, "", site.variables, 0);
  } catch (const YAML::Exception& e) {
    diags.warn(source_loc{path, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                          e.mark.column >= 0 ? e.mark.column + 1 : 0},
               "not valid YAML (" + e.msg + "); site settings are left empty");
    settle_address(site_dir, path, source_loc{path, 0, 0}, url_override, course, site, diags);
    make_tree();
    return;
  }
  auto get = [&](const char* key) {
    auto it = site.variables.find(std::string_view(key));
    return it == site.variables.end() ? std::string() : it->second;
  };
  auto loc_of = [&](const char* key) {
    if (root.IsMap() && root[key])
      return source_loc{path, root[key].Mark().line + 1, root[key].Mark().column + 1};
    return source_loc{path, 1, 1};
  };
  // "CS391L <br> Machine Learning": the site shows text, and so does a calendar.
  course.title = detail::plain_text(get("title"));
  course.description = detail::plain_text(get("description"));
  course.tagline = detail::plain_text(get("tagline"));
  course.url = get("url");
  course.baseurl = get("baseurl");
  course.timezone = get("timezone");
  course.timezone_loc = loc_of("timezone");
  permalink = get("permalink");
  if (root.IsMap() && root["collections"] && root["collections"].IsMap()) {
    for (const auto& kv : root["collections"]) {
      if (!kv.first.IsScalar()) continue;
      site_tree::collection c;
      if (kv.second.IsMap()) {
        if (kv.second["output"] && kv.second["output"].IsScalar())
          c.output = kv.second["output"].Scalar() == "true";
        if (kv.second["permalink"] && kv.second["permalink"].IsScalar())
          c.permalink = kv.second["permalink"].Scalar();
      }
      collections[kv.first.Scalar()] = c;
    }
  }
  settle_address(site_dir, path, loc_of("url"), url_override, course, site, diags);
  read_data_files(fs::path(site_dir) / "_data", "data.", course, site, diags, 0);
  make_tree();
}

// --- _schedules/weekly.md ---------------------------------------------------------------------

// "9:30 AM", "2 PM", "14:00", "9:30am" -> minutes since midnight.
std::optional<int> clock_minutes(std::string_view t) {
  int h = 0, m = 0;
  std::size_t i = 0, digits = 0;
  while (i < t.size() && t[i] == ' ') ++i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9' && digits < 2) {
    h = h * 10 + (t[i++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < t.size() && (t[i] == ':' || t[i] == '.')) {
    ++i;
    if (i + 2 > t.size() || t[i] < '0' || t[i] > '9' || t[i + 1] < '0' || t[i + 1] > '9')
      return std::nullopt;
    m = (t[i] - '0') * 10 + (t[i + 1] - '0');
    i += 2;
  }
  while (i < t.size() && t[i] == ' ') ++i;
  std::string rest;
  for (; i < t.size(); ++i)
    if (t[i] != '.' && t[i] != ' ')
      rest += static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
  if (rest == "am" || rest == "pm") {
    if (h < 1 || h > 12) return std::nullopt;
    if (h == 12) h = 0;
    if (rest == "pm") h += 12;
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

// Weekday of a day name in English or a few other languages, possibly followed by a date
// ("Monday", "Mon 9/4", "Lunes", "Segunda-feira", "Montag", "Lundi"); 0 = Sunday.
std::optional<unsigned> weekday_of_name(std::string_view name) {
  std::string w;
  for (char c : name) {
    if (c == ' ' || c == ',' || c == '-' || c == '(' || c == '/') break;
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static const std::pair<const char*, unsigned> names[] = {
      {"sunday", 0},     {"sun", 0},       {"monday", 1},    {"mon", 1},      {"tuesday", 2},
      {"tue", 2},        {"tues", 2},      {"wednesday", 3}, {"wed", 3},      {"thursday", 4},
      {"thu", 4},        {"thur", 4},      {"thurs", 4},     {"friday", 5},   {"fri", 5},
      {"saturday", 6},   {"sat", 6},       {"domingo", 0},   {"lunes", 1},    {"martes", 2},
      {"miércoles", 3},  {"miercoles", 3}, {"jueves", 4},    {"viernes", 5},  {"sábado", 6},
      {"sabado", 6},     {"segunda", 1},   {"terça", 2},     {"terca", 2},    {"quarta", 3},
      {"quinta", 4},     {"sexta", 5},     {"montag", 1},    {"dienstag", 2}, {"mittwoch", 3},
      {"donnerstag", 4}, {"freitag", 5},   {"samstag", 6},   {"sonntag", 0},  {"lundi", 1},
      {"mardi", 2},      {"mercredi", 3},  {"jeudi", 4},     {"vendredi", 5}, {"samedi", 6},
      {"dimanche", 0}};
  for (const auto& [n, d] : names)
    if (w == n) return d;
  return std::nullopt;
}

// The YAML between the first two '---' lines of a page ("" when there is none).
std::string front_matter_of(const std::string& text) {
  std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  if (text.compare(start, 3, "---") != 0) return {};
  std::size_t first = text.find('\n', start);
  if (first == std::string::npos) return {};
  std::size_t pos = first + 1;
  while (pos < text.size()) {
    std::size_t e = text.find('\n', pos);
    std::string_view line(text.data() + pos, (e == std::string::npos ? text.size() : e) - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line == "---" || line == "...") return text.substr(first + 1, pos - first - 1);
    if (e == std::string::npos) break;
    pos = e + 1;
  }
  return {};
}

bool is_demo_room(const std::string& location) {
  return location == "150 Wheeler" || location == "310 Soda" || location == "271 Soda";
}

void read_weekly(const std::string& path, course_content& course, diagnostics& diags) {
  std::string text;
  if (!read_file(path, text)) return;
  course.input_files.push_back(path);
  const std::string yaml = front_matter_of(text);
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    diags.warn(source_loc{path, e.mark.line >= 0 ? e.mark.line + 2 : 1,
                          e.mark.column >= 0 ? e.mark.column + 1 : 0},
               "weekly schedule is not valid YAML (" + e.msg + "); it is not used");
    return;
  }
  if (!root.IsMap() || !root["schedule"] || !root["schedule"].IsSequence()) return;
  auto loc_of = [&](const YAML::Node& n) {
    return source_loc{path, n.Mark().line >= 0 ? n.Mark().line + 2 : 1,
                      n.Mark().column >= 0 ? n.Mark().column + 1 : 0};
  };
  std::vector<meeting_rule> rules;
  bool all_demo = true;
  std::vector<source_loc> demo_rows;
  int events_seen = 0;
  for (const auto& day : root["schedule"]) {
    if (!day.IsMap()) continue;
    // Duplicate keys: yaml-cpp keeps every pair; the last name and every events list count.
    std::string day_name;
    std::vector<YAML::Node> event_lists;
    for (const auto& kv : day) {
      if (!kv.first.IsScalar()) continue;
      if (kv.first.Scalar() == "name" && kv.second.IsScalar()) day_name = kv.second.Scalar();
      if (kv.first.Scalar() == "events" && kv.second.IsSequence()) event_lists.push_back(kv.second);
    }
    if (event_lists.empty()) continue;
    const auto wd = weekday_of_name(detail::plain_text(day_name));
    if (!wd) {
      diags.warn(loc_of(day), "weekly schedule: '" + day_name +
                                  "' is not a day of the week; its events are not used");
      continue;
    }
    for (const auto& list : event_lists) {
      for (const auto& ev : list) {
        if (!ev.IsMap()) continue;
        std::string name, start, end, location;
        for (const auto& kv : ev) {
          if (!kv.first.IsScalar() || !kv.second.IsScalar()) continue;
          const std::string& k = kv.first.Scalar();
          if (k == "name") name = detail::plain_text(kv.second.Scalar());
          if (k == "start") start = kv.second.Scalar();
          if (k == "end") end = kv.second.Scalar();
          if (k == "location") location = detail::plain_text(kv.second.Scalar());
        }
        ++events_seen;
        if (!is_demo_room(location)) {
          all_demo = false;
        } else {
          demo_rows.push_back(loc_of(ev));
          continue;  // the template's demo row, left beside the real ones
        }
        const auto s = clock_minutes(start);
        const auto e = clock_minutes(end);
        if (!s || !e || *e <= *s) {
          diags.warn(loc_of(ev), "weekly schedule: event '" + name +
                                     "' has no usable start/end ('" + start + "' to '" + end +
                                     "'); it is not used");
          continue;
        }
        meeting_rule r;
        r.kind = detail::kind_of_label(name);
        if (r.kind.empty()) r.kind = "other";
        r.start = *s;
        r.end = *e;
        r.location = location;
        r.name = name;
        r.loc = loc_of(ev);
        auto same = std::find_if(rules.begin(), rules.end(), [&](const meeting_rule& x) {
          return x.kind == r.kind && x.start == r.start && x.end == r.end &&
                 x.location == r.location && x.name == r.name;
        });
        const date::weekday w{*wd};
        if (same == rules.end()) {
          r.days.push_back(w);
          rules.push_back(std::move(r));
        } else if (std::find(same->days.begin(), same->days.end(), w) == same->days.end()) {
          same->days.push_back(w);
        }
      }
    }
  }
  if (events_seen > 0 && all_demo) {
    diags.warn(source_loc{path, 1, 1},
               "weekly schedule is the template's demo (rooms 150 Wheeler, 310 Soda, 271 Soda); "
               "it is not used");
    return;
  }
  if (!demo_rows.empty())
    diags.warn(demo_rows.front(), "weekly schedule: " + std::to_string(demo_rows.size()) +
                                      " event(s) are the template's demo (rooms 150 Wheeler, "
                                      "310 Soda, 271 Soda); they are not used");
  // Lectures first: the first meeting rule gives the slot meetings.
  std::stable_partition(rules.begin(), rules.end(),
                        [](const meeting_rule& r) { return r.kind == "lecture"; });
  course.weekly = std::move(rules);
  course.weekly_loc = source_loc{path, 0, 0};
}

const char* need_name(reading_need n) {
  switch (n) {
    case reading_need::required:
      return "required";
    case reading_need::optional:
      return "optional";
    case reading_need::unspecified:
      break;
  }
  return "unspecified";
}

const char* anchor_name(anchor_type t) {
  switch (t) {
    case anchor_type::dates:
      return "dates";
    case anchor_type::slot:
      return "slot";
    case anchor_type::counter:
      return "counter";
    case anchor_type::classes:
      return "classes";
    case anchor_type::week:
      break;
  }
  return "week";
}

const char* week_source_name(week_source w) {
  switch (w) {
    case week_source::title:
      return "from the title";
    case week_source::file_name:
      return "from the file name";
    case week_source::none:
      break;
  }
  return "none";
}

std::string date_text(const content_date& d) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string s = std::to_string(d.month) + "/" + std::to_string(d.day);
  if (d.year) s += "/" + std::to_string(*d.year);
  if (d.weekday && *d.weekday >= 0 && *d.weekday <= 6)
    s += std::string(" (") + days[*d.weekday] + ")";
  return s;
}

std::string time_text(int minutes) {
  std::string s = std::to_string(minutes / 60) + ":";
  if (minutes % 60 < 10) s += "0";
  return s + std::to_string(minutes % 60);
}

void print_reading(std::ostream& out, const content_reading& r, const char* indent) {
  out << indent << "reading (" << need_name(r.need) << "): " << r.title;
  if (!r.url.empty()) out << " <" << r.url << ">";
  out << "\n";
}

}  // namespace

site_info make_site_info(std::string url, std::string baseurl) {
  site_info s;
  s.origin = detail::normalise_origin(url);
  s.site_url = detail::join_site_url(url, baseurl);
  s.variables["url"] = url;
  s.variables["baseurl"] = baseurl;
  s.url = std::move(url);
  s.baseurl = std::move(baseurl);
  return s;
}

content_page parse_week_page(std::string_view text, const std::string& file, const site_info& site,
                             diagnostics& diags) {
  std::vector<detail::page_result> pages;
  pages.push_back(detail::read_page(text, file, site, diags));
  detail::apply_site_decisions(pages);
  return std::move(pages.front().page);
}

course_content read_site(const std::string& site_dir, diagnostics& diags,
                         const std::string& url_override) {
  course_content course;
  std::error_code ec;
  if (!fs::is_directory(site_dir, ec)) {
    diags.error(source_loc{site_dir, 0, 0}, "site folder not found or not a folder");
    return course;
  }
  site_info site;
  read_config(site_dir, url_override, course, site, diags);
  // Only an absolute address: a relative URL is not valid in a feed and no calendar can open it.
  if (!site.origin.empty()) course.site_url = site.site_url;
  const fs::path weekly = fs::path(site_dir) / "_schedules" / "weekly.md";
  if (fs::is_regular_file(weekly, ec)) read_weekly(weekly.string(), course, diags);

  const fs::path modules = fs::path(site_dir) / "_modules";
  if (!fs::is_directory(modules, ec)) {
    diags.error(source_loc{modules.string(), 0, 0}, "no _modules folder: no week pages to read");
    return course;
  }
  std::vector<std::string> names;
  fs::directory_iterator it(modules, ec);
  if (ec) {
    diags.error(source_loc{modules.string(), 0, 0}, "cannot read the folder: " + ec.message());
    return course;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      diags.error(source_loc{modules.string(), 0, 0}, "cannot read the folder: " + ec.message());
      break;
    }
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '_' || name[0] == '.') continue;  // drafts Jekyll ignores
    if (it->path().extension() != ".md" && it->path().extension() != ".markdown") continue;
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<detail::page_result> pages;
  for (const auto& name : names) {
    const std::string path = (modules / name).string();
    std::string text;
    if (!read_file(path, text)) {
      diags.error(source_loc{path, 0, 0}, "cannot read the file");
      continue;
    }
    course.input_files.push_back(path);
    detail::page_result page = detail::read_page(text, path, site, diags);
    if (!page.left_out) pages.push_back(std::move(page));
  }
  detail::apply_site_decisions(pages);
  for (auto& p : pages) course.pages.push_back(std::move(p.page));
  if (site.tree)
    for (auto& f : site.tree->files_read()) course.input_files.push_back(f);
  return course;
}

namespace {

std::string clock_text(int minutes) { return time_text(minutes); }

void print_entry(std::ostream& out, const content_entry& e) {
  out << "    entry";
  if (!e.kind.empty()) out << " " << e.kind;
  if (!e.label.empty()) out << " [" << e.label << "]";
  for (const auto& t : e.tags) out << " #" << t;
  if (e.labelled_class) out << " (class)";
  if (e.no_class) out << " (no class)";
  if (e.release) out << " (release)";
  out << ": " << (e.title.empty() ? "(no title)" : e.title);
  if (!e.starts.empty()) {
    out << " at";
    for (std::size_t i = 0; i < e.starts.size(); ++i)
      out << (i ? ", " : " ") << clock_text(e.starts[i]);
    if (e.end) out << "-" << clock_text(*e.end);
  }
  if (!e.location.empty()) out << " in " << e.location;
  for (const auto& d : e.own_dates) out << " on " << date_text(d);
  out << "\n";
  for (const auto& l : e.links) {
    out << "      link: " << l.label << " "
        << (l.published ? "<" + l.url + ">" : std::string("(not published)")) << "\n";
  }
  for (const auto& r : e.readings) print_reading(out, r, "      ");
  for (const auto& n : e.notes) out << "      note: " << n << "\n";
  for (const auto& d : e.deadlines) {
    out << "      deadline \"" << d.phrase << "\": " << d.what;
    if (d.end_of_week) out << " end of week " << *d.end_of_week;
    if (d.date) out << " on " << date_text(*d.date);
    if (d.time_minutes) out << " at " << time_text(*d.time_minutes);
    if (!d.date && !d.end_of_week) out << " on the entry's day";
    out << "\n";
  }
}

void print_anchor(std::ostream& out, const content_anchor& a) {
  out << anchor_name(a.type);
  for (std::size_t i = 0; i < a.dates.size(); ++i)
    out << (i == 0 ? " " : a.range ? " to " : ", ") << date_text(a.dates[i]);
  if (a.type == anchor_type::slot || a.type == anchor_type::counter) out << " " << a.number;
  if (!a.role.empty()) out << " (" << a.role << ")";
  if (!a.starts.empty()) out << " at " << clock_text(a.starts.front());
  out << ": " << a.text;
}

}  // namespace

void print_course(std::ostream& out, const course_content& course) {
  out << "site: " << course.title;
  if (!course.description.empty()) out << " - " << course.description;
  out << "\n";
  out << "url: " << (course.site_url.empty() ? "(none)" : course.site_url) << "\n";
  for (const auto& r : course.weekly) {
    static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    out << "weekly " << r.kind << ":";
    for (const auto& d : r.days) out << " " << names[d.c_encoding()];
    out << " " << time_text(r.start) << "-" << time_text(r.end);
    if (!r.location.empty()) out << " at " << r.location;
    out << " [" << format_loc(r.loc) << "]\n";
  }
  for (const auto& p : course.pages) {
    out << "page " << p.file << ": ";
    if (p.week_from == week_source::none)
      out << "no week";
    else
      out << "week " << p.week << " (" << week_source_name(p.week_from) << ")";
    out << ", " << (p.title.empty() ? "(no title)" : p.title);
    if (p.anchor) {
      out << ", on ";
      print_anchor(out, *p.anchor);
    }
    if (p.estimated_dates) out << " (lecture numbers: dates estimated)";
    out << " [" << format_loc(p.loc) << "]\n";
    for (const auto& b : p.blocks) {
      out << "  ";
      if (b.from_page) out << "(the page's day) ";
      print_anchor(out, b.anchor);
      out << " [line " << b.anchor.loc.line << "]\n";
      for (const auto& e : b.entries) print_entry(out, e);
      for (const auto& r : b.readings) print_reading(out, r, "    readings ");
    }
  }
}

}  // namespace coursecal::content
