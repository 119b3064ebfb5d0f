#include "core/resolve.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "core/time_format.hpp"

namespace coursecal {

namespace {

using date::days;
using date::sys_days;

// "lecture" -> "Lecture", "office-hours" -> "Office hours".
std::string kind_title(const std::string& kind) {
  if (kind.empty()) return "Class";
  std::string t = kind;
  std::replace(t.begin(), t.end(), '-', ' ');
  if (t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
  return t;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  return !needle.empty() && lower(hay).find(lower(needle)) != std::string::npos;
}

sys_days monday_on_or_before(sys_days d) {
  const date::weekday wd{d};
  return d - (wd - date::Monday);
}

bool in_range(sys_days d, const day_range& r) { return d >= r.from && d <= r.to; }

bool is_meeting_kind(const std::string& k) {
  return k == "lecture" || k == "discussion" || k == "section" || k == "lab" || k == "office-hours";
}

std::string reading_line(const content_reading& r) {
  std::string prefix = r.need == reading_need::optional   ? "Optional reading: "
                       : r.need == reading_need::required ? "Required reading: "
                                                          : "Reading: ";
  std::string line = prefix + r.title;
  if (!r.url.empty()) line += (r.title.empty() ? "" : " - ") + r.url;
  return line;
}

// "Due: Homework 1: caches" -> "hw1"; "Due: PA 2" -> "pa2"; "" when the title names no
// numbered assignment.
std::string assignment_key(const std::string& title) {
  const std::string l = lower(title);
  static const std::pair<const char*, const char*> names[] = {{"programming assignment", "pa"},
                                                              {"homework", "hw"},
                                                              {"assignment", "a"},
                                                              {"project", "project"},
                                                              {"checkpoint", "checkpoint"},
                                                              {"quiz", "quiz"},
                                                              {"midterm", "midterm"},
                                                              {"exam", "exam"},
                                                              {"lab", "lab"},
                                                              {"hw", "hw"},
                                                              {"pa", "pa"},
                                                              {"mp", "mp"},
                                                              {"ps", "ps"}};
  for (const auto& [name, key] : names) {
    std::size_t at = l.find(name);
    while (at != std::string::npos) {
      const bool word_start = at == 0 || !std::isalnum(static_cast<unsigned char>(l[at - 1]));
      std::size_t p = at + std::string_view(name).size();
      while (p < l.size() && (l[p] == ' ' || l[p] == '#' || l[p] == '-')) ++p;
      std::size_t q = p;
      while (q < l.size() && std::isdigit(static_cast<unsigned char>(l[q]))) ++q;
      if (word_start && q > p && q - p < 6)
        return std::string(key) + std::to_string(std::stoi(l.substr(p, q - p)));
      at = l.find(name, at + 1);
    }
  }
  return {};
}

// Letters and digits only, lower case: "SET evaluations" and "SET Evaluations!" are one thing.
std::string name_key(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c) || c >= 0x80) out += static_cast<char>(std::tolower(c));
  return out;
}

// Whether `text` has a word that `known` does not (release and due words aside).
bool says_more(const std::string& text, const std::string& known) {
  auto words = [](const std::string& s) {
    std::set<std::string> out;
    std::string w;
    for (const char c : s + " ") {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || u >= 0x80) {
        w += static_cast<char>(std::tolower(u));
      } else if (!w.empty()) {
        out.insert(w);
        w.clear();
      }
    }
    return out;
  };
  const auto have = words(known);
  for (const auto& w : words(text)) {
    if (have.count(w) || w == "released" || w == "release" || w == "out" || w == "posted" ||
        w == "due" || w == "deadline")
      continue;
    return true;
  }
  return false;
}

struct line_counts {
  int links = 0;
  int readings = 0;
  void add(line_counts o) {
    links += o.links;
    readings += o.readings;
  }
};

// The line naming an entry in a description: "HW 3: Homework 3 released", "Pre-class: Python",
// "CT 1 (DUE)". A bare kind word ("DISC" on the discussion) names nothing.
std::string entry_header(const content_entry& e, const std::string& prefix, bool with_phrase = true,
                         bool on_own_meeting = false) {
  std::string h = e.title;
  const bool digit =
      std::any_of(e.label.begin(), e.label.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool bare_kind =
      on_own_meeting && is_meeting_kind(e.kind) && !digit && e.label.find(' ') == std::string::npos;
  if (h.empty() && !bare_kind) h = e.label;
  if (!e.label.empty() && !e.title.empty() && !e.labelled_class && !bare_kind) {
    if (contains_ci(e.label, e.title))
      h = e.label;
    else if (!contains_ci(e.title, e.label))
      h = e.label + ": " + e.title;
  }
  if (!e.tags.empty() && e.label.empty()) {
    std::string tags;
    for (const auto& t : e.tags) tags += (tags.empty() ? "" : " \u00B7 ") + t;
    h = h.empty() ? tags : tags + ": " + h;
  }
  if (with_phrase && !e.deadlines.empty() && !e.deadlines.front().phrase.empty() &&
      !contains_ci(h, e.deadlines.front().phrase)) {
    const std::string& phrase = e.deadlines.front().phrase;
    if (contains_ci(phrase, h))
      h = phrase;  // "HW 1 due" says "HW 1" already
    else if (!e.label.empty() && contains_ci(phrase, e.label) && !e.title.empty()) {
      // "PA 1 due: Submit on Gradescope", not "PA 1 due: PA 1: Submit on Gradescope".
      std::string title = e.title;
      if (lower(title).starts_with(lower(e.label) + ": ")) title = title.substr(e.label.size() + 2);
      h = phrase + ": " + title;
    } else
      h += (h.empty() ? "" : " (") + phrase + (h.empty() ? "" : ")");
  }
  if (!prefix.empty() && !h.empty() && !contains_ci(h, prefix)) h = prefix + ": " + h;
  return h;
}

// The description lines of an entry: its header (unless it is the event's own title), links,
// readings and notes. A header that only repeats its first link's name goes onto that link line.
line_counts describe(const content_entry& e, const std::string& prefix, bool header,
                     std::vector<std::string>& out, bool on_own_meeting = false) {
  line_counts n;
  std::string head = header ? entry_header(e, prefix, true, on_own_meeting) : std::string();
  bool head_done = head.empty();
  for (const auto& l : e.links) {
    if (!l.published || l.url.empty()) continue;  // "not published yet": never a URL
    std::string label = l.label.empty() ? std::string("Link") : l.label;
    // Written under a role ("Pre-class"), a line of links says so.
    if (head_done && head.empty() && !prefix.empty() && n.links == 0) label = prefix + ": " + label;
    if (!head_done && (head == label || head == prefix + ": " + label)) {
      out.push_back(head + ": " + l.url);
      head_done = true;
    } else {
      if (!head_done) {
        out.push_back(head);
        head_done = true;
      }
      out.push_back(label + ": " + l.url);
    }
    ++n.links;
  }
  if (!head_done) out.push_back(head);
  for (const auto& r : e.readings) out.push_back(reading_line(r));
  n.readings = static_cast<int>(e.readings.size());
  for (const auto& note : e.notes) out.push_back(note);
  return n;
}

// An entry on a meeting, with what placed it there.
struct attached {
  const content_entry* entry = nullptr;
  bool kind_match = false;  // it went to a meeting of its own kind (lab content on the lab)
  std::string prefix;       // the role it was written under ("Pre-class")
};

struct placed_meeting {
  scheduled_meeting m;
  const content_entry* cancelled_by = nullptr;  // the no-class marker that cancelled it
  std::vector<attached> items;
  std::vector<std::string> week_lines;  // week-level content, appended last
  line_counts week_counts;
  bool replaced = false;  // an own-time event took its place
  bool exam = false;      // set when composed
  std::string title;      // set when composed
  bool topic = false;     // the content gave it a topic (set when composed)
  std::vector<std::string> lines;
  line_counts counts;
  source_loc loc;
};

// Where an entry is being placed from.
struct place_ctx {
  int week = 0;
  bool certain = true;                // the day is written (not estimated from a lecture number)
  std::string prefix;                 // the role it was written under
  placed_meeting* meeting = nullptr;  // slot anchors: the meeting it names
};

struct resolver {
  const resolve_input& in;
  const feed_config& feed;
  const course_content& content;
  diagnostics& diags;
  term_calendar cal;
  std::vector<placed_meeting> meetings;  // sorted by (date, start)
  std::vector<calendar_event> extra;     // own-time and all-day events, deadlines, notes
  std::map<std::string, int> uid_counts;
  std::vector<int> page_weeks;   // per page
  std::set<std::string> warned;  // warnings given once

  resolver(const resolve_input& input, diagnostics& d)
      : in(input), feed(*input.feed), content(*input.content), diags(d), cal(feed.term) {}

  std::string slot_kind() const {
    return feed.meetings.empty() ? "lecture" : feed.meetings[0].kind;
  }

  bool has_meetings_of(const std::string& kind) const {
    return std::any_of(feed.meetings.begin(), feed.meetings.end(),
                       [&](const meeting_rule& r) { return r.kind == kind; });
  }

  // "section" and "discussion" name the same meetings when the config has only one of them.
  std::string meeting_kind_for(const std::string& kind) const {
    if (kind.empty() || has_meetings_of(kind)) return kind;
    if (kind == "section" && has_meetings_of("discussion")) return "discussion";
    if (kind == "discussion" && has_meetings_of("section")) return "section";
    return kind;
  }

  bool is_slot(const placed_meeting& pm) const { return pm.m.kind == slot_kind(); }

  std::vector<placed_meeting*> meetings_on(sys_days day, const std::string& kind) {
    std::vector<placed_meeting*> out;
    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && pm.m.date == day && pm.m.kind == kind)
        out.push_back(&pm);
    return out;
  }

  placed_meeting* slot_on(sys_days day) {
    auto ms = meetings_on(day, slot_kind());
    return ms.empty() ? nullptr : ms.front();
  }

  bool any_meeting_on(sys_days day) const {
    return std::any_of(meetings.begin(), meetings.end(), [&](const placed_meeting& pm) {
      return !pm.m.cancelled && !pm.cancelled_by && pm.m.date == day;
    });
  }

  std::string unique_uid(const std::string& base) {
    const int n = ++uid_counts[base];
    std::string uid = n == 1 ? base : base + "-" + std::to_string(n);
    return uid + "@" + feed.id + ".coursecal";
  }

  std::string summary(const std::string& title) const {
    return in.short_name.empty() ? title : in.short_name + ": " + title;
  }

  void warn_once(const std::string& key, const source_loc& loc, const std::string& msg) {
    if (warned.insert(key).second) diags.warn(loc, msg);
  }

  static std::string what_of(const content_entry& e) {
    if (!e.title.empty()) return e.title;
    if (!e.label.empty()) return e.label;
    if (!e.tags.empty()) return e.tags.front();
    return "item";
  }

  // ---- weeks of pages ------------------------------------------------------------------------

  // The most frequent week among a page's dated anchors in the term (the first breaks ties).
  std::optional<int> week_from_dates(const content_page& p) {
    std::map<int, std::pair<int, std::size_t>> seen;  // week -> (count, first block)
    auto count = [&](const content_date& d, std::size_t order) {
      const auto day = resolve_content_date(d, feed.term);
      if (!day || *day < feed.term.start || *day > feed.term.end) return;
      if (const auto w = cal.week_of(*day)) ++seen.try_emplace(*w, 0, order).first->second.first;
    };
    if (p.anchor)
      for (const auto& d : p.anchor->dates) count(d, 0);
    for (std::size_t i = 0; i < p.blocks.size(); ++i)
      if (p.blocks[i].anchor.type == anchor_type::dates)
        for (const auto& d : p.blocks[i].anchor.dates) count(d, i + 1);
    if (seen.empty()) return std::nullopt;
    const auto best = std::max_element(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
      return a.second.first != b.second.first ? a.second.first < b.second.first
                                              : a.second.second > b.second.second;
    });
    return best->first;
  }

  // A page whose title says "Week N" is week N; else the week of its dates; else the number in
  // its file name, else week 0 (docs/config.md, "Week pages"). Only pages with blocks that need
  // a week (slots, Classes, roles) are warned about.
  void compute_page_weeks() {
    for (const auto& p : content.pages) {
      int week = p.week;
      if (p.week_from != week_source::title) {
        if (auto w = week_from_dates(p)) {
          week = *w;
        } else {
          const bool needs_week =
              std::any_of(p.blocks.begin(), p.blocks.end(), [](const content_block& b) {
                return (b.anchor.type == anchor_type::slot ||
                        b.anchor.type == anchor_type::classes ||
                        b.anchor.type == anchor_type::week) &&
                       !b.from_page;
              });
          if (needs_week) {
            if (p.week_from == week_source::file_name)
              diags.warn(p.loc, "week number taken from the file name (week " +
                                    std::to_string(p.week) +
                                    "): the title does not say 'Week N' and no date on the page is "
                                    "in the term");
            else
              diags.warn(p.loc,
                         "the page is put in week 0: its title does not say 'Week N', its "
                         "file name has no number and no date on it is in the term");
          }
        }
      }
      page_weeks.push_back(week);
    }
  }

  // ---- days of anchors ---------------------------------------------------------------------

  // The days a dated anchor names (ranges expanded), each checked against the term. Sets
  // `impossible` when a date does not exist (Feb 30).
  bool impossible = false;
  std::vector<sys_days> days_of(const content_anchor& a, const content_page& p, int page_week) {
    impossible = false;
    std::vector<sys_days> out;
    std::vector<content_date> dates = a.dates;
    if (a.range && dates.size() == 2) {
      const auto from = resolve_content_date(dates[0], feed.term);
      auto to = resolve_content_date(dates[1], feed.term);
      if (from && to && *to < *from) {
        // "Dec 28 - Jan 3": the range runs into the next year.
        const date::year_month_day end{*to};
        to = sys_days{(end.year() + date::years{1}) / end.month() / end.day()};
      }
      if (from && to && (*to - *from).count() <= 62) {
        for (sys_days d = *from; d <= *to; d += days{1}) out.push_back(d);
        check_days(a, p, page_week, out, dates.front());
        return out;
      }
    }
    for (const auto& d : dates) {
      const auto day = resolve_content_date(d, feed.term);
      if (!day) {
        impossible = true;
        continue;
      }
      if (d.weekday && date::weekday{*day}.c_encoding() != static_cast<unsigned>(*d.weekday))
        diags.warn(a.loc, "'" + a.text + "': " + iso_date(*day) + " is a " +
                              std::string(date::format("%A", *day)) +
                              "; the date is used as written");
      out.push_back(*day);
    }
    if (!out.empty()) check_days(a, p, page_week, out, dates.front());
    return out;
  }

  void check_days(const content_anchor& a, const content_page& p, int page_week,
                  const std::vector<sys_days>& ds, const content_date&) {
    for (sys_days day : ds) {
      // Finals a week or two after the last class are normal; further out is likely stale.
      if (day + days{14} < feed.term.start || day > feed.term.end + days{14}) {
        diags.warn(a.loc, "'" + a.text + "' (" + iso_date(day) + ") is outside the term (" +
                              iso_date(feed.term.start) + " to " + iso_date(feed.term.end) +
                              "); emitted as written");
        break;
      }
    }
    // A page titled "Week N" names its week; a date more than a day outside it is likely stale
    // (weeks that start on Sunday are not a problem).
    if (p.week_from != week_source::title) return;
    const sys_days monday = cal.monday_of(page_week);
    const auto outside = [&](sys_days day) {
      return day + days{1} < monday || day > monday + days{6};
    };
    if (ds.empty() || !std::all_of(ds.begin(), ds.end(), outside)) return;  // "Sep. 15 / 18"
    if (!week_warned.insert(&p).second) return;                             // once per page
    if (const auto w = cal.week_of(ds.front()))
      week_mismatches.push_back({a.loc, a.text, &p, *w, page_week});
  }
  struct week_mismatch {
    source_loc loc;
    std::string text;
    const content_page* page;
    int week;       // of the date
    int page_week;  // of the title
  };
  std::set<const content_page*> week_warned;
  std::vector<week_mismatch> week_mismatches;

  // Pages off by the same number of weeks are one finding: the site numbers its weeks from 0, or
  // counts a break as a week, from some page on.
  void report_week_mismatches() {
    std::map<int, std::vector<const week_mismatch*>> by_offset;
    for (const auto& m : week_mismatches) by_offset[m.page_week - m.week].push_back(&m);
    for (const auto& [offset, list] : by_offset) {
      const week_mismatch& first = *list.front();
      std::string message = "'" + first.text + "' is in week " + std::to_string(first.week) +
                            ", but this page is week " + std::to_string(first.page_week);
      if (list.size() >= 2) {
        std::string pages;
        for (std::size_t k = 1; k < list.size() && k <= 6; ++k) {
          const std::string& f = list[k]->page->file;
          pages += (k == 1 ? "" : ", ") + f.substr(f.find_last_of('/') + 1);
        }
        if (list.size() > 7) pages += ", ...";
        const int n = std::abs(offset);
        message += ", and " + std::to_string(list.size() - 1) + " more page(s) (" + pages +
                   ") are " + std::to_string(n) + (n == 1 ? " week " : " weeks ") +
                   (offset > 0 ? "ahead of" : "behind") +
                   " their dates too (week 1 is the week of term.start: does the site count from "
                   "week 0, or count a break as a week?); their dates are used as written";
      } else {
        message += " (its dates are used as written)";
      }
      diags.warn(first.loc, message);
    }
  }

  // ---- rule: no class ----------------------------------------------------------------------

  // "No class", "No Discussion", "No section this week", "NO CLASS": cancels the meetings of
  // that kind on that day (the slot meeting for "No class"). No event is left at their time; the
  // day gets a free all-day note (emitted later, one per day).
  void rule_no_class(const content_entry& e, sys_days day) {
    std::string kind = is_meeting_kind(e.kind) && e.kind != "lecture" ? e.kind : std::string();
    if (kind.empty()) {
      const std::string l = lower(e.label + " " + e.title);
      if (l.find("discussion") != std::string::npos)
        kind = "discussion";
      else if (l.find("section") != std::string::npos || l.find("recitation") != std::string::npos)
        kind = "section";
      else if (l.find("no lab") != std::string::npos)
        kind = "lab";
    }
    kind = kind.empty() ? slot_kind() : meeting_kind_for(kind);
    for (auto* pm : meetings_on(day, kind)) pm->cancelled_by = &e;
  }

  // ---- rule: own time ----------------------------------------------------------------------

  // An entry that states its time is an event at that time and room. At a meeting of its kind
  // that starts then it is that meeting's content instead ("DISC 4pm & 5pm @ WLH 2207").
  bool rule_own_time(const content_entry& e, sys_days day, const place_ctx& ctx,
                     const content_anchor& a) {
    std::vector<local_minutes> starts = e.starts;
    std::optional<local_minutes> end = e.end;
    std::string location = e.location;
    if (starts.empty() && !a.starts.empty()) {
      starts = a.starts;
      end = a.end;
      if (location.empty()) location = a.location;
    }
    if (starts.empty()) return false;
    const std::string kind =
        e.kind.empty() || e.kind == "lecture" ? slot_kind() : meeting_kind_for(e.kind);
    for (local_minutes s : starts) {
      placed_meeting* at = nullptr;
      for (auto* pm : meetings_on(day, kind))
        if (pm->m.start == s) at = pm;
      if (at && is_meeting_kind(e.kind)) {
        at->items.push_back({&e, true, ctx.prefix});
        continue;
      }
      own_event(e, day, s, starts.size() == 1 ? end : std::nullopt, location, ctx);
    }
    return true;
  }

  void own_event(const content_entry& e, sys_days day, local_minutes start,
                 std::optional<local_minutes> end, const std::string& location,
                 const place_ctx& ctx) {
    calendar_event ev;
    ev.kind = e.kind.empty() ? "event" : e.kind;
    ev.title = !e.title.empty() ? e.title : !e.label.empty() ? e.label : kind_title(ev.kind);
    ev.summary = summary(ev.title);
    ev.date = day;
    ev.all_day = false;
    ev.start = start;
    ev.end = end.value_or(-1);  // -1: decided when the meetings are known (see emit)
    ev.location = location;
    const line_counts n = describe(e, ctx.prefix, false, ev.description);
    ev.link_count = n.links;
    ev.reading_count = n.readings;
    ev.week = cal.week_of(day).value_or(ctx.week);
    ev.loc = e.loc;
    ev.uid = unique_uid(feed.id + "-" + ev.kind + "-" + compact_date(day) + "-" +
                        clock_text(start).replace(2, 1, ""));
    extra.push_back(std::move(ev));
  }

  // ---- rule: no meeting --------------------------------------------------------------------

  // An entry on a day with no meeting for it: a free all-day event, reported when the day is a
  // holiday or a break (never silently put on a closed day).
  void rule_no_meeting(const content_entry& e, sys_days day, const place_ctx& ctx) {
    const bool cancelled =
        std::any_of(meetings.begin(), meetings.end(), [&](const placed_meeting& pm) {
          return pm.m.date == day && is_slot(pm) && (pm.m.cancelled || pm.cancelled_by);
        });
    if (cal.is_holiday(day) || cal.in_break(day))
      diags.warn(e.loc, "'" + what_of(e) + "' is listed on " + iso_date(day) +
                            ", a holiday or break in the config; emitted as a free all-day event");
    else if (cancelled && class_like(e))
      diags.warn(e.loc, "'" + what_of(e) + "' is listed on " + iso_date(day) +
                            ", when its class is cancelled; emitted as a free all-day event");
    calendar_event ev;
    ev.kind = e.kind.empty() ? "event" : e.kind;
    ev.title = !e.title.empty() ? e.title : (!e.label.empty() ? e.label : kind_title(ev.kind));
    if (!ctx.prefix.empty() && !contains_ci(ev.title, ctx.prefix))
      ev.title = ctx.prefix + ": " + ev.title;
    if (!e.label.empty() && !e.title.empty() && !contains_ci(e.title, e.label) &&
        !contains_ci(e.label, e.title) && !e.labelled_class)
      ev.title = e.label + ": " + e.title;
    ev.summary = summary(ev.title);
    ev.date = day;
    ev.all_day = true;
    ev.transparent = true;
    ev.location = e.location;
    const line_counts n = describe(e, {}, false, ev.description);
    ev.link_count = n.links;
    ev.reading_count = n.readings;
    ev.week = cal.week_of(day).value_or(ctx.week);
    ev.loc = e.loc;
    ev.uid = unique_uid(feed.id + "-" + ev.kind + "-" + compact_date(day) + "-allday");
    if (is_exam_kind(ev.kind))
      warn_once("exam-no-time:" + iso_date(day), e.loc,
                "'" + ev.title + "' on " + iso_date(day) +
                    " has no time and no class that day: it is an all-day event (add it under "
                    "'events:' with its time and room)");
    extra.push_back(std::move(ev));
  }

  static bool is_exam_kind(const std::string& k) { return k == "exam"; }

  // ---- rule: deadlines ---------------------------------------------------------------------

  // Each deadline is its own event on its due day (at its own time, else deadlines.time, else
  // all-day). An undated one ("HW 1 due", "due TODAY") takes the entry's day when that day is
  // written; under a lecture number (an estimated day) it stays in the description.
  void rule_deadlines(const content_entry& e, std::optional<sys_days> day, const place_ctx& ctx) {
    for (const auto& dl : e.deadlines) {
      std::optional<sys_days> due;
      if (dl.date) {
        due = resolve_content_date(*dl.date, feed.term);
        if (!due) {
          diags.warn(dl.loc, "impossible due date in '" + dl.phrase + "'; deadline left out");
          continue;
        }
      } else if (dl.end_of_week) {
        due = cal.monday_of(*dl.end_of_week) + days{4};  // the Friday of that week
      } else if (day && ctx.certain) {
        due = day;
      }
      if (!due) {
        diags.warn(dl.loc, "deadline '" + (dl.what.empty() ? dl.phrase : dl.what) +
                               "' has no date" +
                               (day && !ctx.certain ? " (its lecture's day is estimated)" : "") +
                               "; it stays in the class description only");
        continue;
      }
      if (*due < feed.term.start - days{14} || *due > feed.term.end + days{28})
        diags.warn(dl.loc, "due date " + iso_date(*due) + " is far outside the term (" +
                               iso_date(feed.term.start) + " to " + iso_date(feed.term.end) +
                               "); emitted as written");
      calendar_event ev;
      ev.kind = "deadline";
      std::string what = !dl.what.empty() ? dl.what : e.no_class ? std::string() : what_of(e);
      if (what == "item") what.clear();
      const bool not_work = dl.deadline_word && assignment_key(what).empty();
      if (what.empty()) {
        // "{% survey 2 %}, Due Fri 9/6" where the tag renders as nothing: due, but what is not
        // written; the phrase goes in the description.
        diags.warn(dl.loc, "'" + dl.phrase +
                               "' does not say what is due; the event is titled "
                               "'Deadline'");
        ev.title = "Deadline";
      } else {
        ev.title = not_work ? what + " deadline" : "Due: " + what;
      }
      ev.summary = summary(ev.title);
      ev.date = *due;
      ev.transparent = true;
      const auto time = dl.time_minutes ? dl.time_minutes : feed.deadline_time;
      if (time) {
        ev.all_day = false;
        ev.start = ev.end = *time;
      } else {
        ev.all_day = true;
      }
      // The phrase as written, when it says more than the due word ("DUE", "Дедлайн").
      if (dl.phrase.find(' ') != std::string::npos) ev.description.push_back(dl.phrase);
      // The entry's own line, when it says more than what is due ("#FinAid: Please submit ...").
      const std::string header = entry_header(e, {}, false);
      if (says_more(header, what + " " + e.label)) ev.description.push_back(header);
      ev.link_count = describe(e, {}, false, ev.description).links;
      ev.week = cal.week_of(*due).value_or(ctx.week);
      ev.loc = dl.loc;
      // The day and, for numbered work, its number ("hw1"): renaming "Warm-up" to "Warm-up
      // exercise" or editing its links keeps the UID, so clients keep a student's notes on it.
      // Unnumbered ones on one day are told apart by their order.
      const std::string key = assignment_key(what);
      ev.uid =
          unique_uid(feed.id + "-deadline-" + compact_date(*due) + (key.empty() ? "" : "-") + key);
      extra.push_back(std::move(ev));
    }
  }

  // ---- placing an entry --------------------------------------------------------------------

  // An entry that is nothing but what is due on its own day ("HW 9 due 11:59pm") or, written for
  // the week, on days it names ("Final Paper Due Tues 5/14"): its deadline events say it all
  // (its links go with them), so where it has no meeting it adds no event of its own. Written on
  // another day than it is due, it is a release and is kept ("Homework 1 (Due on 2/15)" on 2/8).
  static bool only_deadlines(const content_entry& e, std::optional<sys_days> day,
                             const term_config& term) {
    if (e.deadlines.empty() || e.release) return false;
    const std::string name = name_key(e.title.empty() ? e.label : e.title);
    return std::all_of(e.deadlines.begin(), e.deadlines.end(), [&](const content_deadline& dl) {
      // "**SRV**{: .label} End of Quarter Survey (due 12/6)": SRV is due, named by its label.
      if (!name.empty() && name_key(dl.what) != name && name_key(dl.what) != name_key(e.label))
        return false;
      if (!dl.date) return day.has_value();
      const auto due = resolve_content_date(*dl.date, term);
      return due && (!day || *due == *day);
    });
  }

  // The entry on `day` (a written or an estimated day): the rules in order.
  void place_on_day(const content_entry& e, sys_days day, const place_ctx& ctx,
                    const content_anchor& a) {
    rule_deadlines(e, day, ctx);  // "No class (Project Week) [**M 3 due**]": still due
    if (e.no_class) {
      // Dated markers were applied before anything was placed; slot markers cancel theirs.
      if (ctx.meeting) ctx.meeting->cancelled_by = &e;
      return;
    }
    if (config_event_names(e, day)) return;
    if (rule_own_time(e, day, ctx, a)) return;
    // Meeting of its kind: lab content to the lab, a discussion item to every discussion.
    if (is_meeting_kind(e.kind) && e.kind != "lecture" && meeting_kind_for(e.kind) != slot_kind()) {
      auto ms = meetings_on(day, meeting_kind_for(e.kind));
      if (!ms.empty()) {
        for (auto* pm : ms) pm->items.push_back({&e, true, ctx.prefix});
        return;
      }
    }
    placed_meeting* slot = ctx.meeting ? ctx.meeting : slot_on(day);
    if (slot) {
      // On a meeting its block named (the week's lab, a slot), it is that meeting's content.
      slot->items.push_back({&e, ctx.meeting != nullptr && !is_slot(*slot), ctx.prefix});
      return;
    }
    // No class that day but a section or lab: its description carries the item ("EXAM 2
    // SAMPLES" on the discussion day).
    std::vector<placed_meeting*> others;
    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && pm.m.date == day && is_meeting_kind(pm.m.kind) &&
          pm.m.kind != "office-hours")
        others.push_back(&pm);
    if (!others.empty() && !is_exam_kind(e.kind)) {
      for (auto* pm : others) pm->items.push_back({&e, false, ctx.prefix});
      return;
    }
    if (only_deadlines(e, day, feed.term)) return;
    rule_no_meeting(e, day, ctx);
  }

  // An entry whose day cannot be known (a slot beyond the week's meetings, a lecture number past
  // the term's): reported, and kept on the nearest meeting's description, never on a made-up day.
  void place_unplaced(const content_entry& e, placed_meeting* nearest, const std::string& why,
                      const place_ctx& ctx, bool report = true) {
    if (nearest) {
      if (report)
        diags.warn(e.loc, "'" + what_of(e) + "' cannot be placed on a meeting (" + why +
                              "); it is added to the description of the " +
                              iso_date(nearest->m.date) + " " + nearest->m.kind);
      nearest->week_lines.push_back(entry_header(e, ctx.prefix));
      nearest->week_counts.add(describe(e, {}, false, nearest->week_lines));
      rule_deadlines(e, std::nullopt, ctx);
      return;
    }
    const sys_days monday = cal.monday_of(ctx.week);
    sys_days day = monday;
    while (day < monday + days{6} && (cal.is_holiday(day) || cal.in_break(day))) day += days{1};
    if (report)
      diags.warn(e.loc, "'" + what_of(e) + "' cannot be placed on a meeting (" + why +
                            "); emitted as a free all-day event on " + iso_date(day));
    rule_deadlines(e, std::nullopt, ctx);
    rule_no_meeting(e, day, ctx);
  }

  // ---- rule: config events win -------------------------------------------------------------

  struct config_claim {
    const extra_event* event;
    std::vector<std::string> lines;
    int links = 0;
  };
  std::vector<config_claim> claims;

  // A content item that names what a config `events:` entry names on the same day (an exam and
  // the configured exam, "HW 3" and "Homework 3") is that event: its links go there, never a
  // second event.
  bool config_event_names(const content_entry& e, sys_days day) {
    if (e.kind != "exam" && assignment_key(what_of(e)).empty()) return false;
    for (auto& c : claims) {
      if (c.event->date != day) continue;
      const bool both_exams = e.kind == "exam" && c.event->kind == "exam";
      const std::string k = assignment_key(what_of(e));
      if (both_exams || (!k.empty() && k == assignment_key(c.event->title)) ||
          name_key(what_of(e)) == name_key(c.event->title)) {
        c.links += describe(e, {}, false, c.lines).links;
        return true;
      }
    }
    return false;
  }

  // ---- anchors -----------------------------------------------------------------------------

  std::vector<placed_meeting*> week_slots(int week) {
    std::vector<placed_meeting*> out;
    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && is_slot(pm) && pm.m.week == week)
        out.push_back(&pm);
    std::stable_sort(out.begin(), out.end(), [](const placed_meeting* a, const placed_meeting* b) {
      return std::tie(a->m.scheduled, a->m.start) < std::tie(b->m.scheduled, b->m.start);
    });
    return out;
  }

  std::vector<placed_meeting*> week_meetings(int week, const std::string& kind) {
    if (kind == slot_kind()) return week_slots(week);
    std::vector<placed_meeting*> out;
    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && pm.m.kind == kind && pm.m.week == week)
        out.push_back(&pm);
    return out;
  }

  // Class-like: an entry that is what a class is about (not a release, a deadline, a reading).
  static bool class_like(const content_entry& e) {
    if (e.no_class || e.release) return false;
    if (!e.deadlines.empty() && !assignment_key(e.title).empty()) return false;
    // "Podcast 1 Due": the item is what is due, not what the class is about.
    if (std::any_of(e.deadlines.begin(), e.deadlines.end(), [&](const content_deadline& dl) {
          return !dl.what.empty() && name_key(dl.what) == name_key(e.title);
        }))
      return false;
    if (e.labelled_class) return true;
    return e.label.empty() && (e.kind.empty() || e.kind == "exam") && !e.title.empty();
  }

  // Slots and counters: the block's entries go to the a.number-th of `slots` (the week's or the
  // term's slot meetings); past the last one they are unplaced, said `why`.
  void place_on_nth(const content_block& b, const content_anchor& a,
                    const std::vector<placed_meeting*>& slots, int page_week, place_ctx ctx,
                    const std::string& why) {
    const int n = a.number;
    placed_meeting* m = n >= 1 && n <= static_cast<int>(slots.size())
                            ? slots[static_cast<std::size_t>(n - 1)]
                            : nullptr;
    for (const auto& e : b.entries) {
      if (!e.own_dates.empty()) continue;
      if (!m) {
        if (!e.no_class) place_unplaced(e, slots.empty() ? nullptr : slots.back(), why, ctx);
        continue;
      }
      ctx.meeting = m;
      place_on_day(e, m->m.date, ctx, a);
    }
    place_readings(b.readings, m, m ? m->m.date : cal.monday_of(page_week), ctx, a);
  }

  void place_block(const content_page& p, int page_week, const content_block& b,
                   std::vector<placed_meeting*>& term_slots) {
    const content_anchor* a = &b.anchor;
    if (b.from_page && p.anchor && p.anchor->dates.size() == 1 && !p.anchor->range) a = &*p.anchor;
    place_ctx ctx;
    ctx.week = page_week;
    ctx.prefix = role_prefix(b.anchor);
    switch (a->type) {
      case anchor_type::dates: {
        const auto ds = days_of(*a, p, page_week);
        if (impossible) {
          // "Feb 30": no day to put it on; it goes with the page's week, said so.
          auto slots = week_slots(page_week);
          diags.warn(a->loc, "'" + a->text +
                                 "' is not a real date; what is written there goes "
                                 "to the description of week " +
                                 std::to_string(page_week) + "'s first class");
          for (const auto& e : b.entries)
            if (!e.no_class && e.own_dates.empty())
              place_unplaced(e, slots.empty() ? nullptr : slots.front(), "its date is not real",
                             ctx, false);
        }
        if (!a->range) warn_no_meeting_days(b, *a, ds);
        for (sys_days day : ds) {
          for (const auto& e : b.entries) {
            if (!e.own_dates.empty()) continue;
            // Over a range ("Nov 27-29") a class is on the days it meets; other items are on
            // every day ("presentations Dec 3-5").
            if (a->range && class_like(e) && e.starts.empty() && !slot_on(day)) continue;
            place_on_day(e, day, ctx, *a);
          }
          place_readings(b.readings, slot_on(day), day, ctx, b.anchor);
        }
        break;
      }
      case anchor_type::slot: {
        const auto slots = week_slots(page_week);
        place_on_nth(b, *a, slots, page_week, ctx,
                     "week " + std::to_string(page_week) + " has " + std::to_string(slots.size()) +
                         " " + slot_kind() + " meeting(s), not " + std::to_string(a->number));
        break;
      }
      case anchor_type::counter:
        ctx.certain = false;
        place_on_nth(b, *a, term_slots, page_week, ctx,
                     "'" + a->text + "' is past the term's " + std::to_string(term_slots.size()) +
                         " " + slot_kind() + " meetings");
        break;
      case anchor_type::classes:
        place_in_order(b, week_slots(page_week), page_week, ctx, *a, true);
        break;
      case anchor_type::week:
        place_week(p, b, page_week, ctx);
        break;
    }
    // Entries that name their own day ("RQ 6 Released Fri 4/26").
    for (const auto& e : b.entries) {
      if (e.own_dates.empty()) continue;
      for (const auto& d : e.own_dates) {
        content_anchor own = *a;
        own.type = anchor_type::dates;
        own.dates = {d};
        own.range = false;
        own.text = e.label.empty() ? e.title : e.label;
        own.loc = e.loc;
        for (sys_days day : days_of(own, p, page_week)) {
          place_ctx c = ctx;
          c.meeting = nullptr;
          c.certain = true;
          if (e.no_class)
            rule_no_class(e, day);
          else
            place_on_day(e, day, c, own);
        }
      }
    }
  }

  // A term that is not a known role (a label as the term: "Pre-class", "In-class") names what its
  // items are: it prefixes their lines.
  static std::string role_prefix(const content_anchor& a) {
    if (a.type != anchor_type::week || !a.role.empty() || a.text.empty() || a.text.size() > 40)
      return {};
    const std::string l = lower(a.text);
    for (std::string_view generic :
         {"general", "resources", "materials", "topics", "notes", "schedule", "agenda", "dates",
          "deadlines", "due", "homework", "assignments", "announcements", "tbd", "tba"})
      if (l == generic) return {};
    return a.text;
  }

  // Entries filling meetings in order (a `Classes` heading, a role such as `Lab`): class-like
  // entries take the next meeting; others go with the last one taken. A single class-like entry
  // for several meetings is the week's topic for each.
  void place_in_order(const content_block& b, std::vector<placed_meeting*> ms, int week,
                      place_ctx ctx, const content_anchor& a, bool classes) {
    const auto is_class = [&](const content_entry& e) {
      return classes ? (class_like(e) || is_exam_kind(e.kind)) : !e.no_class;
    };
    const long class_entries = std::count_if(b.entries.begin(), b.entries.end(), is_class);
    std::size_t next = 0;
    placed_meeting* last = nullptr;
    for (const auto& e : b.entries) {
      if (!e.own_dates.empty()) continue;
      if (e.no_class) {
        // "No class" in a Classes list still takes its meeting's place in the order.
        if (next < ms.size()) ms[next]->cancelled_by = &e;
        ++next;
        continue;
      }
      if (classes && e.title.empty() && e.label.empty() && e.links.empty() && e.readings.empty() &&
          e.notes.empty() && e.deadlines.empty()) {
        ++next;  // ": &nbsp;": a class with nothing written yet keeps its place
        continue;
      }
      if (is_class(e)) {
        if (class_entries == 1 && !classes && ms.size() > 1) {
          for (auto* m : ms) {
            ctx.meeting = m;
            place_on_day(e, m->m.date, ctx, a);
          }
          last = ms.front();
          continue;
        }
        if (next < ms.size()) {
          last = ms[next++];
          ctx.meeting = last;
          place_on_day(e, last->m.date, ctx, a);
        } else {
          place_unplaced(e, ms.empty() ? nullptr : ms.back(),
                         "week " + std::to_string(week) + " has only " + std::to_string(ms.size()) +
                             " " + (ms.empty() ? slot_kind() : ms.front()->m.kind) + " meeting(s)",
                         ctx);
        }
        continue;
      }
      placed_meeting* target = last ? last : (ms.empty() ? nullptr : ms.front());
      if (target) {
        ctx.meeting = target;
        place_on_day(e, target->m.date, ctx, a);
      } else {
        place_unplaced(e, nullptr, "week " + std::to_string(week) + " has no meetings", ctx);
      }
    }
    place_readings(b.readings, nullptr, cal.monday_of(week), ctx, a, &ms);
  }

  // A role block: the week's meetings of its kind ("Lecture", "Lab"), its readings ("Reading")
  // for the week's classes, or week-level lines in every class of the week ("General").
  void place_week(const content_page& p, const content_block& b, int week, place_ctx ctx) {
    const std::string role = b.anchor.role;
    if (!role.empty() && role != "reading" && is_meeting_kind(role) &&
        has_meetings_of(meeting_kind_for(role))) {
      place_in_order(b, week_meetings(week, meeting_kind_for(role)), week, ctx, b.anchor, false);
      return;
    }
    auto slots = week_slots(week);
    for (const auto& e : b.entries) {
      if (!e.own_dates.empty()) continue;
      if (e.no_class) continue;  // a week-level "No class" names no day
      rule_deadlines(e, std::nullopt, ctx);
      std::vector<std::string> lines;
      const line_counts n = describe(e, ctx.prefix, true, lines);
      if (lines.empty()) continue;
      if (slots.empty()) {
        if (!only_deadlines(e, std::nullopt, feed.term))
          place_unplaced(e, nullptr, "week " + std::to_string(week) + " has no meetings", ctx);
        continue;
      }
      for (auto* s : slots) {
        s->week_lines.insert(s->week_lines.end(), lines.begin(), lines.end());
        s->week_counts.add(n);
      }
    }
    place_readings(b.readings, nullptr, cal.monday_of(week), ctx, b.anchor, &slots);
    (void)p;
  }

  // Readings of a block: on its meeting, else on the week's slot meetings, else a free all-day
  // event that day.
  void place_readings(const std::vector<content_reading>& rs, placed_meeting* m, sys_days day,
                      const place_ctx& ctx, const content_anchor& a,
                      std::vector<placed_meeting*>* week = nullptr) {
    if (rs.empty()) return;
    std::vector<placed_meeting*> targets;
    if (m)
      targets.push_back(m);
    else if (week)
      targets = *week;
    if (targets.empty()) {
      content_entry carrier;
      carrier.kind = "reading";
      carrier.title = a.type == anchor_type::dates
                          ? "Readings"
                          : "Week " + std::to_string(ctx.week) + " readings";
      carrier.readings = rs;
      carrier.loc = rs.front().loc;
      diags.warn(
          rs.front().loc,
          "no meeting for these readings; emitted as a free all-day event on " + iso_date(day));
      rule_no_meeting(carrier, day, ctx);
      return;
    }
    for (auto* t : targets) {
      for (const auto& r : rs) t->week_lines.push_back(reading_line(r));
      t->week_counts.readings += static_cast<int>(rs.size());
    }
  }

  // A dated block with a class on a day nothing meets: a likely stale date.
  void warn_no_meeting_days(const content_block& b, const content_anchor& a,
                            const std::vector<sys_days>& ds) {
    if (feed.meetings.empty()) return;
    const bool has_class =
        std::any_of(b.entries.begin(), b.entries.end(),
                    [](const content_entry& e) { return class_like(e) && e.starts.empty(); });
    if (!has_class) return;
    std::string list;
    for (sys_days day : ds) {
      if (any_meeting_on(day) || cal.is_holiday(day) || cal.in_break(day)) continue;
      if (day < feed.term.start || day > feed.term.end) continue;
      const bool cancelled =
          std::any_of(meetings.begin(), meetings.end(), [&](const placed_meeting& pm) {
            return pm.m.date == day && (pm.m.cancelled || pm.cancelled_by);
          });
      if (cancelled) continue;
      list += (list.empty() ? "" : ", ") + iso_date(day) + " (" +
              std::string(date::format("%a", day)) + ")";
    }
    if (list.empty()) return;
    diags.warn(a.loc, "'" + a.text + "' names " + list +
                          ", when no meeting is in the config; its classes are free all-day "
                          "events there (check the date)");
  }

  // ---- composing meetings ------------------------------------------------------------------

  // "Guest Lecturer - Noah Knutson", "Support: TA name": who, not what.
  static bool people_line(const content_entry& e) {
    const std::string l = lower(e.title);
    for (std::string_view w : {"guest lecturer", "guest speaker", "guest:", "speaker:", "support:",
                               "instructor:", "presenter:", "ta:", "host:", "guest instructor"})
      if (l.starts_with(w)) return true;
    return false;
  }

  void compose(placed_meeting& pm) {
    const bool slot = is_slot(pm);
    const long plain_topics = std::count_if(
        pm.items.begin(), pm.items.end(),
        [](const attached& a) { return class_like(*a.entry) && !people_line(*a.entry); });
    const bool has_labelled = std::any_of(pm.items.begin(), pm.items.end(), [](const attached& a) {
      return a.entry->labelled_class;
    });
    std::vector<const attached*> topics, exams, sides;
    for (const auto& a : pm.items) {
      const content_entry& e = *a.entry;
      const bool people = people_line(e) && plain_topics > 0;
      const bool topic =
          people ? false
          : slot
              ? (e.labelled_class || (!has_labelled && class_like(e) && a.prefix.empty()) ||
                 (!has_labelled && e.label.empty() && !e.tags.empty() && !e.no_class &&
                  !e.title.empty()))
              : (a.kind_match && !e.title.empty() && !e.release) || (class_like(e) && a.kind_match);
      if (topic) {
        topics.push_back(&a);
      } else if (is_exam_kind(e.kind) && !e.release && e.deadlines.empty()) {
        exams.push_back(&a);
      } else if (e.kind == "quiz" && !e.release && e.deadlines.empty() && !e.label.empty()) {
        exams.push_back(&a);  // a quiz held in class
      } else {
        sides.push_back(&a);
      }
    }
    // An exam with no time takes a meeting that has no other topic.
    if (topics.empty() && !exams.empty() && slot) {
      topics = exams;
      exams.clear();
    }
    for (auto* x : exams) sides.push_back(x);
    std::stable_sort(sides.begin(), sides.end(), [&](const attached* x, const attached* y) {
      return (x - &pm.items[0]) < (y - &pm.items[0]);
    });
    std::string topic;
    for (const auto* t : topics) {
      const content_entry& e = *t->entry;
      std::string piece = e.title;
      if (piece.empty() && !e.labelled_class && !e.label.empty() && !is_meeting_kind(e.kind))
        piece = e.label;
      if (!piece.empty() && !contains_ci(topic, piece))
        topic += (topic.empty() ? "" : "; ") + piece;
      if (is_exam_kind(e.kind) || (e.kind == "quiz" && !e.labelled_class)) pm.exam = true;
      if (pm.loc.line == 0) pm.loc = e.loc;
    }
    const std::string name = meeting_name(pm);
    pm.topic = !topic.empty();
    if (topic.empty())
      pm.title = name;
    else if (slot)
      pm.title = topic;
    else
      pm.title = name + ": " + topic;
    for (const auto* t : topics) pm.counts.add(describe(*t->entry, t->prefix, false, pm.lines));
    for (const auto* s : sides) {
      pm.counts.add(describe(*s->entry, s->prefix, true, pm.lines, s->kind_match));
      if (pm.loc.line == 0) pm.loc = s->entry->loc;
    }
  }

  bool has_topic(const placed_meeting& pm) const { return pm.topic; }

  // The timetable's name for the meeting when it says more than its kind ("Section 1A",
  // "Honein Office Hours"), else the kind ("Section").
  std::string meeting_name(const placed_meeting& pm) const {
    const std::string kind = kind_title(pm.m.kind);
    if (pm.m.rule >= feed.meetings.size()) return kind;
    const std::string& name = feed.meetings[pm.m.rule].name;
    const std::string n = name_key(name), k = name_key(kind);
    if (n.empty() || n == k || n == k + "s") return kind;
    return name;
  }

  calendar_event meeting_event(const placed_meeting& pm) {
    calendar_event ev;
    ev.kind = pm.exam ? (std::any_of(pm.items.begin(), pm.items.end(),
                                     [](const attached& a) { return a.entry->kind == "exam"; })
                             ? "exam"
                             : "quiz")
                      : pm.m.kind;
    ev.title = pm.title;
    ev.summary = summary(ev.title);
    ev.date = pm.m.date;
    ev.all_day = false;
    ev.start = pm.m.start;
    ev.end = pm.m.end;
    ev.location = pm.m.location;
    ev.description = pm.lines;
    if (!pm.m.note.empty()) ev.description.insert(ev.description.begin(), pm.m.note);
    ev.description.insert(ev.description.end(), pm.week_lines.begin(), pm.week_lines.end());
    ev.week = pm.m.week;
    ev.link_count = pm.counts.links + pm.week_counts.links;
    ev.reading_count = pm.counts.readings + pm.week_counts.readings;
    ev.loc = pm.loc.line ? pm.loc : feed.meetings[pm.m.rule].loc;
    // The UID names the scheduled day, so moving a class or editing its title keeps its identity.
    ev.uid = unique_uid(feed.id + "-" + pm.m.kind + "-" + compact_date(pm.m.scheduled));
    return ev;
  }

  // Own-time events: an end from the meeting of the same start, else an hour; a slot meeting
  // without a topic that the event overlaps gives way to it (the event is what happens then).
  void settle_own_events() {
    for (auto& ev : extra) {
      if (ev.all_day || ev.end != -1) continue;
      placed_meeting* same = nullptr;
      for (auto& pm : meetings)
        if (!pm.m.cancelled && !pm.cancelled_by && pm.m.date == ev.date && pm.m.start == ev.start)
          same = &pm;
      ev.end = same ? same->m.end : std::min(ev.start + 60, 23 * 60 + 59);
    }
    for (auto& ev : extra) {
      if (ev.all_day || ev.kind == "deadline") continue;
      for (auto& pm : meetings) {
        if (pm.m.cancelled || pm.cancelled_by || pm.replaced || pm.m.date != ev.date ||
            !is_slot(pm))
          continue;
        const bool overlap = ev.start < pm.m.end && pm.m.start < ev.end;
        if (!overlap || has_topic(pm)) continue;
        pm.replaced = true;
        if (ev.location.empty()) ev.location = pm.m.location;
        ev.description.insert(ev.description.end(), pm.lines.begin(), pm.lines.end());
        ev.description.insert(ev.description.end(), pm.week_lines.begin(), pm.week_lines.end());
      }
    }
  }

  // ---- notes: no class, holidays -----------------------------------------------------------

  static std::string note_title(const content_entry& e) {
    std::string t = e.title.empty() ? e.label : e.title;
    if (!e.label.empty() && !e.title.empty() && !contains_ci(e.title, e.label) &&
        lower(e.label).find("no ") == 0)
      t = e.label + (e.title.front() == '(' ? " " : ": ") + e.title;
    const std::string l = lower(t);
    if (l.find("no class") == std::string::npos && l.find("no ") != 0 &&
        l.find("cancel") == std::string::npos)
      t = "No class: " + t;
    return t;
  }

  void cancellation_notes() {
    std::map<std::pair<sys_days, std::string>, calendar_event> notes;
    for (const auto& pm : meetings) {
      std::string title;
      source_loc loc;
      if (pm.cancelled_by) {
        title = note_title(*pm.cancelled_by);
        loc = pm.cancelled_by->loc;
      } else if (pm.m.cancelled && !pm.m.note.empty()) {
        title = pm.m.note;
        loc = feed.meetings[pm.m.rule].loc;
      } else if (pm.m.cancelled) {
        title = "No " + (is_slot(pm) ? std::string("class") : kind_title(pm.m.kind));
        loc = feed.meetings[pm.m.rule].loc;
      } else {
        continue;
      }
      auto [it, fresh] = notes.try_emplace({pm.m.date, title});
      calendar_event& ev = it->second;
      if (fresh) {
        ev.kind = "cancelled";
        ev.title = title;
        ev.summary = summary(title);
        ev.date = pm.m.date;
        ev.all_day = true;
        ev.transparent = true;
        ev.week = pm.m.week;
        ev.loc = loc;
      }
      ev.description.push_back("Cancelled: " + kind_title(pm.m.kind) + " " +
                               clock_text(pm.m.start) + "\u2013" + clock_text(pm.m.end) +
                               (pm.m.location.empty() ? "" : ", " + pm.m.location));
    }
    for (auto& [key, ev] : notes) {
      ev.uid = unique_uid(feed.id + "-cancelled-" + compact_date(key.first));
      extra.push_back(std::move(ev));
    }
  }

  // Holidays and breaks as free all-day notes over the days a meeting would have been.
  void holiday_notes() {
    if (!feed.holiday_notes || feed.meetings.empty()) return;
    auto note = [&](const day_range& r, const char* kind) {
      const sys_days from = std::max(r.from, feed.term.start);
      const sys_days to = std::min(r.to, feed.term.end);
      if (from > to) return;
      bool would_meet = false;
      for (const auto& rule : feed.meetings)
        for (sys_days d = from; d <= to && !would_meet; d += days{1})
          would_meet =
              std::find(rule.days.begin(), rule.days.end(), date::weekday{d}) != rule.days.end();
      if (!would_meet) return;
      calendar_event ev;
      ev.kind = kind;
      ev.title = "No class: " +
                 (r.name.empty() ? std::string(kind == std::string("holiday") ? "Holiday" : "Break")
                                 : r.name);
      ev.summary = summary(ev.title);
      ev.date = from;
      if (to > from) ev.last_day = to;
      ev.all_day = true;
      ev.transparent = true;
      ev.week = cal.week_of(from).value_or(0);
      ev.loc = r.loc;
      ev.uid = unique_uid(feed.id + "-holiday-" + compact_date(from));
      extra.push_back(std::move(ev));
    };
    for (const auto& h : feed.term.holidays) note(h, "holiday");
    for (const auto& b : feed.term.breaks) note(b, "holiday");
  }

  // ---- the rest ----------------------------------------------------------------------------

  calendar_event config_event(const extra_event& e, const config_claim* claim) {
    calendar_event ev;
    ev.kind = e.kind;
    ev.title = e.title;
    ev.summary = summary(e.title);
    ev.date = e.date;
    ev.all_day = !e.start.has_value();
    if (e.start) {
      ev.start = *e.start;
      ev.end = e.end.value_or(*e.start);
    }
    ev.location = e.location;
    if (!e.description.empty()) ev.description.push_back(e.description);
    if (claim) {
      ev.description.insert(ev.description.end(), claim->lines.begin(), claim->lines.end());
      ev.link_count = claim->links;
    }
    ev.week = cal.week_of(e.date).value_or(0);
    ev.loc = e.loc;
    ev.uid = unique_uid(feed.id + "-" + e.kind + "-" + compact_date(e.date));
    return ev;
  }

  void set_instants(calendar_event& ev) {
    if (ev.all_day) return;
    std::string note;
    ev.start_utc = to_instant(*in.zone, ev.date, ev.start, &note);
    if (!note.empty()) {
      diags.warn(ev.loc, ev.summary + " on " + iso_date(ev.date) + " at " + clock_text(ev.start) +
                             ": " + note);
      // Render the wall time that actually exists, so every client shows the same instant.
      const auto local = in.zone->to_local(ev.start_utc);
      const auto ld = date::floor<days>(local);
      ev.date = sys_days{ld.time_since_epoch()};
      ev.start = static_cast<int>(date::floor<std::chrono::minutes>(local - ld).count());
      ev.end = std::max(ev.end, ev.start);
    }
    // The end keeps the event's length even across a DST change in the middle of it.
    const auto length = std::chrono::minutes{ev.end - ev.start};
    ev.end_utc = ev.start_utc + length;
  }

  // "HW 1 released (Due 4/18)" in one week and "HW 1 due" on Apr 18 in the next are one
  // deadline: same day and same assignment ("HW 1" = "Homework 1") or the same name. The more
  // descriptive title and the union of the description lines are kept.
  void merge_duplicate_deadlines() {
    std::vector<calendar_event> kept;
    for (auto& ev : extra) {
      auto same = std::find_if(kept.begin(), kept.end(), [&](const calendar_event& k) {
        if (k.kind != "deadline" || ev.kind != "deadline" || k.date != ev.date) return false;
        const std::string a = assignment_key(k.title), b = assignment_key(ev.title);
        if (!a.empty() || !b.empty()) return a == b;
        return name_key(k.title) == name_key(ev.title);
      });
      if (same == kept.end()) {
        kept.push_back(std::move(ev));
        continue;
      }
      if (ev.title.size() > same->title.size()) {
        same->title = ev.title;
        same->summary = ev.summary;
      }
      if (!ev.all_day && same->all_day) {
        same->all_day = false;
        same->start = ev.start;
        same->end = ev.end;
      }
      for (const auto& line : ev.description)
        if (std::find(same->description.begin(), same->description.end(), line) ==
            same->description.end())
          same->description.push_back(line);
      same->link_count += ev.link_count;
    }
    extra = std::move(kept);
  }

  // Lectures numbered, not dated: said once, with the pages.
  void warn_estimated() {
    std::vector<std::string> files;
    source_loc first;
    for (const auto& p : content.pages) {
      if (!p.estimated_dates) continue;
      if (first.line == 0) {
        for (const auto& b : p.blocks)
          if (b.anchor.type == anchor_type::counter) {
            first = b.anchor.loc;
            break;
          }
      }
      files.push_back(p.file.substr(p.file.find_last_of('/') + 1));
    }
    if (files.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < files.size() && i < 6; ++i) list += (i ? ", " : "") + files[i];
    if (files.size() > 6) list += ", ...";
    diags.warn(first, "lectures are numbered, not dated (" + list +
                          "): lecture N is placed on the "
                          "N-th " +
                          slot_kind() +
                          " meeting of the term; check those dates, or write "
                          "the dates in the headings");
  }

  std::vector<calendar_event> run() {
    for (auto& m : schedule_meetings(feed, cal, diags)) {
      placed_meeting pm;
      pm.m = m;
      meetings.push_back(std::move(pm));
    }
    for (const auto& e : feed.events) claims.push_back({&e, {}, 0});
    compute_page_weeks();
    // Rule "no class" first, on every written day: the meetings it cancels are not slots.
    for (std::size_t i = 0; i < content.pages.size(); ++i) {
      const content_page& p = content.pages[i];
      for (const auto& b : p.blocks) {
        const content_anchor* a = &b.anchor;
        if (b.from_page && p.anchor) a = &*p.anchor;
        if (a->type != anchor_type::dates) continue;
        for (const auto& e : b.entries) {
          if (!e.no_class || !e.own_dates.empty()) continue;
          for (sys_days day : days_of_quiet(*a)) rule_no_class(e, day);
        }
      }
    }
    std::vector<placed_meeting*> term_slots;
    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && is_slot(pm)) term_slots.push_back(&pm);
    std::stable_sort(
        term_slots.begin(), term_slots.end(), [](const placed_meeting* a, const placed_meeting* b) {
          return std::tie(a->m.scheduled, a->m.start) < std::tie(b->m.scheduled, b->m.start);
        });
    for (std::size_t i = 0; i < content.pages.size(); ++i)
      for (const auto& b : content.pages[i].blocks)
        place_block(content.pages[i], page_weeks[i], b, term_slots);
    report_week_mismatches();
    warn_estimated();

    for (auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by) compose(pm);
    settle_own_events();
    std::vector<calendar_event> out;
    for (const auto& pm : meetings)
      if (!pm.m.cancelled && !pm.cancelled_by && !pm.replaced) out.push_back(meeting_event(pm));
    merge_duplicate_deadlines();
    cancellation_notes();
    holiday_notes();
    for (auto& e : extra) out.push_back(std::move(e));
    for (const auto& c : claims) out.push_back(config_event(*c.event, &c));
    for (auto& ev : out) {
      set_instants(ev);
      if (ev.url.empty()) ev.url = content.site_url;
    }
    std::stable_sort(out.begin(), out.end(), [](const calendar_event& a, const calendar_event& b) {
      // All-day events sort before timed ones on the same day.
      return std::make_tuple(a.date, !a.all_day, a.start, a.uid) <
             std::make_tuple(b.date, !b.all_day, b.start, b.uid);
    });
    return out;
  }

  // The days of an anchor without its warnings (they are given when its entries are placed).
  std::vector<sys_days> days_of_quiet(const content_anchor& a) {
    diagnostics scratch;
    std::swap(scratch, diags);
    const content_page none;
    auto ds = days_of(a, none, 0);
    std::swap(scratch, diags);
    return ds;
  }
};

}  // namespace

term_calendar::term_calendar(const term_config& term) : term_(term) {
  // Week 1 .. the week after the term ends, skipping break weeks.
  for (sys_days mon = term.week1; mon <= term.end + days{7}; mon += days{7})
    if (!break_week(mon)) mondays_.push_back(mon);
  if (mondays_.empty()) mondays_.push_back(term.week1);
}

bool term_calendar::break_week(sys_days monday) const {
  // A break counts as a week off when it covers that week's Monday to Friday.
  return std::any_of(term_.breaks.begin(), term_.breaks.end(), [&](const day_range& b) {
    return b.from <= monday && b.to >= monday + days{4};
  });
}

std::optional<int> term_calendar::week_of(sys_days day) const {
  const sys_days mon = monday_on_or_before(day);
  if (mon < mondays_.front()) return static_cast<int>((mon - mondays_.front()).count() / 7) + 1;
  for (std::size_t i = 0; i < mondays_.size(); ++i)
    if (mondays_[i] == mon) return static_cast<int>(i) + 1;
  if (break_week(mon)) return std::nullopt;
  // Past the known weeks: keep counting.
  return static_cast<int>(mondays_.size()) + static_cast<int>((mon - mondays_.back()).count() / 7);
}

sys_days term_calendar::monday_of(int week) const {
  if (week >= 1 && week <= static_cast<int>(mondays_.size()))
    return mondays_[static_cast<std::size_t>(week - 1)];
  if (week < 1) return mondays_.front() - days{7 * (1 - week)};
  return mondays_.back() + days{7 * (week - static_cast<int>(mondays_.size()))};
}

const day_range* term_calendar::holiday_on(sys_days day) const {
  for (const auto& h : term_.holidays)
    if (in_range(day, h)) return &h;
  return nullptr;
}

bool term_calendar::is_holiday(sys_days day) const { return holiday_on(day) != nullptr; }

bool term_calendar::in_break(sys_days day) const {
  return std::any_of(term_.breaks.begin(), term_.breaks.end(),
                     [&](const day_range& b) { return in_range(day, b); });
}

std::vector<scheduled_meeting> schedule_meetings(const feed_config& feed, const term_calendar& cal,
                                                 diagnostics& diags) {
  std::vector<scheduled_meeting> out;
  for (std::size_t r = 0; r < feed.meetings.size(); ++r) {
    const auto& rule = feed.meetings[r];
    const sys_days from = std::max(feed.term.start, rule.from.value_or(feed.term.start));
    const sys_days until = std::min(feed.term.end, rule.until.value_or(feed.term.end));
    for (sys_days d = from; d <= until; d += days{1}) {
      const date::weekday wd{d};
      if (std::find(rule.days.begin(), rule.days.end(), wd) == rule.days.end()) continue;
      if (cal.is_holiday(d) || cal.in_break(d)) continue;
      const auto week = cal.week_of(d);
      if (!week) continue;
      out.push_back({r, d, d, rule.start, rule.end, rule.kind, rule.location, {}, *week, false});
    }
  }
  std::stable_sort(
      out.begin(), out.end(), [](const scheduled_meeting& a, const scheduled_meeting& b) {
        return std::tie(a.scheduled, a.start, a.rule) < std::tie(b.scheduled, b.start, b.rule);
      });

  const std::string slot_kind = feed.meetings.empty() ? std::string() : feed.meetings[0].kind;
  for (const auto& ch : feed.changes) {
    const std::string kind = ch.kind.empty() ? slot_kind : ch.kind;
    auto it = std::find_if(out.begin(), out.end(), [&](const scheduled_meeting& m) {
      return m.scheduled == ch.date && m.kind == kind;
    });
    if (it == out.end()) {
      diags.warn(ch.loc, "change on " + iso_date(ch.date) + ": no " +
                             (kind.empty() ? std::string("meeting") : kind) +
                             " is scheduled that day; the change is ignored");
      continue;
    }
    if (ch.cancel) {
      it->cancelled = true;
      it->note = ch.note;
      continue;
    }
    if (ch.to) it->date = *ch.to;
    if (ch.start) it->start = *ch.start;
    if (ch.end) it->end = *ch.end;
    if (ch.location) it->location = *ch.location;
    if (it->end <= it->start) it->end = it->start;
    it->note = ch.note;
  }
  return out;
}

std::optional<sys_days> resolve_content_date(const content_date& d, const term_config& term) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return std::nullopt;
  auto make = [&](int year) -> std::optional<sys_days> {
    const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(d.month)},
                                   date::day{static_cast<unsigned>(d.day)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
  };
  if (d.year) return make(*d.year);
  const int first = static_cast<int>(date::year_month_day{term.start}.year());
  const int last = static_cast<int>(date::year_month_day{term.end}.year());
  std::optional<sys_days> best;
  long best_distance = 0;
  for (int y = first - 1; y <= last + 1; ++y) {
    const auto day = make(y);
    if (!day) continue;  // Feb 29 in a common year: another year may still fit
    long distance = 0;
    if (*day < term.start) distance = (term.start - *day).count();
    if (*day > term.end) distance = (*day - term.end).count();
    if (!best || distance < best_distance) {
      best = day;
      best_distance = distance;
    }
  }
  return best;
}

date::sys_seconds to_instant(const date::time_zone& zone, sys_days day, local_minutes minutes,
                             std::string* note) {
  const date::local_seconds local{date::local_days{day.time_since_epoch()}.time_since_epoch() +
                                  std::chrono::minutes{minutes}};
  const auto info = zone.get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return date::sys_seconds{local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
      // Read with the offset in force before the gap: lands the same length after the change.
      if (note)
        *note = "this local time does not exist in " + zone.name() +
                " (daylight saving time starts); moved forward by the gap";
      return date::sys_seconds{local.time_since_epoch() - info.first.offset};
    case date::local_info::ambiguous:
    default:
      if (note)
        *note = "this local time happens twice in " + zone.name() +
                " (daylight saving time ends); the first one is used";
      return date::sys_seconds{local.time_since_epoch() - info.first.offset};
  }
}

std::vector<calendar_event> resolve(const resolve_input& in, diagnostics& diags) {
  if (in.feed->meetings.empty() && !in.content->weekly.empty()) {
    // The config lists no meetings: the site's weekly timetable gives them (config wins).
    feed_config with_weekly = *in.feed;
    with_weekly.meetings = in.content->weekly;
    resolve_input copy = in;
    copy.feed = &with_weekly;
    resolver r(copy, diags);
    return r.run();
  }
  resolver r(in, diags);
  return r.run();
}

}  // namespace coursecal
