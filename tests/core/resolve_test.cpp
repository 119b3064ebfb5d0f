#include <gtest/gtest.h>

#include <algorithm>

#include "core/resolve.hpp"
#include "test_helpers.hpp"

namespace coursecal {
namespace {

using test::day;

struct resolved {
  std::vector<calendar_event> events;
  diagnostics diags;
};

resolved run(const feed_config& feed, const course_content& content) {
  resolve_input in;
  in.feed = &feed;
  in.content = &content;
  in.zone = date::locate_zone(feed.timezone);
  in.short_name = "CSE 100";
  resolved r;
  r.events = resolve(in, r.diags);
  return r;
}

std::vector<const calendar_event*> of_kind(const resolved& r, const std::string& kind) {
  std::vector<const calendar_event*> out;
  for (const auto& e : r.events)
    if (e.kind == kind) out.push_back(&e);
  return out;
}

const calendar_event* on(const resolved& r, date::sys_days d, const std::string& kind) {
  for (const auto& e : r.events)
    if (e.date == d && e.kind == kind) return &e;
  return nullptr;
}

bool has_warning(const diagnostics& d, const std::string& needle) {
  return std::any_of(d.items().begin(), d.items().end(), [&](const diagnostic& x) {
    return x.message.find(needle) != std::string::npos;
  });
}

feed_config spring_2025() {
  auto f = test::mwf_feed(day(2025, 3, 31), day(2025, 6, 6));
  f.term.holidays.push_back({day(2025, 5, 26), day(2025, 5, 26), "Memorial Day", {}});
  return f;
}

TEST(Resolve, EveryMeetingIsAnEventEvenWithoutContent) {
  const auto r = run(spring_2025(), {});
  // 10 weeks x 3 lectures, minus Memorial Day.
  EXPECT_EQ(of_kind(r, "lecture").size(), 29u);
  const auto* first = on(r, day(2025, 3, 31), "lecture");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->summary, "CSE 100: Lecture");
  EXPECT_EQ(first->location, "CENTR 214");
  EXPECT_EQ(first->uid, "cse100-lecture-20250331@cse100.coursecal");
  EXPECT_EQ(on(r, day(2025, 5, 26), "lecture"), nullptr);
  EXPECT_TRUE(r.diags.empty());
}

TEST(Resolve, SlotNumbersSkipAHolidayInTheWeek) {
  course_content c;
  c.pages.push_back(test::week(
      9, {test::slot(1, {test::item("Caching")}), test::slot(2, {test::item("Replication")})}));
  const auto r = run(spring_2025(), c);
  // Monday May 26 is Memorial Day: Class 1 is Wednesday, Class 2 is Friday.
  EXPECT_EQ(on(r, day(2025, 5, 28), "lecture")->title, "Caching");
  EXPECT_EQ(on(r, day(2025, 5, 30), "lecture")->title, "Replication");
  EXPECT_TRUE(r.diags.empty());
}

TEST(Resolve, ClassesListShorterThanTheWeekLeavesMeetingsUntitled) {
  course_content c;
  c.pages.push_back(test::week(2, {test::classes({test::item("A"), test::item("B")})}));
  const auto r = run(spring_2025(), c);
  EXPECT_EQ(on(r, day(2025, 4, 7), "lecture")->title, "A");
  EXPECT_EQ(on(r, day(2025, 4, 9), "lecture")->title, "B");
  EXPECT_EQ(on(r, day(2025, 4, 11), "lecture")->title, "Lecture");
  EXPECT_TRUE(r.diags.empty());
}

TEST(Resolve, ClassesListLongerThanTheWeekIsKeptAndReported) {
  course_content c;
  c.pages.push_back(test::week(9, {test::classes({test::item("A", "", 3), test::item("B", "", 4),
                                                  test::item("C", "", 5)})}));
  const auto r = run(spring_2025(), c);
  EXPECT_EQ(on(r, day(2025, 5, 28), "lecture")->title, "A");
  EXPECT_EQ(on(r, day(2025, 5, 30), "lecture")->title, "B");
  // C has no meeting left: never a made-up day; it goes with the week's last class, reported.
  EXPECT_EQ(on(r, day(2025, 5, 26), "event"), nullptr);
  const auto& last = on(r, day(2025, 5, 30), "lecture")->description;
  EXPECT_NE(std::find(last.begin(), last.end(), "C"), last.end());
  ASSERT_EQ(r.diags.items().size(), 1u);
  EXPECT_EQ(format_diagnostic(r.diags.items()[0]),
            "_modules/week.md:5:1: warning: 'C' cannot be placed on a meeting (week 9 has only 2 "
            "lecture meeting(s)); it is added to the description of the 2025-05-30 lecture");
}

TEST(Resolve, DatedHeadingsAcrossNewYear) {
  // A winter session from December to February.
  auto f = test::mwf_feed(day(2025, 12, 1), day(2026, 2, 13));
  course_content c;
  c.pages.push_back(test::week(6, {test::dated(1, 7, {test::item("After the break")}),
                                   test::dated(12, 3, {test::item("Before the break")})}));
  const auto r = run(f, c);
  EXPECT_EQ(on(r, day(2026, 1, 7), "lecture")->title, "After the break");
  EXPECT_EQ(on(r, day(2025, 12, 3), "lecture")->title, "Before the break");
}

TEST(Resolve, ContentDateYearIsTheOneInsideTheTerm) {
  term_config t;
  t.start = day(2025, 9, 25);
  t.end = day(2025, 12, 12);
  EXPECT_EQ(resolve_content_date({10, 2, {}, {}, false}, t), day(2025, 10, 2));
  t.start = day(2025, 12, 1);
  t.end = day(2026, 3, 1);
  EXPECT_EQ(resolve_content_date({2, 3, {}, {}, false}, t), day(2026, 2, 3));
  EXPECT_EQ(resolve_content_date({12, 24, {}, {}, false}, t), day(2025, 12, 24));
  EXPECT_FALSE(resolve_content_date({2, 30, {}, {}, false}, t).has_value());
  EXPECT_FALSE(resolve_content_date({13, 1, {}, {}, false}, t).has_value());
}

TEST(Resolve, WeekZeroOfAFallQuarter) {
  // UCSD fall 2025: instruction starts Thursday Sep 25, in week 0; week 1 starts Monday Sep 29.
  auto f = test::mwf_feed(day(2025, 9, 25), day(2025, 12, 5));
  f.term.week1 = day(2025, 9, 29);
  course_content c;
  c.pages.push_back(test::week(0, {test::slot(1, {test::item("Welcome")})}));
  c.pages.push_back(test::week(1, {test::slot(1, {test::item("Week one")})}));
  const auto r = run(f, c);
  EXPECT_EQ(on(r, day(2025, 9, 26), "lecture")->title, "Welcome");  // Friday of week 0
  EXPECT_EQ(on(r, day(2025, 9, 26), "lecture")->week, 0);
  EXPECT_EQ(on(r, day(2025, 9, 29), "lecture")->title, "Week one");
  EXPECT_TRUE(r.diags.empty());
}

TEST(Resolve, BreakWeeksAreNotCounted) {
  auto f = test::mwf_feed(day(2026, 1, 5), day(2026, 3, 13));
  f.term.breaks.push_back({day(2026, 2, 16), day(2026, 2, 20), "Winter break", {}});
  const term_calendar cal(f.term);
  EXPECT_EQ(cal.week_of(day(2026, 2, 13)), 6);
  EXPECT_FALSE(cal.week_of(day(2026, 2, 18)).has_value());
  EXPECT_EQ(cal.week_of(day(2026, 2, 23)), 7);
  EXPECT_EQ(cal.monday_of(7), day(2026, 2, 23));
  course_content c;
  c.pages.push_back(test::week(7, {test::slot(1, {test::item("After break")})}));
  const auto r = run(f, c);
  EXPECT_EQ(on(r, day(2026, 2, 23), "lecture")->title, "After break");
  EXPECT_EQ(on(r, day(2026, 2, 18), "lecture"), nullptr);
}

TEST(Resolve, CancelMoveAndRelocateChanges) {
  auto f = spring_2025();
  meeting_change cancel;
  cancel.date = day(2025, 5, 5);
  cancel.cancel = true;
  f.changes.push_back(cancel);
  meeting_change move;
  move.date = day(2025, 5, 30);
  move.start = 12 * 60;
  move.end = 13 * 60 + 20;
  move.location = "Zoom";
  move.note = "Review session";
  f.changes.push_back(move);
  meeting_change to;
  to.date = day(2025, 4, 4);
  to.to = day(2025, 4, 3);
  f.changes.push_back(to);
  course_content c;
  c.pages.push_back(test::week(6, {test::slot(1, {test::item("Monday topic")})}));
  const auto r = run(f, c);
  EXPECT_EQ(on(r, day(2025, 5, 5), "lecture"), nullptr);
  // With Monday cancelled, Class 1 of week 6 is Wednesday.
  EXPECT_EQ(on(r, day(2025, 5, 7), "lecture")->title, "Monday topic");
  const auto* moved = on(r, day(2025, 5, 30), "lecture");
  EXPECT_EQ(moved->start, 12 * 60);
  EXPECT_EQ(moved->end, 13 * 60 + 20);
  EXPECT_EQ(moved->location, "Zoom");
  ASSERT_FALSE(moved->description.empty());
  EXPECT_EQ(moved->description.front(), "Review session");
  const auto* thursday = on(r, day(2025, 4, 3), "lecture");
  ASSERT_NE(thursday, nullptr);
  EXPECT_EQ(thursday->uid, "cse100-lecture-20250404@cse100.coursecal");  // identity kept
  EXPECT_EQ(of_kind(r, "lecture").size(), 28u);
}

TEST(Resolve, ChangeThatMatchesNothingIsReported) {
  auto f = spring_2025();
  meeting_change ch;
  ch.date = day(2025, 4, 1);  // a Tuesday
  ch.cancel = true;
  ch.loc = {"coursecal.yaml", 30, 9};
  f.changes.push_back(ch);
  const auto r = run(f, {});
  ASSERT_EQ(r.diags.items().size(), 1u);
  EXPECT_EQ(format_diagnostic(r.diags.items()[0]),
            "coursecal.yaml:30:9: warning: change on 2025-04-01: no lecture is scheduled that day; "
            "the change is ignored");
}

TEST(Resolve, WinterTermKeepsLocalTimeAcrossDstInLosAngeles) {
  // DST starts 2026-03-08 in America/Los_Angeles.
  const auto r = run(test::mwf_feed(day(2026, 1, 5), day(2026, 3, 13)), {});
  const auto* before = on(r, day(2026, 3, 6), "lecture");
  const auto* after = on(r, day(2026, 3, 9), "lecture");
  EXPECT_EQ(before->start, 11 * 60);
  EXPECT_EQ(after->start, 11 * 60);
  EXPECT_EQ(before->start_utc, date::sys_days{day(2026, 3, 6)} + std::chrono::hours{19});  // PST
  EXPECT_EQ(after->start_utc, date::sys_days{day(2026, 3, 9)} + std::chrono::hours{18});   // PDT
  EXPECT_EQ(after->end_utc - after->start_utc, std::chrono::minutes{50});
}

TEST(Resolve, WinterTermKeepsLocalTimeAcrossDstInBerlin) {
  // DST starts 2026-03-29 in Europe/Berlin.
  const auto r = run(test::mwf_feed(day(2026, 3, 2), day(2026, 4, 10), "Europe/Berlin"), {});
  EXPECT_EQ(on(r, day(2026, 3, 27), "lecture")->start_utc,
            date::sys_days{day(2026, 3, 27)} + std::chrono::hours{10});  // CET
  EXPECT_EQ(on(r, day(2026, 3, 30), "lecture")->start_utc,
            date::sys_days{day(2026, 3, 30)} + std::chrono::hours{9});  // CEST
}

TEST(Resolve, MeetingInTheDstGapIsMovedAndReported) {
  auto f = test::mwf_feed(day(2026, 3, 2), day(2026, 3, 13));
  f.meetings[0].days = {date::Sunday};
  f.meetings[0].start = 2 * 60 + 30;  // 02:30 does not exist on 2026-03-08
  f.meetings[0].end = 3 * 60 + 30;
  const auto r = run(f, {});
  const auto* ev = on(r, day(2026, 3, 8), "lecture");
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->start, 3 * 60 + 30);
  EXPECT_EQ(ev->start_utc,
            date::sys_days{day(2026, 3, 8)} + std::chrono::hours{10} + std::chrono::minutes{30});
  EXPECT_TRUE(has_warning(r.diags, "does not exist in America/Los_Angeles"));
}

TEST(Resolve, AmbiguousTimeTakesTheFirstInstant) {
  std::string note;
  const auto* zone = date::locate_zone("America/Los_Angeles");
  const auto t = to_instant(*zone, day(2025, 11, 2), 90, &note);  // 01:30 happens twice
  EXPECT_EQ(t, date::sys_days{day(2025, 11, 2)} + std::chrono::hours{8} +
                   std::chrono::minutes{30});  // PDT, the first
  EXPECT_NE(note.find("happens twice"), std::string::npos);
}

TEST(Resolve, DatedItemsAttachByKindOrBecomeAllDay) {
  auto f = spring_2025();
  meeting_rule dis;
  dis.kind = "discussion";
  dis.days = {date::Thursday};
  dis.start = 17 * 60;
  dis.end = 17 * 60 + 50;
  f.meetings.push_back(dis);
  course_content c;
  c.pages.push_back(test::week(2, {test::dated(4, 7, {test::item("Sorting")}),
                                   test::dated(4, 10, {test::item("Problem set 1", "discussion")}),
                                   test::dated(4, 12, {test::item("Hackathon", "event")})}));
  const auto r = run(f, c);
  EXPECT_EQ(on(r, day(2025, 4, 7), "lecture")->title, "Sorting");
  EXPECT_EQ(on(r, day(2025, 4, 10), "discussion")->title, "Discussion: Problem set 1");
  const auto* sat = on(r, day(2025, 4, 12), "event");
  ASSERT_NE(sat, nullptr);
  EXPECT_TRUE(sat->all_day);
}

// A UID names the thing, not its words: renaming a deadline, or editing its links, keeps it, so a
// client keeps the student's own notes and reminders on it.
TEST(Resolve, DeadlineUidsSurviveEditsOfText) {
  auto uids = [](const std::string& what, const std::string& link) {
    auto f = spring_2025();
    course_content c;
    auto e = test::item("Sorting");
    for (const auto& w : {what, std::string("Homework 2")}) {
      content_deadline dl;
      dl.what = w;
      dl.phrase = "Due 4/18";
      dl.date = content_date{4, 18, {}, {}, false};
      e.deadlines.push_back(dl);
    }
    e.links.push_back({"Spec", link, true, {}});
    c.pages.push_back(test::week(2, {test::dated(4, 7, {e})}));
    std::vector<std::string> out;
    for (const auto& ev : run(f, c).events)
      if (ev.kind == "deadline") out.push_back(ev.uid);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto before = uids("Warm-up", "https://a.example.org");
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before, uids("Warm-up exercise", "https://b.example.org"));
  EXPECT_EQ(before, (std::vector<std::string>{"cse100-deadline-20250418-hw2@cse100.coursecal",
                                              "cse100-deadline-20250418@cse100.coursecal"}));
}

TEST(Resolve, DeadlinesBecomeTransparentEvents) {
  auto f = spring_2025();
  f.deadline_time = 23 * 60 + 59;
  course_content c;
  auto hw = test::item("Homework 1 released", "homework", 7);
  content_deadline dl;
  dl.what = "Homework 1";
  dl.phrase = "Due 4/18";
  dl.date = content_date{4, 18, {}, {}, false};
  dl.loc = {"_modules/week.md", 7, 30};
  hw.deadlines.push_back(dl);
  c.pages.push_back(test::week(2, {test::slot(1, {test::item("Intro"), hw})}));
  const auto r = run(f, c);
  const auto* due = on(r, day(2025, 4, 18), "deadline");
  ASSERT_NE(due, nullptr);
  EXPECT_EQ(due->summary, "CSE 100: Due: Homework 1");
  EXPECT_EQ(due->uid, "cse100-deadline-20250418-hw1@cse100.coursecal");
  EXPECT_EQ(due->week, 3);  // Apr 18 is in week 3, though it was listed in week 2
  EXPECT_TRUE(due->transparent);
  EXPECT_FALSE(due->all_day);
  EXPECT_EQ(due->start, 23 * 60 + 59);
  // The release is noted on the class it was listed under.
  const auto* mon = on(r, day(2025, 4, 7), "lecture");
  EXPECT_EQ(mon->title, "Intro");
  EXPECT_NE(
      std::find(mon->description.begin(), mon->description.end(), "Homework 1 released (Due 4/18)"),
      mon->description.end());
}

TEST(Resolve, WeekReadingsGoToEverySlotMeeting) {
  course_content c;
  auto h = test::classes({test::item("A"), test::item("B"), test::item("C")});
  h.readings.push_back(
      {"Alpa", "https://arxiv.org/pdf/2201.12023.pdf", reading_need::optional, {}});
  c.pages.push_back(test::week(3, {h}));
  const auto r = run(spring_2025(), c);
  for (auto d : {day(2025, 4, 14), day(2025, 4, 16), day(2025, 4, 18)}) {
    const auto* ev = on(r, d, "lecture");
    ASSERT_NE(ev, nullptr);
    ASSERT_EQ(ev->description.size(), 1u);
    EXPECT_EQ(ev->description[0], "Optional reading: Alpa - https://arxiv.org/pdf/2201.12023.pdf");
    EXPECT_EQ(ev->reading_count, 1);
  }
}

TEST(Resolve, UnpublishedLinksNeverBecomeUrls) {
  course_content c;
  auto it = test::item("ML Systems");
  it.links.push_back({"Slides", "", false, {}});
  it.links.push_back({"Video", "https://video.example.edu/1", true, {}});
  c.pages.push_back(test::week(1, {test::classes({it})}));
  const auto r = run(spring_2025(), c);
  const auto* ev = on(r, day(2025, 3, 31), "lecture");
  ASSERT_EQ(ev->description.size(), 1u);
  EXPECT_EQ(ev->description[0], "Video: https://video.example.edu/1");
  EXPECT_EQ(ev->link_count, 1);
}

TEST(Resolve, OutputIsDeterministicAndSorted) {
  course_content c;
  c.pages.push_back(test::week(2, {test::classes({test::item("A"), test::item("B")})}));
  const auto a = run(spring_2025(), c);
  const auto b = run(spring_2025(), c);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) EXPECT_EQ(a.events[i].uid, b.events[i].uid);
  EXPECT_TRUE(std::is_sorted(
      a.events.begin(), a.events.end(),
      [](const calendar_event& x, const calendar_event& y) { return x.date < y.date; }));
  std::vector<std::string> uids;
  for (const auto& e : a.events) uids.push_back(e.uid);
  std::sort(uids.begin(), uids.end());
  EXPECT_EQ(std::adjacent_find(uids.begin(), uids.end()), uids.end());
}

// A page whose title does not say "Week N" belongs to the week of its dates (docs/config.md,
// "Week pages"): its slot headings then fill that week's meetings, with no warning.
TEST(Resolve, APageWithoutAWeekInItsTitleIsPlacedByItsDates) {
  auto undated_title = [](int file_number, std::vector<content_block> blocks) {
    content_page p = test::week(file_number, std::move(blocks));
    p.title = "Sampling";
    p.week_from = week_source::file_name;
    p.loc = {p.file, 2, 1};
    return p;
  };
  course_content c;
  // File week-5, but its dates are in week 3 (Apr 14 and 16; one stray date in week 4).
  c.pages.push_back(undated_title(
      5, {test::dated(4, 14, {test::item("Dated topic")}), test::slot(2, {test::item("Second")}),
          test::dated(4, 16, {test::item("Also week 3")}),
          test::dated(4, 21, {test::item("Week 4 aside")})}));
  const auto r = run(spring_2025(), c);
  EXPECT_EQ(on(r, day(2025, 4, 14), "lecture")->title, "Dated topic");
  // "Class 2" of week 3 (Wed Apr 16), not of week 5 (Wed Apr 30).
  EXPECT_EQ(on(r, day(2025, 4, 16), "lecture")->title, "Second; Also week 3");
  EXPECT_EQ(on(r, day(2025, 4, 30), "lecture")->title, "Lecture");
  EXPECT_EQ(on(r, day(2025, 4, 21), "lecture")->title, "Week 4 aside");
  EXPECT_EQ(on(r, day(2025, 4, 16), "lecture")->week, 3);
  // The dates decide; a page that does not say its week may span weeks: no warning at all.
  EXPECT_TRUE(r.diags.empty()) << ::testing::PrintToString(r.diags.items().size());

  // No date in the term: the file name's number, warned at the page.
  course_content plain;
  plain.pages.push_back(undated_title(5, {test::slot(1, {test::item("By file name")})}));
  const auto by_name = run(spring_2025(), plain);
  EXPECT_EQ(on(by_name, day(2025, 4, 28), "lecture")->title, "By file name");
  ASSERT_EQ(by_name.diags.items().size(), 1u);
  EXPECT_EQ(format_diagnostic(by_name.diags.items()[0]),
            "_modules/week-5.md:2:1: warning: week number taken from the file name (week 5): the "
            "title does not say 'Week N' and no date on the page is in the term");

  // Neither: week 0, warned.
  content_page nameless = undated_title(0, {test::slot(1, {test::item("Nowhere")})});
  nameless.file = "_modules/intro.md";
  nameless.week_from = week_source::none;
  course_content none;
  none.pages.push_back(nameless);
  const auto zero = run(spring_2025(), none);
  EXPECT_TRUE(has_warning(zero.diags,
                          "the page is put in week 0: its title does not say 'Week N', "
                          "its file name has no number and no date on it is in the term"));
}

// A titled week page's date in another week is likely stale: reported.
TEST(Resolve, ADateOutsideAWeekPagesWeekIsReported) {
  course_content c;
  c.pages.push_back(test::week(3, {test::dated(4, 21, {test::item("Next week's")}, 7)}));
  const auto r = run(spring_2025(), c);
  EXPECT_EQ(on(r, day(2025, 4, 21), "lecture")->title, "Next week's");
  ASSERT_EQ(r.diags.items().size(), 1u);
  EXPECT_EQ(
      format_diagnostic(r.diags.items()[0]),
      "_modules/week.md:7:1: warning: 'date' is in week 4, but this page is week 3 (its dates "
      "are used as written)");
}

// Lecture counters are the n-th slot meeting of the term, whatever page they are on.
TEST(Resolve, ACounterIsTheNthSlotMeetingOfTheTerm) {
  course_content c;
  content_page p = test::week(
      0, {test::counter(1, {test::item("First")}), test::counter(5, {test::item("Fifth")}),
          test::counter(40, {test::item("Too far")})});
  p.week_from = week_source::none;
  p.estimated_dates = true;
  c.pages.push_back(p);
  const auto r = run(spring_2025(), c);
  EXPECT_EQ(on(r, day(2025, 3, 31), "lecture")->title, "First");
  EXPECT_EQ(on(r, day(2025, 4, 9), "lecture")->title, "Fifth");  // Mon, Wed, Fri, Mon, Wed
  EXPECT_TRUE(has_warning(r.diags, "lectures are numbered, not dated"));
  EXPECT_TRUE(has_warning(r.diags,
                          "'Too far' cannot be placed on a meeting ('Lec40' is past the "
                          "term's 29 lecture meetings)"));
}

TEST(Resolve, HolidaysAreFreeAllDayNotesUnlessTurnedOff) {
  const auto r = run(spring_2025(), {});
  const auto* note = on(r, day(2025, 5, 26), "holiday");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->summary, "CSE 100: No class: Memorial Day");
  EXPECT_TRUE(note->all_day);
  EXPECT_TRUE(note->transparent);
  EXPECT_FALSE(note->last_day.has_value());
  auto f = spring_2025();
  f.term.holidays.push_back({day(2025, 4, 14), day(2025, 4, 18), "Spring break", {}});
  const auto week = run(f, {});
  const auto* spring = on(week, day(2025, 4, 14), "holiday");
  ASSERT_NE(spring, nullptr);
  EXPECT_EQ(spring->last_day, day(2025, 4, 18));  // one note over the week
  f.holiday_notes = false;
  EXPECT_EQ(on(run(f, {}), day(2025, 5, 26), "holiday"), nullptr);
}

}  // namespace
}  // namespace coursecal
