// Liquid, rendered as Jekyll renders a page before kramdown sees it, in one place, so that no
// shape reader ever meets a tag: `{% comment %}` hides what it holds, `{{ site.X.Y }}` and
// `{{ page.X }}` come from _config.yml, _data/ and the front matter, `{% link path %}` and
// `{% post_url name %}` resolve against the site tree, `{% raw %}` keeps its text, simple
// `{% if %}` and `{% assign %}` are evaluated. What cannot be resolved is a warning with file:line
// and renders as nothing (a link to it is left out). Lines never move: a tag spanning lines is
// rendered on its first line and the lines it spanned are left as joined_line, so every line
// number stays right, and columns are mapped back to the source.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "content/site_reader.hpp"
#include "core/diagnostics.hpp"

namespace coursecal::content::detail {

// Stands in a link target for a `{% link %}` that cannot be resolved: the link reader leaves
// such a link out (it is never shown as text).
constexpr char unresolved_link = '\x1A';

// A line whose text moved up to the line a tag spanning lines starts on ("[x]({% link\n a.md %})"
// renders as one line): the readers skip it, and it keeps every later line number right.
constexpr char joined_line = '\x1B';

// Rendered columns back to source columns, per line.
class column_map {
 public:
  // On `line`, the rendered bytes from `out_col` on came from `src_col` on (0-based bytes);
  // `verbatim`: byte for byte (else the whole run maps to src_col).
  void add(int line, int out_col, int src_col, bool verbatim);
  // The 1-based source column of 1-based rendered column `col` on `line`.
  int source_col(int line, int col) const;
  bool empty() const { return lines_.empty(); }

 private:
  struct run {
    int out_col;
    int src_col;
    bool verbatim;
  };
  std::map<int, std::vector<run>> lines_;
};

struct rendered_page {
  std::string text;  // the same number of lines as the input
  column_map columns;
};

// Renders `body` (the page after its front matter; its first line is `first_line` of `file`).
// HTML comments are blanked too (after Liquid comments, before the rest is rendered, as Jekyll
// renders Liquid first and the browser hides comments last: a tag inside an HTML comment is
// never reported). `page` holds the front matter's scalars (page.title, ...).
rendered_page render_liquid(std::string_view body, int first_line, const std::string& file,
                            const site_info& site,
                            const std::map<std::string, std::string, std::less<>>& page,
                            diagnostics& diags);

// Renders the Liquid of one piece of text from a front-matter schedule (no comments there), for
// link targets and titles. Problems are reported at `loc`.
std::string render_liquid_inline(std::string_view text, const source_loc& loc,
                                 const site_info& site, diagnostics& diags);

}  // namespace coursecal::content::detail
