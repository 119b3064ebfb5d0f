#include "content/phrases.hpp"

#include <array>

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Non-ASCII bytes join letters so that words in other scripts stay words.
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

std::string lowercase(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower(c);
  return r;
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
  bool is_punct(char c) const { return cls == word_class::punct && text[0] == c; }
};

std::vector<word> split_words(std::string_view s, std::size_t max_words = npos) {
  std::vector<word> ws;
  std::size_t i = 0;
  while (i < s.size() && ws.size() < max_words) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    word w;
    w.begin = i;
    if (is_letter(s[i])) {
      w.cls = word_class::letters;
      while (i < s.size() && is_letter(s[i])) ++i;
    } else if (is_digit(s[i])) {
      w.cls = word_class::digits;
      while (i < s.size() && is_digit(s[i])) ++i;
    } else {
      w.cls = word_class::punct;
      ++i;
    }
    w.end = i;
    w.text = s.substr(w.begin, i - w.begin);
    ws.push_back(w);
  }
  return ws;
}

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits.substr(0, 6)) v = v * 10 + (c - '0');
  return v;
}

int month_of(const word& w) {
  static constexpr std::array<std::string_view, 12> full{
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (w.cls != word_class::letters || w.text.size() < 3) return 0;
  std::string l = lowercase(w.text);
  if (l == "sept") return 9;
  for (std::size_t m = 0; m < 12; ++m) {
    if (l == full[m] || l == full[m].substr(0, 3)) return static_cast<int>(m) + 1;
  }
  return 0;
}

// Month names of other languages seen in the wild, only where the day comes first ("02 Dez",
// "09 вер", "12 жовтня"): Portuguese and Ukrainian (every case form starts with the stem).
int foreign_month_of(const word& w) {
  if (w.cls != word_class::letters || w.text.size() < 3) return 0;
  static constexpr std::array<std::string_view, 12> pt_full{
      "janeiro", "fevereiro", "mar\xC3\xA7o", "abril",   "maio",     "junho",
      "julho",   "agosto",    "setembro",     "outubro", "novembro", "dezembro"};
  static constexpr std::array<std::string_view, 12> pt_short{
      "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"};
  std::string l = lowercase(w.text);
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
  static constexpr std::array<entry, 30> names{{
      {"sunday", 0}, {"sun", 0},      {"su", 0},        {"monday", 1}, {"mon", 1},
      {"mo", 1},     {"m", 1},        {"tuesday", 2},   {"tues", 2},   {"tue", 2},
      {"tu", 2},     {"t", 2},        {"wednesday", 3}, {"wed", 3},    {"we", 3},
      {"w", 3},      {"thursday", 4}, {"thurs", 4},     {"thur", 4},   {"thu", 4},
      {"th", 4},     {"r", 4},        {"friday", 5},    {"fri", 5},    {"fr", 5},
      {"f", 5},      {"saturday", 6}, {"sat", 6},       {"sa", 6},     {"weds", 3},
  }};
  if (w.cls != word_class::letters) return std::nullopt;
  std::string l = lowercase(w.text);
  for (const auto& e : names)
    if (l == e.name) return e.day;
  return std::nullopt;
}

bool is_ordinal(const word& w) { return w.is("st") || w.is("nd") || w.is("rd") || w.is("th"); }

// Dates on a word list from index k; k moves past what was used.
std::optional<date_match> date_at(const std::vector<word>& ws, std::size_t& k) {
  std::size_t i = k;
  auto at = [&](std::size_t j) -> const word* { return j < ws.size() ? &ws[j] : nullptr; };
  content_date d;
  bool numeric = false;
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
    if (!dw || dw->cls != word_class::digits || dw->text.size() > 2) return std::nullopt;
    d.month = m;
    d.day = to_int(dw->text);
    ++i;
    if (at(i) && is_ordinal(*at(i)) && at(i)->begin == dw->end) ++i;
    if (at(i) && at(i)->is_punct(',') && at(i + 1) && at(i + 1)->cls == word_class::digits &&
        at(i + 1)->text.size() == 4) {
      d.year = to_int(at(i + 1)->text);
      i += 2;
    }
  } else if (w->cls == word_class::digits) {
    const word* sep = at(i + 1);
    const word* second = at(i + 2);
    if (w->text.size() == 4 && sep && sep->is_punct('-') && second &&
        second->cls == word_class::digits && at(i + 3) && at(i + 3)->is_punct('-') && at(i + 4) &&
        at(i + 4)->cls == word_class::digits) {
      d.year = to_int(w->text);
      d.month = to_int(second->text);
      d.day = to_int(at(i + 4)->text);
      i += 5;
    } else if (w->text.size() <= 2 && sep && sep->is_punct('/') && second &&
               second->cls == word_class::digits && second->text.size() <= 2 &&
               sep->begin == w->end && second->begin == sep->end) {
      numeric = true;
      d.month = to_int(w->text);
      d.day = to_int(second->text);
      i += 3;
      if (at(i) && at(i)->is_punct('/') && at(i + 1) && at(i + 1)->cls == word_class::digits &&
          at(i)->begin == second->end) {
        int y = to_int(at(i + 1)->text);
        if (at(i + 1)->text.size() == 2) y += 2000;
        if (at(i + 1)->text.size() == 2 || at(i + 1)->text.size() == 4) {
          d.year = y;
          i += 2;
        }
      }
    } else if (w->text.size() <= 2 && sep && sep->text == korean_month && second &&
               second->cls == word_class::digits && second->text.size() <= 2) {
      d.month = to_int(w->text);  // "9월 4일"
      d.day = to_int(second->text);
      i += 3;
      if (at(i) && at(i)->text == korean_day) ++i;
    } else if (w->text.size() <= 2 && sep && day_first_month_of(*sep)) {
      d.day = to_int(w->text);  // "7 October", "02 Dez", "12 жовтня"
      d.month = day_first_month_of(*sep);
      i += 2;
      if (at(i) && at(i)->is_punct('.')) ++i;
    } else if (w->text.size() <= 2 && sep && sep->is_punct(',') && second &&
               second->cls == word_class::digits && second->text.size() <= 2 && at(i + 3) &&
               day_first_month_of(*at(i + 3))) {
      d.day = to_int(w->text);  // "04, 06 Jan": the first of the days
      d.month = day_first_month_of(*at(i + 3));
      i += 4;
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
  date_match r;
  r.date = d;
  r.numeric = numeric;
  r.end = ws[i - 1].end;
  k = i;
  return r;
}

bool contains_word(const std::vector<word>& ws, std::string_view w) {
  for (const auto& x : ws)
    if (x.is(w)) return true;
  return false;
}

}  // namespace

std::optional<date_match> match_date(std::string_view text) {
  auto ws = split_words(text, 24);
  std::size_t k = 0;
  return date_at(ws, k);
}

heading_match classify_heading(std::string_view plain) {
  heading_match h;
  auto ws = split_words(plain, 24);
  while (!ws.empty() && ws.back().cls == word_class::punct &&
         (ws.back().is_punct(':') || ws.back().is_punct('.')))
    ws.pop_back();
  if (ws.empty()) return h;
  if (ws.size() == 1 && ws[0].cls == word_class::digits && ws[0].text.size() <= 4) {
    h.shape = heading_shape::slot;
    h.slot = slot_match{"", to_int(ws[0].text)};
    return h;
  }
  if (ws[0].is("class") || ws[0].is("lecture") || ws[0].is("lec") || ws[0].is("lect")) {
    std::size_t i = 1;
    while (i < ws.size() && (ws[i].is_punct('#') || ws[i].is_punct('.'))) ++i;
    if (i < ws.size() && ws[i].cls == word_class::digits && ws[i].text.size() <= 4) {
      h.shape = heading_shape::slot;
      h.slot = slot_match{ws[0].is("class") ? "class" : "lecture", to_int(ws[i].text)};
      return h;
    }
  }
  // "Day 3 (9/12)": the date in parentheses names the day; "Day 3" alone is a slot.
  if (ws[0].is("day") && ws.size() >= 2 && ws[1].cls == word_class::digits &&
      ws[1].text.size() <= 3) {
    std::size_t k = 2;
    while (k < ws.size() && (ws[k].is_punct('(') || ws[k].is_punct(':') || ws[k].is_punct('-') ||
                             ws[k].is_punct(',')))
      ++k;
    if (auto d = date_at(ws, k)) {
      h.shape = heading_shape::date;
      h.date = d;
      return h;
    }
    h.shape = heading_shape::slot;
    h.slot = slot_match{"day", to_int(ws[1].text)};
    return h;
  }
  if (ws.size() == 1 && (ws[0].is("classes") || ws[0].is("lectures"))) {
    h.shape = heading_shape::classes;
    return h;
  }
  std::size_t k = 0;
  if (auto d = date_at(ws, k)) {
    h.shape = heading_shape::date;
    h.date = d;
    return h;
  }
  static constexpr std::array<std::string_view, 40> roles{
      "lecture",     "lectures",  "lab",         "labs",          "reading",   "readings",
      "topics",      "topic",     "resources",   "resource",      "homework",  "homeworks",
      "hw",          "deadlines", "deadline",    "due",           "tbd",       "tba",
      "date",        "day",       "assignments", "assignment",    "notes",     "discussion",
      "discussions", "section",   "sections",    "exam",          "exams",     "quiz",
      "quizzes",     "project",   "projects",    "announcements", "materials", "slides",
      "schedule",    "agenda",    "videos",      "week"};
  for (const auto& w : ws) {
    if (w.cls != word_class::letters) continue;
    for (auto r : roles) {
      if (w.is(r)) h.known_role = true;
    }
  }
  h.reading_role = contains_word(ws, "reading") || contains_word(ws, "readings");
  return h;
}

std::string kind_of_label(std::string_view label) {
  auto ws = split_words(label, 16);
  bool any_letters = false;
  for (const auto& w : ws) {
    if (w.cls == word_class::letters) any_letters = true;
    if (w.is("due") || w.is("deadline") || w.is("deadlines")) return "deadline";
  }
  if (!any_letters) return "";
  struct entry {
    std::string_view word;
    std::string_view kind;
  };
  static constexpr std::array<entry, 44> kinds{{
      {"lecture", "lecture"},
      {"lectures", "lecture"},
      {"lec", "lecture"},
      {"lect", "lecture"},
      {"class", "lecture"},
      {"discussion", "discussion"},
      {"disc", "discussion"},
      {"dis", "discussion"},
      {"section", "section"},
      {"sec", "section"},
      {"recitation", "section"},
      {"tutorial", "section"},
      {"lab", "lab"},
      {"labs", "lab"},
      {"hw", "homework"},
      {"homework", "homework"},
      {"assignment", "homework"},
      {"assignments", "homework"},
      {"pset", "homework"},
      {"ps", "homework"},
      {"pa", "homework"},
      {"exam", "exam"},
      {"midterm", "exam"},
      {"final", "exam"},
      {"finals", "exam"},
      {"quiz", "quiz"},
      {"quizzes", "quiz"},
      {"project", "project"},
      {"proj", "project"},
      {"reading", "reading"},
      {"readings", "reading"},
      {"oh", "office-hours"},
      {"office", "office-hours"},
      {"holiday", "holiday"},
      {"review", "review"},
      {"seminar", "seminar"},
      {"workshop", "workshop"},
      {"presentation", "presentation"},
      {"presentations", "presentation"},
      {"demo", "demo"},
      {"survey", "survey"},
      {"paper", "reading"},
      {"problem", "homework"},
      {"lecture", "lecture"},
  }};
  for (const auto& w : ws) {
    if (w.cls != word_class::letters) continue;
    for (const auto& e : kinds)
      if (w.is(e.word)) return std::string(e.kind);
  }
  for (const auto& w : ws)
    if (w.cls == word_class::letters) return lowercase(w.text);
  return "";
}

bool says_no_class(std::string_view plain) {
  static constexpr std::array<std::string_view, 19> markers{
      "no class",     "no lecture",   "no meeting",   "no section",    "no discussion",
      "spring break", "fall break",   "winter break", "thanksgiving",  "holiday",
      "mlk day",      "memorial day", "labor day",    "veterans day",  "juneteenth",
      "cancelled",    "canceled",     "no lab",       "presidents day"};
  std::string l = lowercase(plain);
  for (auto m : markers)
    if (l.find(m) != npos) return true;
  return false;
}

bool is_reading_marker(std::string_view plain) {
  auto ws = split_words(plain, 6);
  std::vector<const word*> letters;
  for (const auto& w : ws)
    if (w.cls == word_class::letters) letters.push_back(&w);
  if (letters.empty()) return false;
  auto reading = [](const word* w) { return w->is("reading") || w->is("readings"); };
  if (reading(letters[0])) return true;
  static constexpr std::array<std::string_view, 10> qualifiers{
      "required",   "optional",      "suggested",    "recommended", "further",
      "additional", "supplementary", "supplemental", "background",  "assigned"};
  if (letters.size() >= 2 && reading(letters[1])) {
    for (auto q : qualifiers)
      if (letters[0]->is(q)) return true;
  }
  return false;
}

reading_need need_from_words(std::string_view plain) {
  std::string l = lowercase(plain);
  std::size_t o = l.find("optional");
  std::size_t r = l.find("required");
  if (o == npos && r == npos) return reading_need::unspecified;
  return o < r ? reading_need::optional : reading_need::required;
}

std::vector<due_match> find_due_phrases(std::string_view plain, std::size_t max) {
  std::vector<due_match> out;
  auto ws = split_words(plain);
  auto at = [&](std::size_t j) -> const word* { return j < ws.size() ? &ws[j] : nullptr; };
  for (std::size_t idx = 0; idx < ws.size() && out.size() < max; ++idx) {
    if (!ws[idx].is("due")) continue;
    due_match m;
    std::size_t i = idx + 1;
    std::size_t last = idx;
    while (at(i) && at(i)->is_punct(':')) ++i;
    content_deadline& dl = m.deadline;
    // "End of Week 3"
    if (at(i) && at(i)->is("end") && at(i + 1) && at(i + 1)->is("of") && at(i + 2) &&
        at(i + 2)->is("week") && at(i + 3) && at(i + 3)->cls == word_class::digits) {
      dl.end_of_week = to_int(at(i + 3)->text);
      last = i + 3;
      i += 4;
    }
    std::size_t j = i;
    while (at(j) && (at(j)->is_punct('-') || at(j)->is_punct(',') || at(j)->is("by") ||
                     at(j)->is("on") || at(j)->text == "\u2013" || at(j)->text == "\u2014"))
      ++j;
    std::size_t k = j;
    if (auto d = date_at(ws, k)) {
      dl.date = d->date;
      last = k - 1;
      i = k;
    }
    j = i;
    while (at(j) &&
           (at(j)->is_punct(',') || at(j)->is("at") || at(j)->is_punct('@') || at(j)->is("by")))
      ++j;
    // A time: "11:59pm", "12:00 PM", "23:59", "5pm", "noon", "midnight".
    if (at(j) && (at(j)->is("noon") || at(j)->is("midnight"))) {
      dl.time_minutes = at(j)->is("noon") ? 12 * 60 : 0;
      last = j;
      i = j + 1;
    } else if (at(j) && at(j)->cls == word_class::digits && at(j)->text.size() <= 2) {
      int h = to_int(at(j)->text);
      int mins = 0;
      std::size_t t = j + 1;
      bool colon = false;
      if (at(t) && at(t)->is_punct(':') && at(t + 1) && at(t + 1)->cls == word_class::digits &&
          at(t + 1)->text.size() == 2) {
        mins = to_int(at(t + 1)->text);
        colon = true;
        t += 2;
      }
      int ampm = 0;  // 1 = am, 2 = pm
      if (at(t) && (at(t)->is("am") || at(t)->is("pm"))) {
        ampm = at(t)->is("am") ? 1 : 2;
        t += 1;
      } else if (at(t) && (at(t)->is("a") || at(t)->is("p")) && at(t + 1) &&
                 at(t + 1)->is_punct('.') && at(t + 2) && at(t + 2)->is("m")) {
        ampm = at(t)->is("a") ? 1 : 2;
        t += 3;
        if (at(t) && at(t)->is_punct('.')) ++t;
      }
      if ((colon || ampm) && h <= 23 && mins <= 59 && (ampm == 0 || (h >= 1 && h <= 12))) {
        if (ampm == 1 && h == 12) h = 0;
        if (ampm == 2 && h != 12) h += 12;
        dl.time_minutes = h * 60 + mins;
        last = t - 1;
        i = t;
        // A time zone abbreviation: PST, PDT, PT, ET, UTC, AoE.
        if (at(i) && at(i)->cls == word_class::letters && at(i)->text.size() >= 2 &&
            at(i)->text.size() <= 4) {
          std::string_view z = at(i)->text;
          bool upper = true;
          for (char c : z)
            if (!(c >= 'A' && c <= 'Z')) upper = false;
          if ((upper && (z.back() == 'T' || z == "UTC")) || z == "AoE") last = i;
        }
      }
    }
    m.has_when = dl.end_of_week || dl.date || dl.time_minutes;
    m.begin = ws[idx].begin;
    m.end = ws[last].end;
    dl.phrase = std::string(plain.substr(m.begin, m.end - m.begin));
    // Parentheses around the phrase go with it when the phrase is cut out of a title.
    std::size_t b = m.begin;
    while (b > 0 && is_space(plain[b - 1])) --b;
    std::size_t e = m.end;
    while (e < plain.size() && is_space(plain[e])) ++e;
    if (b > 0 && plain[b - 1] == '(' && e < plain.size() && plain[e] == ')') {
      m.begin = b - 1;
      m.end = e + 1;
    }
    out.push_back(std::move(m));
    idx = last;
  }
  return out;
}

std::optional<int> week_from_title(std::string_view title) {
  for (std::size_t i = 0; i + 4 <= title.size(); ++i) {
    if (lowercase(title.substr(i, 4)) != "week") continue;
    if (i > 0 && is_letter(title[i - 1])) continue;
    std::size_t j = i + 4;
    while (j < title.size() && (title[j] == ' ' || title[j] == '-' || title[j] == '_' ||
                                title[j] == '#' || title[j] == ':' || title[j] == '\t'))
      ++j;
    std::size_t start = j;
    while (j < title.size() && is_digit(title[j]) && j - start < 4) ++j;
    if (j > start) return to_int(title.substr(start, j - start));
  }
  return std::nullopt;
}

}  // namespace coursecal::content::detail
