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

inline content_item item(std::string title, std::string kind = "", int line = 1) {
  content_item it;
  it.title = std::move(title);
  it.kind = std::move(kind);
  it.loc = {"_modules/week.md", line, 1};
  return it;
}

inline content_heading classes(std::vector<content_item> items) {
  content_heading h;
  h.shape = heading_shape::classes;
  h.text = "Classes";
  h.items = std::move(items);
  return h;
}

inline content_heading slot(int n, std::vector<content_item> items) {
  content_heading h;
  h.shape = heading_shape::slot;
  h.text = "Class " + std::to_string(n);
  h.slot = n;
  h.items = std::move(items);
  return h;
}

inline content_heading dated(int month, int d, std::vector<content_item> items, int line = 1) {
  content_heading h;
  h.shape = heading_shape::date;
  h.text = "date";
  h.date = content_date{month, d, std::nullopt, std::nullopt};
  h.items = std::move(items);
  h.loc = {"_modules/week.md", line, 1};
  return h;
}

inline content_week week(int n, std::vector<content_heading> headings) {
  content_week w;
  w.number = n;
  w.file = "_modules/week-" + std::to_string(n) + ".md";
  w.headings = std::move(headings);
  return w;
}

}  // namespace coursecal::test
