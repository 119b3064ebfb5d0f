// What a Just the Class site says, as read by content/ and placed by core/ (the resolver).
// One model for every shape a schedule is written in (definition lists, bullets, headings, dated
// lines, tables, front matter, page titles): a page is a list of blocks, each block one anchor
// (where its entries belong: a date or dates, a slot, a running lecture number, the week) and the
// entries written there. Plain values, no I/O; every piece keeps the file:line it came from.
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
  bool numeric = false;        // written as numbers ("9/24"): the site decides month/day order
};

// A due date found in text: "(Due 10/15)", "due M, Oct 6 @ 11:59pm", "Дедлайн: 30 вересня",
// "(Due: End of Week 3 - 10/10)", "due TODAY", or a label such as "HW 1 due" (then `date` is empty
// and the resolver uses the day the entry is placed on, when that day is certain).
struct content_deadline {
  std::string what;    // what is due, plain text ("Quiz 1")
  std::string phrase;  // the phrase as written, plain text ("due M, Oct 6 @ 11:59pm")
  std::optional<content_date> date;
  std::optional<int> time_minutes;  // local minutes since midnight when the phrase has a time
  std::optional<int> end_of_week;   // "End of Week 3"
  bool deadline_word = false;       // written "deadline" ("Add/Drop Deadline"), not "due"
  source_loc loc;
};

// One thing written at an anchor: a class topic, a homework release, an exam, a no-class marker.
struct content_entry {
  std::string label;              // the entry's own label as written ("Lecture 7", "HW 3"); may be
                                  // empty
  std::vector<std::string> tags;  // topic labels that are not the entry's name ("Policy")
  std::string kind;   // normalised: lecture, discussion, section, lab, office-hours, homework,
                      // exam, quiz, project, reading, review, deadline, ...; "" when none
  std::string title;  // plain text: the entry's name and topic ("EXAM 1 (Chap. 1-4)")
  bool labelled_class = false;     // a "Lecture"/"LEC 7" label: the entry is the class itself
  std::vector<std::string> notes;  // plain lines for the description (link-line text, guests)
  std::vector<content_link> links;
  std::vector<content_reading> readings;
  std::vector<content_deadline> deadlines;
  bool release = false;   // "released!", "out", "posted": the entry announces something
  bool no_class = false;  // "No class", "No Discussion", "NO CLASS", "Spring Break", ...
  // The times and room the entry states for itself ("Mid-Term Exam: 12:45 - 2:15 pm",
  // "4pm & 5pm @ WLH 2207", "(105 Tate, 1:30 - 4:30 PM)"): local minutes since midnight.
  std::vector<local_minutes> starts;
  std::optional<local_minutes> end;
  std::string location;
  // The days the entry names for itself, overriding its anchor ("RQ 6 Released Fri 4/26").
  std::vector<content_date> own_dates;
  source_loc loc;
};

enum class anchor_type {
  dates,    // "Oct 7", "Mon Oct 7", "9/24", "25, 27 Aug", "Dec 3-5 (W-F)": every day named
  slot,     // "Class 2", "Lecture 2", a bare "2": the n-th slot meeting of the page's week
  counter,  // "Lec7", a bare "12" counting across pages: the n-th slot meeting of the term
  classes,  // "Classes": the entries fill the week's slot meetings in order
  week,     // a role ("Lecture", "Lab", "Reading", "Dates", "General"): the page's week
};

struct content_anchor {
  anchor_type type = anchor_type::week;
  std::vector<content_date> dates;  // type == dates: every day named, in order, ranges expanded
  bool range = false;               // the dates are a range ("Dec 3-5")
  int number = 0;                   // slot, counter: 1-based (counters: after the site decision)
  std::string role;  // week: the role's kind ("lecture", "lab", "reading", ...), "" for others
  std::string text;  // the anchor as written, plain
  // A time and room written in the anchor itself ("December 4 (6-8:50pm)"), for its entries.
  std::vector<local_minutes> starts;
  std::optional<local_minutes> end;
  std::string location;
  source_loc loc;
};

// One anchor and what is written there.
struct content_block {
  content_anchor anchor;
  std::vector<content_entry> entries;
  // Readings that belong to the anchor as a whole (a reading list after the last class of a
  // `Classes` heading, under a `Reading` role, or under "Required Materials").
  std::vector<content_reading> readings;
  // The block has no anchor of its own and takes the page's (a role or prose in a page whose
  // title dates it): set by the reader, used by the resolver.
  bool from_page = false;
};

enum class week_source {
  title,      // the front matter title says "Week N"
  file_name,  // the number in the file name (a guess, warned about when it matters)
  none,       // no number anywhere: placed by its dates, or week 0
};

struct content_page {
  int week = 0;
  week_source week_from = week_source::none;
  std::string title;  // front matter title, plain
  std::string file;   // path of the page, as given to the reader
  // The page's own anchor, from a title that carries dates ("Jan 16 — Topic",
  // "Spring Break, Mar. 18-22"): blocks marked from_page take it.
  std::optional<content_anchor> anchor;
  std::vector<content_block> blocks;
  bool estimated_dates = false;  // some block is a running counter: its dates are a guess
  source_loc loc;                // the page (line 1 or the title line)
};

struct course_content {
  std::string title;        // _config.yml title
  std::string description;  // _config.yml description
  std::string tagline;      // _config.yml tagline (the template's subtitle)
  std::string url;          // _config.yml url (as written)
  std::string baseurl;      // _config.yml baseurl (as written)
  std::string timezone;     // _config.yml timezone, may be empty (not validated)
  source_loc timezone_loc;  // where _config.yml says it
  // The weekly timetable of _schedules/weekly.md as meeting rules (lecture-like first), used when
  // a feed's config lists no meetings. Empty when the file is absent or is the template's demo.
  std::vector<meeting_rule> weekly;
  source_loc weekly_loc;  // _schedules/weekly.md (file only) when it gave meetings
  std::string site_url;   // url + baseurl, single slashes, no trailing slash; "" when not absolute
  std::vector<content_page> pages;       // in file-name order
  std::vector<std::string> input_files;  // every file read (for DTSTAMP and reload watching)
};

}  // namespace coursecal
