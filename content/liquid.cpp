#include "content/liquid.hpp"

#include <algorithm>
#include <optional>

#include "content/inline_text.hpp"
#include "content/site_tree.hpp"

namespace coursecal::content::detail {

void column_map::add(int line, int out_col, int src_col, bool verbatim) {
  lines_[line].push_back({out_col, src_col, verbatim});
}

int column_map::source_col(int line, int col) const {
  if (col <= 0) return col;
  const auto it = lines_.find(line);
  if (it == lines_.end()) return col;
  const int out = col - 1;
  const run* best = nullptr;
  for (const run& r : it->second)
    if (r.out_col <= out) best = &r;
  if (!best) return col;
  return (best->verbatim ? best->src_col + (out - best->out_col) : best->src_col) + 1;
}

namespace {

constexpr std::size_t npos = std::string_view::npos;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r' || s.front() == '-'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' ||
                        s.back() == '\r' || s.back() == '-'))
    s.remove_suffix(1);
  return s;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Variables Jekyll always defines, which a site need not set (an empty value is normal).
bool optional_site_variable(std::string_view name) {
  return name == "baseurl" || name == "url" || name == "github" || name == "time" ||
         name.starts_with("data.") || name == "description" || name == "title";
}

// A Liquid value: nil (undefined) or a string.
using liquid_value = std::optional<std::string>;

class renderer {
 public:
  renderer(const std::string& file, const site_info& site,
           const std::map<std::string, std::string, std::less<>>& page, diagnostics& diags)
      : file_(file), site_(site), page_(page), diags_(diags) {
    base_path_ = site_.site_url.substr(std::min(site_.origin.size(), site_.site_url.size()));
  }

  // Blanks {% comment %} ... {% endcomment %} (keeping newlines) so HTML comments can be found.
  void blank_comments(std::string& text, int first_line) {
    std::size_t i = 0;
    while ((i = text.find("{%", i)) != npos) {
      const std::size_t close = text.find("%}", i + 2);
      if (close == npos) return;
      const std::string name = tag_name(std::string_view(text).substr(i + 2, close - i - 2));
      if (name == "raw") {
        const std::size_t end = find_tag(text, close + 2, "endraw");
        i = end == npos ? text.size() : end;
        continue;
      }
      if (name != "comment") {
        i = close + 2;
        continue;
      }
      std::size_t end = find_tag(text, close + 2, "endcomment");
      std::size_t stop = npos;
      if (end == npos) {
        warn_at(text, i, first_line,
                "'{% comment %}' is not closed by '{% endcomment %}': the rest of the page is "
                "hidden, as Jekyll hides it");
        stop = text.size();
      } else {
        stop = text.find("%}", end) + 2;
      }
      for (std::size_t k = i; k < stop; ++k)
        if (text[k] != '\n') text[k] = ' ';
      i = stop;
    }
  }

  rendered_page render(std::string_view text, int first_line) {
    rendered_page r;
    std::string& out = r.text;
    out.reserve(text.size());
    int line = first_line;
    int out_col = 0;  // bytes of the current output line
    int src_col = 0;
    bool mapped = false;  // the current line has a run recorded
    int deferred = 0;     // source lines a tag spanned on the current output line
    auto emit_verbatim = [&](std::string_view piece) {
      for (char c : piece) {
        out += c;
        if (c == '\n') {
          ++line;
          out_col = src_col = 0;
          mapped = false;
          for (; deferred > 0; --deferred, ++line) {
            out += joined_line;
            out += '\n';
          }
        } else {
          ++out_col;
          ++src_col;
        }
      }
    };
    // A replacement for source bytes `src`: its text, then the newlines the source had.
    // `join`: a tag written over several lines ("[x]({% link\n  a.md %})") renders on the line
    // it starts on, with the rest of its last line; the lines it spanned follow as joined_line.
    auto emit_replacement = [&](std::string_view src, const std::string& text_out,
                                bool join = false) {
      if (!mapped && out_col > 0) r.columns.add(line, 0, 0, true);
      r.columns.add(line, out_col, src_col, false);
      mapped = true;
      if (frames_active()) {
        out += text_out;
        out_col += static_cast<int>(text_out.size());
      }
      std::size_t last_nl = npos;
      for (std::size_t k = 0; k < src.size(); ++k) {
        if (src[k] != '\n') continue;
        last_nl = k;
        if (join) {
          ++deferred;
          continue;
        }
        out += '\n';
        ++line;
        out_col = 0;
        mapped = false;
      }
      src_col = last_nl == npos ? src_col + static_cast<int>(src.size())
                                : static_cast<int>(src.size() - last_nl - 1);
      // The text after the replacement continues byte for byte from here.
      r.columns.add(line, out_col, src_col, true);
      mapped = true;
    };
    std::size_t i = 0;
    std::size_t next_tag = text.find("{%");
    std::size_t next_out = text.find("{{");
    while (i < text.size()) {
      // Each search starts again only once passed: a page of many tags stays linear.
      if (next_tag != npos && next_tag < i) next_tag = text.find("{%", i);
      if (next_out != npos && next_out < i) next_out = text.find("{{", i);
      const std::size_t at = std::min(next_tag, next_out);
      if (at == npos) {
        emit_text(text.substr(i), emit_verbatim);
        break;
      }
      emit_text(text.substr(i, at - i), emit_verbatim);
      if (at == next_out) {
        const std::size_t close = text.find("}}", at + 2);
        if (close == npos) {
          warn_at_line(line, src_col, "'{{' is not closed by '}}'; the text is read as written");
          emit_text(text.substr(at), emit_verbatim);
          break;
        }
        const std::string_view expr = text.substr(at + 2, close - at - 2);
        const std::string value = output(expr, line, src_col, std::string_view(out));
        emit_replacement(text.substr(at, close + 2 - at), value, true);
        i = close + 2;
        continue;
      }
      const std::size_t close = text.find("%}", at + 2);
      if (close == npos) {
        warn_at_line(line, src_col, "'{%' is not closed by '%}'; the text is read as written");
        emit_text(text.substr(at), emit_verbatim);
        break;
      }
      const std::string_view inside = text.substr(at + 2, close - at - 2);
      const std::string name = tag_name(inside);
      const std::string_view args = tag_args(inside);
      if (name == "raw") {
        const std::size_t end = find_tag(text, close + 2, "endraw");
        emit_replacement(text.substr(at, close + 2 - at), "");
        if (end == npos) {
          emit_verbatim(text.substr(close + 2));
          break;
        }
        emit_verbatim(text.substr(close + 2, end - close - 2));
        const std::size_t end_close = text.find("%}", end) + 2;
        emit_replacement(text.substr(end, end_close - end), "");
        i = end_close;
        continue;
      }
      if (name == "highlight") {
        // Code is not a schedule: its lines are kept blank.
        const std::size_t end = find_tag(text, close + 2, "endhighlight");
        const std::size_t stop = end == npos ? text.size() : text.find("%}", end) + 2;
        emit_replacement(text.substr(at, stop - at), "");
        i = stop;
        continue;
      }
      if (name == "capture") {
        const std::size_t end = find_tag(text, close + 2, "endcapture");
        const std::size_t stop = end == npos ? text.size() : text.find("%}", end) + 2;
        const std::string var(trim_spaces(args));
        if (end != npos) {
          renderer inner(file_, site_, page_, diags_);
          inner.vars_ = vars_;
          const std::string captured =
              inner.render(text.substr(close + 2, end - close - 2), line).text;
          if (frames_active() && !var.empty()) vars_[var] = std::string(trim_spaces(captured));
        }
        emit_replacement(text.substr(at, stop - at), "");
        i = stop;
        continue;
      }
      std::string replacement = tag(name, args, line, src_col, std::string_view(out));
      emit_replacement(text.substr(at, close + 2 - at), replacement, true);
      i = close + 2;
    }
    if (!frames_.empty())
      warn_at_line(frames_.back().line, frames_.back().col,
                   "'{% " + frames_.back().name + " %}' is not closed");
    return r;
  }

  std::map<std::string, std::string, std::less<>> vars_;

 private:
  struct frame {
    std::string name;       // if, unless, for, case
    bool evaluated = true;  // false: the condition could not be evaluated, every branch is read
    bool parent_active = true;
    bool active = true;  // this branch is rendered
    bool taken = false;  // some branch was already rendered
    int line = 0;
    int col = 0;
  };

  bool frames_active() const { return frames_.empty() || frames_.back().active; }

  template <class F>
  void emit_text(std::string_view piece, F& emit_verbatim) {
    if (frames_active()) {
      emit_verbatim(piece);
      return;
    }
    // An inactive branch: its lines stay, blank.
    std::string blank;
    for (char c : piece) blank += c == '\n' ? '\n' : ' ';
    emit_verbatim(blank);
  }

  static std::string tag_name(std::string_view inside) {
    std::string_view t = trim(inside);
    std::size_t e = 0;
    while (e < t.size() && t[e] != ' ' && t[e] != '\t' && t[e] != '\n' && t[e] != '\r') ++e;
    return std::string(t.substr(0, e));
  }
  static std::string_view tag_args(std::string_view inside) {
    std::string_view t = trim(inside);
    std::size_t e = 0;
    while (e < t.size() && t[e] != ' ' && t[e] != '\t' && t[e] != '\n' && t[e] != '\r') ++e;
    return trim_spaces(t.substr(e));
  }

  // The position of the next "{% NAME %}" from `from` (its "{%"), npos when none.
  static std::size_t find_tag(std::string_view text, std::size_t from, std::string_view name) {
    std::size_t i = from;
    while ((i = text.find("{%", i)) != npos) {
      const std::size_t close = text.find("%}", i + 2);
      if (close == npos) return npos;
      if (tag_name(text.substr(i + 2, close - i - 2)) == name) return i;
      i = close + 2;
    }
    return npos;
  }

  void warn_at(std::string_view text, std::size_t pos, int first_line, const std::string& msg) {
    int line = first_line;
    std::size_t line_start = 0;
    for (std::size_t k = 0; k < pos && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
    diags_.warn(source_loc{file_, line, static_cast<int>(pos - line_start) + 1}, msg);
  }
  void warn_at_line(int line, int col, const std::string& msg) {
    diags_.warn(source_loc{file_, line, col + 1}, msg);
  }

  // --- values --------------------------------------------------------------------------------

  liquid_value lookup(std::string_view path) const {
    std::string p(trim_spaces(path));
    // x["key"] and x[0] become x.key and x.0.
    std::string norm;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '[') {
        std::size_t e = p.find(']', i);
        if (e == std::string::npos) return std::nullopt;
        std::string key = p.substr(i + 1, e - i - 1);
        if (key.size() >= 2 && (key.front() == '"' || key.front() == '\''))
          key = key.substr(1, key.size() - 2);
        norm += "." + key;
        i = e;
      } else {
        norm += p[i];
      }
    }
    if (norm.starts_with("site.")) {
      const std::string_view key = std::string_view(norm).substr(5);
      if (auto it = site_.variables.find(key); it != site_.variables.end()) return it->second;
      return std::nullopt;
    }
    if (norm.starts_with("page.")) {
      const std::string_view key = std::string_view(norm).substr(5);
      if (auto it = page_.find(key); it != page_.end()) return it->second;
      return std::nullopt;
    }
    if (auto it = vars_.find(norm); it != vars_.end()) return it->second;
    return std::nullopt;
  }

  // A literal or a variable.
  liquid_value operand(std::string_view t, bool& known) const {
    t = trim_spaces(t);
    known = true;
    if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front())
      return std::string(t.substr(1, t.size() - 2));
    if (!t.empty() && ((t.front() >= '0' && t.front() <= '9') || t.front() == '-'))
      return std::string(t);
    if (t == "true" || t == "false") return std::string(t);
    if (t == "nil" || t == "null" || t == "empty" || t == "blank") return std::nullopt;
    const bool variable =
        t.starts_with("site.") || t.starts_with("page.") || vars_.count(std::string(t)) ||
        (!t.empty() && ((t.front() >= 'a' && t.front() <= 'z') || t.front() == '_'));
    known = variable;
    return lookup(t);
  }

  // Splits at `sep` outside quotes.
  static std::vector<std::string_view> split_outside_quotes(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    char quote = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == sep) {
        parts.push_back(s.substr(start, i - start));
        start = i + 1;
      }
    }
    parts.push_back(s.substr(start));
    return parts;
  }

  std::string join_url(std::string_view base, std::string value) const {
    if (value.find("://") != std::string::npos || value.starts_with("//")) return value;
    if (!value.starts_with("/")) value = "/" + value;
    std::string b(base);
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b + value;
  }

  std::string output(std::string_view expr, int line, int col, std::string_view rendered) {
    const auto parts = split_outside_quotes(expr, '|');
    bool known = true;
    const std::string_view head = trim_spaces(parts[0]);
    liquid_value v = operand(head, known);
    if (!v && known && head.starts_with("site.") && !optional_site_variable(head.substr(5)))
      warn_at_line(line, col,
                   "'{{ " + std::string(head) +
                       " }}' is not set in _config.yml or _data/; it renders empty, as in Jekyll");
    if (!known)
      warn_at_line(line, col,
                   "'{{ " + std::string(head) +
                       " }}' cannot be resolved (only site.*, page.* and assigned "
                       "variables can); it renders empty");
    std::string s = v.value_or("");
    for (std::size_t k = 1; k < parts.size(); ++k) {
      const std::string_view f = trim_spaces(parts[k]);
      const std::size_t colon = f.find(':');
      const std::string name(trim_spaces(f.substr(0, colon)));
      std::vector<std::string> args;
      if (colon != npos) {
        for (auto a : split_outside_quotes(f.substr(colon + 1), ',')) {
          bool ak = true;
          args.push_back(operand(a, ak).value_or(""));
        }
      }
      const auto arg = [&](std::size_t n) { return n < args.size() ? args[n] : std::string(); };
      if (name == "relative_url") {
        if (!s.empty() || true) s = join_url(base_path_, s);
      } else if (name == "absolute_url") {
        s = join_url(site_.site_url, s);
      } else if (name == "prepend") {
        s = arg(0) + s;
      } else if (name == "append") {
        s += arg(0);
      } else if (name == "default") {
        if (!v || s.empty() || s == "false") s = arg(0);
      } else if (name == "downcase" || name == "upcase") {
        for (auto& c : s)
          c = name == "downcase" ? static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c)
                                 : static_cast<char>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
      } else if (name == "capitalize") {
        if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
      } else if (name == "strip" || name == "lstrip" || name == "rstrip" || name == "strip_html" ||
                 name == "markdownify" || name == "escape" || name == "xml_escape" ||
                 name == "smartify" || name == "strip_newlines" || name == "normalize_whitespace") {
        s = std::string(trim_spaces(s));  // the text stays; markup is the inline reader's job
      } else if (name == "remove") {
        for (std::size_t at; !arg(0).empty() && (at = s.find(arg(0))) != std::string::npos;)
          s.erase(at, arg(0).size());
      } else if (name == "replace") {
        std::string outs;
        for (std::size_t pos = 0; pos < s.size();) {
          if (!arg(0).empty() && s.compare(pos, arg(0).size(), arg(0)) == 0) {
            outs += arg(1);
            pos += arg(0).size();
          } else {
            outs += s[pos++];
          }
        }
        s = outs;
      } else {
        warn_at_line(line, col,
                     "Liquid filter '" + name + "' is not applied; the value is used as it is");
      }
    }
    (void)rendered;
    return s;
  }

  // --- tags ----------------------------------------------------------------------------------

  // Whether the URL being written before this point already carries the baseurl: the text since
  // the last '(' '"' or space on the line.
  std::string url_prefix(std::string_view rendered) const {
    std::size_t start = rendered.size();
    while (start > 0) {
      const char c = rendered[start - 1];
      if (c == '(' || c == '"' || c == '\'' || c == ' ' || c == '\n' || c == '<' || c == '[') break;
      --start;
    }
    return std::string(rendered.substr(start));
  }

  // A site path from {% link %} or {% post_url %}, joined to what precedes it so the baseurl is
  // there exactly once ("{{ site.baseurl }}{% link x %}" as GitHub Pages' Jekyll 3 wants it, and a
  // bare "{% link x %}" as Jekyll 4 writes it) and no slash is doubled.
  std::string site_path(const std::string& path, std::string_view rendered) const {
    const std::string prefix = url_prefix(rendered);
    std::string base = base_path_;
    if (prefix.empty() || prefix == site_.origin) {
      std::string joined = base + path;
      return joined;
    }
    if (!prefix.empty() && prefix.back() == '/' && path.starts_with("/")) return path.substr(1);
    return path;
  }

  bool truthy(const liquid_value& v) const { return v.has_value() && *v != "false"; }

  // Evaluates "a", "a == 'x'", "a != b", "a contains 'x'", joined by and/or; nullopt when the
  // condition uses what this renderer does not know.
  std::optional<bool> condition(std::string_view c) const {
    c = trim_spaces(c);
    // "or" binds looser than "and" in Liquid (evaluated right to left; equivalent here).
    for (std::string_view op : {" or ", " and "}) {
      if (const std::size_t at = c.find(op); at != npos) {
        auto l = condition(c.substr(0, at));
        auto r = condition(c.substr(at + op.size()));
        if (!l || !r) return std::nullopt;
        return op == " or " ? (*l || *r) : (*l && *r);
      }
    }
    for (std::string_view op : {"==", "!=", " contains "}) {
      if (const std::size_t at = c.find(op); at != npos) {
        bool kl = true, kr = true;
        const liquid_value l = operand(c.substr(0, at), kl);
        const liquid_value r = operand(c.substr(at + op.size()), kr);
        if (!kl || !kr) return std::nullopt;
        if (op == "==") return l == r;
        if (op == "!=") return l != r;
        return l && r && l->find(*r) != std::string::npos;
      }
    }
    if (c.find_first_of("<>") != npos) return std::nullopt;
    bool known = true;
    const liquid_value v = operand(c, known);
    if (!known) return std::nullopt;
    return truthy(v);
  }

  std::string tag(const std::string& name, std::string_view args, int line, int col,
                  std::string_view rendered) {
    if (name == "link" || name == "post_url") {
      if (!frames_active()) return {};
      std::string problem;
      std::optional<std::string> url;
      std::string arg(args);
      if (arg.find("{{") != std::string::npos) arg = render_inline(arg, line, col);
      if (!site_.tree) {
        problem = "the site folder is not known";
      } else if (name == "link") {
        url = site_.tree->url_of(arg, problem);
      } else {
        url = site_.tree->post_url(arg, problem);
      }
      if (!url) {
        warn_at_line(line, col,
                     "'{% " + name + " " + arg + " %}' cannot be resolved: " + problem +
                         "; the link is left out");
        return std::string(1, unresolved_link);
      }
      return site_path(*url, rendered);
    }
    if (name == "assign") {
      if (!frames_active()) return {};
      const std::size_t eq = args.find('=');
      if (eq == npos) {
        warn_at_line(line, col, "'{% assign %}' without '=' is ignored");
        return {};
      }
      const std::string var(trim_spaces(args.substr(0, eq)));
      vars_[var] = output(args.substr(eq + 1), line, col, rendered);
      return {};
    }
    if (name == "if" || name == "unless" || name == "case" || name == "for") {
      frame f;
      f.name = name;
      f.line = line;
      f.col = col;
      f.parent_active = frames_active();
      if (name == "if" || name == "unless") {
        const auto c = condition(args);
        if (c) {
          f.active = f.parent_active && (name == "if" ? *c : !*c);
          f.taken = f.active;
        } else {
          f.evaluated = false;
          f.active = f.parent_active;
          if (f.parent_active)
            warn_at_line(line, col,
                         "'{% " + name + " " + std::string(args) +
                             " %}' is not evaluated: every branch is read");
        }
      } else {
        f.evaluated = false;
        f.active = f.parent_active;
        if (f.parent_active)
          warn_at_line(line, col,
                       "'{% " + name + " " + std::string(args) +
                           " %}' is not evaluated: its text is read once, as written");
      }
      frames_.push_back(f);
      return {};
    }
    if (name == "elsif" || name == "else" || name == "when") {
      if (frames_.empty()) {
        warn_at_line(line, col, "'{% " + name + " %}' outside an '{% if %}' is ignored");
        return {};
      }
      frame& f = frames_.back();
      if (!f.evaluated) return {};
      if (name == "else") {
        f.active = f.parent_active && !f.taken;
      } else {
        const auto c = condition(args);
        if (!c) {
          f.evaluated = false;
          f.active = f.parent_active;
          warn_at_line(
              line, col,
              "'{% elsif " + std::string(args) + " %}' is not evaluated: every branch is read");
          return {};
        }
        f.active = f.parent_active && !f.taken && *c;
      }
      f.taken = f.taken || f.active;
      return {};
    }
    if (name == "endif" || name == "endunless" || name == "endcase" || name == "endfor") {
      if (frames_.empty())
        warn_at_line(line, col, "'{% " + name + " %}' without its opening tag is ignored");
      else
        frames_.pop_back();
      return {};
    }
    if (name == "endraw" || name == "endcomment" || name == "comment" || name == "endcapture" ||
        name == "endhighlight")
      return {};
    if (!frames_active()) return {};
    if (name == "include" || name == "include_relative") {
      warn_at_line(line, col,
                   "'{% " + name + " " + std::string(args) +
                       " %}' is not read: what it adds to the page is not in the feed");
      return {};
    }
    warn_at_line(line, col,
                 "Liquid tag '{% " + name + " %}' is not known here; it renders as nothing");
    return {};
  }

  std::string render_inline(std::string_view text, int line, int col) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t at = text.find("{{", i);
      if (at == npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i, at - i);
      const std::size_t close = text.find("}}", at + 2);
      if (close == npos) {
        out += text.substr(at);
        break;
      }
      out += output(text.substr(at + 2, close - at - 2), line, col, out);
      i = close + 2;
    }
    return out;
  }

  const std::string& file_;
  const site_info& site_;
  const std::map<std::string, std::string, std::less<>>& page_;
  diagnostics& diags_;
  std::string base_path_;
  std::vector<frame> frames_;
};

}  // namespace

rendered_page render_liquid(std::string_view body, int first_line, const std::string& file,
                            const site_info& site,
                            const std::map<std::string, std::string, std::less<>>& page,
                            diagnostics& diags) {
  renderer r(file, site, page, diags);
  std::string text(body);
  // No Liquid at all (most pages): only the HTML comments.
  if (text.find("{%") == std::string::npos && text.find("{{") == std::string::npos)
    return rendered_page{blank_html_comments(text), {}};
  r.blank_comments(text, first_line);
  text = blank_html_comments(text);
  return r.render(text, first_line);
}

std::string render_liquid_inline(std::string_view text, const source_loc& loc,
                                 const site_info& site, diagnostics& diags) {
  if (text.find("{%") == std::string_view::npos && text.find("{{") == std::string_view::npos)
    return std::string(text);
  static const std::map<std::string, std::string, std::less<>> no_page;
  renderer r(loc.file, site, no_page, diags);
  std::string s = r.render(text, loc.line).text;
  for (auto& c : s)
    if (c == '\n') c = ' ';
  return s;
}

}  // namespace coursecal::content::detail
