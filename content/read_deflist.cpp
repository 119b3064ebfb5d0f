// kramdown definition lists: a term line (a date, a slot, a role) and its ": " definitions, each
// an item with nested link lines and reading lists.
#include <algorithm>

#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {
namespace {

bool is_group_header(const std::string& prefix) {
  std::string bare = lowercase_ascii(prefix);
  while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ')) bare.pop_back();
  return bare == "required" || bare == "optional" || bare == "required reading" ||
         bare == "optional reading" || bare.empty();
}

// Plain text of the tokens before the first link (labels left out).
std::string prefix_of(const std::vector<inline_token>& toks) {
  std::string prefix;
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::link) break;
    if (t.kind == inline_token::type::label) continue;
    prefix += t.text;
  }
  return trim_separators(collapse_whitespace(prefix));
}

// A label that says something is due ("**HW 4 DUE**{: .label}", "**Essay due 3/4**"), or a due
// phrase with a day or time in the text ("Lab 2 due Fri 11:59pm").
bool due_line(const std::vector<inline_token>& toks) {
  for (const auto& t : toks) {
    for (const auto& m : find_due_phrases(t.text, 2)) {
      if (t.kind == inline_token::type::label || m.has_when) return true;
    }
  }
  return false;
}

bool has_links(const std::vector<inline_token>& toks) {
  return std::any_of(toks.begin(), toks.end(),
                     [](const inline_token& t) { return t.kind == inline_token::type::link; });
}

// Only links (and separators) on the line: "[2019](a)", "[Slides](a), [Zoom Recording](b)".
bool links_only(const std::vector<inline_token>& toks) {
  bool link = false;
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::label) return false;
    if (t.kind == inline_token::type::link) {
      link = true;
      continue;
    }
    if (!trim_separators(collapse_whitespace(t.text)).empty()) return false;
  }
  return link;
}

// A definition of materials for the item above it: only links to materials, with at most
// separators, "and", or a remark in parentheses around them ("[Slides](a), [Zoom Recording](b)
// (we forgot to record the lab!)"). A due phrase makes it an item of its own.
bool materials_only(const std::vector<inline_token>& toks) {
  bool link = false;
  std::string outside;
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::label) return false;
    if (t.kind == inline_token::type::link) {
      if (!is_generic_link_text(collapse_whitespace(t.text))) return false;
      link = true;
      continue;
    }
    outside += t.text;
  }
  if (!link) return false;
  std::string rest = trim_separators(collapse_whitespace(outside));
  // A remark in parentheses is a note, not a topic.
  if (rest.size() >= 2 && rest.front() == '(' && rest.back() == ')') rest.clear();
  if (!find_due_phrases(outside).empty()) return false;
  const std::string l = lowercase_ascii(rest);
  return rest.empty() || l == "and" || l == "&";
}

// ": * You may bring one cheat-sheet": a bullet inside a definition.
bool bulleted(std::string_view content) {
  std::size_t i = 0;
  while (i < content.size() && (content[i] == ' ' || content[i] == '\t')) ++i;
  return i + 1 < content.size() && (content[i] == '*' || content[i] == '-' || content[i] == '+') &&
         (content[i + 1] == ' ' || content[i + 1] == '\t');
}

}  // namespace

bool deflist_reader::looks_like_term(const line_view& l) {
  const std::string plain = plain_text(l.text.substr(l.first, 200));
  const heading_match h = classify_heading(plain);
  if (h.shape != anchor_type::week) return true;
  return h.known_role && std::count(plain.begin(), plain.end(), ' ') <= 2;
}

void deflist_reader::terms(const std::vector<line_view>& lines) {
  finish_item();
  end();
  for (const line_view& l : lines) {
    const int col = static_cast<int>(l.first) + 1;
    const auto toks = parse_inline(l.text.substr(l.first), col);
    const std::string text = plain_of(toks);
    page_builder::anchor_text a = pb_.anchor_of(text, l.number, col);
    if (a.anchor.type == anchor_type::week && !a.known_role && !pb_.page().anchor) {
      pb_.warn(l.number, col,
               "heading '" + text +
                   "' is not a date, a class slot or a known role; its items belong to the week");
    }
    const std::size_t index = pb_.add_anchor_block(a);
    current_.push_back(index);
    reading_role_.push_back(a.reading_role);
    loose_.emplace_back();
    // "Oct 7: Midterm", "Lecture 3: Caching": the heading's own text is its first item.
    if ((a.anchor.type == anchor_type::dates || a.anchor.type == anchor_type::slot ||
         a.anchor.type == anchor_type::counter) &&
        has_words(a.rest)) {  // "June 1 🧒🎁": decoration, not an item
      auto rest_toks = parse_inline(a.rest, col);
      for (auto& d : entries_of_line(rest_toks, l.number, col, pb_))
        pb_.block(index).entries.push_back(finish_entry(std::move(d), pb_));
    }
  }
  ctx_ = context::none;
  orphan_ = false;
}

void deflist_reader::definition(const line_view& l, std::size_t content_at, bool after_blank) {
  nested_note_.reset();
  if (current_.empty()) {
    if (!orphan_)
      pb_.warn(l.number, static_cast<int>(l.first) + 1, "definition without a term is ignored");
    orphan_ = true;
    ctx_ = context::orphan;
    return;
  }
  // A link line sits right under its item; after a blank line only an indent of 4 or more (a
  // code-block indent in kramdown) still nests, 0-3 starts a new definition.
  const bool deeper = after_blank ? l.indent >= 4 && l.indent >= def_indent_ + 2
                                  : l.indent >= def_indent_ + 2 || (l.has_tab && !def_has_tab_);
  if ((ctx_ == context::item || ctx_ == context::reading) && deeper) {
    nested_line(l, content_at);
    return;
  }
  item_line(l, content_at);
}

void deflist_reader::item_line(const line_view& l, std::size_t content_at) {
  const auto toks = parse_inline(l.text.substr(content_at), static_cast<int>(content_at) + 1);
  const int marker_col = static_cast<int>(l.first) + 1;
  // "[Slides](a), [Zoom Recording](b)" or "[2019](a)" as its own definition right after an item
  // is that item's; so is ": * point" (a list inside the definition).
  const bool classes = std::any_of(current_.begin(), current_.end(), [&](std::size_t b) {
    return pb_.block(b).anchor.type == anchor_type::classes;
  });
  if (item_open_ && ctx_ == context::item && !items_.empty() && !classes &&
      (links_only(toks) || materials_only(toks) || bulleted(l.text.substr(content_at)))) {
    add_link_line(items_.back(), toks, l.number, static_cast<int>(content_at) + 1, pb_);
    return;
  }
  finish_item();
  bullets_.clear();
  def_indent_ = l.indent;
  def_has_tab_ = l.has_tab;
  std::string first_label_kind;
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::label) {
      first_label_kind = kind_of_label(t.text);
      break;
    }
  }
  const bool reading_role =
      std::all_of(reading_role_.begin(), reading_role_.end(), [](bool b) { return b; });
  const std::string prefix = prefix_of(toks);
  const bool marker =
      is_reading_marker(prefix) || (first_label_kind == "reading" && prefix.empty());
  if (marker || reading_role) {
    reading_need need = need_from_words(prefix);
    if (need == reading_need::unspecified && first_label_kind == "reading") {
      for (const auto& t : toks)
        if (t.kind == inline_token::type::label) need = need_from_words(t.text);
    }
    if (need == reading_need::unspecified && reading_role && !current_.empty())
      need = need_from_words(pb_.block(current_.front()).anchor.text);
    open_reading(need, false);
    std::vector<content_reading> rs;
    readings_of_line(toks, l.number, marker_col, need, !marker, pb_, rs);
    for (auto& r : rs) add_reading(std::move(r));
    return;
  }
  ctx_ = context::item;
  item_open_ = true;
  items_ = entries_of_line(toks, l.number, marker_col, pb_, l.text.substr(content_at),
                           static_cast<int>(content_at) + 1);
  if (items_.empty()) {
    // ": " alone or ": &nbsp;": a placeholder item, kept so its link lines have a home.
    entry_draft d;
    d.line = l.number;
    d.col = marker_col;
    d.e.loc = pb_.loc(l.number, marker_col);
    items_.push_back(std::move(d));
  }
}

void deflist_reader::open_reading(reading_need need, bool to_item) {
  ctx_ = context::reading;
  reading_to_item_ = to_item;
  reading_need_ = need;
}

void deflist_reader::add_reading(content_reading r) {
  if (reading_to_item_ && item_open_ && !items_.empty()) {
    items_.back().e.readings.push_back(std::move(r));
    return;
  }
  for (std::size_t k = 0; k < current_.size(); ++k) {
    const int after = static_cast<int>(pb_.block(current_[k]).entries.size()) - 1;
    loose_[k].emplace_back(after, r);
  }
}

void deflist_reader::nested_line(const line_view& l, std::size_t content_at) {
  const auto toks = parse_inline(l.text.substr(content_at), static_cast<int>(content_at) + 1);
  const int col = static_cast<int>(content_at) + 1;
  if (ctx_ == context::reading) {
    std::vector<content_reading> rs;
    readings_of_line(toks, l.number, col, reading_need_, true, pb_, rs);
    for (auto& r : rs) add_reading(std::move(r));
    return;
  }
  const std::string prefix = prefix_of(toks);
  if (is_reading_marker(prefix)) {
    open_reading(need_from_words(prefix), true);
    def_indent_ = l.indent;
    def_has_tab_ = l.has_tab;
    bullets_.clear();
    std::vector<content_reading> rs;
    readings_of_line(toks, l.number, col, reading_need_, false, pb_, rs);
    for (auto& r : rs) add_reading(std::move(r));
    return;
  }
  if (items_.empty()) return;
  const std::size_t notes = items_.back().e.notes.size();
  add_link_line(items_.back(), toks, l.number, col, pb_);
  if (items_.back().e.notes.size() > notes) nested_note_ = notes;
}

bool deflist_reader::takes_bullets() const { return !current_.empty() && ctx_ != context::orphan; }

void deflist_reader::bullet(const line_view& l, std::size_t content_at) {
  nested_note_.reset();
  while (!bullets_.empty() && bullets_.back().first >= l.indent) bullets_.pop_back();
  reading_need parent = bullets_.empty() ? reading_need_ : bullets_.back().second;
  if (ctx_ == context::item) {
    // Bullets right under an item are that item's reading list.
    open_reading(reading_need::unspecified, true);
    parent = reading_need::unspecified;
  }
  const auto toks = parse_inline(l.text.substr(content_at), static_cast<int>(content_at) + 1);
  // "- **HW 4 DUE**{: .label}" in an item's list: what is due, not a reading.
  if ((ctx_ == context::item || (ctx_ == context::reading && reading_to_item_)) && item_open_ &&
      !items_.empty() && due_line(toks)) {
    add_link_line(items_.back(), toks, l.number, static_cast<int>(content_at) + 1, pb_);
    return;
  }
  const std::string prefix = prefix_of(toks);
  reading_need need = need_from_words(prefix);
  if (need == reading_need::unspecified) need = parent;
  bullets_.emplace_back(l.indent, need);
  // "**Required**:" alone heads a nested list; it is not a reading itself.
  const bool group_header = !has_links(toks) && is_group_header(prefix);
  std::vector<content_reading> rs;
  readings_of_line(toks, l.number, static_cast<int>(l.first) + 1, need, !group_header, pb_, rs);
  for (auto& r : rs) add_reading(std::move(r));
}

void deflist_reader::continuation(const line_view& l) {
  const auto toks = parse_inline(l.text.substr(l.first), static_cast<int>(l.first) + 1);
  if (ctx_ == context::reading) {
    std::vector<content_reading> rs;
    readings_of_line(toks, l.number, static_cast<int>(l.first) + 1, reading_need_, false, pb_, rs);
    for (auto& r : rs) add_reading(std::move(r));
    return;
  }
  if (!item_open_ || items_.empty()) return;
  // "  : line one that wraps" + "  onto the next line": one note.
  if (nested_note_ && *nested_note_ + 1 == items_.back().e.notes.size()) {
    std::vector<std::string> own;
    std::swap(own, items_.back().e.notes);
    add_link_line(items_.back(), toks, l.number, static_cast<int>(l.first) + 1, pb_);
    std::vector<std::string> added;
    std::swap(added, items_.back().e.notes);
    items_.back().e.notes = std::move(own);
    for (const auto& n : added) items_.back().e.notes.back() += " " + n;
    return;
  }
  // Under an item that has its words already, a line of nothing but links ("[ Solution1 ] [
  // Exercise2 ]", "[**M 6 due**](m6){: .label}") holds its materials, not more of its title.
  const bool materials = std::all_of(toks.begin(), toks.end(), [](const inline_token& t) {
    if (t.has_target) return true;
    if (t.kind == inline_token::type::label) return !find_due_phrases(t.text, 1).empty();
    return trim_separators(collapse_whitespace(t.text)).empty();
  });
  if (materials && !trim_separators(collapse_whitespace(items_.back().text)).empty()) {
    add_link_line(items_.back(), toks, l.number, static_cast<int>(l.first) + 1, pb_);
    return;
  }
  add_continuation(items_.back(), toks, l.number, pb_);
}

void deflist_reader::finish_item() {
  nested_note_.reset();
  if (!item_open_) return;
  item_open_ = false;
  for (auto& d : items_) {
    content_entry e = finish_entry(std::move(d), pb_);
    const bool empty = e.title.empty() && e.label.empty() && e.links.empty() &&
                       e.readings.empty() && e.deadlines.empty() && e.notes.empty() &&
                       e.tags.empty();
    for (std::size_t b : current_) {
      // ": " alone, ": &nbsp;": a placeholder, which keeps its place in a Classes list.
      if (empty && pb_.block(b).anchor.type != anchor_type::classes) continue;
      pb_.block(b).entries.push_back(e);
    }
  }
  items_.clear();
}

namespace {

// A column name ("Topic", "References", "Notes", "Date"): a role word alone.
bool column_word(const std::string& text) {
  if (text.empty() || text.size() > 24 || text.find(' ') != std::string::npos) return false;
  const std::string l = lowercase_ascii(text);
  return classify_heading(text).known_role || l == "references" || l == "refs" || l == "links" ||
         l == "remarks" || l == "comments";
}

// "**Week**" / "  : **Topic**" / "    : **References**": the header row of a definition list laid
// out as a table. It names columns; it is not content.
bool header_row(const content_block& b) {
  if (b.anchor.type != anchor_type::week || !column_word(b.anchor.text) || b.entries.empty())
    return false;
  return std::all_of(b.entries.begin(), b.entries.end(), [](const content_entry& e) {
    return e.links.empty() && e.deadlines.empty() && e.readings.empty() &&
           column_word(e.title.empty() ? e.label : e.title) &&
           std::all_of(e.notes.begin(), e.notes.end(), column_word);
  });
}

}  // namespace

void deflist_reader::end() {
  finish_item();
  for (std::size_t b : current_)
    if (header_row(pb_.block(b))) pb_.block(b).entries.clear();
  for (std::size_t k = 0; k < current_.size(); ++k) {
    content_block& b = pb_.block(current_[k]);
    const int last = static_cast<int>(b.entries.size()) - 1;
    for (auto& [after, r] : loose_[k]) {
      const bool block_level =
          reading_role_[k] || after < 0 || (b.anchor.type == anchor_type::classes && after == last);
      if (block_level)
        b.readings.push_back(std::move(r));
      else
        b.entries[static_cast<std::size_t>(after)].readings.push_back(std::move(r));
    }
  }
  current_.clear();
  reading_role_.clear();
  loose_.clear();
  ctx_ = context::none;
  orphan_ = false;
  bullets_.clear();
}

}  // namespace coursecal::content::detail
