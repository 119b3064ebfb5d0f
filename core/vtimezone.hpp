// Internal to core/: the VTIMEZONE component for a zone, built with libical from tzdb data.
#pragma once

#include <libical/ical.h>

#include <date/tz.h>

namespace coursecal::detail {

// A new VTIMEZONE (caller owns it) whose TZID is the plain IANA name, covering [from, to] with a
// year of margin on each side. Outlook-shaped when the zone's rule is the same every year: one
// STANDARD and one DAYLIGHT observance with yearly RRULEs; otherwise one observance per change.
icalcomponent* make_vtimezone(const date::time_zone& zone, date::sys_days from, date::sys_days to);

}  // namespace coursecal::detail
