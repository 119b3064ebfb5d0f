// A resolved calendar event: the resolver's output and the renderer's input.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "core/diagnostics.hpp"
#include "core/term_model.hpp"

namespace coursecal {

struct calendar_event {
  std::string uid;      // stable across edits of titles and links: "<feed>-<kind>-<yyyymmdd>..."
  std::string kind;     // CATEGORIES: lecture, discussion, deadline, exam, event, ...
  std::string title;    // without the course prefix
  std::string summary;  // "<short name>: <title>"
  date::sys_days date;  // local calendar date of the start
  bool all_day = false;
  // All-day events only: the last day (inclusive) when the event spans several ("No class:
  // Spring break" over a week); unset for one day.
  std::optional<date::sys_days> last_day;
  local_minutes start = 0;  // local wall clock, when !all_day
  local_minutes end = 0;
  // Instants, when !all_day: computed once in the resolver from the feed's time zone.
  date::sys_seconds start_utc{};
  date::sys_seconds end_utc{};
  std::string location;
  std::vector<std::string> description;  // lines of plain text ("Slides: https://...")
  std::string url;                       // the course site (may be empty)
  bool transparent = false;              // deadlines do not block free/busy time
  int link_count = 0;                    // published links in the description
  int reading_count = 0;                 // readings in the description
  int week = 0;                          // week number (0 when none)
  source_loc loc;                        // where the content came from (or the config entry)
};

// Everything the renderer needs about one feed besides its events.
struct calendar_meta {
  std::string feed_id;
  std::string name;              // NAME / X-WR-CALNAME
  std::string description;       // X-WR-CALDESC
  std::string timezone;          // IANA name
  std::string refresh = "PT6H";  // REFRESH-INTERVAL / X-PUBLISHED-TTL
  std::string url;               // the course site, for URL properties
  date::sys_seconds stamp{};     // DTSTAMP and LAST-MODIFIED: from the inputs, never "now"
  date::sys_days range_from{};   // the term (for the VTIMEZONE's coverage)
  date::sys_days range_to{};
};

}  // namespace coursecal
