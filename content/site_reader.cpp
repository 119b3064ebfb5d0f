#include "content/site_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "content/inline_text.hpp"
#include "content/page_parser.hpp"

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
  site_info built = make_site_info(course.url, course.baseurl);
  site.url = built.url;
  site.baseurl = built.baseurl;
  site.origin = built.origin;
  site.site_url = built.site_url;
  if (course.url.empty()) {
    diags.warn(source_loc{path, 0, 0}, "no 'url' in _config.yml: links are not absolute");
  }
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
