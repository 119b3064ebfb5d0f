#include "content/phrases.hpp"

#include <algorithm>
#include <array>

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One UTF-8 code point at s[i] (U+FFFD for a bad sequence); `len` is its length in bytes.
char32_t code_point(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b < 0x80) return b;
  std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0xFFFD;
  char32_t cp = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (c & 0x3F);
  }
  len = n;
  return cp;
}

// Letters of the scripts course sites are written in (and combining marks, which belong to the
// letter before them). Everything else that is not a digit or a space is punctuation: emoji,
// dashes, bullets and arrows are never words.
bool is_letter_cp(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c < 0xAA) return false;
  if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  return (c >= 0x250 && c <= 0x2AF) || (c >= 0x300 && c <= 0x36F) ||      // IPA, combining marks
         (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x52F) ||      // Greek, Cyrillic
         (c >= 0x590 && c <= 0x6FF) || (c >= 0x900 && c <= 0xDFF) ||      // Hebrew, Arabic, Indic
         (c >= 0xE00 && c <= 0xE7F) || (c >= 0x1100 && c <= 0x11FF) ||    // Thai, Hangul jamo
         (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x3040 && c <= 0x30FF) ||  // Latin ext., kana
         (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);    // CJK, Hangul
}

bool is_space_cp(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x3000;
}

enum class word_class { letters, digits, punct };
struct word {
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end = 0;
  word_class cls = word_class::punct;
  bool is(std::string_view w) const {
    if (text.size() != w.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (lower(text[i]) != w[i]) return false;
    return true;
  }
  bool is_punct(char c) const {
    return cls == word_class::punct && text.size() == 1 && text[0] == c;
  }
  bool is_dash() const {
    return is_punct('-') || text == "\u2013" || text == "\u2014" || text == "\u2012";
  }
  bool letters() const { return cls == word_class::letters; }
  bool digits() const { return cls == word_class::digits; }
};

std::vector<word> split_words(std::string_view s, std::size_t max_words = npos) {
  std::vector<word> ws;
  std::size_t i = 0;
  while (i < s.size() && ws.size() < max_words) {
    std::size_t len = 1;
    const char32_t cp = code_point(s, i, len);
    if (is_space_cp(cp)) {
      i += len;
      continue;
    }
    word w;
    w.begin = i;
    if (is_letter_cp(cp)) {
      w.cls = word_class::letters;
      while (i < s.size()) {
        const char32_t c = code_point(s, i, len);
        if (!is_letter_cp(c)) break;
        i += len;
      }
    } else if (cp >= '0' && cp <= '9') {
      w.cls = word_class::digits;
      while (i < s.size() && is_digit(s[i])) ++i;
    } else {
      w.cls = word_class::punct;
      i += len;
    }
    w.end = i;
    w.text = s.substr(w.begin, i - w.begin);
    ws.push_back(w);
  }
  return ws;
}

// Lower case for the scripts kinds are written in: ASCII and Cyrillic (А-Я, Є, І, Ї, Ґ).
std::string fold_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == 0xD0 && i + 1 < s.size()) {
      const auto c = static_cast<unsigned char>(s[i + 1]);
      if (c >= 0x90 && c <= 0x9F) {  // А..П -> а..п
        out += static_cast<char>(0xD0);
        out += static_cast<char>(c + 0x20);
      } else if (c >= 0xA0 && c <= 0xAF) {  // Р..Я -> р..я
        out += static_cast<char>(0xD1);
        out += static_cast<char>(c - 0x20);
      } else if (c >= 0x80 && c <= 0x8F) {  // Ѐ..Џ (Є, І, Ї) -> ѐ..џ
        out += static_cast<char>(0xD1);
        out += static_cast<char>(c + 0x10);
      } else {
        out += static_cast<char>(b);
        out += static_cast<char>(c);
      }
      ++i;
    } else if (b == 0xD2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x90) {
      out += "\xD2\x91";  // Ґ -> ґ
      ++i;
    } else {
      out += lower(s[i]);
    }
  }
  return out;
}

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits.substr(0, 6)) v = v * 10 + (c - '0');
  return v;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[i]) != prefix[i]) return false;
  return true;
}

// --- months and weekdays ----------------------------------------------------------------------

int month_of(const word& w) {
  static constexpr std::array<std::string_view, 12> full{
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (!w.letters() || w.text.size() < 3) return 0;
  const std::string l = lowercase_ascii(w.text);
  if (l == "sept") return 9;
  for (std::size_t m = 0; m < 12; ++m)
    if (l == full[m] || l == full[m].substr(0, 3)) return static_cast<int>(m) + 1;
  return 0;
}

// Month names of other languages seen in the wild, only where the day comes first ("02 Dez",
// "09 вер", "12 жовтня"): Portuguese and Ukrainian (every case form starts with the stem).
int foreign_month_of(const word& w) {
  if (!w.letters() || w.text.size() < 3) return 0;
  static constexpr std::array<std::string_view, 12> pt_full{
      "janeiro", "fevereiro", "mar\xC3\xA7o", "abril",   "maio",     "junho",
      "julho",   "agosto",    "setembro",     "outubro", "novembro", "dezembro"};
  static constexpr std::array<std::string_view, 12> pt_short{
      "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"};
  const std::string l = lowercase_ascii(w.text);
  for (std::size_t m = 0; m < 12; ++m)
    if (l == pt_full[m] || l == pt_short[m]) return static_cast<int>(m) + 1;
  // Ukrainian stems (3 Cyrillic letters, 6 bytes), lower and title case.
  static constexpr std::array<std::string_view, 12> ua{
      "\xD1\x81\xD1\x96\xD1\x87", "\xD0\xBB\xD1\x8E\xD1\x82", "\xD0\xB1\xD0\xB5\xD1\x80",
      "\xD0\xBA\xD0\xB2\xD1\x96", "\xD1\x82\xD1\x80\xD0\xB0", "\xD1\x87\xD0\xB5\xD1\x80",
      "\xD0\xBB\xD0\xB8\xD0\xBF", "\xD1\x81\xD0\xB5\xD1\x80", "\xD0\xB2\xD0\xB5\xD1\x80",
      "\xD0\xB6\xD0\xBE\xD0\xB2", "\xD0\xBB\xD0\xB8\xD1\x81", "\xD0\xB3\xD1\x80\xD1\x83"};
  static constexpr std::array<std::string_view, 12> ua_title{
      "\xD0\xA1\xD1\x96\xD1\x87", "\xD0\x9B\xD1\x8E\xD1\x82", "\xD0\x91\xD0\xB5\xD1\x80",
      "\xD0\x9A\xD0\xB2\xD1\x96", "\xD0\xA2\xD1\x80\xD0\xB0", "\xD0\xA7\xD0\xB5\xD1\x80",
      "\xD0\x9B\xD0\xB8\xD0\xBF", "\xD0\xA1\xD0\xB5\xD1\x80", "\xD0\x92\xD0\xB5\xD1\x80",
      "\xD0\x96\xD0\xBE\xD0\xB2", "\xD0\x9B\xD0\xB8\xD1\x81", "\xD0\x93\xD1\x80\xD1\x83"};
  if (w.text.size() <= 20) {
    for (std::size_t m = 0; m < 12; ++m)
      if (w.text.starts_with(ua[m]) || w.text.starts_with(ua_title[m]))
        return static_cast<int>(m) + 1;
  }
  return 0;
}

int day_first_month_of(const word& w) {
  if (int m = month_of(w)) return m;
  return foreign_month_of(w);
}

// Korean "9월 4일": month marker 월 and day marker 일.
constexpr std::string_view korean_month = "\xEC\x9B\x94";
constexpr std::string_view korean_day = "\xEC\x9D\xBC";

std::optional<int> weekday_of(const word& w) {
  struct entry {
    std::string_view name;
    int day;
  };
  static constexpr std::array<entry, 31> names{{
      {"sunday", 0}, {"sun", 0},      {"su", 0},        {"monday", 1}, {"mon", 1},
      {"mo", 1},     {"m", 1},        {"tuesday", 2},   {"tues", 2},   {"tue", 2},
      {"tu", 2},     {"t", 2},        {"wednesday", 3}, {"wed", 3},    {"we", 3},
      {"w", 3},      {"thursday", 4}, {"thurs", 4},     {"thur", 4},   {"thu", 4},
      {"th", 4},     {"r", 4},        {"friday", 5},    {"fri", 5},    {"fr", 5},
      {"f", 5},      {"saturday", 6}, {"sat", 6},       {"sa", 6},     {"weds", 3},
      {"s", 6},
  }};
  if (!w.letters()) return std::nullopt;
  const std::string l = lowercase_ascii(w.text);
  for (const auto& e : names)
    if (l == e.name) return e.day;
  return std::nullopt;
}

bool is_ordinal(const word& w) { return w.is("st") || w.is("nd") || w.is("rd") || w.is("th"); }

// One date on a word list from index k; k moves past what was used.
std::optional<content_date> date_at(const std::vector<word>& ws, std::size_t& k, bool& numeric,
                                    bool foreign = true) {
  std::size_t i = k;
  auto at = [&](std::size_t j) -> const word* { return j < ws.size() ? &ws[j] : nullptr; };
  content_date d;
  numeric = false;
  if (at(i) && weekday_of(*at(i))) {
    d.weekday = weekday_of(*at(i));
    ++i;
    while (at(i) && (at(i)->is_punct(',') || at(i)->is_punct('.'))) ++i;
  }
  const word* w = at(i);
  if (!w) return std::nullopt;
  if (int m = month_of(*w)) {
    ++i;
    if (at(i) && at(i)->is_punct('.')) ++i;
    const word* dw = at(i);
    if (!dw || !dw->digits() || dw->text.size() > 2) return std::nullopt;
    d.month = m;
    d.day = to_int(dw->text);
    ++i;
    if (at(i) && is_ordinal(*at(i)) && at(i)->begin == dw->end) ++i;
    if (at(i) && at(i)->is_punct(',') && at(i + 1) && at(i + 1)->digits() &&
        at(i + 1)->text.size() == 4) {
      d.year = to_int(at(i + 1)->text);
      i += 2;
    }
  } else if (w->digits()) {
    const word* sep = at(i + 1);
    const word* second = at(i + 2);
    if (w->text.size() == 4 && sep && sep->is_punct('-') && second && second->digits() &&
        at(i + 3) && at(i + 3)->is_punct('-') && at(i + 4) && at(i + 4)->digits()) {
      d.year = to_int(w->text);
      d.month = to_int(second->text);
      d.day = to_int(at(i + 4)->text);
      i += 5;
    } else if (w->text.size() <= 2 && sep && sep->is_punct('/') && second && second->digits() &&
               second->text.size() <= 2 && sep->begin == w->end && second->begin == sep->end) {
      numeric = true;
      d.numeric = true;
      d.month = to_int(w->text);
      d.day = to_int(second->text);
      i += 3;
      if (at(i) && at(i)->is_punct('/') && at(i + 1) && at(i + 1)->digits() &&
          at(i)->begin == second->end) {
        int y = to_int(at(i + 1)->text);
        if (at(i + 1)->text.size() == 2) y += 2000;
        if (at(i + 1)->text.size() == 2 || at(i + 1)->text.size() == 4) {
          d.year = y;
          i += 2;
        }
      }
    } else if (w->text.size() <= 2 && sep && sep->text == korean_month && second &&
               second->digits() && second->text.size() <= 2) {
      d.month = to_int(w->text);  // "9월 4일"
      d.day = to_int(second->text);
      i += 3;
      if (at(i) && at(i)->text == korean_day) ++i;
    } else if (w->text.size() <= 2 && sep &&
               (foreign ? day_first_month_of(*sep) : month_of(*sep))) {
      d.day = to_int(w->text);  // "7 October", "02 Dez", "12 жовтня"
      d.month = day_first_month_of(*sep);
      i += 2;
      if (at(i) && at(i)->is_punct('.')) ++i;
    } else {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (d.day < 1 || d.day > 31 || d.month < 1 || d.month > 31) return std::nullopt;
  if (!numeric && d.month > 12) return std::nullopt;
  if (numeric && d.month > 12 && d.day > 12) return std::nullopt;
  // A weekday after the date: "Jan 9 (F)", "Oct 7, Monday", "Oct 7 Mon".
  std::size_t j = i;
  if (at(j) && at(j)->is_punct('(') && at(j + 1) && weekday_of(*at(j + 1)) && at(j + 2) &&
      at(j + 2)->is_punct(')')) {
    if (!d.weekday) d.weekday = weekday_of(*at(j + 1));
    i = j + 3;
  } else if (at(j) && at(j)->is_punct(',') && at(j + 1) && weekday_of(*at(j + 1)) &&
             at(j + 1)->text.size() >= 3) {
    if (!d.weekday) d.weekday = weekday_of(*at(j + 1));
    i = j + 2;
  } else if (at(j) && weekday_of(*at(j)) && at(j)->text.size() >= 3) {
    if (!d.weekday) d.weekday = weekday_of(*at(j));
    i = j + 1;
  }
  k = i;
  return d;
}

bool is_list_separator(const word& w) {
  return w.is_punct(',') || w.is_punct('&') || w.is_punct('/') || w.is_punct(';') || w.is("and") ||
         w.is("e") || w.text == "\xD1\x96" /* і */ || w.text == "\xD1\x82\xD0\xB0" /* та */;
}
bool is_range_separator(const word& w) { return w.is_dash() || w.is("to") || w.is("through"); }

// Whether the number at ws[j] is an hour ("9:30", "10am", "14h", "9.30"), not a day.
bool clock_follows(const std::vector<word>& ws, std::size_t j) {
  if (j + 1 >= ws.size()) return false;
  const word& n = ws[j + 1];
  if (n.is("am") || n.is("pm") || (n.is("h") && n.begin == ws[j].end)) return true;
  return (n.is_punct(':') || n.is_punct('.')) && n.begin == ws[j].end && j + 2 < ws.size() &&
         ws[j + 2].digits() && ws[j + 2].begin == n.end;
}

// Days of one month from month/day numbers: a range "3-5" gives 3, 4, 5 (at most 31 days).
void add_days_in_month(std::vector<content_date>& out, const content_date& from, int to_day) {
  for (int d = from.day + 1; d <= to_day && d <= 31; ++d) {
    content_date x = from;
    x.day = d;
    x.weekday.reset();
    out.push_back(x);
  }
}

// "25, 27 Aug": day numbers before a day-first month. Returns the index after the month word.
std::optional<std::size_t> day_first_list(const std::vector<word>& ws, std::size_t k,
                                          std::vector<content_date>& out, bool& range,
                                          bool foreign = true) {
  std::vector<int> days;
  bool saw_range = false;
  std::size_t i = k;
  while (i < ws.size() && ws[i].digits() && ws[i].text.size() <= 2) {
    days.push_back(to_int(ws[i].text));
    ++i;
    if (i < ws.size() && (is_list_separator(ws[i]) || is_range_separator(ws[i]))) {
      if (is_range_separator(ws[i])) saw_range = true;
      if (i + 1 < ws.size() && ws[i + 1].digits()) {
        ++i;
        continue;
      }
    }
    break;
  }
  if (days.size() < 2 || i >= ws.size()) return std::nullopt;
  const int m = foreign ? day_first_month_of(ws[i]) : month_of(ws[i]);
  if (!m) return std::nullopt;
  for (int d : days) {
    if (d < 1 || d > 31) return std::nullopt;
    content_date x;
    x.month = m;
    x.day = d;
    out.push_back(x);
  }
  range = saw_range && days.size() == 2;
  ++i;
  if (i < ws.size() && ws[i].is_punct('.')) ++i;
  return i;
}

// A weekday range in parentheses after dates: "(W-F)", "(Tu-Th)".
std::size_t skip_weekday_range(const std::vector<word>& ws, std::size_t i) {
  if (i + 4 < ws.size() && ws[i].is_punct('(') && weekday_of(ws[i + 1]) && ws[i + 2].is_dash() &&
      weekday_of(ws[i + 3]) && ws[i + 4].is_punct(')'))
    return i + 5;
  return i;
}

std::optional<date_match> dates_at(const std::vector<word>& ws, std::size_t k,
                                   bool foreign = true) {
  date_match r;
  std::size_t i = k;
  bool numeric = false;
  bool first_range = false;
  if (auto list = day_first_list(ws, i, r.dates, first_range, foreign)) {
    i = *list;
    r.range = first_range;
  } else if (auto d = date_at(ws, i, numeric, foreign)) {
    r.dates.push_back(*d);
    r.numeric = numeric;
  } else {
    return std::nullopt;
  }
  // A list after a range: the range's days, within its month, come first.
  auto expand_range = [&r] {
    if (!r.range) return;
    content_date to = r.dates.back();
    r.dates.pop_back();
    if (to.month == r.dates.back().month)
      add_days_in_month(r.dates, r.dates.back(), to.day);
    else
      r.dates.push_back(to);
    r.range = false;
  };
  // Further days: ", 27", "/24", "-5", ", Mar 30", ", 01 Dec", " - Oct 2".
  while (i < ws.size()) {
    const word& sep = ws[i];
    const bool is_range = is_range_separator(sep);
    if (!is_range && !is_list_separator(sep)) break;
    std::size_t j = i + 1;
    if (sep.is_punct('-') && j < ws.size() && ws[j].is_punct('-')) ++j;  // "March 9 -- March 16"
    std::vector<content_date> more;
    bool more_range = false;
    bool more_numeric = false;
    std::optional<content_date> next;
    if (auto list = day_first_list(ws, j, more, more_range, foreign)) {
      j = *list;
    } else if (auto d = date_at(ws, j, more_numeric, foreign)) {
      if (more_numeric != r.numeric) break;
      next = *d;
    } else if (j < ws.size() && ws[j].digits() && ws[j].text.size() <= 2 && !r.numeric &&
               !clock_follows(ws, j)) {
      // A bare day in the month of the last date ("Oct 7 & 9", "Dec 3-5", "Jan. 23/24").
      content_date x = r.dates.back();
      x.day = to_int(ws[j].text);
      x.weekday.reset();
      if (x.day < 1 || x.day > 31) break;
      next = x;
      ++j;
    } else {
      break;
    }
    if (next) {
      const content_date& last = r.dates.back();
      if (is_range && r.dates.size() == 1 && !r.range) {
        r.range = true;  // two endpoints: the resolver expands them with the real year
        r.dates.push_back(*next);
      } else if (is_range && next->month == last.month && next->day > last.day) {
        add_days_in_month(r.dates, last, next->day);
        if (r.range) r.range = false;
      } else {
        expand_range();
        r.dates.push_back(*next);
      }
    } else {
      expand_range();
      r.dates.insert(r.dates.end(), more.begin(), more.end());
    }
    i = j;
  }
  i = skip_weekday_range(ws, i);
  r.end = ws[i - 1].end;
  return r;
}

bool contains_word(const std::vector<word>& ws, std::string_view w) {
  return std::any_of(ws.begin(), ws.end(), [&](const word& x) { return x.is(w); });
}

// Words that name a numbered class: "Lecture 7", "Lec1", "Class 3", "Лекція 1", "Aula 2", "강의 1".
bool is_class_word(const word& w) {
  if (w.is("class") || w.is("lecture") || w.is("lec") || w.is("lect") || w.is("aula") ||
      w.is("clase") || w.is("cours"))
    return true;
  // Лекція / лекція, 강의
  const std::string l = fold_case(w.text);
  return l == "\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x86\xD1\x96\xD1\x8F" ||  // лекція
         l == "\xEA\xB0\x95\xEC\x9D\x98";                            // 강의
}

// The heading without bytes [begin, end) (a date or a slot), separators and empty brackets
// left by the cut trimmed: "Oct 7: Midterm" -> "Midterm", "Lecture 3 (Jan 24)" -> "Lecture 3".
std::string rest_without(std::string_view plain, std::size_t begin, std::size_t end) {
  std::string_view before_v = plain.substr(0, std::min(begin, plain.size()));
  std::string_view after_v = plain.substr(std::min(end, plain.size()));
  // Separators, and the brackets the cut left open or closed, around the cut.
  auto is_cut_edge = [](char c) {
    return c == ' ' || c == '\t' || c == ':' || c == '-' || c == '|' || c == ',' || c == ';' ||
           c == '(' || c == '[';
  };
  while (!before_v.empty() && is_cut_edge(before_v.back())) before_v.remove_suffix(1);
  std::string before = trim_separators(before_v);
  while (!after_v.empty() && (after_v.front() == ' ' || after_v.front() == ')' ||
                              after_v.front() == ']' || (before.empty() && after_v.front() == '.')))
    after_v.remove_prefix(1);
  std::string after = trim_separators(after_v);
  if (before.empty()) return after;
  if (after.empty()) return before;
  return before + " " + after;
}
}  // namespace

std::string text_without(std::string_view text, std::size_t begin, std::size_t end) {
  return rest_without(text, begin, end);
}

std::string lowercase_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower(c);
  return r;
}

std::optional<date_match> match_dates(std::string_view text) {
  const auto ws = split_words(text, 48);
  return dates_at(ws, 0);
}

std::optional<found_dates> find_dates(std::string_view text, bool foreign) {
  const auto ws = split_words(text, 64);
  for (std::size_t k = 0; k < ws.size(); ++k) {
    if (!ws[k].letters() && !ws[k].digits()) continue;
    // A weekday alone is not a date; only try where a date can start.
    if (auto m = dates_at(ws, k, foreign)) {
      found_dates f;
      f.match = *m;
      f.begin = ws[k].begin;
      return f;
    }
  }
  return std::nullopt;
}

heading_match classify_heading(std::string_view plain) {
  heading_match h;
  auto ws = split_words(plain, 48);
  while (!ws.empty() && ws.back().cls == word_class::punct &&
         (ws.back().is_punct(':') || ws.back().is_punct('.')))
    ws.pop_back();
  if (ws.empty()) return h;
  if (ws.size() == 1 && ws[0].digits() && ws[0].text.size() <= 4) {
    h.shape = anchor_type::slot;
    h.slot = slot_match{"", to_int(ws[0].text)};
    return h;
  }
  // "Lecture 3", "Lec1", "Class 2: Topic"; a date after it names the day ("Lecture 3 (Jan 24)").
  if (is_class_word(ws[0])) {
    std::size_t i = 1;
    while (i < ws.size() && (ws[i].is_punct('#') || ws[i].is_punct('.'))) ++i;
    if (i < ws.size() && ws[i].digits() && ws[i].text.size() <= 4) {
      const int number = to_int(ws[i].text);
      for (std::size_t k = i + 1; k < ws.size() && k < i + 4; ++k) {
        if (ws[k].cls == word_class::punct) continue;
        if (auto d = dates_at(ws, k)) {
          h.shape = anchor_type::dates;
          h.date = d;
          h.rest = rest_without(plain, ws[k].begin, d->end);  // "Lecture 3" names the class
          return h;
        }
        break;
      }
      h.shape = anchor_type::slot;
      h.slot = slot_match{ws[0].is("class") ? "class" : "lecture", number};
      h.rest = rest_without(plain, 0, ws[i].end);
      return h;
    }
  }
  // "Day 3 (9/12)": the date in parentheses names the day; "Day 3" alone is a slot.
  if (ws[0].is("day") && ws.size() >= 2 && ws[1].digits() && ws[1].text.size() <= 3) {
    std::size_t k = 2;
    while (k < ws.size() &&
           (ws[k].is_punct('(') || ws[k].is_punct(':') || ws[k].is_dash() || ws[k].is_punct(',')))
      ++k;
    if (auto d = dates_at(ws, k)) {
      h.shape = anchor_type::dates;
      h.date = d;
      h.rest = rest_without(plain, ws[k].begin, d->end);
      return h;
    }
    h.shape = anchor_type::slot;
    h.slot = slot_match{"day", to_int(ws[1].text)};
    h.rest = rest_without(plain, 0, ws[1].end);
    return h;
  }
  // "Week 2 Jan 27", "Week 10 <br /> Mar 24", "Homework <br /> Jan 29": one date after a week
  // number or a role word names the day.
  {
    std::size_t k = 0;
    if (ws[0].is("week") && ws.size() >= 3 && ws[1].digits() && ws[1].text.size() <= 2)
      k = 2;
    else if (ws.size() >= 2 && ws[0].letters() && !kind_of_label(ws[0].text).empty())
      k = 1;
    while (k > 0 && k < ws.size() &&
           (ws[k].is_punct('(') || ws[k].is_punct(':') || ws[k].is_dash() || ws[k].is_punct(',')))
      ++k;
    if (k > 0 && k < ws.size()) {
      if (auto d = dates_at(ws, k); d && d->dates.size() == 1 && !d->range) {
        h.shape = anchor_type::dates;
        h.date = d;
        // The words before the date are the week or the role, not an item.
        h.rest = rest_without(plain, 0, d->end);
        return h;
      }
    }
  }
  if (ws.size() == 1 && (ws[0].is("classes") || ws[0].is("lectures"))) {
    h.shape = anchor_type::classes;
    return h;
  }
  if (auto d = dates_at(ws, 0)) {
    h.shape = anchor_type::dates;
    h.date = d;
    h.rest = rest_without(plain, 0, d->end);
    return h;
  }
  static constexpr std::array<std::string_view, 45> roles{
      "lecture",     "lectures",  "lab",         "labs",          "reading",   "readings",
      "topics",      "topic",     "resources",   "resource",      "homework",  "homeworks",
      "hw",          "deadlines", "deadline",    "due",           "tbd",       "tba",
      "date",        "day",       "assignments", "assignment",    "notes",     "discussion",
      "discussions", "section",   "sections",    "exam",          "exams",     "quiz",
      "quizzes",     "project",   "projects",    "announcements", "materials", "slides",
      "schedule",    "agenda",    "videos",      "week",          "dates",     "general",
      "tutorial",    "tutorials", "recitation"};
  for (const auto& w : ws) {
    if (!w.letters()) continue;
    for (auto r : roles)
      if (w.is(r)) h.known_role = true;
  }
  h.reading_role = contains_word(ws, "reading") || contains_word(ws, "readings");
  if (h.reading_role) {
    h.role = "reading";
  } else if (ws.size() <= 2) {
    const std::string k = kind_of_label(plain);
    if (is_meeting_kind(k)) h.role = k;
  }
  return h;
}

std::optional<int> class_label_number(std::string_view label) {
  const auto ws = split_words(label, 8);
  if (ws.empty() || !is_class_word(ws[0])) return std::nullopt;
  std::size_t i = 1;
  while (i < ws.size() && (ws[i].is_punct('#') || ws[i].is_punct('.'))) ++i;
  if (i >= ws.size() || !ws[i].digits() || ws[i].text.size() > 4) return std::nullopt;
  // "Lecture 20 (Guest)", "Lec 3 (online)": a short note in parentheses after the number.
  const bool note =
      i + 2 < ws.size() && ws[i + 1].is_punct('(') && ws.back().is_punct(')') && ws.size() - i <= 6;
  if (i + 1 == ws.size() || note) return to_int(ws[i].text);
  return std::nullopt;
}

std::string kind_of_label(std::string_view label) {
  auto ws = split_words(label, 16);
  bool any_letters = false;
  for (const auto& w : ws) {
    if (w.letters()) any_letters = true;
    if (w.is("due") || w.is("deadline") || w.is("deadlines")) return "deadline";
    // Дедлайн, дедлайн
    if (w.text == "\xD0\x94\xD0\xB5\xD0\xB4\xD0\xBB\xD0\xB0\xD0\xB9\xD0\xBD" ||
        w.text == "\xD0\xB4\xD0\xB5\xD0\xB4\xD0\xBB\xD0\xB0\xD0\xB9\xD0\xBD")
      return "deadline";
  }
  if (!any_letters) return "";
  struct entry {
    std::string_view word;
    std::string_view kind;
  };
  static constexpr std::array<entry, 77> kinds{{
      {"lecture", "lecture"},
      {"lectures", "lecture"},
      {"lec", "lecture"},
      {"lect", "lecture"},
      {"class", "lecture"},
      {"aula", "lecture"},
      {"\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x86\xD1\x96\xD1\x8F", "lecture"},  // лекція
      {"\xEA\xB0\x95\xEC\x9D\x98", "lecture"},                          // 강의
      {"discussion", "discussion"},
      {"disc", "discussion"},
      {"dis", "discussion"},
      {"section", "section"},
      {"sec", "section"},
      {"recitation", "section"},
      {"exercise", "section"},  // an exercise session: a tutorial
      {"exercises", "section"},
      {"tutoring", "office-hours"},
      {"tutorial", "section"},
      {"\xD1\x81\xD0\xB5\xD0\xBC\xD1\x96\xD0\xBD\xD0\xB0\xD1\x80", "section"},  // семінар
      {"lab", "lab"},
      {"labs", "lab"},
      {"laboratory", "lab"},
      {"\xEC\x8B\xA4\xEC\x8A\xB5", "lab"},  // 실습
      {"hw", "homework"},
      {"homework", "homework"},
      {"assignment", "homework"},
      {"assignments", "homework"},
      {"pset", "homework"},
      {"ps", "homework"},
      {"pa", "homework"},
      {"mp", "homework"},
      {"worksheet", "homework"},
      {"trabalho", "homework"},
      {"lista", "homework"},
      {"\xD0\xBF\xD1\x80", "homework"},          // пр (практична робота)
      {"\xEA\xB3\xBC\xEC\xA0\x9C", "homework"},  // 과제
      {"exam", "exam"},
      {"midterm", "exam"},
      {"final", "exam"},
      {"finals", "exam"},
      {"prova", "exam"},
      {"\xEC\x8B\x9C\xED\x97\x98", "exam"},  // 시험
      {"quiz", "quiz"},
      {"quizzes", "quiz"},
      {"\xED\x80\xB4\xEC\xA6\x88", "quiz"},  // 퀴즈
      {"project", "project"},
      {"proj", "project"},
      {"miniproject", "project"},
      {"checkpoint", "project"},
      {"proposal", "project"},
      {"report", "project"},
      {"reading", "reading"},
      {"readings", "reading"},
      {"paper", "reading"},
      {"sample", "review"},
      {"samples", "review"},
      {"solution", "review"},
      {"solutions", "review"},
      {"practice", "review"},
      {"review", "review"},
      {"oh", "office-hours"},
      {"office", "office-hours"},
      {"holiday", "holiday"},
      {"seminar", "seminar"},
      {"workshop", "workshop"},
      {"presentation", "presentation"},
      {"presentations", "presentation"},
      {"demo", "demo"},
      {"survey", "survey"},
      {"problem", "homework"},
      {"expo", "presentation"},
      {"guest", "lecture"},
      {"mid", "exam"},
      {"test", "exam"},
      {"essay", "homework"},
      {"release", ""},
      {"released", ""},
  }};
  auto kind_of = [&](const word& w) -> std::optional<std::string_view> {
    if (!w.letters()) return std::nullopt;
    const std::string l = fold_case(w.text);
    for (const auto& e : kinds)
      if (l == e.word) return e.kind.empty() ? std::nullopt : std::optional(e.kind);
    return std::nullopt;
  };
  // "Pre-class", "In-class", "After-class": when, not what.
  auto compound_class = [&](std::size_t i) {
    return ws[i].is("class") && i >= 2 && ws[i - 1].is_punct('-') &&
           ws[i - 1].begin == ws[i - 2].end &&
           (ws[i - 2].is("pre") || ws[i - 2].is("in") || ws[i - 2].is("after") ||
            ws[i - 2].is("post") || ws[i - 2].is("before") || ws[i - 2].is("out"));
  };
  // "DISC - QUIZ 5", "Lab: Pandas": a meeting word followed by a separator is that meeting's.
  if (ws.size() >= 2) {
    if (auto k = kind_of(ws[0]);
        k && is_meeting_kind(*k) && (ws[1].is_dash() || ws[1].is_punct(':') || ws[1].is_punct('|')))
      return std::string(*k);
  }
  // "Mid-Term Exam", "Final Project", "EXAM 1 SAMPLES": the last kind word names the thing;
  // words in parentheses only when no other does ("Midterm exam (In class)" is an exam).
  std::string found, inside;
  int depth = 0;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i].is_punct('(')) ++depth;
    if (ws[i].is_punct(')') && depth > 0) --depth;
    if (auto k = kind_of(ws[i]); k && !compound_class(i)) (depth > 0 ? inside : found) = *k;
  }
  return found.empty() ? inside : found;
}

bool is_meeting_kind(std::string_view kind) {
  return kind == "lecture" || kind == "discussion" || kind == "section" || kind == "lab" ||
         kind == "office-hours";
}

bool is_exam_kind(std::string_view kind) { return kind == "exam"; }

namespace {

// Markers that say a meeting does not take place. They must start the text or stand as words in
// it ("THANKSGIVING BREAK — No class"); holiday names count when they are the whole text.
struct no_class_marker {
  std::string_view phrase;
  std::string_view kind;  // the meeting it cancels; "" = the class itself
};
constexpr std::array<no_class_marker, 24> no_class_markers{{
    {"no class", ""},
    {"no classes", ""},
    {"no lecture", ""},
    {"no lectures", ""},
    {"no meeting", ""},
    {"class cancelled", ""},
    {"class canceled", ""},
    {"lecture cancelled", ""},
    {"lecture canceled", ""},
    {"classes cancelled", ""},
    {"classes canceled", ""},
    {"cancelled", ""},
    {"canceled", ""},
    {"no section", "section"},
    {"no sections", "section"},
    {"no discussion", "discussion"},
    {"no discussions", "discussion"},
    {"no lab", "lab"},
    {"no labs", "lab"},
    {"no recitation", "section"},
    {"no tutorial", "section"},
    {"sem aula", ""},
    {"n\xC3\xA3o haver\xC3\xA1 aula", ""},
    {"\xED\x9C\xB4\xEA\xB0\x95", ""},
}};

// Whole texts that name a break or a holiday: a day off.
constexpr std::array<std::string_view, 22> day_off_names{
    "spring break",
    "fall break",
    "winter break",
    "spring recess",
    "fall recess",
    "thanksgiving",
    "thanksgiving break",
    "holiday",
    "mlk day",
    "memorial day",
    "labor day",
    "veterans day",
    "juneteenth",
    "presidents day",
    "presidents' day",
    "reading week",
    "study break",
    "independence day",
    "feriado",
    "recess",
    "break",
    "\xD0\xBA\xD0\xB0\xD0\xBD\xD1\x96\xD0\xBA\xD1\x83\xD0\xBB\xD0\xB8"};  // канікули

// Plain text lowercased, punctuation turned into spaces (letters of other scripts kept), single
// spaces: the form the markers are compared in.
std::string marker_form(std::string_view plain) {
  std::string out;
  const auto ws = split_words(plain, 64);
  std::size_t apostrophe_end = npos;
  for (const auto& w : ws) {
    if (w.cls == word_class::punct) {
      if (w.is_punct('\'') || w.text == "\u2019") {  // "presidents' day", "Veteran's Day"
        apostrophe_end = w.end;
        continue;
      }
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (!out.empty() && out.back() != ' ' && w.begin != apostrophe_end) out += ' ';
    out += lowercase_ascii(w.text);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool has_phrase(const std::string& form, std::string_view phrase) {
  std::size_t at = form.find(phrase);
  while (at != std::string::npos) {
    const bool start_ok = at == 0 || form[at - 1] == ' ';
    const std::size_t e = at + phrase.size();
    const bool end_ok = e == form.size() || form[e] == ' ';
    if (start_ok && end_ok) return true;
    at = form.find(phrase, at + 1);
  }
  return false;
}

const no_class_marker* marker_in(std::string_view plain) {
  const std::string form = marker_form(plain);
  if (form.empty()) return nullptr;
  for (const auto& m : no_class_markers) {
    // "cancelled" alone counts only as the whole text or its start ("Cancelled: snow").
    if ((m.phrase == "cancelled" || m.phrase == "canceled") &&
        !(form == m.phrase || form.starts_with(std::string(m.phrase) + " ")))
      continue;
    if (has_phrase(form, m.phrase)) return &m;
  }
  // "N/A", "N/A (Veteran's Day)": nothing is held that day.
  if (form == "n a") return &no_class_markers[0];
  std::string_view named = form;
  if (named.starts_with("n a ")) named.remove_prefix(4);
  for (auto name : day_off_names) {
    if (form == name || named == name) return &no_class_markers[0];
    // "Spring Break, Mar. 18-22", "Thanksgiving (holiday)": the name and nothing but dates.
    if (form.starts_with(std::string(name) + " ")) {
      const std::string rest = form.substr(name.size() + 1);
      const auto rws = split_words(rest);
      const bool only_dates_or_holiday = std::all_of(rws.begin(), rws.end(), [](const word& w) {
        return w.digits() || month_of(w) || weekday_of(w) || w.is("holiday") || w.is("no") ||
               w.is("class") || w.is("break") || w.is("day");
      });
      if (only_dates_or_holiday) return &no_class_markers[0];
    }
  }
  return nullptr;
}

}  // namespace

bool says_no_class(std::string_view plain) { return marker_in(plain) != nullptr; }

std::string no_class_kind(std::string_view plain) {
  const no_class_marker* m = marker_in(plain);
  return m ? std::string(m->kind) : std::string();
}

bool is_reading_marker(std::string_view plain) {
  auto ws = split_words(plain, 8);
  std::vector<const word*> letters;
  for (const auto& w : ws)
    if (w.letters()) letters.push_back(&w);
  if (letters.empty()) return false;
  auto reading = [](const word* w) {
    return w->is("reading") || w->is("readings") || w->is("materials") || w->is("leituras") ||
           w->is("leitura") || w->is("bibliografia");
  };
  if (reading(letters[0]) && !letters[0]->is("materials")) return true;
  static constexpr std::array<std::string_view, 11> qualifiers{
      "required",      "optional",     "suggested",  "recommended", "further", "additional",
      "supplementary", "supplemental", "background", "assigned",    "course"};
  if (letters.size() >= 2 && reading(letters[1])) {
    for (auto q : qualifiers)
      if (letters[0]->is(q)) return true;
  }
  return false;
}

reading_need need_from_words(std::string_view plain) {
  const std::string l = lowercase_ascii(plain);
  const std::size_t o = l.find("optional");
  const std::size_t r = l.find("required");
  if (o == npos && r == npos) return reading_need::unspecified;
  return o < r ? reading_need::optional : reading_need::required;
}

namespace {

bool is_due_word(const word& w, bool& deadline_word) {
  deadline_word = false;
  if (w.is("due")) return true;
  if (w.is("deadline") || w.is("prazo") || w.is("entrega") ||
      w.text == "\xD0\x94\xD0\xB5\xD0\xB4\xD0\xBB\xD0\xB0\xD0\xB9\xD0\xBD" ||  // Дедлайн
      w.text == "\xD0\xB4\xD0\xB5\xD0\xB4\xD0\xBB\xD0\xB0\xD0\xB9\xD0\xBD" ||  // дедлайн
      w.text == "\xEB\xA7\x88\xEA\xB0\x90") {                                  // 마감
    deadline_word = w.is("deadline");
    return true;
  }
  return false;
}

// A clock time at ws[j]: "11:59pm", "12:00 PM", "23:59", "5pm", "noon", "midnight", "9 a.m.".
// Sets `next` past it. `need_marker`: a bare "11" or "10:30" without am/pm is accepted only with
// a colon.
std::optional<int> clock_at(const std::vector<word>& ws, std::size_t j, std::size_t& next,
                            int* ampm_out = nullptr) {
  auto at = [&](std::size_t x) -> const word* { return x < ws.size() ? &ws[x] : nullptr; };
  if (ampm_out) *ampm_out = 0;
  if (at(j) && (at(j)->is("noon") || at(j)->is("midday"))) {
    next = j + 1;
    if (ampm_out) *ampm_out = 2;
    return 12 * 60;
  }
  if (at(j) && at(j)->is("midnight")) {
    next = j + 1;
    return 23 * 60 + 59;
  }
  if (!at(j) || !at(j)->digits() || at(j)->text.size() > 2) return std::nullopt;
  int h = to_int(at(j)->text);
  int mins = 0;
  std::size_t t = j + 1;
  bool colon = false;
  if (at(t) && at(t)->is_punct(':') && at(t + 1) && at(t + 1)->digits() &&
      at(t + 1)->text.size() == 2 && at(t)->begin == at(j)->end) {
    mins = to_int(at(t + 1)->text);
    colon = true;
    t += 2;
  }
  int ampm = 0;  // 1 = am, 2 = pm
  if (at(t) && (at(t)->is("am") || at(t)->is("pm"))) {
    ampm = at(t)->is("am") ? 1 : 2;
    t += 1;
  } else if (at(t) && (at(t)->is("a") || at(t)->is("p")) && at(t + 1) && at(t + 1)->is_punct('.') &&
             at(t + 2) && at(t + 2)->is("m")) {
    ampm = at(t)->is("a") ? 1 : 2;
    t += 3;
    if (at(t) && at(t)->is_punct('.')) ++t;
  } else if (at(t) && at(t)->is("h") && at(t)->begin == at(t - 1)->end) {
    colon = true;  // "14h"
    t += 1;
  }
  if (!colon && !ampm) return std::nullopt;
  if (h > 23 || mins > 59 || (ampm != 0 && (h < 1 || h > 12))) return std::nullopt;
  if (ampm == 1 && h == 12) h = 0;
  if (ampm == 2 && h != 12) h += 12;
  next = t;
  if (ampm_out) *ampm_out = ampm;
  return h * 60 + mins;
}

// A time zone abbreviation right after a time: PST, PDT, PT, ET, CT, UTC, AoE.
bool is_zone_word(const word& w) {
  if (!w.letters() || w.text.size() < 2 || w.text.size() > 4) return false;
  if (w.text == "AoE" || w.text == "UTC" || w.text == "GMT") return true;
  for (char c : w.text)
    if (!(c >= 'A' && c <= 'Z')) return false;
  return w.text.back() == 'T';
}

}  // namespace

std::vector<due_match> find_due_phrases(std::string_view plain, std::size_t max) {
  std::vector<due_match> out;
  const auto ws = split_words(plain);
  auto at = [&](std::size_t j) -> const word* { return j < ws.size() ? &ws[j] : nullptr; };
  for (std::size_t idx = 0; idx < ws.size() && out.size() < max; ++idx) {
    bool deadline_word = false;
    if (!is_due_word(ws[idx], deadline_word)) continue;
    // "due" inside a word run such as "overdue" cannot happen (words are whole); "Due to the
    // strike" is not a deadline: "to" right after it with no date.
    due_match m;
    m.deadline.deadline_word = deadline_word;
    m.word_end = ws[idx].end;
    std::size_t i = idx + 1;
    std::size_t last = idx;
    while (at(i) && (at(i)->is_punct(':') || at(i)->is_punct('-'))) ++i;
    content_deadline& dl = m.deadline;
    // "End of Week 3"
    if (at(i) && at(i)->is("end") && at(i + 1) && at(i + 1)->is("of") && at(i + 2) &&
        at(i + 2)->is("week") && at(i + 3) && at(i + 3)->digits()) {
      dl.end_of_week = to_int(at(i + 3)->text);
      last = i + 3;
      i += 4;
    }
    if (at(i) &&
        (at(i)->is("today") || at(i)->is("tonight") || at(i)->is("hoje") ||
         at(i)->text == "\xD1\x81\xD1\x8C\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xBD\xD1\x96")) {
      m.today = true;
      last = i;
      ++i;
    }
    std::size_t j = i;
    while (at(j) &&
           (at(j)->is_dash() || at(j)->is_punct(',') || at(j)->is("by") || at(j)->is("on") ||
            at(j)->is("at") || at(j)->is_punct('@') || at(j)->is("until") || at(j)->is("before") ||
            at(j)->is("em") || at(j)->is("at\xC3\xA9") /* até */ ||
            at(j)->text == "\xD0\xB4\xD0\xBE" /* до */))
      ++j;
    std::size_t k = j;
    bool numeric = false;
    if (auto d = date_at(ws, k, numeric)) {
      dl.date = *d;
      last = k - 1;
      i = k;
    }
    j = i;
    while (at(j) &&
           (at(j)->is_punct(',') || at(j)->is("at") || at(j)->is_punct('@') || at(j)->is("by") ||
            at(j)->is("before") || at(j)->is_punct('-') || at(j)->is("\xC3\xA0s") /* às */))
      ++j;
    std::size_t t = 0;
    if (auto clock = clock_at(ws, j, t)) {
      dl.time_minutes = *clock;
      last = t - 1;
      i = t;
      if (at(i) && is_zone_word(*at(i))) last = i++;
      // The day after the time: "Due 11:59 pm ET, Dec 1", "due 5pm on Friday 2/3".
      if (!dl.date) {
        std::size_t q = i;
        while (at(q) && (at(q)->is_punct(',') || at(q)->is("on") || at(q)->is_dash())) ++q;
        std::size_t r = q;
        if (auto d = date_at(ws, r, numeric)) {
          dl.date = *d;
          last = r - 1;
          i = r;
        }
      }
    }
    m.has_when = dl.end_of_week || dl.date || dl.time_minutes || m.today;
    m.begin = ws[idx].begin;
    m.end = ws[last].end;
    dl.phrase = std::string(plain.substr(m.begin, m.end - m.begin));
    // Parentheses right around the phrase go with it when it is cut out of a title; a
    // parenthesized group with more text in it ("(extended; due Thursday 2/20)") is noted.
    std::size_t b = m.begin;
    while (b > 0 && (plain[b - 1] == ' ' || plain[b - 1] == '\t')) --b;
    std::size_t e = m.end;
    while (e < plain.size() && (plain[e] == ' ' || plain[e] == '\t')) ++e;
    if (b > 0 && plain[b - 1] == '(' && e < plain.size() && plain[e] == ')') {
      m.begin = b - 1;
      m.end = e + 1;
    } else {
      const std::size_t open = plain.rfind('(', m.begin);
      const std::size_t close = plain.find(')', m.end);
      const std::size_t close_before = open == npos ? npos : plain.find(')', open);
      if (open != npos && close != npos && (close_before == npos || close_before >= m.end)) {
        m.in_parentheses = true;
        m.group_begin = open;
        m.group_end = close + 1;
      }
    }
    out.push_back(std::move(m));
    idx = last;
  }
  return out;
}

std::string strip_release_words(std::string_view plain, bool& found) {
  found = false;
  std::string s(plain);
  // At the start: "released! (optional)".
  for (std::string_view w : {"released", "release", "posted", "out", "available"}) {
    if (s.size() >= w.size() && lowercase_ascii(s.substr(0, w.size())) == w &&
        (s.size() == w.size() || s[w.size()] == ' ' || s[w.size()] == '!' || s[w.size()] == ':' ||
         s[w.size()] == '.' || s[w.size()] == ',')) {
      s = trim_separators(std::string_view(s).substr(w.size()));
      while (!s.empty() && (s.front() == '!' || s.front() == '.')) s = trim_separators(s.substr(1));
      found = true;
      break;
    }
  }
  static constexpr std::array<std::string_view, 9> words{"released", "release",  "out",
                                                         "posted",   "assigned", "available",
                                                         "open",     "liberado", "publicado"};
  bool changed = true;
  for (int rounds = 0; changed && rounds < 3; ++rounds) {  // "HW 4 is out": a word or two
    changed = false;
    while (!s.empty() && (s.back() == ' ' || s.back() == '!' || s.back() == ':' ||
                          s.back() == '-' || s.back() == '.'))
      s.pop_back();
    const std::size_t sp = s.rfind(' ');
    const std::string last = lowercase_ascii(sp == std::string::npos ? s : s.substr(sp + 1));
    for (auto w : words) {
      if (last == w) {
        s.resize(sp == std::string::npos ? 0 : sp);
        found = true;
        changed = true;
        break;
      }
    }
  }
  return s;
}

namespace {

// A room written with a time: "FAH 1101", "WLH 2207", "105 Tate", "Lewis 104", "H-105", "Zoom".
// Words of letters and digits, at most four, with a digit in them (or a known online room).
std::optional<std::pair<std::size_t, std::size_t>> room_at(const std::vector<word>& ws,
                                                           std::size_t i) {
  if (i >= ws.size()) return std::nullopt;
  if (ws[i].is("zoom") || ws[i].is("online") || ws[i].is("teams")) return std::pair{i, i + 1};
  std::size_t j = i;
  bool digit = false;
  std::size_t words = 0;
  while (j < ws.size() && words < 4) {
    if (ws[j].digits()) {
      digit = true;
    } else if (ws[j].letters()) {
      if (ws[j].is("and") || ws[j].is("at") || ws[j].is("in") || ws[j].is("on")) break;
    } else if (!(ws[j].is_dash() && j > i && j + 1 < ws.size() && ws[j].begin == ws[j - 1].end)) {
      break;
    }
    ++j;
    ++words;
    if (digit && j < ws.size() && ws[j].cls == word_class::punct && !ws[j].is_dash()) break;
  }
  if (j == i) return std::nullopt;
  if (!digit) {
    // "Room A", "Tate Hall", "Lab B": a word that says it is a room.
    bool roomish = false;
    for (std::size_t k = i; k < j; ++k)
      if (ws[k].is("room") || ws[k].is("hall") || ws[k].is("lab") || ws[k].is("auditorium") ||
          ws[k].is("building") || ws[k].is("bldg") || ws[k].is("library") || ws[k].is("studio"))
        roomish = true;
    if (!roomish) return std::nullopt;
  }
  return std::pair{i, j};
}

}  // namespace

std::optional<time_match> find_time(std::string_view plain) {
  const auto ws = split_words(plain, 96);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::size_t next = 0;
    int ampm1 = 0;
    auto start = clock_at(ws, i, next, &ampm1);
    // "6-8:50pm", "10-11:30am": a bare hour before a dash and a marked time.
    int bare_hour = -1;
    if (!start && ws[i].digits() && ws[i].text.size() <= 2 && i + 1 < ws.size() &&
        ws[i + 1].is_dash()) {
      bare_hour = to_int(ws[i].text);
      next = i + 1;
    }
    if (!start && bare_hour < 0) continue;
    time_match m;
    m.begin = ws[i].begin;
    std::size_t j = next;
    std::size_t last = next - 1;
    if (j < ws.size() && (ws[j].is_dash() || ws[j].is("to"))) {
      std::size_t after = 0;
      int ampm2 = 0;
      if (auto end = clock_at(ws, j + 1, after, &ampm2)) {
        int s = start ? *start : (bare_hour % 12) * 60;
        if (!start || ampm1 == 0) {
          // "12:45 - 2:15 pm", "6-8:50pm": the start takes the end's half of the day when that
          // keeps it before the end.
          if (ampm2 == 2 && s < 12 * 60 && s + 12 * 60 < *end) s += 12 * 60;
          if (bare_hour >= 0 && ampm2 == 0) s = bare_hour * 60;
        }
        m.starts.push_back(s);
        m.end = *end;
        last = after - 1;
        j = after;
      } else if (!start) {
        continue;
      }
    } else if (!start) {
      continue;
    }
    if (m.starts.empty()) {
      m.starts.push_back(*start);
      // "4pm & 5pm", "4 & 5pm": more start times.
      while (j + 1 < ws.size() && (ws[j].is_punct('&') || ws[j].is("and") || ws[j].is_punct(','))) {
        std::size_t after = 0;
        auto more = clock_at(ws, j + 1, after);
        if (!more) break;
        m.starts.push_back(*more);
        last = after - 1;
        j = after;
      }
    }
    if (j < ws.size() && is_zone_word(ws[j])) last = j++;
    // The room: "@ WLH 2207", "in FAH 1101", "[Lewis 104]", "(105 Tate, 1:30 ...)".
    std::size_t r = j;
    while (r < ws.size() && (ws[r].is_punct('@') || ws[r].is("in") || ws[r].is_punct('[') ||
                             ws[r].is_punct(',') || ws[r].is("at")))
      ++r;
    if (r > j || (r < ws.size() && ws[r].is_punct('['))) {
      if (auto room = room_at(ws, r)) {
        m.location = std::string(
            plain.substr(ws[room->first].begin, ws[room->second - 1].end - ws[room->first].begin));
        last = room->second - 1;
        if (room->second < ws.size() && ws[room->second].is_punct(']')) last = room->second;
      }
    }
    if (m.location.empty() && i >= 2 && ws[i - 1].is_punct(',')) {
      // "(105 Tate, 1:30 - 4:30 PM)": the room before the time.
      std::size_t b = i - 1;
      std::size_t a = b;
      while (a > 0 && (ws[a - 1].letters() || ws[a - 1].digits()) && b - a < 3) --a;
      if (a < b && a > 0 && ws[a - 1].is_punct('(')) {
        if (auto room = room_at(ws, a); room && room->second == b) {
          m.location = std::string(plain.substr(ws[a].begin, ws[b - 1].end - ws[a].begin));
          m.begin = ws[a].begin;
        }
      }
    }
    // "@ 9am": the marker before the time goes with it.
    if (i > 0 && (ws[i - 1].is_punct('@') || ws[i - 1].is("at")) && m.begin == ws[i].begin)
      m.begin = ws[i - 1].begin;
    m.end_byte = ws[last].end;
    return m;
  }
  return std::nullopt;
}

std::optional<int> week_from_title(std::string_view title) {
  for (std::size_t i = 0; i + 4 <= title.size(); ++i) {
    if (!starts_with_ci(title.substr(i), "week") && !starts_with_ci(title.substr(i), "semana"))
      continue;
    const std::size_t len = starts_with_ci(title.substr(i), "week") ? 4 : 6;
    if (i > 0 && ((title[i - 1] >= 'a' && title[i - 1] <= 'z') ||
                  (title[i - 1] >= 'A' && title[i - 1] <= 'Z')))
      continue;
    std::size_t j = i + len;
    while (j < title.size() && (title[j] == ' ' || title[j] == '-' || title[j] == '_' ||
                                title[j] == '#' || title[j] == ':' || title[j] == '\t'))
      ++j;
    const std::size_t start = j;
    while (j < title.size() && is_digit(title[j]) && j - start < 4) ++j;
    if (j > start) return to_int(title.substr(start, j - start));
  }
  return std::nullopt;
}

bool is_generic_link_text(std::string_view plain) {
  static constexpr std::array<std::string_view, 38> generic{"pdf",
                                                            "slides",
                                                            "slide",
                                                            "notes",
                                                            "video",
                                                            "videos",
                                                            "recording",
                                                            "link",
                                                            "here",
                                                            "details",
                                                            "submit",
                                                            "files",
                                                            "file",
                                                            "solutions",
                                                            "solution",
                                                            "handout",
                                                            "code",
                                                            "colab",
                                                            "notebook",
                                                            "html",
                                                            "hml",
                                                            "doc",
                                                            "docs",
                                                            "ppt",
                                                            "pptx",
                                                            "ipynb",
                                                            "zip",
                                                            "website",
                                                            "page",
                                                            "info",
                                                            "instructions",
                                                            "spec",
                                                            "starter code",
                                                            "youtube",
                                                            "lecture",
                                                            "zoom",
                                                            "recording link",
                                                            "submit video"};
  std::string l = lowercase_ascii(trim_separators(plain));
  while (!l.empty() && (l.front() == '.' || l.front() == '[')) l.erase(0, 1);
  while (!l.empty() && (l.back() == ']')) l.pop_back();
  if (std::find(generic.begin(), generic.end(), l) != generic.end()) return true;
  // Materials named by what they are: "Zoom Recording", "Extra Slides", "Colab Notebook".
  if (std::count(l.begin(), l.end(), ' ') <= 2) {
    for (std::string_view w :
         {"slides", "recording", "recordings", "video", "notebook", "colab", "handout", "solutions",
          "transcript", "pdf", "scribe notes", "lecture notes", "starter code", "worksheet"})
      if (l.find(w) != std::string::npos) return true;
  }
  // A call to act, not a name: "Book your presentation slot here!", "click here", "Sign up".
  return l.ends_with(" here") || l.ends_with(" here!") || l.ends_with("!") || l == "sign up" ||
         l.starts_with("click ");
}

bool has_words(std::string_view plain) {
  const auto ws = split_words(plain, 64);
  return std::any_of(ws.begin(), ws.end(),
                     [](const word& w) { return w.cls != word_class::punct; });
}

std::string trim_separators(std::string_view s) {
  auto sep_at_end = [](std::string_view x) -> std::size_t {
    if (x.empty()) return 0;
    const char c = x.back();
    if (c == ' ' || c == '|' || c == ',' || c == '-' || c == ':' || c == '\t') return 1;
    if (x.size() >= 2 && x.substr(x.size() - 2) == "\xC2\xB7") return 2;
    if (x.size() >= 2 && x.substr(x.size() - 2) == "\xC2\xA0") return 2;
    if (x.size() >= 3 &&
        (x.substr(x.size() - 3) == "\xE2\x80\xA2" || x.substr(x.size() - 3) == "\xE2\x80\x93" ||
         x.substr(x.size() - 3) == "\xE2\x80\x94"))
      return 3;
    return 0;
  };
  auto sep_at_start = [](std::string_view x) -> std::size_t {
    if (x.empty()) return 0;
    const char c = x.front();
    if (c == ' ' || c == '|' || c == ',' || c == '-' || c == ':' || c == '\t') return 1;
    if (x.starts_with("\xC2\xB7") || x.starts_with("\xC2\xA0")) return 2;
    if (x.starts_with("\xE2\x80\xA2") || x.starts_with("\xE2\x80\x93") ||
        x.starts_with("\xE2\x80\x94"))
      return 3;
    return 0;
  };
  while (std::size_t n = sep_at_end(s)) s.remove_suffix(n);
  while (std::size_t n = sep_at_start(s)) s.remove_prefix(n);
  return std::string(s);
}

}  // namespace coursecal::content::detail
