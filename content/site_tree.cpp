#include "content/site_tree.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace coursecal::content {
namespace {

namespace fs = std::filesystem;

bool is_page_extension(std::string_view ext) {
  return ext == ".md" || ext == ".markdown" || ext == ".html" || ext == ".htm" || ext == ".mkd" ||
         ext == ".mkdn";
}

// Jekyll's URL placeholders filled into a template; "/"-runs collapsed, as Jekyll::URL does.
std::string fill(std::string_view tmpl, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == ':') {
      std::size_t j = i + 1;
      while (j < tmpl.size() && ((tmpl[j] >= 'a' && tmpl[j] <= 'z') || tmpl[j] == '_')) ++j;
      const std::string key(tmpl.substr(i + 1, j - i - 1));
      if (auto it = values.find(key); it != values.end()) {
        out += it->second;
        i = j;
        continue;
      }
    }
    out += tmpl[i++];
  }
  std::string clean;
  for (char c : out)
    if (!(c == '/' && !clean.empty() && clean.back() == '/')) clean += c;
  if (clean.empty() || clean.front() != '/') clean.insert(clean.begin(), '/');
  return clean;
}

// Jekyll's built-in permalink styles.
std::string style_template(std::string_view style, bool post) {
  if (style == "pretty")
    return post ? "/:categories/:year/:month/:day/:title/" : "/:path/:basename/";
  if (style == "ordinal") return post ? "/:categories/:year/:y_day/:title:output_ext" : "";
  if (style == "none") return post ? "/:categories/:title:output_ext" : "";
  if (style.empty() || style == "date")
    return post ? "/:categories/:year/:month/:day/:title:output_ext" : "";
  return std::string(style);  // a template of its own
}

bool pretty_style(std::string_view style) { return style == "pretty" || style.ends_with("/"); }

std::string strip_extension(const std::string& p) {
  const auto slash = p.rfind('/');
  const auto dot = p.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return p;
  return p.substr(0, dot);
}

}  // namespace

site_tree::site_tree(std::string root, std::string permalink,
                     std::map<std::string, collection> collections)
    : root_(std::move(root)),
      permalink_(std::move(permalink)),
      collections_(std::move(collections)) {
  // Posts are a collection Jekyll always has.
  collections_.try_emplace("posts", collection{true, ""});
}

site_tree::front_matter site_tree::read_front_matter(const std::string& rel) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(rel); it != cache_.end()) return it->second;
  }
  front_matter fm;
  std::ifstream in(fs::path(root_) / rel, std::ios::binary);
  std::string first;
  if (in && std::getline(in, first)) {
    if (!first.empty() && first.back() == '\r') first.pop_back();
    if (first.starts_with("\xEF\xBB\xBF")) first.erase(0, 3);
    if (first == "---") {
      std::ostringstream yaml;
      std::string line;
      int lines = 0;
      while (std::getline(in, line) && ++lines < 2000) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line == "---" || line == "...") {
          fm.present = true;
          break;
        }
        yaml << line << '\n';
      }
      if (fm.present) {
        try {
          const YAML::Node root = YAML::Load(yaml.str());
          if (root.IsMap()) {
            if (root["permalink"] && root["permalink"].IsScalar())
              fm.permalink = root["permalink"].Scalar();
            if (root["title"] && root["title"].IsScalar()) fm.title = root["title"].Scalar();
            for (const char* key : {"categories", "category"}) {
              const YAML::Node c = root[key];
              if (!c) continue;
              if (c.IsScalar()) fm.categories = c.Scalar();
              if (c.IsSequence())
                for (const auto& v : c)
                  if (v.IsScalar())
                    fm.categories += (fm.categories.empty() ? "" : " ") + v.Scalar();
            }
          }
        } catch (const YAML::Exception&) {
          // Jekyll fails such a page; its URL still follows the defaults.
        }
      }
    }
  }
  std::lock_guard lock(mutex_);
  cache_.emplace(rel, fm);
  return fm;
}

std::string site_tree::page_url(const std::string& rel, const front_matter& fm) const {
  if (!fm.permalink.empty()) return fill(fm.permalink, {});
  const std::string no_ext = strip_extension(rel);
  const auto slash = no_ext.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : no_ext.substr(0, slash);
  const std::string base = slash == std::string::npos ? no_ext : no_ext.substr(slash + 1);
  if (base == "index") return fill("/" + dir + "/", {});
  if (pretty_style(permalink_)) return fill("/" + dir + "/" + base + "/", {});
  return fill("/" + dir + "/" + base + ".html", {});
}

std::optional<std::string> site_tree::url_of(std::string_view path_in, std::string& problem) const {
  std::string rel(path_in);
  while (!rel.empty() && (rel.front() == '/' || rel.front() == ' ')) rel.erase(0, 1);
  while (!rel.empty() && rel.back() == ' ') rel.pop_back();
  if (rel.size() >= 2 && (rel.front() == '"' || rel.front() == '\'') && rel.back() == rel.front())
    rel = rel.substr(1, rel.size() - 2);
  if (root_.empty()) {
    problem = "the site folder is not known";
    return std::nullopt;
  }
  if (rel.empty() || rel.find("..") != std::string::npos) {
    problem = "'" + rel + "' is not a path inside the site";
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path full = fs::path(root_) / rel;
  if (!fs::is_regular_file(full, ec)) {
    problem = "'" + rel + "' does not exist in the site";
    return std::nullopt;
  }
  const std::string first = rel.substr(0, rel.find('/'));
  const std::string ext = fs::path(rel).extension().string();
  const bool in_underscore = first.size() > 1 && first[0] == '_';
  if (in_underscore && rel.find('/') != std::string::npos) {
    const std::string label = first.substr(1);
    auto c = collections_.find(label);
    if (c == collections_.end()) {
      problem = "'" + rel + "' is in " + first + "/, which Jekyll does not publish";
      return std::nullopt;
    }
    if (!c->second.output) {
      problem = "'" + rel + "' is in the collection '" + label +
                "', which is not published ('output: true' is not set in _config.yml)";
      return std::nullopt;
    }
    const std::string inner = rel.substr(first.size());  // "/01-alloy-intro/alloy-intro.md"
    std::string tmpl = c->second.permalink;
    if (tmpl.empty())
      tmpl = pretty_style(permalink_) ? "/:collection/:path/" : "/:collection/:path:output_ext";
    const std::string no_ext = strip_extension(inner);
    const std::string name = no_ext.substr(no_ext.rfind('/') + 1);
    const front_matter fm = is_page_extension(ext) ? read_front_matter(rel) : front_matter{};
    if (fm.present) {
      if (!fm.permalink.empty()) return fill(fm.permalink, {});
      return fill(tmpl, {{"collection", label},
                         {"path", no_ext},
                         {"name", name},
                         {"basename", name},
                         {"title", name},
                         {"slug", name},
                         {"output_ext", ".html"}});
    }
    // A static file of the collection: the template with no extension, then its own.
    std::string url = fill(tmpl, {{"collection", label},
                                  {"path", no_ext},
                                  {"name", name},
                                  {"basename", name},
                                  {"title", ""},
                                  {"output_ext", ""}});
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    return url + ext;
  }
  if (first.starts_with("_") || first.starts_with(".")) {
    problem = "'" + rel + "' is a file Jekyll does not publish (names starting with '_' or '.')";
    return std::nullopt;
  }
  if (is_page_extension(ext)) {
    const front_matter fm = read_front_matter(rel);
    if (fm.present) return page_url(rel, fm);
  }
  return "/" + rel;  // a static file
}

std::optional<std::string> site_tree::post_url(std::string_view name_in,
                                               std::string& problem) const {
  std::string name(name_in);
  while (!name.empty() && (name.front() == ' ' || name.front() == '/')) name.erase(0, 1);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::error_code ec;
  const fs::path posts = fs::path(root_) / "_posts";
  if (root_.empty() || !fs::is_directory(posts, ec)) {
    problem = "the site has no _posts folder for post '" + name + "'";
    return std::nullopt;
  }
  // "2024-01-15-welcome" or "category/2024-01-15-welcome": any extension.
  const fs::path want = posts / name;
  const fs::path dir = want.parent_path();
  const std::string stem = want.filename().string();
  std::string found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().stem().string() == stem && is_page_extension(it->path().extension().string())) {
      found = fs::relative(it->path(), root_, ec).string();
      break;
    }
  }
  if (found.empty()) {
    problem = "no post '" + name + "' in _posts";
    return std::nullopt;
  }
  if (stem.size() < 11 || stem[4] != '-' || stem[7] != '-' || stem[10] != '-') {
    problem = "post '" + name + "' is not named YYYY-MM-DD-title";
    return std::nullopt;
  }
  const front_matter fm = read_front_matter(found);
  if (!fm.permalink.empty()) return fill(fm.permalink, {});
  std::string categories = fm.categories;
  std::replace(categories.begin(), categories.end(), ' ', '/');
  std::string tmpl = style_template(permalink_, true);
  return fill(tmpl, {{"categories", categories},
                     {"year", stem.substr(0, 4)},
                     {"month", stem.substr(5, 2)},
                     {"day", stem.substr(8, 2)},
                     {"title", stem.substr(11)},
                     {"slug", stem.substr(11)},
                     {"output_ext", ".html"}});
}

std::vector<std::string> site_tree::files_read() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [rel, fm] : cache_) out.push_back((fs::path(root_) / rel).string());
  return out;
}

}  // namespace coursecal::content
