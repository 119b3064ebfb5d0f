// The resolver: course content + term config -> dated calendar events. Pure: no files, no clock,
// no network; the time zone comes in as an argument.
//
// Where an entry goes is decided by a few named rules, applied in this order (each has its tests
// in tests/core/resolve_test.cpp, on short made-up pages):
//   no class         "No class", "No Discussion", ... cancel the meetings of that kind on that day;
//                    the day gets a free all-day note instead (CATEGORIES cancelled)
//   own time         an entry that states its time ("Mid-Term: 12:45 - 2:15 pm") is an event at
//                    that time and room; at a meeting of its kind at that time it is that meeting's
//                    content ("DISC 4pm & 5pm"); a meeting with no topic it overlaps gives way to
//                    it
//   meeting of its kind  lab content to the lab, a discussion item to every discussion that day
//   class topic      class entries title the slot meeting; an exam with no time takes a meeting
//                    with no other topic; everything else goes to the description
//   no meeting       what has no meeting that day is a free all-day event (reported on a holiday)
//   deadlines        each deadline is its own event on its due day; an undated one takes the day
//                    its entry is on when that day is certain, and is never given a guessed day;
//                    a release line and a due line for the same item are one deadline
//   config events win  an `events:` entry replaces the content item that names the same thing
// Anchors: dates name their days; `Class 2` is the second slot meeting of the page's week; a
// running counter (`Lec7`) is the 7th slot meeting of the term (dates estimated); `Classes` fill
// the week's slot meetings in order; a role (`Lab`) is the week's meetings of that kind.
#pragma once

#include <string>
#include <vector>

#include <date/tz.h>

#include "core/content_model.hpp"
#include "core/diagnostics.hpp"
#include "core/event.hpp"
#include "core/term_model.hpp"

namespace coursecal {

struct resolve_input {
  const feed_config* feed = nullptr;
  const course_content* content = nullptr;
  const date::time_zone* zone = nullptr;  // the feed's zone (never null)
  std::string short_name;                 // prefix of summaries ("DSC 204A")
};

// A meeting of the term before content is attached: one occurrence of a `meetings` entry.
struct scheduled_meeting {
  std::size_t rule = 0;      // index into feed.meetings
  date::sys_days scheduled;  // the day it was scheduled on (UIDs and slots use this)
  date::sys_days date;       // the day it happens (differs when a change moves it)
  local_minutes start = 0;
  local_minutes end = 0;
  std::string kind;
  std::string location;
  std::string note;  // from a change
  int week = 0;
  bool cancelled = false;
};

// Week numbering of a term: week 1 starts on term.week1; break weeks are not counted; week 0 is
// the week before week 1.
class term_calendar {
 public:
  explicit term_calendar(const term_config& term);
  // The week number a day falls in (weeks before week 0 are negative); nullopt in a break week.
  std::optional<int> week_of(date::sys_days day) const;
  // The Monday of week N (N may be 0 or negative).
  date::sys_days monday_of(int week) const;
  bool is_holiday(date::sys_days day) const;
  bool in_break(date::sys_days day) const;
  const day_range* holiday_on(date::sys_days day) const;

 private:
  bool break_week(date::sys_days monday) const;
  const term_config& term_;
  std::vector<date::sys_days> mondays_;  // Monday of week 1, 2, ... up to past term end
};

// Every occurrence of every meeting rule between term start and end, holidays and breaks left
// out, changes applied (cancelled ones are kept with cancelled = true so slots can skip them).
// Warns about changes that match no meeting.
std::vector<scheduled_meeting> schedule_meetings(const feed_config& feed, const term_calendar& cal,
                                                 diagnostics& diags);

// Picks the year for a month/day written without one: the year that puts the day inside the term
// (terms may cross New Year); else the closest. nullopt for an impossible date (Feb 30).
std::optional<date::sys_days> resolve_content_date(const content_date& d, const term_config& term);

// Turns local wall-clock time into an instant in `zone`. A time in a DST gap is moved forward by
// the gap, an ambiguous one takes the earlier instant; both set `note` to say so.
date::sys_seconds to_instant(const date::time_zone& zone, date::sys_days day, local_minutes minutes,
                             std::string* note);

// The whole resolution: every meeting is an event (titled from the content when it says
// something about it) unless the content cancels it, plus own-time events, free all-day items,
// deadlines, no-class and holiday notes and the config's events. Content that cannot be placed is
// reported as a warning with its file:line. Events are sorted by start.
std::vector<calendar_event> resolve(const resolve_input& in, diagnostics& diags);

}  // namespace coursecal
