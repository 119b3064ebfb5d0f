// A lint of a rendered feed against docs/feed-rules.md, over the .ics text alone (no libical):
// what the renderer must never produce, checked on its actual output. Pure, linear in the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace coursecal {

// Problems found in `ics` (an iCalendar stream as rendered: CRLF, folded at 75 octets), one
// plain sentence each, in the order met; empty when the feed follows the rules checked:
// size well below 1 MB, CRLF line ends and folding, one VCALENDAR, every VEVENT with DTSTART and
// DTEND, all-day DTEND exclusive (a later VALUE=DATE), every TZID with a VTIMEZONE, unique UIDs.
std::vector<std::string> lint_feed(std::string_view ics);

}  // namespace coursecal
