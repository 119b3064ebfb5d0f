// The term configuration of one feed, as read from coursecal.yaml by config/.
// Plain values with the source place of every entry, so late errors point at the YAML line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "core/diagnostics.hpp"

namespace coursecal {

// Local wall-clock minutes since midnight (0..1439). Never an instant.
using local_minutes = int;

struct day_range {
  date::sys_days from;  // a calendar day (no time zone meaning: a date label)
  date::sys_days to;    // inclusive
  std::string name;
  source_loc loc;
};

struct meeting_rule {
  std::string kind;                 // lecture | discussion | section | lab | office-hours | other
  std::vector<date::weekday> days;  // in the order written
  local_minutes start = 0;
  local_minutes end = 0;
  std::string location;
  // What the timetable calls it ("Section 1A", "Honein Office Hours"): its events' title when
  // the content gives it no topic (empty: the kind, "Section").
  std::string name;
  std::optional<date::sys_days> from;  // optional narrowing of start/end for this meeting
  std::optional<date::sys_days> until;
  source_loc loc;
};

// A one-off change to a scheduled meeting, by the date it was scheduled on.
struct meeting_change {
  date::sys_days date;
  std::string kind;  // which meeting that day (empty: the slot meeting, i.e. meetings[0]'s kind)
  bool cancel = false;
  std::optional<date::sys_days> to;  // moved to another day
  std::optional<local_minutes> start;
  std::optional<local_minutes> end;
  std::optional<std::string> location;
  std::string note;
  source_loc loc;
};

struct extra_event {
  std::string title;
  std::string kind;  // default: "exam" when the title says exam/midterm/final, else "event"
  date::sys_days date;
  std::optional<local_minutes> start;  // absent: all-day
  std::optional<local_minutes> end;
  std::string location;
  std::string description;
  source_loc loc;
};

struct term_config {
  date::sys_days start;
  date::sys_days end;    // inclusive
  date::sys_days week1;  // a Monday
  std::vector<day_range> holidays;
  std::vector<day_range> breaks;
  source_loc loc;
};

struct feed_config {
  std::string id;
  std::string site;        // as written
  std::string site_path;   // resolved against the config file's folder
  std::string name;        // may be empty: default from the site
  std::string short_name;  // may be empty: default from the site
  // Where the site is published ("https://cs.example.edu/cse100"), no trailing slash: wins over
  // the site's _config.yml url and baseurl. Empty: from the site.
  std::string url;
  std::string timezone;  // IANA name, validated by config/
  term_config term;
  std::vector<meeting_rule> meetings;
  std::vector<meeting_change> changes;
  std::vector<extra_event> events;
  std::optional<local_minutes> deadline_time;
  // Holidays and breaks as free all-day notes ("No class: Memorial Day") on the days a meeting
  // would have been; `holiday_notes: false` leaves them out.
  bool holiday_notes = true;
  source_loc loc;
};

struct server_config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string public_url;        // no trailing slash; empty: from the request's Host
  std::string refresh = "PT6H";  // ISO 8601 duration as written (validated)
  long refresh_seconds = 6 * 3600;
  source_loc loc;
};

struct app_config {
  std::string path;  // the config file
  std::string dir;   // its folder (relative paths are relative to it)
  server_config server;
  std::vector<feed_config> feeds;
};

}  // namespace coursecal
