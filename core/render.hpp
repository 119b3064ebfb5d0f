// The renderer: events -> RFC 5545 iCalendar bytes, built with libical, shaped for every client
// (../shared/docs/feed-rules.md rules 1-17). Pure and deterministic: same input, same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "core/event.hpp"

namespace coursecal {

// Initialises libical's shared state (its UTC zone) once. Call it before rendering on several
// threads at a time; render_calendar is safe to call concurrently after that.
void prepare_rendering();

// Renders one VCALENDAR. `zone` is meta.timezone's zone (its VTIMEZONE is written from it).
std::string render_calendar(const calendar_meta& meta, const std::vector<calendar_event>& events,
                            const date::time_zone& zone);

// Folds one unfolded content line at 75 octets, never inside a UTF-8 sequence; continuation lines
// start with one space. Returns the folded line with CRLF line ends (including the last).
std::string fold_line(std::string_view line);

// TEXT escaping (RFC 5545 3.3.11): backslash, ';', ',' and newlines (CR, LF, CRLF -> "\n");
// other control characters are dropped, so text can never start a new property.
std::string escape_text(std::string_view text);

// Builds an Outlook-shaped VTIMEZONE (STANDARD + DAYLIGHT with yearly RRULEs, or one STANDARD
// for zones without DST) for `zone` around [from, to]. Unfolded lines without CRLF.
std::vector<std::string> vtimezone_lines(const date::time_zone& zone, date::sys_days from,
                                         date::sys_days to);

}  // namespace coursecal
