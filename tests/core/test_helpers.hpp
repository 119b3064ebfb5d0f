// Small builders for core tests: a term, meetings and content written inline.
#pragma once

#include <string>

#include <date/date.h>

#include "core/content_model.hpp"
#include "core/term_model.hpp"

namespace coursecal::test {

inline date::sys_days day(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}};
}

inline date::sys_days monday_on_or_before(date::sys_days d) {
  return d - (date::weekday{d} - date::Monday);
}

// A lecture MWF 11:00-11:50 feed over [start, end] in `tz`.
inline feed_config mwf_feed(date::sys_days start, date::sys_days end,
                            std::string tz = "America/Los_Angeles") {
  feed_config f;
  f.id = "cse100";
  f.timezone = std::move(tz);
  f.term.start = start;
  f.term.end = end;
  f.term.week1 = monday_on_or_before(start);
  meeting_rule lec;
  lec.kind = "lecture";
  lec.days = {date::Monday, date::Wednesday, date::Friday};
  lec.start = 11 * 60;
  lec.end = 11 * 60 + 50;
  lec.location = "CENTR 214";
  lec.loc = {"coursecal.yaml", 20, 9};
  f.meetings.push_back(lec);
  return f;
}

inline content_entry item(std::string title, std::string kind = "", int line = 1) {
  content_entry it;
  it.title = std::move(title);
  it.kind = std::move(kind);
  it.loc = {"_modules/week.md", line, 1};
  return it;
}

inline content_block classes(std::vector<content_entry> items) {
  content_block b;
  b.anchor.type = anchor_type::classes;
  b.anchor.text = "Classes";
  b.entries = std::move(items);
  return b;
}

inline content_block slot(int n, std::vector<content_entry> items) {
  content_block b;
  b.anchor.type = anchor_type::slot;
  b.anchor.text = "Class " + std::to_string(n);
  b.anchor.number = n;
  b.entries = std::move(items);
  return b;
}

inline content_block counter(int n, std::vector<content_entry> items) {
  content_block b = slot(n, std::move(items));
  b.anchor.type = anchor_type::counter;
  b.anchor.text = "Lec" + std::to_string(n);
  return b;
}

inline content_block dated(int month, int d, std::vector<content_entry> items, int line = 1) {
  content_block b;
  b.anchor.type = anchor_type::dates;
  b.anchor.text = "date";
  b.anchor.dates.push_back(content_date{month, d, std::nullopt, std::nullopt, false});
  b.anchor.loc = {"_modules/week.md", line, 1};
  b.entries = std::move(items);
  return b;
}

inline content_block role(std::string role, std::vector<content_entry> items) {
  content_block b;
  b.anchor.type = anchor_type::week;
  b.anchor.role = role;
  b.anchor.text = role;
  b.entries = std::move(items);
  return b;
}

// A page titled "Week N".
inline content_page week(int n, std::vector<content_block> blocks) {
  content_page p;
  p.week = n;
  p.week_from = week_source::title;
  p.title = "Week " + std::to_string(n);
  p.file = "_modules/week-" + std::to_string(n) + ".md";
  p.blocks = std::move(blocks);
  return p;
}

}  // namespace coursecal::test
