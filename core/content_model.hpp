// The course content as read from a Just the Class site: course -> weeks -> headings -> items.
// Produced by content/ (the reader), consumed by core/ (the resolver). Plain values, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/term_model.hpp"

namespace coursecal {

// A link from the content. `url` is absolute and percent-encoded exactly once when `published`;
// an empty or "#" target is kept as unpublished (url empty) and never emitted as a URL.
struct content_link {
  std::string label;  // plain text, e.g. "Slides"
  std::string url;
  bool published = false;
  source_loc loc;
};

enum class reading_need { unspecified, required, optional };

struct content_reading {
  std::string title;  // plain text
  std::string url;  // absolute and percent-encoded; empty when the reading has no (published) link
  reading_need need = reading_need::unspecified;
  source_loc loc;
};

// A month/day (and maybe year) as written in the content. The resolver picks the year when absent.
struct content_date {
  int month = 0;  // 1..12
  int day = 0;    // 1..31 (not checked against the month: the resolver reports impossible dates)
  std::optional<int> year;
  std::optional<int> weekday;  // 0 = Sunday .. 6 = Saturday, when the text names one
};

// A due date found in text: "(Due 10/15)", "(due Feb 6)", "(Due: End of Week 3 - 10/10)",
// "Due Tue 10/1 11:59pm", or an item labelled "HW 1 due" under a dated heading (then `date` is
// empty and the resolver uses the heading's date).
struct content_deadline {
  std::string what;    // what is due: the item's title or label, plain text ("Homework 3")
  std::string phrase;  // the phrase as written, plain text ("Due 10/15")
  std::optional<content_date> date;
  std::optional<int> time_minutes;  // local minutes since midnight when the phrase has a time
  std::optional<int> end_of_week;   // "End of Week 3"
  source_loc loc;
};

// One definition line (and its nested link lines): a class, a homework, a section...
struct content_item {
  std::string label;  // the label text as written, plain ("Lecture 7", "HW 3"); empty when none
  std::string kind;   // normalised kind from the label: "lecture", "discussion", "section", "lab",
                      // "homework", "exam", "quiz", "project", "reading", "deadline", "" (none)...
  std::string title;  // plain text (inline markdown, HTML and entities decoded)
  std::vector<content_link> links;
  std::vector<content_reading> readings;
  std::vector<content_deadline> deadlines;
  bool no_class = false;  // "No class", "Holiday", "Spring Break", ...
  source_loc loc;
};

enum class heading_shape {
  date,     // "Oct 7", "Mon Oct 7", "9/24", "**Jan 6 (Tu)**"
  slot,     // "1", "Class 1", "Lecture 2", "Lec1": the n-th slot meeting of the week
  classes,  // "Classes": items fill the week's slot meetings in order
  role,     // "Lecture", "Reading", "Homework", "TBD", ...: attaches to the week, never dated
};

struct content_heading {
  heading_shape shape = heading_shape::role;
  std::string text;                  // plain text of the term line
  std::optional<content_date> date;  // shape == date
  std::optional<int> slot;           // shape == slot: 1-based slot within the week (after the
                                     // site-wide decision between per-week and running counters)
  std::vector<content_item> items;
  // Readings that belong to the whole week: those after the last class item of a `Classes`
  // heading, or under a `Reading`/`*Optional Reading*` role.
  std::vector<content_reading> week_readings;
  source_loc loc;
};

struct content_week {
  int number = 0;
  bool number_from_file_name = false;  // the reader warned about it
  std::string title;                   // front matter title, plain
  std::string file;                    // path of the page, as given to the reader
  std::vector<content_heading> headings;
  source_loc loc;  // the page (line 1 or the title line)
};

struct course_content {
  std::string title;        // _config.yml title
  std::string description;  // _config.yml description
  std::string url;          // _config.yml url (as written)
  std::string baseurl;      // _config.yml baseurl (as written)
  std::string timezone;     // _config.yml timezone, may be empty (not validated)
  source_loc timezone_loc;  // where _config.yml says it
  // The weekly timetable of _schedules/weekly.md as meeting rules (lecture-like first), used when
  // a feed's config lists no meetings. Empty when the file is absent or is the template's demo.
  std::vector<meeting_rule> weekly;
  std::string site_url;             // url + baseurl joined with single slashes, no trailing slash
  std::vector<content_week> weeks;  // sorted by week number, then file
  std::vector<std::string> input_files;  // every file read (for DTSTAMP and reload watching)
};

}  // namespace coursecal
