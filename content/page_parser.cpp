#include "content/page_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>
#include <set>

#include <date/date.h>
#include <yaml-cpp/yaml.h>

#include "content/inline_text.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct line_view {
  std::string_view text;
  int number = 0;
  std::size_t first = 0;  // first non-blank byte; text.size() when blank
  int indent = 0;         // columns before `first`, tabs to the next multiple of 4
  bool has_tab = false;
  bool blank = true;
};

enum class line_kind { blank, definition, bullet, text };

line_kind kind_of(const line_view& l, std::size_t& content_at) {
  if (l.blank) return line_kind::blank;
  std::string_view t = l.text;
  std::size_t f = l.first;
  auto space_after = [&](std::size_t k) { return k >= t.size() || t[k] == ' ' || t[k] == '\t'; };
  if (t[f] == ':' && space_after(f + 1)) {
    content_at = std::min(t.size(), f + 1);
    return line_kind::definition;
  }
  if ((t[f] == '*' || t[f] == '-' || t[f] == '+') && f + 1 < t.size() && space_after(f + 1)) {
    content_at = f + 1;
    return line_kind::bullet;
  }
  std::size_t k = f;
  while (k < t.size() && is_digit(t[k]) && k - f < 3) ++k;
  if (k > f && k < t.size() && (t[k] == '.' || t[k] == ')') && k + 1 < t.size() &&
      space_after(k + 1)) {
    content_at = k + 1;
    return line_kind::bullet;
  }
  return line_kind::text;
}

// Separator characters that may stand around links and titles: • · | , - – —
std::string trim_separators(std::string s) {
  auto sep_len_at_end = [](const std::string& x) -> std::size_t {
    if (x.empty()) return 0;
    char c = x.back();
    if (c == ' ' || c == '|' || c == ',' || c == '-') return 1;
    if (x.size() >= 2 && x.compare(x.size() - 2, 2, "\xC2\xB7") == 0) return 2;
    if (x.size() >= 3 && (x.compare(x.size() - 3, 3, "\xE2\x80\xA2") == 0 ||
                          x.compare(x.size() - 3, 3, "\xE2\x80\x93") == 0 ||
                          x.compare(x.size() - 3, 3, "\xE2\x80\x94") == 0))
      return 3;
    return 0;
  };
  auto sep_len_at_start = [](const std::string& x, std::size_t i) -> std::size_t {
    if (i >= x.size()) return 0;
    char c = x[i];
    if (c == ' ' || c == '|' || c == ',' || c == '-') return 1;
    if (x.compare(i, 2, "\xC2\xB7") == 0) return 2;
    if (x.compare(i, 3, "\xE2\x80\xA2") == 0 || x.compare(i, 3, "\xE2\x80\x93") == 0 ||
        x.compare(i, 3, "\xE2\x80\x94") == 0)
      return 3;
    return 0;
  };
  while (std::size_t n = sep_len_at_end(s)) s.resize(s.size() - n);
  std::size_t i = 0;
  while (std::size_t n = sep_len_at_start(s, i)) i += n;
  return s.substr(i);
}

std::string lowercase(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool is_none_marker(std::string_view plain) {
  std::string l = lowercase(plain);
  return l == "n/a" || l == "na" || l == "none" || l == "-" || l == "tbd" || l == "tba";
}

// "Alpa: ... (optional)" -> "Alpa: ..."; the need is kept in the reading itself.
std::string strip_need_suffix(std::string t) {
  for (std::string_view suffix : {"(optional)", "(required)"}) {
    if (t.size() >= suffix.size() && lowercase(t.substr(t.size() - suffix.size())) == suffix) {
      t.resize(t.size() - suffix.size());
      while (!t.empty() && t.back() == ' ') t.pop_back();
    }
  }
  return t;
}

// Removes a word from the end of `s` when it is one of `words` (case-insensitive).
std::string drop_trailing_words(std::string s, std::initializer_list<std::string_view> words) {
  bool changed = true;
  while (changed) {
    changed = false;
    while (!s.empty() && (s.back() == ' ' || s.back() == ':' || s.back() == '-')) s.pop_back();
    std::size_t sp = s.rfind(' ');
    std::string last = lowercase(sp == std::string::npos ? s : s.substr(sp + 1));
    for (auto w : words) {
      if (last == w && sp != std::string::npos) {
        s.resize(sp);
        changed = true;
        break;
      }
    }
  }
  return s;
}

struct heading_build {
  content_heading h;
  bool reading_role = false;
  // Readings given by a sibling definition, with the index of the item before them (-1: none).
  std::vector<std::pair<int, content_reading>> loose;
};

class page_parser {
 public:
  page_parser(std::string_view text, const std::string& file, const site_info& site,
              diagnostics& diags)
      : text_(text), file_(file), site_(site), diags_(diags) {}

  page_result run() {
    page_result r;
    result_ = &r;
    r.week.file = file_;
    r.week.loc = loc(1, 0);
    std::size_t body_offset = 0;
    int body_line = 1;
    read_front_matter(body_offset, body_line);
    body_ = blank_html_comments(text_.substr(body_offset));
    split_lines(body_line);
    add_schedule_lines();
    read_blocks();
    finish();
    set_week_number();
    return r;
  }

 private:
  source_loc loc(int line, int col) const { return source_loc{file_, line, col}; }
  void warn(int line, int col, std::string msg) { diags_.warn(loc(line, col), std::move(msg)); }

  // --- front matter -------------------------------------------------------------------------
  void read_front_matter(std::size_t& body_offset, int& body_line) {
    std::string_view t = text_;
    std::size_t start = 0;
    if (t.starts_with("\xEF\xBB\xBF")) start = 3;
    auto line_at = [&](std::size_t pos, std::size_t& next) {
      std::size_t e = t.find('\n', pos);
      next = e == npos ? t.size() : e + 1;
      std::string_view l = t.substr(pos, (e == npos ? t.size() : e) - pos);
      while (!l.empty() && is_blank_char(l.back())) l.remove_suffix(1);
      return l;
    };
    std::size_t next = 0;
    if (line_at(start, next) != "---") return;
    std::size_t fm_begin = next;
    int line = 2;
    std::size_t pos = next;
    while (pos < t.size()) {
      std::size_t after = 0;
      std::string_view l = line_at(pos, after);
      if (l == "---" || l == "...") {
        parse_yaml(t.substr(fm_begin, pos - fm_begin));
        body_offset = after;
        body_line = line + 1;
        return;
      }
      pos = after;
      ++line;
    }
    warn(1, 1, "front matter is not closed by '---'; the page is read without it");
  }

  void parse_yaml(std::string_view yaml) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      int l = e.mark.line >= 0 ? e.mark.line + 2 : 1;
      int c = e.mark.column >= 0 ? e.mark.column + 1 : 0;
      warn(l, c, "front matter is not valid YAML (" + e.msg + "); read without it");
      return;
    }
    if (!root.IsMap()) return;
    try {
      for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        const YAML::Mark m = kv.first.Mark();
        const int l = m.line >= 0 ? m.line + 2 : 1;
        const int c = m.column >= 0 ? m.column + 1 : 0;
        if (key == "title" && kv.second.IsScalar()) {
          result_->week.title = plain_text(kv.second.Scalar());
          result_->week.loc = loc(l, c);
        } else if ((key == "days" || key == "contents") && kv.second.IsSequence()) {
          read_schedule(key, kv.second);
          schedule_warned_ = true;
        }
      }
    } catch (const YAML::Exception& e) {
      warn(1, 0, "front matter could not be read (" + e.msg + ")");
    }
  }

  // --- front-matter schedules ------------------------------------------------------------
  // The four YAML shapes (content-format.md Part B) are turned into the kramdown definition list
  // they stand for, one synthetic line per heading, item and link line, numbered with the YAML
  // line they come from; the block reader then reads them like any week page.
  static int yaml_line(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 2 : 1; }
  static int yaml_col(const YAML::Node& n) {
    return n.Mark().column >= 0 ? n.Mark().column + 1 : 0;
  }

  static std::string one_line(std::string s) {
    for (auto& ch : s)
      if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    return s;
  }

  static std::string scalar_of(const YAML::Node& n) {
    if (!n || !n.IsScalar()) return {};
    return one_line(n.Scalar());
  }

  // "topics: [A, B]" or "topic: A" -> "A; B".
  static std::string joined(const YAML::Node& n) {
    if (!n) return {};
    if (n.IsScalar()) return one_line(n.Scalar());
    std::string out;
    if (n.IsSequence()) {
      for (const auto& v : n) {
        if (!v.IsScalar() || v.Scalar().empty()) continue;
        out += (out.empty() ? "" : "; ") + one_line(v.Scalar());
      }
    }
    return out;
  }

  static bool looks_like_url(std::string_view v) {
    if (v.empty() || v.find(' ') != npos || v.find("](") != npos) return false;
    return v.starts_with("http://") || v.starts_with("https://") || v.starts_with("/") ||
           v.starts_with("{{") || v.find('.') != npos;
  }

  void synth(std::string text, int line) { schedule_lines_.emplace_back(std::move(text), line); }

  // "2023-4-17" -> 2023-04-17 (warned), "2023-02-29" -> kept and warned; nullopt when not ISO.
  std::optional<std::string> iso_heading(const YAML::Node& n) {
    const std::string v = scalar_of(n);
    int parts[3] = {0, 0, 0};
    std::size_t digits[3] = {0, 0, 0};
    std::size_t k = 0;
    for (char ch : v) {
      if (ch == '-' && k < 2 && digits[k] > 0) {
        ++k;
      } else if (is_digit(ch) && digits[k] < 4) {
        parts[k] = parts[k] * 10 + (ch - '0');
        ++digits[k];
      } else {
        break;
      }
    }
    const int l = yaml_line(n);
    const int c = yaml_col(n);
    if (k != 2 || digits[0] != 4 || digits[1] == 0 || digits[1] > 2 || digits[2] == 0 ||
        digits[2] > 2 || v.size() != digits[0] + digits[1] + digits[2] + 2) {
      warn(l, c, "schedule date '" + v + "' is not a YYYY-MM-DD date; the entry is ignored");
      return std::nullopt;
    }
    auto two = [](int x) { return (x < 10 ? "0" : "") + std::to_string(x); };
    std::string iso = std::to_string(parts[0]) + "-" + two(parts[1]) + "-" + two(parts[2]);
    const date::year_month_day ymd{date::year{parts[0]},
                                   date::month{static_cast<unsigned>(parts[1])},
                                   date::day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok()) {
      warn(l, c, "schedule date '" + v + "' does not exist; its items are kept and placed by week");
    } else if (digits[1] != 2 || digits[2] != 2) {
      warn(l, c, "schedule date '" + v + "' is not zero-padded; read as " + iso);
    }
    return iso;
  }

  // One event object or item object: name/label/type, title/topic/topics, description, due,
  // reading(s), and link fields (slides, url, video, ...) become a definition and its link lines.
  void synth_item(const YAML::Node& obj) {
    const int line = yaml_line(obj);
    std::string label = scalar_of(obj["name"]);
    if (label.empty()) label = scalar_of(obj["label"]);
    if (label.empty()) label = scalar_of(obj["type"]);
    if (!label.empty() && label[0] >= 'a' && label[0] <= 'z')
      label[0] = static_cast<char>(label[0] - 'a' + 'A');
    std::string title = joined(obj["title"]);
    if (title.empty()) title = joined(obj["topic"]);
    if (title.empty()) title = joined(obj["topics"]);
    std::string description = joined(obj["description"]);
    std::vector<std::string> nested;
    if (!description.empty()) {
      if (description.find("](") != npos)
        nested.push_back(description);
      else
        title += (title.empty() ? "" : " - ") + description;
    }
    const std::string due = scalar_of(obj["due"]);
    if (!due.empty()) title += " (Due " + due + ")";
    std::string def = ": ";
    if (!label.empty()) def += "**" + label + "**{: .label } ";
    def += title;
    synth(def, line);
    for (const auto& n : nested) synth("  : " + n, line);
    for (const char* key : {"reading", "readings"}) {
      const YAML::Node r = obj[key];
      if (!r) continue;
      std::vector<std::string> values;
      if (r.IsScalar()) values.push_back(one_line(r.Scalar()));
      if (r.IsSequence())
        for (const auto& v : r)
          if (v.IsScalar()) values.push_back(one_line(v.Scalar()));
      for (const auto& v : values) {
        if (v.empty()) continue;
        synth("  * " + (looks_like_url(v) ? "[Reading](" + v + ")" : v), yaml_line(r));
      }
    }
    static constexpr std::array<std::string_view, 13> link_keys{
        "url", "link",  "slides", "video", "recording", "notes",  "code",
        "pdf", "files", "demo",   "lab",   "homework",  "handout"};
    for (const auto& kv : obj) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      if (std::find(link_keys.begin(), link_keys.end(), key) == link_keys.end()) continue;
      std::string name = key == "url" || key == "link" ? std::string("Link") : key;
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      const std::string v = scalar_of(kv.second);
      if (v.empty()) continue;
      synth("  : " + (v.find("](") != npos ? v : "[" + name + "](" + v + ")"),
            yaml_line(kv.second));
    }
    if (obj["links"] && obj["links"].IsMap()) {
      for (const auto& kv : obj["links"]) {
        const std::string v = scalar_of(kv.second);
        if (kv.first.IsScalar() && !v.empty())
          synth("  : [" + one_line(kv.first.Scalar()) + "](" + v + ")", yaml_line(kv.second));
      }
    }
  }

  void read_schedule(const std::string& key, const YAML::Node& seq) {
    for (const auto& entry : seq) {
      const int line = yaml_line(entry);
      if (!entry.IsMap() || !entry["date"]) {
        warn(line, yaml_col(entry),
             "'" + key + ":' entry without a date is not read; nothing is taken from it");
        continue;
      }
      auto heading = iso_heading(entry["date"]);
      if (!heading) continue;
      const std::size_t mark = schedule_lines_.size();
      synth("", line);  // blank line between days
      synth(*heading, line);
      const std::size_t first_item = schedule_lines_.size();
      const YAML::Node events = entry["events"];
      const YAML::Node items = entry["items"];
      if (events && events.IsMap()) {
        // Shape 1: markdown keys, the value (a reading or a note) under it.
        for (const auto& kv : events) {
          if (!kv.first.IsScalar()) continue;
          synth(": " + one_line(kv.first.Scalar()), yaml_line(kv.first));
          std::vector<std::string> values;
          if (kv.second.IsScalar()) values.push_back(one_line(kv.second.Scalar()));
          if (kv.second.IsSequence())
            for (const auto& v : kv.second)
              if (v.IsScalar()) values.push_back(one_line(v.Scalar()));
          // The value is what to read for it: a bullet under the item is its reading list.
          for (const auto& v : values)
            if (!v.empty()) synth("  * " + v, yaml_line(kv.second));
        }
      } else if (events && events.IsSequence()) {
        // Shape 2: event objects (or plain markdown strings).
        for (const auto& ev : events) {
          if (ev.IsMap())
            synth_item(ev);
          else if (ev.IsScalar() && !ev.Scalar().empty())
            synth(": " + one_line(ev.Scalar()), yaml_line(ev));
        }
      } else if (items && items.IsSequence()) {
        // Shape 4: contents with items.
        for (const auto& it : items)
          if (it.IsMap()) synth_item(it);
      } else if (entry["topic"] || entry["title"] || entry["description"]) {
        // Shape 3: one topic per day.
        synth_item(entry);
      }
      if (schedule_lines_.size() == first_item) {
        warn(line, yaml_col(entry), "schedule entry has no events or topic; nothing is taken");
        schedule_lines_.resize(mark);
      }
    }
  }

  void add_schedule_lines() {
    if (schedule_lines_.empty()) return;
    std::vector<line_view> lines;
    for (const auto& [text, number] : schedule_lines_) {
      line_view l;
      l.text = text;
      l.number = number;
      std::size_t f = 0;
      while (f < l.text.size() && l.text[f] == ' ') ++f;
      l.first = f;
      l.indent = static_cast<int>(f);
      l.blank = f == l.text.size();
      lines.push_back(l);
    }
    line_view blank;
    lines.push_back(blank);
    lines_.insert(lines_.begin(), lines.begin(), lines.end());
  }

  // --- lines --------------------------------------------------------------------------------
  void split_lines(int first_line) {
    std::string_view b = body_;
    std::size_t pos = 0;
    int number = first_line;
    while (pos < b.size()) {
      std::size_t e = b.find('\n', pos);
      std::size_t end = e == npos ? b.size() : e;
      line_view l;
      l.text = b.substr(pos, end - pos);
      if (!l.text.empty() && l.text.back() == '\r') l.text.remove_suffix(1);
      l.number = number++;
      std::size_t f = 0;
      int col = 0;
      while (f < l.text.size() && (l.text[f] == ' ' || l.text[f] == '\t')) {
        if (l.text[f] == '\t') {
          l.has_tab = true;
          col = (col / 4 + 1) * 4;
        } else {
          ++col;
        }
        ++f;
      }
      l.first = f;
      l.indent = col;
      l.blank = f == l.text.size();
      lines_.push_back(l);
      pos = e == npos ? b.size() : e + 1;
    }
  }

  // --- blocks -------------------------------------------------------------------------------
  enum class context { none, item, reading, orphan };

  void read_blocks() {
    // next_nonblank_[i]: index of the first non-blank line after i (lines_.size() when none).
    std::vector<std::size_t> next_nonblank(lines_.size() + 1, lines_.size());
    for (std::size_t i = lines_.size(); i-- > 0;)
      next_nonblank[i] = lines_[i].blank ? next_nonblank[i + 1] : i;
    bool saw_blank = false;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const line_view& l = lines_[i];
      std::size_t content_at = 0;
      line_kind k = kind_of(l, content_at);
      if (k == line_kind::blank) {
        saw_blank = true;
        continue;
      }
      if (k == line_kind::definition) {
        has_dl_ = true;
        if (!pending_.empty()) start_terms();
        if (current_.empty()) {
          if (ctx_ != context::orphan)
            warn(l.number, static_cast<int>(l.first) + 1, "definition without a term is ignored");
          ctx_ = context::orphan;
          saw_blank = false;
          continue;
        }
        // A link line sits right under its item; after a blank line only an indent of 4 or
        // more (a code-block indent in kramdown) still nests, 0-3 starts a new definition.
        const bool deeper = saw_blank ? l.indent >= 4 && l.indent >= def_indent_ + 2
                                      : l.indent >= def_indent_ + 2 || (l.has_tab && !def_has_tab_);
        const bool nested = (ctx_ == context::item || ctx_ == context::reading) && deeper;
        if (nested) {
          nested_line(l, content_at);
        } else {
          definition(l, content_at);
        }
      } else if (k == line_kind::bullet) {
        if (!pending_.empty()) flush_pending();
        if (current_.empty()) {
          ignored(l);
        } else if (ctx_ != context::orphan) {
          bullet(l, content_at);
        }
      } else {
        const bool in_def = !current_.empty() && ctx_ != context::none && pending_.empty();
        std::size_t nb = next_nonblank[i + 1];
        std::size_t dummy = 0;
        const bool def_follows =
            nb < lines_.size() && kind_of(lines_[nb], dummy) == line_kind::definition;
        if (in_def && !saw_blank) {
          if (def_follows && looks_like_term(l)) {
            pending_.push_back(l);
          } else if (ctx_ != context::orphan) {
            continuation(l);
          }
        } else if (in_def && saw_blank && l.indent >= 2) {
          if (ctx_ != context::orphan) continuation(l);
        } else {
          if (!pending_.empty() && saw_blank) flush_pending();
          pending_.push_back(l);
        }
      }
      saw_blank = false;
    }
  }

  bool looks_like_term(const line_view& l) {
    std::string plain = plain_text(l.text.substr(l.first, 200));
    heading_match h = classify_heading(plain);
    if (h.shape != heading_shape::role) return true;
    return h.known_role && std::count(plain.begin(), plain.end(), ' ') <= 2;
  }

  void ignored(const line_view& l) {
    deferred_.push_back(diagnostic{severity::warning, loc(l.number, static_cast<int>(l.first) + 1),
                                   "text outside the definition list is ignored"});
  }

  void flush_pending() {
    if (!pending_.empty()) ignored(pending_.front());
    pending_.clear();
  }

  void start_terms() {
    finish_item();
    current_.clear();
    for (const line_view& l : pending_) {
      heading_build hb;
      const int col = static_cast<int>(l.first) + 1;
      hb.h.loc = loc(l.number, col);
      std::string all;
      for (const auto& t : parse_inline(l.text.substr(l.first), col)) all += t.text;
      hb.h.text = collapse_whitespace(all);
      heading_match m = classify_heading(hb.h.text);
      hb.h.shape = m.shape;
      hb.reading_role = m.shape == heading_shape::role && m.reading_role;
      const std::size_t index = headings_.size();
      if (m.date) {
        hb.h.date = m.date->date;
        if (m.date->numeric) result_->numeric_dates.push_back({index, -1, -1});
      }
      if (m.slot) {
        hb.h.slot = m.slot->number;
        result_->slots.push_back({index, m.slot->family, m.slot->number});
      }
      if (m.shape == heading_shape::role && !m.known_role) {
        warn(l.number, col,
             "heading '" + hb.h.text +
                 "' is not a date, a class slot or a known role; its items belong to the week");
      }
      headings_.push_back(std::move(hb));
      current_.push_back(index);
    }
    pending_.clear();
    ctx_ = context::none;
    bullets_.clear();
  }

  // Links of one line, with names split over links ("[Recording 1](a), [2](b)").
  void collect_links(const std::vector<inline_token>& toks, std::vector<content_link>& out,
                     int line) {
    std::string previous;
    for (const auto& t : toks) {
      if (!t.has_target) continue;
      content_link link;
      link.label = t.text;
      if (!link.label.empty() &&
          std::all_of(link.label.begin(), link.label.end(), [](char c) { return is_digit(c); })) {
        std::size_t k = previous.size();
        while (k > 0 && is_digit(previous[k - 1])) --k;
        if (k < previous.size() && k > 0) link.label = previous.substr(0, k) + link.label;
      }
      previous = link.label;
      link.loc = loc(line, t.col);
      auto url = resolve(t.target, line, t.col);
      if (!url.first) continue;  // a Liquid tag that cannot be resolved: reported, left out
      link.url = url.second;
      link.published = !link.url.empty();
      out.push_back(std::move(link));
    }
  }

  // {ok, url}: ok is false when the link must be left out; url is empty when not published.
  std::pair<bool, std::string> resolve(const std::string& target, int line, int col) {
    std::string t = target;
    if (t.find("{{") != npos || t.find("{%") != npos) {
      std::string problem;
      auto expanded = expand_liquid(t, site_, problem);
      if (!expanded) {
        warn(line, col, problem + "; link left out");
        return {false, {}};
      }
      t = *expanded;
    }
    auto url = resolve_target(t, site_);
    return {true, url ? *url : std::string()};
  }

  struct line_parts {
    std::vector<inline_token> toks;
    std::string title;   // text and link texts, separators trimmed
    std::string prefix;  // plain text before the first link
    bool has_links = false;
  };

  line_parts split(const line_view& l, std::size_t content_at) {
    line_parts p;
    p.toks = parse_inline(l.text.substr(content_at), static_cast<int>(content_at) + 1);
    std::string all, prefix;
    bool before_link = true;
    for (const auto& t : p.toks) {
      if (t.kind == inline_token::type::label) continue;
      if (t.kind == inline_token::type::link) {
        p.has_links = true;
        before_link = false;
      }
      all += t.text;
      if (before_link) prefix += t.text;
    }
    p.title = trim_separators(collapse_whitespace(all));
    p.prefix = trim_separators(collapse_whitespace(prefix));
    return p;
  }

  void definition(const line_view& l, std::size_t content_at) {
    finish_item();
    bullets_.clear();
    line_parts p = split(l, content_at);
    const int marker_col = static_cast<int>(l.first) + 1;
    def_indent_ = l.indent;
    def_has_tab_ = l.has_tab;
    std::string first_label_kind;
    for (const auto& t : p.toks) {
      if (t.kind == inline_token::type::label) {
        first_label_kind = kind_of_label(t.text);
        break;
      }
    }
    bool reading_role = true;
    for (auto h : current_) reading_role = reading_role && headings_[h].reading_role;
    const bool marker =
        is_reading_marker(p.prefix) || (first_label_kind == "reading" && p.prefix.empty());
    if (marker || reading_role) {
      ctx_ = context::reading;
      reading_to_item_ = false;
      reading_need_ = need_from_words(p.prefix);
      if (reading_need_ == reading_need::unspecified && first_label_kind == "reading") {
        for (const auto& t : p.toks)
          if (t.kind == inline_token::type::label) reading_need_ = need_from_words(t.text);
      }
      if (reading_need_ == reading_need::unspecified && reading_role && !current_.empty())
        reading_need_ = need_from_words(headings_[current_.front()].h.text);
      std::vector<content_reading> rs;
      readings_from(p, l.number, marker_col, reading_need_, !marker, rs);
      for (auto& r : rs) add_reading(std::move(r));
      return;
    }
    ctx_ = context::item;
    item_open_ = true;
    item_ = content_item{};
    item_.loc = loc(l.number, marker_col);
    bool first_label = true;
    for (const auto& t : p.toks) {
      if (t.kind != inline_token::type::label) continue;
      const std::string kind = kind_of_label(t.text);
      if (first_label) {
        item_.label = t.text;
        item_.kind = kind;
        first_label = false;
      }
      if (kind == "deadline") label_deadline(t, l.number);
    }
    item_.title = p.title;
    std::vector<inline_token> link_toks;
    for (const auto& t : p.toks)
      if (t.has_target) link_toks.push_back(t);
    collect_links(link_toks, item_.links, l.number);
    title_line_ = l;
    title_content_at_ = content_at;
  }

  void label_deadline(const inline_token& t, int line) {
    content_deadline d;
    d.phrase = t.text;
    d.loc = loc(line, t.col);
    auto dues = find_due_phrases(t.text);
    std::string what = t.text;
    if (!dues.empty()) {
      const auto& m = dues.front();
      d.date = m.deadline.date;
      d.time_minutes = m.deadline.time_minutes;
      d.end_of_week = m.deadline.end_of_week;
      what = t.text.substr(0, m.begin) + t.text.substr(m.end);
    }
    d.what = trim_separators(collapse_whitespace(what));
    if (d.what.empty() || lowercase(d.what) == "deadline")
      d.what = std::string();  // filled from the title when the item is finished
    item_.deadlines.push_back(std::move(d));
  }

  void readings_from(const line_parts& p, int line, int col, reading_need need,
                     bool text_is_reading, std::vector<content_reading>& out) {
    if (is_none_marker(p.title)) return;
    bool any = false;
    for (const auto& t : p.toks) {
      if (!t.has_target) continue;
      any = true;
      content_reading r;
      r.loc = loc(line, t.col);
      r.need = need_from_words(t.text);
      if (r.need == reading_need::unspecified) r.need = need;
      r.title = strip_need_suffix(t.text);
      auto url = resolve(t.target, line, t.col);
      if (url.first) r.url = url.second;
      out.push_back(std::move(r));
    }
    if (!any && text_is_reading && !p.title.empty()) {
      content_reading r;
      r.loc = loc(line, col);
      r.need = need_from_words(p.title);
      if (r.need == reading_need::unspecified) r.need = need;
      r.title = strip_need_suffix(p.title);
      out.push_back(std::move(r));
    }
  }

  void add_reading(content_reading r) {
    if (reading_to_item_ && item_open_) {
      item_.readings.push_back(std::move(r));
      return;
    }
    for (auto h : current_) {
      auto& hb = headings_[h];
      hb.loose.emplace_back(static_cast<int>(hb.h.items.size()) - 1, r);
    }
  }

  void nested_line(const line_view& l, std::size_t content_at) {
    line_parts p = split(l, content_at);
    if (ctx_ == context::reading) {
      std::vector<content_reading> rs;
      readings_from(p, l.number, static_cast<int>(content_at) + 1, reading_need_, true, rs);
      for (auto& r : rs) add_reading(std::move(r));
      return;
    }
    if (is_reading_marker(p.prefix)) {
      ctx_ = context::reading;
      reading_to_item_ = true;
      reading_need_ = need_from_words(p.prefix);
      def_indent_ = l.indent;
      def_has_tab_ = l.has_tab;
      bullets_.clear();
      std::vector<content_reading> rs;
      readings_from(p, l.number, static_cast<int>(content_at) + 1, reading_need_, false, rs);
      for (auto& r : rs) add_reading(std::move(r));
      return;
    }
    std::size_t before = item_.links.size();
    collect_links(p.toks, item_.links, l.number);
    std::string text;
    for (const auto& t : p.toks)
      if (!t.has_target) text += t.text;
    text = trim_separators(collapse_whitespace(text));
    auto dues = find_due_phrases(text);
    for (auto& m : dues) {
      if (!m.has_when) continue;
      m.deadline.loc = loc(l.number, static_cast<int>(content_at) + 1);
      item_.deadlines.push_back(std::move(m.deadline));
    }
    if (item_.links.size() == before && dues.empty() && !text.empty() && !p.has_links) {
      warn(l.number, static_cast<int>(l.first) + 1, "text in a link line is ignored");
    }
  }

  void bullet(const line_view& l, std::size_t content_at) {
    while (!bullets_.empty() && bullets_.back().first >= l.indent) bullets_.pop_back();
    reading_need parent = bullets_.empty() ? reading_need_ : bullets_.back().second;
    if (ctx_ == context::item) {
      // Bullets right under an item are that item's reading list.
      ctx_ = context::reading;
      reading_to_item_ = true;
      reading_need_ = reading_need::unspecified;
      parent = reading_need::unspecified;
    }
    line_parts p = split(l, content_at);
    reading_need need = need_from_words(p.prefix);
    if (need == reading_need::unspecified) need = parent;
    bullets_.emplace_back(l.indent, need);
    // "**Required**:" alone heads a nested list; it is not a reading itself.
    std::string bare = lowercase(p.prefix);
    while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ')) bare.pop_back();
    const bool group_header =
        !p.has_links && (bare == "required" || bare == "optional" || bare == "required reading" ||
                         bare == "optional reading" || bare.empty());
    std::vector<content_reading> rs;
    readings_from(p, l.number, static_cast<int>(l.first) + 1, need, !group_header, rs);
    for (auto& r : rs) add_reading(std::move(r));
  }

  void continuation(const line_view& l) {
    if (ctx_ == context::reading) {
      line_parts p = split(l, l.first);
      std::vector<content_reading> rs;
      readings_from(p, l.number, static_cast<int>(l.first) + 1, reading_need_, false, rs);
      for (auto& r : rs) add_reading(std::move(r));
      return;
    }
    if (!item_open_) return;
    line_parts p = split(l, l.first);
    item_.title += ' ';  // tidied once in finish_item: appending keeps long items linear
    item_.title += p.title;
    collect_links(p.toks, item_.links, l.number);
  }

  void finish_item() {
    if (!item_open_) return;
    item_open_ = false;
    item_.title = trim_separators(collapse_whitespace(item_.title));
    // Deadlines written in the title: "(Due 10/15)", "Due Tue 10/1 11:59pm".
    auto dues = find_due_phrases(item_.title);
    std::string rest = item_.title;
    for (auto it = dues.rbegin(); it != dues.rend(); ++it) {
      const bool last_word = it->end == item_.title.size();
      if (!it->has_when && !last_word) continue;
      rest = rest.substr(0, it->begin) + " " + rest.substr(it->end);
    }
    std::string what = drop_trailing_words(trim_separators(collapse_whitespace(rest)),
                                           {"released", "out", "assigned", "posted", "due"});
    if (what.empty()) what = drop_trailing_words(item_.label, {"due", "out"});
    for (auto& m : dues) {
      const bool last_word = m.end == item_.title.size() ||
                             (m.end + 1 == item_.title.size() && item_.title.back() == ')');
      if (!m.has_when && !last_word) continue;
      m.deadline.what = what;
      m.deadline.loc = due_loc(m.deadline.phrase);
      // "**HW 1 due**{: .label} ... (Due 4/18)" is one deadline: the phrase gives the date.
      auto undated = std::find_if(item_.deadlines.begin(), item_.deadlines.end(),
                                  [](auto& d) { return !d.date && !d.end_of_week; });
      if (undated != item_.deadlines.end() && m.has_when) {
        undated->phrase = m.deadline.phrase;
        undated->date = m.deadline.date;
        undated->time_minutes = m.deadline.time_minutes;
        undated->end_of_week = m.deadline.end_of_week;
        undated->loc = m.deadline.loc;
        continue;
      }
      item_.deadlines.push_back(std::move(m.deadline));
    }
    for (auto& d : item_.deadlines)
      if (d.what.empty()) d.what = what.empty() ? item_.title : what;
    item_.no_class = says_no_class(item_.title) || says_no_class(item_.label);
    for (auto h : current_) {
      auto& hb = headings_[h];
      const int idx = static_cast<int>(hb.h.items.size());
      for (int d = 0; d < static_cast<int>(item_.deadlines.size()); ++d) {
        const auto& dl = item_.deadlines[static_cast<std::size_t>(d)];
        if (dl.date && due_numeric(dl.phrase)) result_->numeric_dates.push_back({h, idx, d});
      }
      hb.h.items.push_back(item_);
    }
  }

  static bool due_numeric(const std::string& phrase) { return phrase.find('/') != npos; }

  // Column of a due phrase in its title line (the phrase is plain text; the line is markdown).
  source_loc due_loc(const std::string& phrase) {
    std::string_view t = title_line_.text;
    std::string l = lowercase(t.substr(std::min(title_content_at_, t.size())));
    std::string first_word = lowercase(phrase.substr(0, 3));
    std::size_t p = l.find(first_word);
    int col = p == npos ? static_cast<int>(title_content_at_) + 1
                        : static_cast<int>(title_content_at_ + p) + 1;
    return loc(title_line_.number, col);
  }

  void finish() {
    finish_item();
    flush_pending();
    if (!has_dl_) {
      bool any = std::any_of(lines_.begin(), lines_.end(), [](const auto& l) { return !l.blank; });
      if (any && !schedule_warned_) {
        const auto it =
            std::find_if(lines_.begin(), lines_.end(), [](const auto& l) { return !l.blank; });
        warn(it->number, static_cast<int>(it->first) + 1,
             "no definition list in this page: its layout is not read yet, nothing is taken "
             "from it");
      }
    } else {
      for (auto& d : deferred_) diags_.add(std::move(d));
    }
    for (auto& hb : headings_) {
      const int last = static_cast<int>(hb.h.items.size()) - 1;
      for (auto& [after, r] : hb.loose) {
        const bool week_level =
            hb.reading_role || after < 0 || (hb.h.shape == heading_shape::classes && after == last);
        if (week_level) {
          hb.h.week_readings.push_back(std::move(r));
        } else {
          hb.h.items[static_cast<std::size_t>(after)].readings.push_back(std::move(r));
        }
      }
      result_->week.headings.push_back(std::move(hb.h));
    }
  }

  void set_week_number() {
    content_week& w = result_->week;
    if (auto n = week_from_title(w.title)) {
      w.number = *n;
      return;
    }
    // No week in the title: the number in the file name for now (0 without one). The resolver,
    // which knows the term, places the page by its dates instead when it has any in the term,
    // and warns when it has none.
    std::string name = file_;
    std::size_t slash = name.find_last_of('/');
    if (slash != npos) name = name.substr(slash + 1);
    std::size_t d = name.find_first_of("0123456789");
    int n = 0;
    if (d != npos) {
      for (std::size_t k = d; k < name.size() && is_digit(name[k]) && k - d < 4; ++k)
        n = n * 10 + (name[k] - '0');
    }
    w.number = n;
    w.number_from_file_name = true;
  }

  std::string_view text_;
  const std::string& file_;
  const site_info& site_;
  diagnostics& diags_;
  page_result* result_ = nullptr;
  std::string body_;
  std::vector<line_view> lines_;
  std::vector<heading_build> headings_;
  std::vector<std::size_t> current_;
  std::vector<line_view> pending_;
  std::vector<diagnostic> deferred_;
  context ctx_ = context::none;
  int def_indent_ = 0;
  bool def_has_tab_ = false;
  bool item_open_ = false;
  content_item item_;
  line_view title_line_;
  std::size_t title_content_at_ = 0;
  bool reading_to_item_ = false;
  reading_need reading_need_ = reading_need::unspecified;
  std::vector<std::pair<int, reading_need>> bullets_;  // indent, need inherited by children
  bool has_dl_ = false;
  bool schedule_warned_ = false;
  // Lines made from a front-matter schedule: a deque keeps the texts where line_views see them.
  std::deque<std::pair<std::string, int>> schedule_lines_;
};

content_date* date_of(page_result& p, const page_result::numeric_date_ref& ref) {
  auto& h = p.week.headings[ref.heading];
  if (ref.item < 0) return h.date ? &*h.date : nullptr;
  auto& item = h.items[static_cast<std::size_t>(ref.item)];
  auto& dl = item.deadlines[static_cast<std::size_t>(ref.deadline)];
  return dl.date ? &*dl.date : nullptr;
}

}  // namespace

page_result parse_page(std::string_view text, const std::string& file, const site_info& site,
                       diagnostics& diags) {
  return page_parser(text, file, site, diags).run();
}

void apply_site_decisions(std::vector<page_result>& pages) {
  bool day_first = false;
  for (auto& p : pages)
    for (const auto& ref : p.numeric_dates)
      if (const content_date* d = date_of(p, ref); d && d->month > 12) day_first = true;
  if (day_first) {
    for (auto& p : pages) {
      for (const auto& ref : p.numeric_dates) {
        if (content_date* d = date_of(p, ref)) std::swap(d->month, d->day);
      }
    }
  }
  // Slot numbers per family: a number seen in two pages means they restart in each week.
  std::map<std::string, std::map<int, std::set<std::size_t>>> seen;
  for (std::size_t i = 0; i < pages.size(); ++i)
    for (const auto& s : pages[i].slots) seen[s.family][s.number].insert(i);
  for (const auto& [family, numbers] : seen) {
    bool restarts = false;
    for (const auto& [n, where] : numbers) restarts = restarts || where.size() > 1;
    if (restarts) continue;
    bool starts_at_one = true;
    for (auto& p : pages) {
      int min = -1;
      for (const auto& s : p.slots)
        if (s.family == family && (min < 0 || s.number < min)) min = s.number;
      if (min >= 0 && min != 1) starts_at_one = false;
    }
    // A counter starting at 0 is never a slot; otherwise a single page is no evidence of a
    // counter running across the term ("Lecture 2" alone is the second slot).
    bool zero = numbers.contains(0);
    std::set<std::size_t> pages_with_family;
    for (const auto& [n, where] : numbers) pages_with_family.insert(where.begin(), where.end());
    if (!zero && (starts_at_one || pages_with_family.size() < 2)) continue;
    for (auto& p : pages) {
      int position = 0;
      for (const auto& s : p.slots)
        if (s.family == family) p.week.headings[s.heading].slot = ++position;
    }
  }
}

}  // namespace coursecal::content::detail
