// Plain-text forms of dates and wall-clock times, shared by messages, tables and UIDs.
#pragma once

#include <string>

#include <date/date.h>

namespace coursecal {

// "2025-03-31"
std::string iso_date(date::sys_days d);
// "20250331" (UIDs, iCalendar dates)
std::string compact_date(date::sys_days d);
// Local minutes since midnight as "HH:MM".
std::string clock_text(int minutes);

}  // namespace coursecal
