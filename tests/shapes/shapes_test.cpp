// One small synthetic site per content shape (tests/fixtures/shapes/<shape>/), each exported
// through the whole pipeline with its exact events and warnings; the feed lint; and a property
// test over every site in tests/fixtures and examples.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "content/inline_text.hpp"
#include "content/site_reader.hpp"
#include "core/lint.hpp"
#include "core/time_format.hpp"
#include "daemon/pipeline.hpp"

namespace coursecal {
namespace {

namespace fs = std::filesystem;
using strings = std::vector<std::string>;

const std::string source_dir = COURSECAL_SOURCE_DIR;
const std::string shapes = source_dir + "/tests/fixtures/shapes/";

std::string relative(const std::string& path) {
  return path.starts_with(shapes) ? path.substr(shapes.size()) : path;
}

strings messages(const diagnostics& d) {
  strings out;
  for (const auto& item : d.items()) {
    diagnostic copy = item;
    copy.loc.file = relative(copy.loc.file);
    out.push_back(format_diagnostic(copy));
  }
  return out;
}

// "2023-02-27 10:00-11:15 lecture Sampling @ Hall 1 | Slides: https://..." for every event that
// is not a bare meeting (titled by its kind, no description); bare meetings are only counted.
struct exported {
  strings events;
  std::size_t bare = 0;
  strings diags;
  std::string ics;
};

exported export_shape(const std::string& shape) {
  const build_result r = build_feeds(shapes + shape + "/coursecal.yaml");
  exported e;
  e.diags = messages(r.diags);
  if (r.feeds.empty()) return e;
  e.ics = r.feeds.front().ics.str();
  for (const auto& ev : r.feeds.front().events) {
    if (ev.title == "Lecture" && ev.description.empty()) {
      ++e.bare;
      continue;
    }
    std::string line = iso_date(ev.date) + " ";
    line += ev.all_day ? std::string("all-day") : clock_text(ev.start) + "-" + clock_text(ev.end);
    line += " " + ev.kind + " " + ev.title;
    if (!ev.location.empty()) line += " @ " + ev.location;
    for (const auto& d : ev.description) line += " | " + d;
    e.events.push_back(line);
  }
  return e;
}

// --- the four front-matter schedule shapes -------------------------------------------------

TEST(shapes, days_with_markdown_keyed_events) {
  const exported e = export_shape("days-markdown");
  EXPECT_EQ(
      e.events,
      (strings{
          // "Ghost day" is under an impossible date: never a made-up day, it goes with the week.
          "2023-02-27 10:00-11:15 lecture Sampling @ Hall 1 | Sampling: "
          "https://ds.example.edu/sp23/src/l01.pdf | Reading: Ch. 2 | HW 1: Homework 1 (Due 3/3) | "
          "Homework 1: https://ds.example.edu/sp23/hw/hw1.html | Ghost day",
          "2023-03-01 10:00-11:15 lecture Bias and variance @ Hall 1 | Bias and variance: "
          "https://ds.example.edu/sp23/src/l02%20notes.pdf | Reading: Ch. 3 - "
          "https://book.example.org/ch3",
          "2023-03-03 all-day deadline Due: Homework 1 | Due 3/3 | Homework 1: "
          "https://ds.example.edu/sp23/hw/hw1.html",
      }));
  EXPECT_EQ(e.bare, 0u);
  // The feed has no timezone: the site's (America/New_York) is used.
  EXPECT_NE(e.ics.find("TZID=America/New_York:20230227T100000"), std::string::npos);
  EXPECT_EQ(e.diags,
            (strings{
                "days-markdown/site/_modules/week-01.md:8:11: warning: schedule date '2023-3-1' "
                "is not zero-padded; read as 2023-03-01",
                "days-markdown/site/_modules/week-01.md:11:1: warning: '2023-02-29' is not a real "
                "date; what is written there goes to the description of week 1's first class",
                "days-markdown/site/_modules/week-01.md:11:11: warning: schedule date "
                "'2023-02-29' does not exist; its items are kept and placed by week",
            }));
}

TEST(shapes, days_with_event_objects) {
  const exported e = export_shape("days-objects");
  EXPECT_EQ(e.events,
            (strings{
                "2026-02-03 14:15-15:45 lecture Gradient descent | Reading: Reading - "
                "https://notes.example.org/gd.pdf | HW 2: Homework 2 released (Due 2/10) | Link: "
                "https://ml.example.edu/hw/hw2.pdf",
                "2026-02-05 14:15-15:45 lecture Momentum & Adam | Slides: "
                "https://ml.example.edu/slides/lec%206.pdf",
                "2026-02-10 all-day deadline Due: Homework 2 | Due 2/10 | Link: "
                "https://ml.example.edu/hw/hw2.pdf",
            }));
  EXPECT_EQ(e.bare, 10u);
  EXPECT_EQ(e.diags, strings{});
}

TEST(shapes, days_with_topic_date_description) {
  const exported e = export_shape("days-topics");
  // The content's "No class (snow day)" cancels that day's lecture: a free note says so.
  EXPECT_EQ(e.events, (strings{
                          "2025-02-05 09:00-09:50 lecture Phase portraits | Slides: "
                          "https://math.example.edu/x.pdf | Ch. 2",
                          "2025-02-07 09:00-09:50 lecture Linearization - Ch. 3, sections 1-2",
                          "2025-02-10 all-day cancelled No class (snow day) | Cancelled: Lecture "
                          "09:00\u201309:50",
                      }));
  EXPECT_EQ(e.bare, 6u);
  // Stale content: a day of week 3 on the week 2 page.
  EXPECT_EQ(e.diags,
            (strings{
                "days-topics/site/_modules/week-02.md:6:1: warning: '2025-02-10' is in week 3, "
                "but this page is week 2 (its dates are used as written)",
            }));
}

TEST(shapes, contents_with_items) {
  const exported e = export_shape("contents-items");
  EXPECT_EQ(e.events, (strings{
                          "2025-09-16 11:00-12:20 lecture Rigid bodies; Inertia tensors @ ENG 101",
                          // The class keeps its topic and kind; the quiz is in its description.
                          "2025-09-18 11:00-12:20 lecture Euler equations @ ENG 101 | Slides: "
                          "https://mech.example.edu/f25/slides/euler.pdf | Quiz 1",
                      }));
  EXPECT_EQ(e.bare, 28u);
  EXPECT_EQ(e.diags, strings{});
}

// --- dates beyond "Mon D" ------------------------------------------------------------------

TEST(shapes, dates_in_other_forms_and_languages) {
  const exported e = export_shape("dates");
  EXPECT_EQ(e.events, (strings{
                          "2023-09-04 10:00-10:50 lecture Introduction",  // Mon Sept 4th
                          "2023-09-06 10:00-10:50 lecture Sounds",        // 06 вер
                          "2023-09-08 10:00-10:50 lecture Syllables",     // 9월 8일
                          // Every day a heading names has its item.
                          "2023-09-11 10:00-10:50 lecture Morphology (two days)",  // 11, 13 Sep
                          "2023-09-13 10:00-10:50 lecture Morphology (two days)",
                          "2023-09-15 10:00-10:50 lecture Words",  // Sep. 15 / 18
                          "2023-09-18 10:00-10:50 lecture Words",
                          "2023-10-13 10:00-10:50 lecture Syntax trees",  // 13 жовтня
                          "2023-11-27 10:00-10:50 lecture Semantics",     // Nov 27-29 (M-W)
                          "2023-11-29 10:00-10:50 lecture Semantics",
                          // December 1 (6-8:50pm): the heading's own time
                          "2023-12-01 18:00-20:50 event Review session",
                          "2023-12-04 10:00-10:50 lecture Pragmatics",  // 04 Dez
                      }));
  EXPECT_EQ(e.bare, 31u);
  EXPECT_EQ(e.diags, strings{});
}

// --- _schedules/weekly.md and the site's timezone -------------------------------------------

TEST(shapes, weekly_schedule_gives_the_meetings) {
  const exported e = export_shape("weekly");
  // Localised day name (Montag), a day name with a date, "2 PM", HTML in a name, duplicate keys.
  EXPECT_EQ(e.events, (strings{
                          "2024-09-02 09:30-11:00 lecture Welcome @ Dwinelle 155",
                          "2024-09-03 14:00-15:00 discussion Discussion @ Cory 247",
                          "2024-09-04 09:30-11:00 lecture Abstraction @ Dwinelle 155",
                      }));
  EXPECT_EQ(e.diags, strings{});  // the feed's meetings come from weekly.md: nothing to say
}

TEST(shapes, demo_weekly_schedule_is_ignored_and_bad_site_timezone_is_an_error) {
  const exported e = export_shape("weekly-demo");
  EXPECT_TRUE(e.ics.empty());
  EXPECT_EQ(e.diags,
            (strings{
                "weekly-demo/coursecal.yaml:2:5: warning: feed 'demo' has no 'meetings' and the "
                "site's _schedules/weekly.md gives none: the calendar holds only the content's "
                "dated items, deadlines and events",
                "weekly-demo/site/_config.yml:3:11: error: feed 'demo': unknown time zone "
                "'Not/A_Zone' (expected an IANA name such as America/Los_Angeles)",
                "weekly-demo/site/_schedules/weekly.md:1:1: warning: weekly schedule is the "
                "template's demo (rooms 150 Wheeler, 310 Soda, 271 Soda); it is not used",
            }));
}

TEST(shapes, no_timezone_anywhere_is_an_error_at_the_feed) {
  const fs::path dir =
      fs::temp_directory_path() / ("coursecal-shapes-" + std::to_string(::getpid()));
  fs::create_directories(dir / "site" / "_modules");
  std::ofstream(dir / "site" / "_config.yml") << "title: X\nurl: https://x.example.edu\n";
  std::ofstream(dir / "site" / "_modules" / "week-01.md") << "---\ntitle: Week 1\n---\n";
  std::ofstream(dir / "c.yaml") << "feeds:\n  - id: x\n    site: site\n"
                                   "    term: { start: 2025-01-06, end: 2025-01-10 }\n"
                                   "    meetings: [{kind: lecture, days: [Mon], start: \"10:00\", "
                                   "end: \"11:00\"}]\n";
  const build_result r = build_feeds((dir / "c.yaml").string());
  fs::remove_all(dir);
  EXPECT_TRUE(r.feeds.empty());
  strings errors;
  for (const auto& d : r.diags.items())
    if (d.sev == severity::error) errors.push_back(format_loc(d.loc).substr(dir.string().size()));
  EXPECT_EQ(errors, strings{"/c.yaml:2:5"});
}

// --- stale content --------------------------------------------------------------------------

TEST(shapes, stale_content_is_reported_with_file_and_line) {
  const exported e = export_shape("stale");
  EXPECT_EQ(e.events, (strings{
                          "2025-03-31 11:00-12:15 lecture Introduction",
                          "2025-04-02 11:00-12:15 lecture Cells",
                          "2025-04-07 all-day event Enzymes",
                          "2025-04-07 all-day holiday No class: Campus holiday",
                          // Feb 30 has no day: the week's first day that is not a holiday.
                          "2025-04-08 all-day event Leap day lecture",
                          "2025-04-09 all-day cancelled No class - Spring Break | Cancelled: "
                          "Lecture 11:00\u201312:15",
                          "2025-04-09 all-day event Misplaced topic",
                          "2025-09-15 all-day event Left over from the fall",
                      }));
  const std::string w1 = "stale/site/_modules/week-01.md:";
  const std::string w2 = "stale/site/_modules/week-02.md:";
  EXPECT_EQ(e.diags,
            (strings{
                w1 + "8:1: warning: 'F Apr 2': 2025-04-02 is a Wednesday; the date is used as "
                     "written",
                w1 + "11:1: warning: 'Apr 9' is in week 2, but this page is week 1 (its dates are "
                     "used as written)",
                w1 + "12:1: warning: 'Misplaced topic' is listed on 2025-04-09, when its class is "
                     "cancelled; emitted as a free all-day event",
                w1 + "14:1: warning: 'Sep 15' (2025-09-15) is outside the term (2025-03-31 to "
                     "2025-04-11); emitted as written",
                // (once per page: a site counting a break as a week is not 15 warnings)
                w2 + "6:1: warning: 'Enzymes' is listed on 2025-04-07, a holiday or break in the "
                     "config; emitted as a free all-day event",
                w2 + "11:1: warning: 'Feb 30' is not a real date; what is written there goes to "
                     "the description of week 2's first class",
            }));
}

// --- the feed lint --------------------------------------------------------------------------

TEST(lint, a_rendered_feed_is_clean) {
  const exported e = export_shape("stale");
  ASSERT_FALSE(e.ics.empty());
  EXPECT_EQ(lint_feed(e.ics), strings{});
}

TEST(lint, reports_each_rule) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
      "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250101\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Paris:20250101T100000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20250102\r\nDTEND:20250103T000000Z\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\n";
  EXPECT_EQ(lint_feed(ics),
            (strings{
                "a line ends in LF without CR (RFC 5545 wants CRLF)",
                "event a: all-day DTEND 20250101 is not after DTSTART (the end is exclusive: the "
                "next day)",
                "UID a is used twice",
                "event a has no DTEND",
                "event b: all-day DTSTART with a DTEND that is not a DATE",
                "TZID Europe/Paris (line 10) has no VTIMEZONE",
            }));
  const std::string big = "BEGIN:VCALENDAR\r\n" + std::string(1000 * 1024, 'X') + "\r\n";
  const strings r = lint_feed(big);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r.front(), "1000 KiB; Google Calendar drops events past about 1 MB");
}

// --- property test: every site, check + export ---------------------------------------------

// Every "http(s)://..." in the unfolded, unescaped feed.
strings urls_in(const std::string& ics) {
  std::string text;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    if (ics[i] == '\\' && i + 1 < ics.size()) {
      const char n = ics[++i];
      text += (n == 'n' || n == 'N') ? '\n' : n;
      continue;
    }
    text += ics[i];
  }
  strings out;
  for (std::size_t at = text.find("http"); at != std::string::npos; at = text.find("http", at)) {
    if (text.compare(at, 7, "http://") != 0 && text.compare(at, 8, "https://") != 0) {
      ++at;
      continue;
    }
    std::size_t e = at;
    while (e < text.size() && text[e] != ' ' && text[e] != '\n' && text[e] != '\r') ++e;
    out.push_back(text.substr(at, e - at));
    at = e;
  }
  return out;
}

bool encoded_once(const std::string& url) {
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  };
  for (std::size_t i = 0; i < url.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(url[i]);
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}')
      return false;
    if (c == '%') {
      if (i + 2 >= url.size() || !hex(url[i + 1]) || !hex(url[i + 2])) return false;
      // "%25" followed by two hex digits is an escape encoded twice.
      if (url[i + 1] == '2' && url[i + 2] == '5' && i + 4 < url.size() && hex(url[i + 3]) &&
          hex(url[i + 4]))
        return false;
    }
  }
  return content::detail::percent_encode_once(url) == url;
}

strings every_config() {
  strings out{source_dir + "/examples/coursecal.yaml"};
  for (const auto& base : {source_dir + "/tests/fixtures", shapes}) {
    for (const auto& entry : fs::directory_iterator(base)) {
      const fs::path c = entry.path() / "coursecal.yaml";
      if (fs::is_regular_file(c)) out.push_back(c.string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(property, check_and_export_never_crash_are_deterministic_and_urls_are_clean) {
  const strings configs = every_config();
  ASSERT_GE(configs.size(), 9u);
  std::size_t feeds = 0, urls = 0;
  for (const auto& config : configs) {
    SCOPED_TRACE(config);
    // `check SITE_DIR` for each site of the config.
    const build_result first = build_feeds(config);
    ASSERT_TRUE(first.config.has_value());
    for (const auto& feed : first.config->feeds) {
      diagnostics d;
      const course_content site = content::read_site(feed.site_path, d);
      std::ostringstream printed;
      content::print_course(printed, site);
      EXPECT_FALSE(printed.str().empty());
    }
    // `export` twice: byte-identical.
    const build_result second = build_feeds(config);
    ASSERT_EQ(first.feeds.size(), second.feeds.size());
    for (std::size_t i = 0; i < first.feeds.size(); ++i) {
      ++feeds;
      EXPECT_EQ(first.feeds[i].ics, second.feeds[i].ics);
      EXPECT_EQ(lint_feed(first.feeds[i].ics), strings{});
      for (const auto& url : urls_in(first.feeds[i].ics.str())) {
        ++urls;
        EXPECT_TRUE(encoded_once(url)) << url;
      }
    }
  }
  EXPECT_GE(feeds, 9u);
  EXPECT_GE(urls, 20u);
}

}  // namespace
}  // namespace coursecal
