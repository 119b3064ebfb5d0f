#include "core/resolve.hpp"

#include "core/time_format.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

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

sys_days monday_on_or_before(sys_days d) {
  const date::weekday wd{d};
  return d - (wd - date::Monday);
}

bool in_range(sys_days d, const day_range& r) { return d >= r.from && d <= r.to; }

std::string reading_line(const content_reading& r) {
  std::string prefix = r.need == reading_need::optional   ? "Optional reading: "
                       : r.need == reading_need::required ? "Required reading: "
                                                          : "Reading: ";
  std::string line = prefix + r.title;
  if (!r.url.empty()) line += (r.title.empty() ? "" : " - ") + r.url;
  return line;
}

// "Homework 1 (part 2)" -> "homework-1-part-2": ASCII letters and digits, at most 40 characters.
std::string slug(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum)
      out += c;
    else if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if (!out.empty() && out.back() != '-')
      out += '-';
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("item") : out;
}

// "Due: Homework 1: caches" -> "hw1"; "Due: PA 2" -> "pa2"; "" when the title names no
// numbered assignment.
std::string assignment_key(const std::string& title) {
  std::string lower;
  for (const char c : title) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  static const std::pair<const char*, const char*> names[] = {{"programming assignment", "pa"},
                                                              {"homework", "hw"},
                                                              {"assignment", "a"},
                                                              {"project", "project"},
                                                              {"quiz", "quiz"},
                                                              {"lab", "lab"},
                                                              {"hw", "hw"},
                                                              {"pa", "pa"}};
  for (const auto& [name, key] : names) {
    std::size_t at = lower.find(name);
    while (at != std::string::npos) {
      const bool word_start = at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]));
      std::size_t p = at + std::string_view(name).size();
      while (p < lower.size() && (lower[p] == ' ' || lower[p] == '#' || lower[p] == '-')) ++p;
      std::size_t q = p;
      while (q < lower.size() && std::isdigit(static_cast<unsigned char>(lower[q]))) ++q;
      if (word_start && q > p)
        return std::string(key) + std::to_string(std::stoi(lower.substr(p, q - p)));
      at = lower.find(name, at + 1);
    }
  }
  return {};
}

struct line_counts {
  int links = 0;
  int readings = 0;
  void add(line_counts o) {
    links += o.links;
    readings += o.readings;
  }
};

line_counts link_lines(const content_item& it, std::vector<std::string>& out) {
  line_counts n;
  for (const auto& l : it.links) {
    if (!l.published || l.url.empty()) continue;  // "not published yet": never a URL
    out.push_back((l.label.empty() ? std::string("Link") : l.label) + ": " + l.url);
    ++n.links;
  }
  for (const auto& r : it.readings) out.push_back(reading_line(r));
  n.readings = static_cast<int>(it.readings.size());
  return n;
}

// The heading line for an item that is not the meeting's topic ("HW 3: Homework 3 released").
std::string item_header(const content_item& it) {
  if (it.label.empty()) return it.title;
  if (it.title.empty()) return it.label;
  return it.label + ": " + it.title;
}

struct placed_meeting {
  scheduled_meeting m;
  std::vector<std::string> topics;
  std::vector<std::string> lines;       // item lines, in content order
  std::vector<std::string> week_lines;  // week-level content, appended last
  line_counts counts;
  bool exam = false;  // an exam or quiz is held in this meeting: its category becomes "exam"
  source_loc loc;
};

struct resolver {
  const resolve_input& in;
  const feed_config& feed;
  const course_content& content;
  diagnostics& diags;
  term_calendar cal;
  std::vector<placed_meeting> meetings;  // sorted by (date, start)
  std::vector<calendar_event> extra;     // all-day placements, deadlines, config events
  std::map<std::string, int> uid_counts;
  std::vector<content_week> renumbered_weeks;  // see weeks_with_numbers()

  resolver(const resolve_input& input, diagnostics& d)
      : in(input), feed(*input.feed), content(*input.content), diags(d), cal(feed.term) {}

  std::string slot_kind() const {
    return feed.meetings.empty() ? "lecture" : feed.meetings[0].kind;
  }

  bool is_meeting_kind(const std::string& kind) const {
    return std::any_of(feed.meetings.begin(), feed.meetings.end(),
                       [&](const meeting_rule& r) { return r.kind == kind; });
  }

  // A class item is the topic of a slot meeting: no kind, or the slot meetings' own kind.
  // Class items (and exams held in class) are the topic of a slot meeting: no kind, or the slot
  // meetings' own kind.
  bool is_class_item(const content_item& it) const {
    if (it.no_class) return false;
    if (it.kind.empty() || it.kind == "lecture" || it.kind == "class") return true;
    return it.kind == slot_kind() || is_exam_kind(it.kind);
  }

  static bool is_exam_kind(const std::string& kind) {
    return kind == "exam" || kind == "midterm" || kind == "final" || kind == "quiz";
  }

  std::vector<placed_meeting*> slots_of_week(int week) {
    std::vector<placed_meeting*> out;
    for (auto& pm : meetings) {
      if (pm.m.cancelled || pm.m.rule != 0 || pm.m.week != week) continue;
      out.push_back(&pm);
    }
    std::stable_sort(out.begin(), out.end(), [](const placed_meeting* a, const placed_meeting* b) {
      return std::tie(a->m.scheduled, a->m.start) < std::tie(b->m.scheduled, b->m.start);
    });
    return out;
  }

  placed_meeting* meeting_on(sys_days day, const std::string& kind) {
    for (auto& pm : meetings)
      if (!pm.m.cancelled && pm.m.date == day && pm.m.kind == kind) return &pm;
    return nullptr;
  }

  placed_meeting* first_of_kind_in_week(int week, const std::string& kind) {
    for (auto& pm : meetings)
      if (!pm.m.cancelled && pm.m.week == week && pm.m.kind == kind) return &pm;
    return nullptr;
  }

  std::string unique_uid(const std::string& base) {
    const int n = ++uid_counts[base];
    std::string uid = n == 1 ? base : base + "-" + std::to_string(n);
    return uid + "@" + feed.id + ".coursecal";
  }

  std::string summary(const std::string& title) const {
    return in.short_name.empty() ? title : in.short_name + ": " + title;
  }

  void attach_topic(placed_meeting& pm, const content_item& it) {
    if (is_exam_kind(it.kind)) pm.exam = true;
    if (!it.title.empty())
      pm.topics.push_back(it.title);
    else if (!it.label.empty() && !std::all_of(it.label.begin(), it.label.end(), ::isdigit))
      pm.topics.push_back(it.label);
    pm.counts.add(link_lines(it, pm.lines));
    if (pm.loc.line == 0) pm.loc = it.loc;
  }

  void attach_side(placed_meeting& pm, const content_item& it) {
    const std::string header = item_header(it);
    if (!header.empty()) pm.lines.push_back(header);
    pm.counts.add(link_lines(it, pm.lines));
    if (pm.loc.line == 0) pm.loc = it.loc;
  }

  // An item that has no meeting to go to: an all-day event on `day`.
  void emit_all_day(const content_item& it, sys_days day, int week) {
    calendar_event ev;
    ev.kind = it.kind.empty() ? "event" : it.kind;
    ev.title = !it.title.empty() ? it.title : (!it.label.empty() ? it.label : kind_title(ev.kind));
    ev.summary = summary(ev.title);
    ev.date = day;
    ev.all_day = true;
    if (!it.label.empty() && !it.title.empty()) ev.description.push_back(item_header(it));
    const line_counts n = link_lines(it, ev.description);
    ev.link_count = n.links;
    ev.reading_count = n.readings;
    ev.week = week;
    ev.loc = it.loc;
    ev.uid = unique_uid(feed.id + "-" + ev.kind + "-" + compact_date(day) + "-allday");
    extra.push_back(std::move(ev));
  }

  void deadline_events(const content_item& it, std::optional<sys_days> heading_day, int week) {
    for (const auto& dl : it.deadlines) {
      std::optional<sys_days> day;
      if (dl.date) {
        day = resolve_content_date(*dl.date, feed.term);
        if (!day) {
          diags.warn(dl.loc, "impossible due date in '" + dl.phrase + "'; deadline left out");
          continue;
        }
      } else if (dl.end_of_week) {
        day = cal.monday_of(*dl.end_of_week) + days{4};  // the Friday of that week
      } else if (heading_day) {
        day = heading_day;
      }
      if (!day) {
        diags.warn(dl.loc, "deadline '" + dl.phrase +
                               "' has no date; it stays in the class description only");
        continue;
      }
      if (*day < feed.term.start - days{14} || *day > feed.term.end + days{28})
        diags.warn(dl.loc, "due date " + iso_date(*day) + " is far outside the term (" +
                               iso_date(feed.term.start) + " to " + iso_date(feed.term.end) +
                               "); emitted as written");
      calendar_event ev;
      ev.kind = "deadline";
      std::string what = !dl.what.empty() ? dl.what : (!it.title.empty() ? it.title : it.label);
      if (what.empty()) what = "Assignment";
      ev.title = "Due: " + what;
      ev.summary = summary(ev.title);
      ev.date = *day;
      ev.transparent = true;
      const auto time = dl.time_minutes ? dl.time_minutes : feed.deadline_time;
      if (time) {
        ev.all_day = false;
        ev.start = ev.end = *time;
      } else {
        ev.all_day = true;
      }
      if (!dl.phrase.empty()) ev.description.push_back(dl.phrase);
      ev.link_count = link_lines(it, ev.description).links;
      ev.week = cal.week_of(*day).value_or(week);
      ev.loc = dl.loc;
      // Named by what is due, so another deadline added on the same day renumbers nothing.
      ev.uid = unique_uid(feed.id + "-deadline-" + compact_date(*day) + "-" + slug(what));
      extra.push_back(std::move(ev));
    }
  }

  void warn_no_class_conflict(const content_item& it, sys_days day) {
    for (auto& pm : meetings) {
      if (pm.m.cancelled || pm.m.date != day) continue;
      diags.warn(it.loc, "the content says '" + (it.title.empty() ? it.label : it.title) + "' on " +
                             iso_date(day) + ", but the config has a " + pm.m.kind +
                             " that day; the meeting is kept (add a holiday or a cancel change)");
      return;
    }
  }

  void place_dated(const content_week& wk, const content_heading& h) {
    const auto day = resolve_content_date(*h.date, feed.term);
    if (!day) {
      diags.warn(h.loc, "'" + h.text + "' is not a real date; its items are placed on week " +
                            std::to_string(wk.number) + "'s Monday");
      for (const auto& it : h.items) place_unplaced(wk, it, "its heading is not a real date");
      return;
    }
    if (*day < feed.term.start || *day > feed.term.end)
      diags.warn(h.loc, "'" + h.text + "' (" + iso_date(*day) + ") is outside the term (" +
                            iso_date(feed.term.start) + " to " + iso_date(feed.term.end) +
                            "); emitted as written");
    if (h.date->weekday &&
        date::weekday{*day}.c_encoding() != static_cast<unsigned>(*h.date->weekday))
      diags.warn(h.loc, "'" + h.text + "': " + iso_date(*day) + " is a " +
                            std::string(date::format("%A", *day)) +
                            "; the date is used as written");
    const auto wk_of_day = cal.week_of(*day);
    if (wk_of_day && *wk_of_day != wk.number && !wk.number_from_file_name)
      diags.warn(h.loc, "'" + h.text + "' is in week " + std::to_string(*wk_of_day) +
                            ", but this page is week " + std::to_string(wk.number));
    const int week = wk_of_day.value_or(wk.number);
    for (const auto& it : h.items) {
      deadline_events(it, day, week);
      if (it.no_class) {
        warn_no_class_conflict(it, *day);
        continue;
      }
      placed_meeting* target = nullptr;
      if (!it.kind.empty() && is_meeting_kind(it.kind) && it.kind != slot_kind())
        target = meeting_on(*day, it.kind);
      if (target) {
        attach_topic(*target, it);
        continue;
      }
      placed_meeting* slot = meeting_on(*day, slot_kind());
      if (slot) {
        if (is_class_item(it))
          attach_topic(*slot, it);
        else
          attach_side(*slot, it);
      } else if (it.deadlines.empty() || !it.links.empty()) {
        // Nothing meets that day: an all-day event keeps the content visible on its date.
        if (cal.is_holiday(*day) || cal.in_break(*day))
          diags.warn(it.loc, "'" + (it.title.empty() ? it.label : it.title) + "' is listed on " +
                                 iso_date(*day) +
                                 ", a holiday or break in the config; emitted as an all-day event");
        emit_all_day(it, *day, week);
      }
    }
  }

  void place_unplaced(const content_week& wk, const content_item& it, const std::string& why) {
    const sys_days monday = cal.monday_of(wk.number);
    diags.warn(it.loc, "'" + (it.title.empty() ? it.label : it.title) +
                           "' cannot be placed on a meeting (" + why +
                           "); emitted as an all-day event on " + iso_date(monday));
    emit_all_day(it, monday, wk.number);
  }

  void place_slot(const content_week& wk, const content_heading& h) {
    auto slots = slots_of_week(wk.number);
    const int n = h.slot.value_or(0);
    placed_meeting* slot = (n >= 1 && n <= static_cast<int>(slots.size()))
                               ? slots[static_cast<std::size_t>(n - 1)]
                               : nullptr;
    for (const auto& it : h.items) {
      if (!slot) {
        deadline_events(it, std::nullopt, wk.number);
        if (it.no_class) continue;
        place_unplaced(wk, it,
                       "week " + std::to_string(wk.number) + " has " +
                           std::to_string(slots.size()) + " " + slot_kind() + " meeting(s), not " +
                           std::to_string(n));
        continue;
      }
      deadline_events(it, slot->m.date, wk.number);
      if (it.no_class) {
        warn_no_class_conflict(it, slot->m.date);
        continue;
      }
      attach_item(*slot, it, wk.number);
    }
  }

  // An item on a known slot meeting: its topic, or a side note, or another meeting's content.
  void attach_item(placed_meeting& slot, const content_item& it, int week) {
    if (!it.kind.empty() && is_meeting_kind(it.kind) && it.kind != slot_kind()) {
      if (placed_meeting* other = meeting_on(slot.m.date, it.kind)) return attach_topic(*other, it);
      if (placed_meeting* other = first_of_kind_in_week(week, it.kind))
        return attach_topic(*other, it);
    }
    if (is_class_item(it))
      attach_topic(slot, it);
    else
      attach_side(slot, it);
  }

  void place_classes(const content_week& wk, const content_heading& h) {
    auto slots = slots_of_week(wk.number);
    std::size_t next = 0;
    placed_meeting* last = nullptr;
    for (const auto& it : h.items) {
      if (it.no_class) {
        // "No class" in a Classes list still takes its slot's place in the order.
        if (next < slots.size()) warn_no_class_conflict(it, slots[next]->m.date);
        ++next;
        continue;
      }
      if (is_class_item(it)) {
        if (next < slots.size()) {
          last = slots[next++];
          deadline_events(it, last->m.date, wk.number);
          attach_topic(*last, it);
        } else {
          deadline_events(it, std::nullopt, wk.number);
          place_unplaced(wk, it,
                         "week " + std::to_string(wk.number) + " has only " +
                             std::to_string(slots.size()) + " " + slot_kind() + " meeting(s)");
        }
        continue;
      }
      placed_meeting* target = last ? last : (slots.empty() ? nullptr : slots.front());
      deadline_events(it, target ? std::optional<sys_days>(target->m.date) : std::nullopt,
                      wk.number);
      if (target)
        attach_item(*target, it, wk.number);
      else
        place_unplaced(wk, it, "week " + std::to_string(wk.number) + " has no meetings");
    }
  }

  void place_role(const content_week& wk, const content_heading& h) {
    auto slots = slots_of_week(wk.number);
    for (const auto& it : h.items) {
      deadline_events(it, std::nullopt, wk.number);
      if (it.no_class) continue;
      std::vector<std::string> lines;
      const std::string header = item_header(it);
      if (!header.empty()) lines.push_back(header);
      const line_counts n = link_lines(it, lines);
      if (lines.empty()) continue;
      if (slots.empty()) {
        place_unplaced(wk, it, "week " + std::to_string(wk.number) + " has no meetings");
        continue;
      }
      for (auto* s : slots) {
        s->week_lines.insert(s->week_lines.end(), lines.begin(), lines.end());
        s->counts.add(n);
      }
    }
  }

  void place_week_readings(const content_week& wk, const content_heading& h) {
    if (h.week_readings.empty()) return;
    auto slots = slots_of_week(wk.number);
    if (slots.empty()) {
      diags.warn(h.week_readings.front().loc,
                 "week " + std::to_string(wk.number) +
                     " has no meetings for its week-level readings; emitted on its Monday");
      content_item carrier;
      carrier.kind = "reading";
      carrier.title = "Week " + std::to_string(wk.number) + " readings";
      carrier.readings = h.week_readings;
      carrier.loc = h.week_readings.front().loc;
      emit_all_day(carrier, cal.monday_of(wk.number), wk.number);
      return;
    }
    for (auto* s : slots) {
      for (const auto& r : h.week_readings) s->week_lines.push_back(reading_line(r));
      s->counts.readings += static_cast<int>(h.week_readings.size());
    }
  }

  // A page whose title does not say "Week N" belongs to the week of the dates on it (the most
  // frequent week among its dated headings inside the term; the first such heading breaks ties),
  // else to the number in its file name, else to week 0 (docs/config.md, "Week pages").
  // Returns the content's weeks when every page says its week (nothing is copied then).
  const std::vector<content_week>& weeks_with_numbers() {
    const bool any = std::any_of(content.weeks.begin(), content.weeks.end(),
                                 [](const content_week& w) { return w.number_from_file_name; });
    if (!any) return content.weeks;
    renumbered_weeks = content.weeks;
    std::vector<content_week>& weeks = renumbered_weeks;
    bool renumbered = false;
    for (content_week& wk : weeks) {
      if (!wk.number_from_file_name) continue;
      std::map<int, std::pair<int, std::size_t>> seen;  // week -> (count, first heading)
      for (std::size_t i = 0; i < wk.headings.size(); ++i) {
        const content_heading& h = wk.headings[i];
        if (h.shape != heading_shape::date || !h.date) continue;
        const auto day = resolve_content_date(*h.date, feed.term);
        if (!day || *day < feed.term.start || *day > feed.term.end) continue;
        if (const auto w = cal.week_of(*day)) ++seen.try_emplace(*w, 0, i).first->second.first;
      }
      if (seen.empty()) {
        const std::string_view name =
            std::string_view(wk.file).substr(wk.file.find_last_of('/') + 1);  // npos + 1 == 0
        const bool numbered = name.find_first_of("0123456789") != std::string_view::npos;
        diags.warn(wk.loc, numbered ? "week number taken from the file name (week " +
                                          std::to_string(wk.number) +
                                          "): the title does not say 'Week N' and no date on "
                                          "the page is in the term"
                                    : std::string("the page is put in week 0: its title does not "
                                                  "say 'Week N', its file name has no number and "
                                                  "no date on it is in the term"));
        continue;
      }
      const auto best =
          std::max_element(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
            return a.second.first != b.second.first ? a.second.first < b.second.first
                                                    : a.second.second > b.second.second;
          });
      renumbered = renumbered || best->first != wk.number;
      wk.number = best->first;
      wk.number_from_file_name = false;  // a date in another week is now reported as such
    }
    if (renumbered) {
      std::stable_sort(
          weeks.begin(), weeks.end(),
          [](const content_week& a, const content_week& b) { return a.number < b.number; });
    }
    return weeks;
  }

  void place_content() {
    const std::vector<content_week>& weeks = weeks_with_numbers();
    for (const auto& wk : weeks) {
      for (const auto& h : wk.headings) {
        switch (h.shape) {
          case heading_shape::date:
            if (h.date)
              place_dated(wk, h);
            else
              place_role(wk, h);
            break;
          case heading_shape::slot:
            place_slot(wk, h);
            break;
          case heading_shape::classes:
            place_classes(wk, h);
            break;
          case heading_shape::role:
            place_role(wk, h);
            break;
        }
        place_week_readings(wk, h);
      }
    }
  }

  calendar_event meeting_event(const placed_meeting& pm) {
    calendar_event ev;
    ev.kind = pm.exam ? "exam" : pm.m.kind;
    std::string topic;
    for (const auto& t : pm.topics) topic += (topic.empty() ? "" : "; ") + t;
    if (topic.empty())
      ev.title = kind_title(pm.m.kind);
    else if (pm.m.rule == 0 || pm.m.kind == slot_kind())
      ev.title = topic;
    else
      ev.title = kind_title(pm.m.kind) + ": " + topic;
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
    ev.link_count = pm.counts.links;
    ev.reading_count = pm.counts.readings;
    ev.loc = pm.loc.line ? pm.loc : feed.meetings[pm.m.rule].loc;
    // The UID names the scheduled day, so moving a class or editing its title keeps its identity.
    ev.uid = unique_uid(feed.id + "-" + pm.m.kind + "-" + compact_date(pm.m.scheduled));
    return ev;
  }

  calendar_event config_event(const extra_event& e) {
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
  // deadline: same day and same assignment ("HW 1" = "Homework 1"). The more descriptive title
  // and the union of the description lines are kept.
  void merge_duplicate_deadlines() {
    std::vector<calendar_event> kept;
    for (auto& ev : extra) {
      auto same = std::find_if(kept.begin(), kept.end(), [&](const calendar_event& k) {
        return k.kind == "deadline" && ev.kind == "deadline" && k.date == ev.date &&
               !assignment_key(k.title).empty() &&
               assignment_key(k.title) == assignment_key(ev.title);
      });
      if (same == kept.end()) {
        kept.push_back(std::move(ev));
        continue;
      }
      if (ev.title.size() > same->title.size()) {
        same->title = ev.title;
        same->summary = ev.summary;
      }
      for (const auto& line : ev.description)
        if (std::find(same->description.begin(), same->description.end(), line) ==
            same->description.end())
          same->description.push_back(line);
      same->link_count += ev.link_count;
    }
    extra = std::move(kept);
  }

  std::vector<calendar_event> run() {
    for (auto& m : schedule_meetings(feed, cal, diags)) {
      placed_meeting pm;
      pm.m = m;
      meetings.push_back(std::move(pm));
    }
    if (!content.weeks.empty() || !feed.meetings.empty()) place_content();

    std::vector<calendar_event> out;
    for (const auto& pm : meetings)
      if (!pm.m.cancelled) out.push_back(meeting_event(pm));
    merge_duplicate_deadlines();
    for (auto& e : extra) out.push_back(std::move(e));
    for (const auto& e : feed.events) out.push_back(config_event(e));
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
