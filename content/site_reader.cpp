#include "content/site_reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "content/inline_text.hpp"
#include "content/page_parser.hpp"
#include "content/phrases.hpp"

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

void read_config(const std::string& path, course_content& course, site_info& site,
                 diagnostics& diags) {
  std::string text;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    diags.warn(source_loc{path, 0, 0}, "no _config.yml: links cannot be made absolute");
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
    return;
  }
  auto get = [&](const char* key) {
    auto it = site.variables.find(std::string_view(key));
    return it == site.variables.end() ? std::string() : it->second;
  };
  course.title = get("title");
  course.description = get("description");
  course.url = get("url");
  course.baseurl = get("baseurl");
  course.timezone = get("timezone");
  if (const YAML::Node tz = root["timezone"]) {
    course.timezone_loc = source_loc{path, tz.Mark().line + 1, tz.Mark().column + 1};
  } else {
    course.timezone_loc = source_loc{path, 1, 1};
  }
  site_info built = make_site_info(course.url, course.baseurl);
  site.url = built.url;
  site.baseurl = built.baseurl;
  site.origin = built.origin;
  site.site_url = built.site_url;
  if (course.url.empty()) {
    diags.warn(source_loc{path, 0, 0}, "no 'url' in _config.yml: links are not absolute");
  }
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
        if (!is_demo_room(location)) all_demo = false;
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
        r.loc = loc_of(ev);
        auto same = std::find_if(rules.begin(), rules.end(), [&](const meeting_rule& x) {
          return x.kind == r.kind && x.start == r.start && x.end == r.end &&
                 x.location == r.location;
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
  // Lectures first: the first meeting rule gives the slot meetings.
  std::stable_partition(rules.begin(), rules.end(),
                        [](const meeting_rule& r) { return r.kind == "lecture"; });
  course.weekly = std::move(rules);
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

const char* shape_name(heading_shape s) {
  switch (s) {
    case heading_shape::date:
      return "date";
    case heading_shape::slot:
      return "slot";
    case heading_shape::classes:
      return "classes";
    case heading_shape::role:
      break;
  }
  return "role";
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

content_week parse_week_page(std::string_view text, const std::string& file, const site_info& site,
                             diagnostics& diags) {
  std::vector<detail::page_result> pages;
  pages.push_back(detail::parse_page(text, file, site, diags));
  detail::apply_site_decisions(pages);
  return std::move(pages.front().week);
}

course_content read_site(const std::string& site_dir, diagnostics& diags) {
  course_content course;
  std::error_code ec;
  if (!fs::is_directory(site_dir, ec)) {
    diags.error(source_loc{site_dir, 0, 0}, "site folder not found or not a folder");
    return course;
  }
  site_info site;
  read_config((fs::path(site_dir) / "_config.yml").string(), course, site, diags);
  course.site_url = site.site_url;
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
    if (it->path().extension() != ".md") continue;
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
    pages.push_back(detail::parse_page(text, path, site, diags));
  }
  detail::apply_site_decisions(pages);
  for (auto& p : pages) course.weeks.push_back(std::move(p.week));
  std::stable_sort(course.weeks.begin(), course.weeks.end(),
                   [](const content_week& a, const content_week& b) {
                     return a.number != b.number ? a.number < b.number : a.file < b.file;
                   });
  return course;
}

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
  for (const auto& w : course.weeks) {
    out << "week " << w.number;
    if (w.number_from_file_name) out << " (from the file name)";
    out << ": " << (w.title.empty() ? "(no title)" : w.title) << " [" << format_loc(w.loc) << "]\n";
    for (const auto& h : w.headings) {
      out << "  " << shape_name(h.shape);
      if (h.date) out << " " << date_text(*h.date);
      if (h.slot) out << " " << *h.slot;
      out << ": " << h.text << " [line " << h.loc.line << "]\n";
      for (const auto& item : h.items) {
        out << "    item";
        if (!item.kind.empty()) out << " " << item.kind;
        if (!item.label.empty()) out << " [" << item.label << "]";
        if (item.no_class) out << " (no class)";
        out << ": " << (item.title.empty() ? "(no title)" : item.title) << "\n";
        for (const auto& l : item.links) {
          out << "      link: " << l.label << " "
              << (l.published ? "<" + l.url + ">" : std::string("(not published)")) << "\n";
        }
        for (const auto& r : item.readings) print_reading(out, r, "      ");
        for (const auto& d : item.deadlines) {
          out << "      deadline \"" << d.phrase << "\": " << d.what;
          if (d.end_of_week) out << " end of week " << *d.end_of_week;
          if (d.date) out << " on " << date_text(*d.date);
          if (d.time_minutes) out << " at " << time_text(*d.time_minutes);
          if (!d.date && !d.end_of_week) out << " on the heading's date";
          out << "\n";
        }
      }
      for (const auto& r : h.week_readings) print_reading(out, r, "    week ");
    }
  }
}

}  // namespace coursecal::content
