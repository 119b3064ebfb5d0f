// The files of a Jekyll site, as Liquid's `{% link %}` and `{% post_url %}` tags see them: which
// paths exist and the URL Jekyll (3.9, as GitHub Pages runs it) publishes each at. Pages and
// collection documents take their front matter `permalink`, else the collection's or the site's
// permalink style; static files keep their path. Lookups read the file system lazily and cache.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coursecal::content {

class site_tree {
 public:
  // `root`: the site folder ("" for none: every lookup fails). `permalink`: _config.yml
  // `permalink` ("" = Jekyll's default, "date"). `collections`: label -> {output, permalink}.
  struct collection {
    bool output = false;
    std::string permalink;  // "" = the default template
  };
  site_tree(std::string root, std::string permalink, std::map<std::string, collection> collections);

  // The URL path (root-relative, without the baseurl) of the site file `path` (relative to the
  // site root; a leading '/' is allowed), or nullopt with `problem` set when Jekyll would not
  // publish it (missing, in a folder Jekyll skips, a collection that is not output).
  std::optional<std::string> url_of(std::string_view path, std::string& problem) const;

  // `{% post_url 2024-01-15-welcome %}`: the post's URL path, or nullopt with `problem` set.
  std::optional<std::string> post_url(std::string_view name, std::string& problem) const;

  // Files read to answer lookups (their front matter), for reload watching.
  std::vector<std::string> files_read() const;

  const std::string& root() const { return root_; }

 private:
  struct front_matter {
    bool present = false;
    std::string permalink;
    std::string title;
    std::string categories;  // space-separated
  };
  front_matter read_front_matter(const std::string& rel) const;
  std::string page_url(const std::string& rel, const front_matter& fm) const;

  std::string root_;
  std::string permalink_;
  std::map<std::string, collection> collections_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, front_matter, std::less<>> cache_;
};

}  // namespace coursecal::content
