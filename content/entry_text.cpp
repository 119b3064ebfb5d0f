// One line of inline text -> the entries it states. Shared by every shape reader.
#include <algorithm>

#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string::npos;

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         lowercase_ascii(s.substr(0, prefix.size())) == lowercase_ascii(prefix);
}

// Empty brackets and doubled spaces left where a phrase was cut: "FINAL EXAM ()" -> "FINAL EXAM".
// Linear: every pass edits in place.
std::string tidy(std::string s) {
  for (std::string_view empty : {"()", "[]", "( )", "[ ]", "(,)", "(;)", "( ; )", "(; )"}) {
    if (s.find(empty) == npos) continue;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
      if (s.compare(i, empty.size(), empty) == 0) {
        i += empty.size();
      } else {
        out += s[i++];
      }
    }
    s = std::move(out);
  }
  s = collapse_whitespace(s);
  // "Final Exam ( , remote)" where a time was cut: "Final Exam (remote)".
  if (s.find("( ") != npos || s.find(" )") != npos) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '(') {
        out += '(';
        while (i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == ',' || s[i + 1] == ';')) ++i;
        continue;
      }
      if (s[i] == ')') {
        while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';'))
          out.pop_back();
      }
      out += s[i];
    }
    s = std::move(out);
    if (s.find("()") != npos) return tidy(std::move(s));
  }
  // Brackets left open at the end, a stray '.' or '!' at the start, by a cut; a ';' at the end
  // ("Review Recitation;").
  while (!s.empty() && (s.back() == ';' || s.back() == ' ')) {
    const std::size_t word = s.find_last_of(' ', s.size() - 1);
    if (s.back() == ';' && s[word == npos ? 0 : word + 1] == '&') break;  // "&#xZZ;" as written
    s.pop_back();
  }
  std::string t = trim_separators(s);
  bool changed = true;
  while (changed && !t.empty()) {
    changed = false;
    std::size_t e = t.size();
    while (e > 0 && (t[e - 1] == '(' || t[e - 1] == '[' || t[e - 1] == ' ')) --e;
    std::size_t b = 0;
    while (b < e && (t[b] == '.' || t[b] == '!' || t[b] == ' ')) ++b;
    if (b > 0 || e < t.size()) {
      t = trim_separators(std::string_view(t).substr(b, e - b));
      changed = true;
    }
  }
  return t;
}

// `s` without bytes [b, e).
std::string cut(const std::string& s, std::size_t b, std::size_t e) {
  return s.substr(0, b) + " " + s.substr(std::min(e, s.size()));
}

// Words that only join links ("[A](a) and [B](b), [C](c)").
bool only_connectives(std::string_view text) {
  std::string word;
  auto significant = [](const std::string& w) {
    if (w.empty()) return false;
    const std::string l = lowercase_ascii(w);
    return !(l == "and" || l == "or" || l == "e" || l == "y" || l == "et" || l == "und" ||
             l == "the" || l == "&" || l == "/" || l == "+" || l == "-" || l == "|");
  };
  for (char c : text) {
    const bool sep = c == ' ' || c == ',' || c == ';' || c == '|' || c == '(' || c == ')' ||
                     c == '[' || c == ']' || c == ':' || c == '.' || c == '\t' ||
                     static_cast<unsigned char>(c) >= 0x80;  // bullets, dashes, emoji
    if (sep) {
      if (significant(word)) return false;
      word.clear();
    } else {
      word += c;
    }
  }
  return !significant(word);
}

// The label without the due phrase it holds ("HW 1 due" -> "HW 1", "Final Paper Due Tues 5/14"
// -> "Final Paper", "Assignment 0 deadline" -> "Assignment 0").
std::string without_phrase(const std::string& s, const due_match& m) {
  std::string r = s.substr(0, m.begin) + " " + s.substr(std::min(m.end, s.size()));
  return tidy(r);
}

// "in CSB 244. Book a slot" -> ("CSB 244", bytes used): a room (words with a digit) after "in"
// or "@" at the start of the text.
std::optional<std::pair<std::string, std::size_t>> leading_room(const std::string& text) {
  std::size_t i = 0;
  if (text.starts_with("@ "))
    i = 2;
  else if (text.starts_with("in ") || text.starts_with("In "))
    i = 3;
  else
    return std::nullopt;
  std::size_t j = i;
  int words = 0;
  bool digit = false;
  while (j < text.size() && words < 3) {
    std::size_t k = j;
    while (k < text.size() && text[k] != ' ' && text[k] != '.' && text[k] != ',' &&
           text[k] != ';' && text[k] != '!')
      ++k;
    if (k == j) break;
    const std::string w = text.substr(j, k - j);
    if (has_digit(w)) digit = true;
    ++words;
    j = k;
    if (digit) break;
    if (j < text.size() && text[j] == ' ') ++j;
  }
  if (!digit) return std::nullopt;
  std::string room = tidy(text.substr(i, j - i));
  if (room.empty()) return std::nullopt;
  return std::pair{room, j};
}

// The column of a phrase (plain text) in the entry's source line (markdown): where its first word
// is, else the entry's own column.
int source_col(const entry_draft& d, const std::string& phrase) {
  if (d.source.empty() || phrase.empty()) return d.col;
  const std::string first =
      lowercase_ascii(phrase.substr(0, std::min<std::size_t>(3, phrase.size())));
  const std::size_t at = lowercase_ascii(d.source).find(first);
  return at == npos ? d.col : d.source_col + static_cast<int>(at);
}

// "Review for the midterm", "Exam prep", "Practice exam": a class about an exam.
bool preparation(const std::string& title) {
  const std::string l = lowercase_ascii(title);
  for (std::string_view w : {"review", "prep", "practice", "sample", "solution", "study"})
    if (l.find(w) != npos) return true;
  return false;
}

// "Homework 1", "HW 1", "PA 0", "Programming Assignment 0" -> "hw1", "pa0": the assignment a text
// names, to tell a label and a title that name the same thing.
std::string assignment_key(const std::string& text) {
  const std::string l = lowercase_ascii(text);
  static const std::pair<std::string_view, std::string_view> names[] = {
      {"programming assignment", "pa"},
      {"homework", "hw"},
      {"assignment", "a"},
      {"project", "p"},
      {"quiz", "quiz"},
      {"lab", "lab"},
      {"hw", "hw"},
      {"pa", "pa"},
      {"ps", "ps"},
      {"problem set", "ps"}};
  for (const auto& [name, key] : names) {
    std::size_t at = l.find(name);
    while (at != npos) {
      const bool word_start = at == 0 || !((l[at - 1] >= 'a' && l[at - 1] <= 'z'));
      std::size_t p = at + name.size();
      while (p < l.size() && (l[p] == ' ' || l[p] == '#' || l[p] == '-')) ++p;
      std::size_t q = p;
      while (q < l.size() && l[q] >= '0' && l[q] <= '9') ++q;
      if (word_start && q > p && q - p < 5) return std::string(key) + l.substr(p, q - p);
      at = l.find(name, at + 1);
    }
  }
  return {};
}

struct segment {
  const inline_token* label = nullptr;
  std::vector<const inline_token*> rest;
};

bool blank_rest(const segment& s) {
  return std::all_of(s.rest.begin(), s.rest.end(), [](const inline_token* t) {
    return !t->has_target && collapse_whitespace(t->text).empty();
  });
}

// A topic label: a word that is not a kind, a number, a date, a due or a no-class marker
// ("Policy", "Networks", "Mechanism").
bool tag_like(const std::string& label) {
  if (label.empty() || has_digit(label)) return false;
  if (!kind_of_label(label).empty() || says_no_class(label)) return false;
  bool release = false;
  strip_release_words(label, release);
  return !release;
}

// A label that names what it is about beyond a kind, due or release word: "Project List and
// Venues Released", "HW 3 due", "Project Proposal Submission Deadline" (not "DUE", "Released",
// "Exam", "Guest Lecture").
bool names_itself(std::string_view label) {
  std::string name = collapse_whitespace(label);
  bool release = false;
  name = strip_release_words(name, release);
  if (const auto dues = find_due_phrases(name, 1); !dues.empty())
    name = tidy(name.substr(0, dues.front().begin));
  if (has_digit(name)) return true;
  if (word_count(name) < 2) return false;
  return release || !find_due_phrases(label, 1).empty() || kind_of_label(name).empty();
}

// "Guest Lecture", "Invited Lecture", "Make-up Lecture": a lecture, said with a word of what kind.
bool lecture_kind_name(std::string_view label) {
  std::string l = lowercase_ascii(collapse_whitespace(label));
  for (std::string_view kind : {"lecture", "class", "talk"}) {
    if (!l.ends_with(kind)) continue;
    std::string w = trim_separators(l.substr(0, l.size() - kind.size()));
    return w == "guest" || w == "invited" || w == "special" || w == "extra" || w == "bonus" ||
           w == "make-up" || w == "makeup" || w == "online" || w == "remote";
  }
  return false;
}

bool begins_with_link(const segment& s) {
  for (const inline_token* t : s.rest) {
    if (t->kind == inline_token::type::link) return !is_generic_link_text(t->text);
    if (!collapse_whitespace(t->text).empty()) return false;
  }
  return false;
}

}  // namespace

std::string plain_of(const std::vector<inline_token>& toks) {
  std::string all;
  for (const auto& t : toks) all += t.text;
  return collapse_whitespace(all);
}

std::vector<entry_draft> entries_of_line(const std::vector<inline_token>& toks, int line, int col,
                                         page_builder& pb, std::string_view source,
                                         int source_col) {
  std::vector<segment> segs(1);
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::label) {
      if (segs.back().label || !segs.back().rest.empty()) segs.emplace_back();
      segs.back().label = &t;
    } else {
      segs.back().rest.push_back(&t);
    }
  }
  // Text before the first label goes with it ("Checkpoint 1 **DUE**{: .label}"), unless the label
  // names a thing of its own ("[Demo day](w2) **Project List Released**{: .label}": two entries).
  if (segs.size() > 1 && !segs[0].label) {
    if (blank_rest(segs[0])) {
      segs.erase(segs.begin());
    } else if (!names_itself(segs[1].label->text)) {
      segs[1].rest.insert(segs[1].rest.begin(), segs[0].rest.begin(), segs[0].rest.end());
      segs.erase(segs.begin());
    }
  }
  std::vector<entry_draft> out;
  std::vector<std::string> pending_tags;
  for (std::size_t k = 0; k < segs.size(); ++k) {
    const segment& s = segs[k];
    const std::string label = s.label ? collapse_whitespace(s.label->text) : std::string();
    // A topic label with nothing after it, before another label, tags that one.
    if (s.label && k + 1 < segs.size() && blank_rest(s) && tag_like(label) &&
        !s.label->has_target) {
      pending_tags.push_back(label);
      continue;
    }
    if (!s.label && blank_rest(s) && s.rest.empty() && pending_tags.empty()) continue;
    entry_draft d;
    d.line = line;
    d.col = s.label ? s.label->col : col;
    d.source_col = source_col > 0 ? source_col : col;
    if (source.size() <= 4096) d.source = std::string(source);
    d.e.loc = pb.loc(line, d.col);
    d.e.tags = std::move(pending_tags);
    pending_tags.clear();
    d.e.label = label;
    std::vector<inline_token> link_toks;
    if (s.label && s.label->has_target) {
      inline_token as_link = *s.label;
      as_link.kind = inline_token::type::link;
      link_toks.push_back(as_link);
    }
    // "Introduction ([1up](a)) ([6up](b))", "Processes. ([Notes](a), [Scribbles](b))": links
    // alone in parentheses are materials, not title.
    std::vector<char> material(s.rest.size(), 0);
    for (std::size_t r = 0; r + 1 < s.rest.size(); ++r) {
      const std::string_view before = s.rest[r]->text;
      const std::size_t last = before.find_last_not_of(" \t");
      if (s.rest[r]->kind != inline_token::type::text || last == std::string_view::npos ||
          before[last] != '(')
        continue;
      std::size_t q = r + 1;
      bool links = false;
      while (q < s.rest.size()) {
        const inline_token* t = s.rest[q];
        if (t->kind == inline_token::type::link) {
          links = true;
        } else if (t->kind == inline_token::type::text) {
          const std::string_view x = t->text;
          const std::size_t close = x.find(')');
          if (close != std::string_view::npos) {
            if (!trim_separators(x.substr(0, close)).empty()) links = false;
            break;
          }
          if (!trim_separators(collapse_whitespace(x)).empty()) {
            links = false;
            break;
          }
        } else {
          links = false;
          break;
        }
        ++q;
      }
      if (!links || q >= s.rest.size()) continue;
      for (std::size_t m = r + 1; m < q; ++m) material[m] = 1;
      r = q - 1;
    }
    std::string text;
    for (std::size_t r = 0; r < s.rest.size(); ++r) {
      const inline_token* t = s.rest[r];
      if (t->has_target) link_toks.push_back(*t);
      if (material[r]) continue;
      if (t->kind == inline_token::type::link) {
        if (is_generic_link_text(t->text)) continue;
        if (d.first_link.empty()) d.first_link = collapse_whitespace(t->text);
      }
      text += t->text;
    }
    pb.collect_links(link_toks, d.e.links, line);
    d.text = collapse_whitespace(text);
    if (!label.empty()) {
      const std::string kind = kind_of_label(label);
      d.e.kind = kind;
      const bool number_only = std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '#';
      });
      if (number_only) {
        d.role = entry_draft::label_role::class_label;  // "**5**{: .label}": a lecture number
      } else if (class_label_number(label) || (kind == "lecture" && word_count(label) == 1)) {
        d.role = entry_draft::label_role::class_label;
        d.e.kind = "lecture";
      } else if (tag_like(label) && begins_with_link(s)) {
        d.role = entry_draft::label_role::tag;
        d.e.tags.push_back(label);
        d.e.label.clear();
      } else if (!has_digit(label) && !kind.empty() && kind != "deadline" &&
                 word_count(label) == 1) {
        d.role = entry_draft::label_role::kind_word;
      } else {
        d.role = entry_draft::label_role::name;
        d.lecture_name = kind == "lecture" && lecture_kind_name(label);
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

void add_link_line(entry_draft& d, const std::vector<inline_token>& toks, int line, int col,
                   page_builder& pb) {
  std::vector<inline_token> link_toks;
  std::string outside;  // text outside links
  // Where each link sits in `outside`, with its text: what a due phrase on the line names.
  std::vector<std::pair<std::size_t, std::string>> link_at;
  // A label starts a piece of its own too ("**Paper Reading**{: .label} **Report Due**{: .label}").
  std::vector<std::size_t> label_at;
  for (const auto& t : toks) {
    if (t.has_target) {
      link_toks.push_back(t);
      link_at.emplace_back(outside.size(), t.text);
      outside += " ";
      if (t.kind == inline_token::type::label) outside += t.text + " ";
    } else {
      if (t.kind == inline_token::type::label) label_at.push_back(outside.size());
      outside += t.text;
      if (t.kind == inline_token::type::label) outside += " ";
    }
  }
  pb.collect_links(link_toks, d.e.links, line);
  // A due phrase on the line ("**HW 1 due**{: .label}", "**Slides Due 11:59 pm ET, Dec 1**",
  // "[HW 2](a) due Friday") is a deadline for what the line names before it; "HW 1 due" without
  // a day is due on the day of the item it sits under. The line's words name what is due, not
  // the item's ("Project Presentations" + "Slides Due ..." is the slides).
  bool line_is_deadline = false;
  for (const auto& m : find_due_phrases(outside)) {
    std::size_t piece_begin = 0, piece_end = outside.size();
    const std::string* link_before = nullptr;
    for (const auto& [at, text] : link_at) {
      if (at <= m.begin) {
        piece_begin = at;
        link_before = &text;
      } else if (at >= m.end) {
        piece_end = std::min(piece_end, at);
      }
    }
    for (std::size_t at : label_at) {
      if (at <= m.begin && at > piece_begin) {
        piece_begin = at;
        link_before = nullptr;
      } else if (at >= m.end) {
        piece_end = std::min(piece_end, at);
      }
    }
    const std::string after = trim_separators(outside.substr(m.end, piece_end - m.end));
    if (!m.has_when && !after.empty()) continue;  // "due to the strike"
    std::string what = tidy(outside.substr(piece_begin, m.begin - piece_begin));
    if (only_connectives(what)) what.clear();
    if (what.empty() && link_before && !is_generic_link_text(*link_before))
      what = tidy(*link_before);
    if (!m.has_when && what.empty()) continue;
    content_deadline dl = m.deadline;
    dl.loc = pb.loc(line, col);
    dl.what = what;
    if (!m.has_when) dl.phrase = tidy(outside.substr(piece_begin, m.end - piece_begin));
    if (m.today) dl.date.reset();
    d.e.deadlines.push_back(std::move(dl));
    outside = cut(outside, piece_begin, m.end);
    line_is_deadline = true;
    break;
  }
  const std::string text = trim_separators(collapse_whitespace(outside));
  if (text.empty() || only_connectives(text)) return;
  // The note reads as the line does, link texts included ("Section 8.1 of JoC"), but for links
  // named by their kind of file ("([Slides](x))"), which are listed as links.
  std::string whole;
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::link && is_generic_link_text(t.text)) continue;
    whole += t.text;
    if (t.kind == inline_token::type::label) whole += ' ';  // "**Read**{: .label}[Ch43](a)"
  }
  std::string note = tidy(collapse_whitespace(whole));
  if (line_is_deadline) {
    // What is due and its phrase are the deadline's; the rest of the line stays a note.
    const std::string& what = d.e.deadlines.back().what;
    for (const auto& m : find_due_phrases(note)) {
      std::size_t from = what.empty() ? npos : note.rfind(what, m.begin);
      note = tidy(cut(note, from == npos ? m.begin : from, m.end));
      break;
    }
  }
  // "None", "N/A", "TBD" in a column of notes: nothing there.
  const std::string l = lowercase_ascii(note);
  if (l == "none" || l == "n/a" || l == "na" || l == "tbd" || l == "tba" || l == "-") return;
  if (!note.empty() && !only_connectives(note)) d.e.notes.push_back(note);
}

void add_continuation(entry_draft& d, const std::vector<inline_token>& toks, int line,
                      page_builder& pb) {
  std::vector<inline_token> link_toks;
  for (const auto& t : toks) {
    if (t.has_target) link_toks.push_back(t);
    if (t.kind == inline_token::type::link && is_generic_link_text(t.text)) continue;
    if (t.kind == inline_token::type::link && d.first_link.empty())
      d.first_link = collapse_whitespace(t.text);
    d.text += ' ';  // tidied once in finish_entry: appending keeps long items linear
    d.text += t.text;
  }
  pb.collect_links(link_toks, d.e.links, line);
}

content_entry finish_entry(entry_draft d, page_builder& pb) {
  content_entry e = std::move(d.e);
  std::string text = collapse_whitespace(d.text);
  std::string label = e.label;
  std::optional<std::size_t> label_deadline;

  // 1. A due phrase in the label: "HW 1 due", "Final Paper Due Tues 5/14", "CT 1 DUE".
  if (!label.empty()) {
    const auto dues = find_due_phrases(label, 1);
    // "**Deadline**{: .label}" alone heads the lines under it, which say what is due.
    const bool heading_only = !dues.empty() && !dues.front().has_when &&
                              without_phrase(label, dues.front()).empty() &&
                              trim_separators(text).empty();
    if (heading_only) {
      label.clear();
      e.label.clear();
      e.kind = "deadline";
    }
    if (!dues.empty() && !heading_only) {
      content_deadline dl = dues.front().deadline;
      dl.loc = e.loc;
      if (!dues.front().has_when) dl.phrase = label;  // "HW 1 due" says it as written
      // "HW0 Due ASAP": what comes before the due word names what is due.
      const std::string before = tidy(label.substr(0, dues.front().begin));
      label = before.empty() ? without_phrase(label, dues.front()) : before;
      e.deadlines.push_back(std::move(dl));
      label_deadline = e.deadlines.size() - 1;
      if (e.kind == "deadline") e.kind = kind_of_label(label);
      if (e.kind == "deadline") e.kind.clear();
    }
  }
  // 2. Days the label names for itself ("RQ 6 Released Fri 4/26").
  if (!label.empty()) {
    if (auto f = find_dates(label, false)) {
      e.own_dates = f->match.dates;
      if (f->match.range && e.own_dates.size() == 2) e.own_dates.resize(1);
      label = tidy(cut(label, f->begin, f->match.end));
    }
  }
  bool release = false;
  const std::string label_name = strip_release_words(label, release);
  if (release) e.release = true;
  // "**RELEASED**{: .label} [HW 2](hw2)": the label only says the rest is released.
  const bool bare_release = release && label_name.empty() && !label.empty();
  if (bare_release) std::erase(e.tags, e.label);

  // 3. Due phrases in the text: each with a day or a time (or at the very end) is a deadline and
  // leaves the title; "(extended; due Thursday 2/20)" goes as a whole.
  const auto dues = find_due_phrases(text);
  std::string rest = text;
  for (auto it = dues.rbegin(); it != dues.rend(); ++it) {
    const bool last_word =
        it->end >= text.size() || (it->end + 1 == text.size() && text.back() == ')');
    if (!it->has_when && !last_word) continue;
    if (it->in_parentheses)
      rest = cut(rest, it->group_begin, it->group_end);
    else
      rest = cut(rest, it->begin, it->end);
  }
  for (const auto& m : dues) {
    const bool last_word = m.end >= text.size() || (m.end + 1 == text.size() && text.back() == ')');
    if (!m.has_when && !last_word) continue;
    content_deadline dl = m.deadline;
    dl.loc = pb.loc(d.line, source_col(d, m.deadline.phrase));
    if (m.in_parentheses)
      dl.phrase = collapse_whitespace(
          trim_separators(text.substr(m.group_begin + 1, m.group_end - m.group_begin - 2)));
    if (m.today) dl.date.reset();
    // "**HW 1 due**{: .label} ... (Due 4/18)" is one deadline: the phrase gives the day.
    if (label_deadline && !e.deadlines[*label_deadline].date && m.has_when) {
      auto& l = e.deadlines[*label_deadline];
      l.phrase = dl.phrase;
      l.date = dl.date;
      l.time_minutes = dl.time_minutes;
      l.end_of_week = dl.end_of_week;
      l.loc = dl.loc;
      continue;
    }
    // "Essay due" at the end: due on the day the entry is on.
    e.deadlines.push_back(std::move(dl));
  }
  rest = tidy(rest);
  bool text_release = false;
  strip_release_words(rest, text_release);
  if (text_release) e.release = true;

  // 4. A time and room of its own: in the text, else in the label.
  if (auto t = find_time(rest)) {
    e.starts = t->starts;
    e.end = t->end;
    e.location = t->location;
    rest = tidy(cut(rest, t->begin, t->end_byte));
  } else if (auto lt = find_time(label)) {
    e.starts = lt->starts;
    e.end = lt->end;
    e.location = lt->location;
    label = tidy(cut(label, lt->begin, lt->end_byte));
  }

  // A room alone right after a name: "**Presentations**{: .label} in [**CSB 244**](map)".
  if (e.location.empty() && d.role != entry_draft::label_role::none) {
    if (auto room = leading_room(rest)) {
      e.location = room->first;
      rest = tidy(rest.substr(room->second));
    }
  }

  // 5. No class.
  e.no_class = says_no_class(e.label) || says_no_class(rest) || says_no_class(label);
  e.label = label;  // without the dates, due phrase and time it held ("HW 1 Released Mon 1/29")

  // 6. The title.
  using role = entry_draft::label_role;
  std::string title;
  switch (d.role) {
    case role::none:
    case role::tag:
    case role::class_label:
    case role::kind_word:
      title = rest;
      break;
    case role::name:
      if (rest.empty() || starts_with_ci(rest, label) || label.empty())
        title = rest.empty() ? label : rest;
      else if (rest.front() == '(')
        title = label + " " + rest;
      else
        title = label + ": " + rest;
      break;
  }
  if (bare_release && !rest.empty()) {
    bool said = false;
    strip_release_words(rest, said);
    title = said ? rest : rest + " released";
  }
  e.title = tidy(title);
  // "**Guest Lecture**{: .label} Active Learning": the class, named with its kind.
  e.labelled_class = d.role == role::class_label || (d.lecture_name && !e.no_class);
  if (e.label.empty() && e.kind.empty() && word_count(e.title) <= 5 &&
      is_exam_kind(kind_of_label(e.title)) && !preparation(e.title))
    e.kind = "exam";  // "Exam 1", "Make-up exam": the class is the exam ("Review for the midterm"
                      // is not)

  // 7. What is due: a numbered label with the title it names ("PA 0" + "Programming Assignment 0:
  // warm-up" is the latter; "ПР #1" + a topic is "ПР #1: topic"), else the first link's text
  // ("Checkpoint 1"), else the label that names it ("#FinAid", "Syllabus quiz"), else the title.
  std::string what;
  bool rest_release = false;
  const std::string rest_name = tidy(strip_release_words(rest, rest_release));
  const bool numbered_name = d.role == role::name && has_digit(label_name);
  if (label_deadline && !label_name.empty()) {
    what = label_name;  // "HW 1 due": HW 1 ("**DUE**{: .label} [Lab 0](l0)": Lab 0, below)
  } else if (numbered_name && !label_name.empty()) {
    if (rest_name.empty())
      what = label_name;
    else if (!assignment_key(rest_name).empty() &&
             assignment_key(rest_name) == assignment_key(label_name))
      what = rest_name;  // "HW 1" + "Homework 1: caches"
    else
      what = label_name + (rest_name.front() == '(' ? " " : ": ") + rest_name;
  } else if (!d.first_link.empty()) {
    bool r = false;
    what = strip_release_words(d.first_link, r);
  } else if (!label_name.empty() && d.role == role::name) {
    what = label_name;
  } else if (!rest_name.empty()) {
    what = rest_name;
  } else if (!e.tags.empty()) {
    what = e.tags.front();
  } else {
    what = label_name;
  }
  what = tidy(what);
  // Under "(no class)" the item's words say nothing of what is due.
  if (e.no_class && !label_deadline) what.clear();
  for (auto& dl : e.deadlines)
    if (dl.what.empty()) dl.what = what;
  return e;
}

void readings_of_line(const std::vector<inline_token>& toks, int line, int col, reading_need need,
                      bool text_is_reading, page_builder& pb, std::vector<content_reading>& out) {
  std::string title;
  for (const auto& t : toks)
    if (t.kind != inline_token::type::label) title += t.text;
  title = trim_separators(collapse_whitespace(title));
  const std::string l = lowercase_ascii(title);
  if (l == "n/a" || l == "na" || l == "none" || l == "-" || l == "tbd" || l == "tba") return;
  auto strip_need = [](std::string t) {
    for (std::string_view suffix : {"(optional)", "(required)"}) {
      if (t.size() >= suffix.size() &&
          lowercase_ascii(t.substr(t.size() - suffix.size())) == suffix) {
        t.resize(t.size() - suffix.size());
        while (!t.empty() && t.back() == ' ') t.pop_back();
      }
    }
    return t;
  };
  bool any = false;
  std::string previous;
  std::string source;  // "**SLP**{: .label} [Chapters 5](...)": the label names the book
  for (const auto& t : toks) {
    if (t.kind == inline_token::type::label && !t.has_target) {
      source = collapse_whitespace(t.text);
      continue;
    }
    if (!t.has_target) continue;
    any = true;
    content_reading r;
    r.loc = pb.loc(line, t.col);
    r.need = need_from_words(t.text);
    if (r.need == reading_need::unspecified) r.need = need;
    r.title = strip_need(collapse_whitespace(t.text));
    // "[Chapters 5](a) and [6](b)": the second takes the first's words.
    if (!r.title.empty() &&
        std::all_of(r.title.begin(), r.title.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::size_t k = previous.size();
      while (k > 0 && previous[k - 1] >= '0' && previous[k - 1] <= '9') --k;
      if (k > 0 && k < previous.size())
        r.title = trim_separators(previous.substr(0, k)) + " " + r.title;
    }
    previous = r.title;
    if (!source.empty() && lowercase_ascii(source) != "reading" &&
        lowercase_ascii(source) != "readings")
      r.title = source + ": " + r.title;
    if (auto url = pb.link_url(t.target)) r.url = *url;
    out.push_back(std::move(r));
  }
  if (!any && text_is_reading && !title.empty()) {
    content_reading r;
    r.loc = pb.loc(line, col);
    r.need = need_from_words(title);
    if (r.need == reading_need::unspecified) r.need = need;
    r.title = strip_need(title);
    out.push_back(std::move(r));
  }
}

}  // namespace coursecal::content::detail
