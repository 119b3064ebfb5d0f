#include "content/inline_text.hpp"

#include <array>
#include <cstdint>

// The HTML5 named character references (all 2,231 of them) come from md4c-html, which exports its
// lookup; the header that declares it is not installed, so its one declaration is repeated here.
extern "C" {
struct md4c_entity {
  const char* name;  // "&amp;"
  unsigned codepoints[2];
};
const md4c_entity* entity_lookup(const char* name, std::size_t name_size);
}

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr int max_depth = 6;  // nesting of emphasis/links; deeper text is taken literally

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_punct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Case-insensitive search, linear in practice for the short needles used here.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (lower(hay[i]) != lower(needle[0])) continue;
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  }
  return npos;
}

// Whether an IAL's classes include "label": ".label .label-red", ".label.label-yellow" (glued).
bool ial_has_label_class(std::string_view ial) {
  std::size_t i = 0;
  while (i < ial.size()) {
    while (i < ial.size() && is_ascii_space(ial[i])) ++i;
    std::size_t start = i;
    while (i < ial.size() && !is_ascii_space(ial[i])) ++i;
    std::string_view token = ial.substr(start, i - start);
    // A token of glued classes: split at every '.'.
    while (!token.empty() && token.front() == '.') {
      token.remove_prefix(1);
      const std::size_t dot = token.find('.');
      if (token.substr(0, dot) == "label") return true;
      if (dot == npos) break;
      token.remove_prefix(dot);
    }
  }
  return false;
}

// Whether an HTML tag's class attribute names "label" (<span class="label label-red">).
bool tag_has_label_class(std::string_view inside) {
  std::size_t c = 0;
  while ((c = ifind(inside, "class", c)) != npos) {
    std::size_t q = c + 5;
    while (q < inside.size() && (is_ascii_space(inside[q]) || inside[q] == '=')) ++q;
    if (q < inside.size() && (inside[q] == '"' || inside[q] == '\'')) {
      const char quote = inside[q];
      const std::size_t e = inside.find(quote, q + 1);
      if (e == npos) return false;
      std::string_view classes = inside.substr(q + 1, e - q - 1);
      std::size_t i = 0;
      while (i < classes.size()) {
        while (i < classes.size() && is_ascii_space(classes[i])) ++i;
        const std::size_t start = i;
        while (i < classes.size() && !is_ascii_space(classes[i])) ++i;
        if (classes.substr(start, i - start) == "label") return true;
      }
      return false;
    }
    c = q;
  }
  return false;
}

// Recursive-descent scanner over one line. Searches for closers remember where they failed, so
// a line full of unclosed openers stays linear.
//
// Why by hand and not md4c (which gives the entity table above): the sites are rendered by
// kramdown, not by a CommonMark parser, and the two read the same line differently where real
// schedules depend on it. Checked with md4c 0.4.8 (Debian 12):
//   [Numpy Handbook](https://x.github.io/tutor/Numpy Handbook.pdf)   kramdown: a link (a corpus
//                                      row expects it); CommonMark: text, the link is lost
//   **HW 1 due**{: .label} / [x](u){: .label} / <span>..</span>{:.label}   IALs: kramdown only
//   12. Sorting   /   # Week 3   /   4-space indent   md4c reads one line as a list, a heading or
//                                      code, where the line is an item's text in a definition
//   [HW](\x1A)                         Liquid's unresolved-link marker is no CommonMark destination
// So this scanner does what kramdown's span parser does for the spans a schedule uses: links
// (destinations up to the matching ')', spaces allowed), emphasis, code spans, autolinks, the
// HTML that pages write inline (<a href>, <span>, <br>), escapes, entities, and IALs.
class inline_parser {
 public:
  inline_parser(std::string_view s, int first_col, int depth, std::vector<inline_token>& out)
      : s_(s), first_col_(first_col), depth_(depth), out_(out) {}

  void run() {
    if (depth_ > max_depth) {
      add_text(decode_entities(s_), 0);
      return;
    }
    match_brackets();
    std::size_t i = 0;
    while (i < s_.size()) i = step(i);
  }

 private:
  std::size_t step(std::size_t i) {
    const char c = s_[i];
    switch (c) {
      case '\\':
        if (i + 1 < s_.size() && is_punct(s_[i + 1])) {
          add_text(std::string(1, s_[i + 1]), i);
          return i + 2;
        }
        break;
      case '`':
        return code_span(i);
      case '*':
      case '_':
        return emphasis(i);
      case '[':
        return link(i, false);
      case '!':
        if (i + 1 < s_.size() && s_[i + 1] == '[') return link(i + 1, true);
        break;
      case '<':
        return angle(i);
      case '&': {
        std::string decoded;
        std::size_t n = decode_entity(s_, i, decoded);
        if (n > 0) {
          add_text(decoded, i);
          return i + n;
        }
        break;
      }
      case '{':
        if (i + 1 < s_.size() && s_[i + 1] == ':') {
          std::size_t end = find_cached(i + 2, '}', fail_brace_);
          if (end != npos) return end + 1;  // an IAL not attached to a span: attributes only
        } else if (i + 1 < s_.size() && s_[i + 1] == '%') {
          std::size_t end = find_seq_cached(i + 2, "%}", fail_liquid_tag_);
          if (end != npos) return end + 2;  // Liquid tags are never shown
        }
        break;
      case '\x1A':  // a Liquid link that could not be resolved (liquid.hpp): never text
        return i + 1;
      default:
        break;
    }
    add_text(std::string(1, c), i);
    return i + 1;
  }

  void add_text(const std::string& t, std::size_t pos) {
    if (t.empty()) return;
    if (!out_.empty() && out_.back().kind == inline_token::type::text) {
      out_.back().text += t;
      return;
    }
    inline_token tok;
    tok.kind = inline_token::type::text;
    tok.text = t;
    tok.col = first_col_ + static_cast<int>(pos);
    out_.push_back(std::move(tok));
  }

  void add_tokens(std::vector<inline_token>& toks) {
    for (auto& t : toks) {
      if (t.kind == inline_token::type::text && !out_.empty() &&
          out_.back().kind == inline_token::type::text) {
        out_.back().text += t.text;
      } else {
        out_.push_back(std::move(t));
      }
    }
  }

  std::size_t find_cached(std::size_t from, char c, std::size_t& fail_from) {
    if (from >= fail_from) return npos;
    std::size_t r = s_.find(c, from);
    if (r == npos) fail_from = from;
    return r;
  }
  std::size_t find_seq_cached(std::size_t from, std::string_view seq, std::size_t& fail_from) {
    if (from >= fail_from) return npos;
    std::size_t r = s_.find(seq, from);
    if (r == npos) fail_from = from;
    return r;
  }

  void match_brackets() {
    if (s_.find('[') == npos) return;
    bracket_.assign(s_.size(), npos);
    paren_.assign(s_.size(), npos);
    std::vector<std::size_t> open_b, open_p;
    for (std::size_t i = 0; i < s_.size(); ++i) {
      char c = s_[i];
      if (c == '\\') {
        ++i;
      } else if (c == '[') {
        open_b.push_back(i);
      } else if (c == ']' && !open_b.empty()) {
        bracket_[open_b.back()] = i;
        open_b.pop_back();
      } else if (c == '(') {
        open_p.push_back(i);
      } else if (c == ')' && !open_p.empty()) {
        paren_[open_p.back()] = i;
        open_p.pop_back();
      }
    }
  }

  std::size_t code_span(std::size_t i) {
    std::size_t n = 0;
    while (i + n < s_.size() && s_[i + n] == '`') ++n;
    std::string run(n, '`');
    std::size_t& fail = fail_code_[n < fail_code_.size() ? n : 0];
    const std::size_t start = i + n;
    std::size_t from = start;
    std::size_t end = npos;
    while (from < fail) {
      std::size_t r = s_.find(run, from);
      if (r == npos) {
        fail = start;  // nothing closes anywhere after `start`
        break;
      }
      std::size_t len = 0;
      while (r + len < s_.size() && s_[r + len] == '`') ++len;
      if (len == n) {
        end = r;
        break;
      }
      from = r + len;
    }
    if (end == npos) {
      add_text(run, i);
      return i + n;
    }
    add_text(std::string(s_.substr(i + n, end - i - n)), i + n);
    return end + n;
  }

  std::size_t emphasis(std::size_t i) {
    const char c = s_[i];
    std::size_t n = 0;
    while (i + n < s_.size() && s_[i + n] == c) ++n;
    const bool opener = n <= 3 && i + n < s_.size() && !is_ascii_space(s_[i + n]) &&
                        !(c == '_' && i > 0 && is_alnum(s_[i - 1]));
    if (!opener) {
      add_text(std::string(n, c), i);
      return i + n;
    }
    std::size_t& fail = fail_emph_[c == '*' ? 0 : 1][n];
    const std::size_t start = i + n;
    std::size_t j = start;
    std::size_t close = npos;
    while (j < fail) {
      std::size_t r = s_.find(c, j);
      if (r == npos) {
        fail = start;  // no closer anywhere after `start`: later openers need not look
        break;
      }
      std::size_t len = 0;
      while (r + len < s_.size() && s_[r + len] == c) ++len;
      const bool closer = len == n && !is_ascii_space(s_[r - 1]) && r > i + n &&
                          !(c == '_' && r + len < s_.size() && is_alnum(s_[r + len]));
      if (closer) {
        close = r;
        break;
      }
      j = r + len;
    }
    if (close == npos) {
      add_text(std::string(n, c), i);
      return i + n;
    }
    std::vector<inline_token> inner;
    inline_parser(s_.substr(i + n, close - i - n), first_col_ + static_cast<int>(i + n), depth_ + 1,
                  inner)
        .run();
    std::size_t after = close + n;
    std::string ial;
    std::size_t next = take_ial(after, ial);
    if (next != after && ial_has_label_class(ial)) {
      inline_token label;
      label.kind = inline_token::type::label;
      label.col = first_col_ + static_cast<int>(i);
      for (auto& t : inner) {
        label.text += t.text;
        if (t.has_target && !label.has_target) {
          label.target = t.target;
          label.has_target = true;
        }
      }
      label.text = collapse_whitespace(label.text);
      out_.push_back(std::move(label));
    } else {
      add_tokens(inner);
    }
    return next;
  }

  // An IAL right after a span: returns the position after it (or `at` when there is none).
  std::size_t take_ial(std::size_t at, std::string& ial) {
    if (at + 1 < s_.size() && s_[at] == '{' && s_[at + 1] == ':') {
      std::size_t end = find_cached(at + 2, '}', fail_brace_);
      if (end != npos) {
        ial = std::string(s_.substr(at + 2, end - at - 2));
        return end + 1;
      }
    }
    return at;
  }

  std::size_t link(std::size_t i, bool image) {
    std::size_t start = image ? i - 1 : i;
    std::size_t close = bracket_.empty() ? npos : bracket_[i];
    if (close == npos || close + 1 >= s_.size() || s_[close + 1] != '(' ||
        paren_[close + 1] == npos) {
      add_text(image ? "![" : "[", start);
      return i + 1;
    }
    std::size_t pend = paren_[close + 1];
    std::size_t next = pend + 1;
    std::string ial;
    next = take_ial(next, ial);
    if (image) return next;  // images carry no text worth a calendar
    std::vector<inline_token> inner;
    inline_parser(s_.substr(i + 1, close - i - 1), first_col_ + static_cast<int>(i + 1), depth_ + 1,
                  inner)
        .run();
    inline_token tok;
    tok.kind = ial_has_label_class(ial) ? inline_token::type::label : inline_token::type::link;
    tok.col = first_col_ + static_cast<int>(i);
    for (auto& t : inner) tok.text += t.text;
    tok.text = collapse_whitespace(tok.text);
    tok.target = std::string(s_.substr(close + 2, pend - close - 2));
    tok.has_target = true;
    out_.push_back(std::move(tok));
    return next;
  }

  std::size_t angle(std::size_t i) {
    std::size_t end = find_cached(i + 1, '>', fail_angle_);
    if (end == npos) {
      add_text("<", i);
      return i + 1;
    }
    std::string_view inside = s_.substr(i + 1, end - i - 1);
    if (inside.starts_with("http://") || inside.starts_with("https://")) {
      if (inside.find(' ') == npos) {
        inline_token tok;
        tok.kind = inline_token::type::link;
        tok.text = std::string(inside);
        tok.target = std::string(inside);
        tok.has_target = true;
        tok.col = first_col_ + static_cast<int>(i);
        out_.push_back(std::move(tok));
        return end + 1;
      }
    }
    std::size_t k = 0;
    bool closing = false;
    if (k < inside.size() && inside[k] == '/') {
      closing = true;
      ++k;
    }
    if (k >= inside.size() || !is_alpha(inside[k])) {
      add_text("<", i);
      return i + 1;
    }
    std::size_t name_start = k;
    while (k < inside.size() && (is_alnum(inside[k]) || inside[k] == '-')) ++k;
    std::string_view name = inside.substr(name_start, k - name_start);
    if (iequals(name, "br") || iequals(name, "p") || iequals(name, "div") || iequals(name, "li")) {
      add_text(" ", i);
      return end + 1;
    }
    if (!closing && iequals(name, "a")) return anchor(i, end, inside);
    if (!closing && iequals(name, "span")) return span(i, end, inside);
    return end + 1;  // other tags vanish, their text stays
  }

  // <span>X</span>{: .label} and <span class="label">X</span> are labels; other spans vanish.
  std::size_t span(std::size_t i, std::size_t tag_end, std::string_view inside) {
    const std::size_t close = find_close_span(tag_end + 1);
    if (close == npos) return tag_end + 1;
    const std::size_t after_close = s_.find('>', close);
    if (after_close == npos) return tag_end + 1;
    std::string ial;
    const std::size_t next = take_ial(after_close + 1, ial);
    const bool label =
        tag_has_label_class(inside) || (next != after_close + 1 && ial_has_label_class(ial));
    if (!label) return tag_end + 1;  // the text inside stays text
    std::vector<inline_token> inner;
    inline_parser(s_.substr(tag_end + 1, close - tag_end - 1),
                  first_col_ + static_cast<int>(tag_end + 1), depth_ + 1, inner)
        .run();
    inline_token tok;
    tok.kind = inline_token::type::label;
    tok.col = first_col_ + static_cast<int>(i);
    for (auto& t : inner) {
      tok.text += t.text;
      if (t.has_target && !tok.has_target) {
        tok.target = t.target;
        tok.has_target = true;
      }
    }
    tok.text = collapse_whitespace(tok.text);
    out_.push_back(std::move(tok));
    return next;
  }

  std::size_t find_close_span(std::size_t from) {
    if (from >= fail_close_span_) return npos;
    std::size_t r = ifind(s_, "</span", from);
    if (r == npos) fail_close_span_ = from;
    return r;
  }

  // <a href="...">text</a> becomes a link.
  std::size_t anchor(std::size_t i, std::size_t tag_end, std::string_view inside) {
    std::size_t h = ifind(inside, "href", 0);
    std::size_t close = find_close_a(tag_end + 1);
    if (h == npos || close == npos) return tag_end + 1;
    std::size_t q = h + 4;
    while (q < inside.size() && (is_ascii_space(inside[q]) || inside[q] == '=')) ++q;
    std::string target;
    if (q < inside.size() && (inside[q] == '"' || inside[q] == '\'')) {
      char quote = inside[q];
      std::size_t qe = inside.find(quote, q + 1);
      if (qe == npos) return tag_end + 1;
      target = std::string(inside.substr(q + 1, qe - q - 1));
    } else {
      std::size_t qe = q;
      while (qe < inside.size() && !is_ascii_space(inside[qe])) ++qe;
      target = std::string(inside.substr(q, qe - q));
    }
    std::vector<inline_token> inner;
    inline_parser(s_.substr(tag_end + 1, close - tag_end - 1),
                  first_col_ + static_cast<int>(tag_end + 1), depth_ + 1, inner)
        .run();
    inline_token tok;
    tok.kind = inline_token::type::link;
    tok.col = first_col_ + static_cast<int>(i);
    for (auto& t : inner) tok.text += t.text;
    tok.text = collapse_whitespace(tok.text);
    tok.target = std::move(target);
    tok.has_target = true;
    out_.push_back(std::move(tok));
    std::size_t after = s_.find('>', close);
    return after == npos ? s_.size() : after + 1;
  }

  std::size_t find_close_a(std::size_t from) {
    if (from >= fail_close_a_) return npos;
    std::size_t r = ifind(s_, "</a", from);
    if (r == npos) fail_close_a_ = from;
    return r;
  }

  std::string_view s_;
  int first_col_;
  int depth_;
  std::vector<inline_token>& out_;
  std::vector<std::size_t> bracket_;
  std::vector<std::size_t> paren_;
  std::size_t fail_brace_ = npos;
  std::size_t fail_liquid_tag_ = npos;
  std::size_t fail_angle_ = npos;
  std::size_t fail_close_a_ = npos;
  std::size_t fail_close_span_ = npos;
  std::array<std::size_t, 9> fail_code_{npos, npos, npos, npos, npos, npos, npos, npos, npos};
  std::size_t fail_emph_[2][4] = {{npos, npos, npos, npos}, {npos, npos, npos, npos}};
};

// RFC 3986 remove_dot_segments for a path that starts with '/'.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 1;  // skip the leading '/'
  bool trailing_slash = false;
  while (i <= path.size()) {
    std::size_t e = path.find('/', i);
    if (e == npos) e = path.size();
    std::string_view seg = path.substr(i, e - i);
    const bool last = e == path.size();
    if (seg == ".") {
      trailing_slash = last;
    } else if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing_slash = last;
    } else {
      out.push_back(seg);
      trailing_slash = false;
    }
    i = e + 1;
  }
  std::string r;
  for (auto seg : out) {
    r += '/';
    r += seg;
  }
  if (trailing_slash || r.empty()) r += '/';
  return r;
}

bool has_scheme(std::string_view t) {
  if (t.empty() || !is_alpha(t[0])) return false;
  for (std::size_t i = 1; i < t.size(); ++i) {
    char c = t[i];
    if (c == ':') return i > 1;  // "C:" is a drive letter, not a scheme
    if (!is_alnum(c) && c != '+' && c != '.' && c != '-') return false;
  }
  return false;
}

}  // namespace

std::string blank_html_comments(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  while (true) {
    std::size_t open = out.find("<!--", i);
    if (open == npos) break;
    std::size_t close = out.find("-->", open + 4);
    std::size_t end = close == npos ? out.size() : close + 3;
    for (std::size_t k = open; k < end; ++k)
      if (out[k] != '\n') out[k] = ' ';
    i = end;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out) {
  if (i >= s.size() || s[i] != '&') return 0;
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    std::size_t start = j;
    std::uint32_t cp = 0;
    while (j < s.size() && j - start < 8 && (hex ? is_hex(s[j]) : is_digit(s[j]))) {
      char c = s[j];
      std::uint32_t d = is_digit(c) ? static_cast<std::uint32_t>(c - '0')
                                    : static_cast<std::uint32_t>(lower(c) - 'a' + 10);
      cp = cp * (hex ? 16u : 10u) + d;
      ++j;
    }
    if (j == start || j >= s.size() || s[j] != ';') return 0;
    append_utf8(out, static_cast<char32_t>(cp));
    return j + 1 - i;
  }
  std::size_t start = j;
  while (j < s.size() && j - start < 32 && is_alnum(s[j])) ++j;
  if (j == start || j >= s.size() || s[j] != ';') return 0;
  const md4c_entity* e = entity_lookup(s.data() + i, j + 1 - i);
  if (!e) return 0;
  append_utf8(out, static_cast<char32_t>(e->codepoints[0]));
  if (e->codepoints[1] != 0) append_utf8(out, static_cast<char32_t>(e->codepoints[1]));
  return j + 1 - i;
}

std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      std::size_t n = decode_entity(s, i, out);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    bool space = is_ascii_space(c);
    std::size_t width = 1;
    if (!space && static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      space = true;  // U+00A0 no-break space
      width = 2;
    }
    if (space) {
      pending_space = !out.empty();
      i += width - 1;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::vector<inline_token> parse_inline(std::string_view line, int first_col) {
  std::vector<inline_token> out;
  inline_parser(line, first_col, 0, out).run();
  return out;
}

std::string plain_text(std::string_view markdown) {
  std::string all;
  for (const auto& t : parse_inline(markdown)) all += t.text;
  return collapse_whitespace(all);
}

std::string normalise_origin(std::string_view url) {
  std::string_view u = trim(url);
  if (u.empty()) return {};
  std::string r;
  if (u.starts_with("//")) {
    r = "https:" + std::string(u);
  } else if (u.find("://") == npos) {
    r = "https://" + std::string(u);
  } else {
    r = std::string(u);
  }
  while (!r.empty() && r.back() == '/') r.pop_back();
  return r;
}

std::string join_site_url(std::string_view url, std::string_view baseurl) {
  std::string r = normalise_origin(url);
  std::string_view b = trim(baseurl);
  while (!b.empty() && b.back() == '/') b.remove_suffix(1);
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  if (!b.empty()) {
    r += '/';
    r += b;
  }
  return r;
}

std::string percent_encode_once(std::string_view url) {
  static constexpr std::string_view keep = "-._~:/?#[]@!$&'()*+,;=";
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (std::size_t i = 0; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '%' && i + 2 < url.size() && is_hex(url[i + 1]) && is_hex(url[i + 2])) {
      out += c;
    } else if (c != '%' && (is_alnum(c) || keep.find(c) != npos)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 0xF];
    }
  }
  return out;
}

std::optional<std::string> resolve_target(std::string_view target, const site_info& site) {
  std::string_view t = trim(target);
  if (t.size() >= 2 && t.front() == '<' && t.back() == '>') t = trim(t.substr(1, t.size() - 2));
  if (!t.empty() && (t.back() == '"' || t.back() == '\'')) {
    std::size_t q = t.rfind(std::string(" ") + t.back(), t.size() - 1);
    if (q != npos) t = trim(t.substr(0, q));  // [x](url "title")
  }
  std::string u = decode_entities(t);
  std::string_view uv = trim(u);
  if (uv.empty() || uv.front() == '#') return std::nullopt;
  std::string abs;
  if (has_scheme(uv)) {
    abs = std::string(uv);
  } else if (uv.starts_with("//")) {
    abs = "https:" + std::string(uv);
  } else if (site.origin.empty()) {
    return std::string();  // no address for the site: a relative link is never published
  } else {
    std::string path;
    if (uv.front() == '/') {
      path = std::string(uv);
    } else {
      path = site.site_url.substr(site.origin.size()) + "/" + std::string(uv);
    }
    std::size_t q = path.find_first_of("?#");
    std::string rest = q == npos ? std::string() : path.substr(q);
    if (q != npos) path.resize(q);
    abs = site.origin + remove_dot_segments(path) + rest;
  }
  return percent_encode_once(abs);
}

}  // namespace coursecal::content::detail
