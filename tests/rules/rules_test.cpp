// The placement rules of the resolver (core/resolve.hpp) and the shapes of content-format.md,
// each on a short made-up page, through the whole pipeline: site on disk -> reader -> resolver.
// Every event is one line "DATE TIME KIND TITLE @ LOCATION | DESCRIPTION..." (TIME "all-day",
// "free" appended for transparent events), so a test states exactly what a student sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "daemon/pipeline.hpp"

namespace coursecal {
namespace {

namespace fs = std::filesystem;
using strings = std::vector<std::string>;

// Spring 2025: lectures MWF 10:00-10:50 in Hall 1, a discussion Thu 16:00 and 17:00; week 1 is
// Mar 31 - Apr 4; Memorial Day is a holiday.
const std::string base_config = R"(feeds:
  - id: t
    site: site
    short_name: T
    timezone: America/Los_Angeles
    term:
      start: 2025-03-31
      end: 2025-06-06
      holidays:
        - { date: 2025-05-26, name: Memorial Day }
    meetings:
      - { kind: lecture, days: [Mon, Wed, Fri], start: "10:00", end: "10:50", location: Hall 1 }
      - { kind: discussion, days: [Thu], start: "16:00", end: "16:50", location: Room A }
      - { kind: discussion, days: [Thu], start: "17:00", end: "17:50", location: Room B }
)";

struct result {
  strings events;   // every event, in feed order
  std::string ics;  // the feed as rendered
  strings diags;    // file names relative to the site folder
  bool ok = false;
  strings on(const std::string& day) const {
    strings out;
    for (const auto& e : events)
      if (e.starts_with(day)) out.push_back(e);
    return out;
  }
};

class site {
 public:
  site() {
    static int n = 0;
    dir_ = fs::temp_directory_path() /
           ("coursecal-rules-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "site" / "_modules");
    write("site/_config.yml", "title: T\nurl: https://t.example.edu\nbaseurl: /t\n");
  }
  ~site() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  site& write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
    return *this;
  }
  site& page(const std::string& name, const std::string& text) {
    return write("site/_modules/" + name, text);
  }
  result run(const std::string& config = base_config) {
    write("coursecal.yaml", config);
    const build_result r = build_feeds((dir_ / "coursecal.yaml").string());
    result out;
    out.ok = r.ok();
    const std::string prefix = (dir_ / "site").string() + "/";
    for (const auto& d : r.diags.items()) {
      diagnostic copy = d;
      if (copy.loc.file.starts_with(prefix)) copy.loc.file = copy.loc.file.substr(prefix.size());
      out.diags.push_back(format_diagnostic(copy));
    }
    if (r.feeds.empty()) return out;
    out.ics = std::string(r.feeds.front().ics.view());
    for (const auto& ev : r.feeds.front().events) {
      std::string line = iso_date(ev.date) + " ";
      line += ev.all_day ? std::string("all-day") : clock_text(ev.start) + "-" + clock_text(ev.end);
      if (ev.transparent) line += " free";
      line += " " + ev.kind + " " + ev.title;
      if (!ev.location.empty()) line += " @ " + ev.location;
      for (const auto& d : ev.description) line += " | " + d;
      out.events.push_back(line);
    }
    return out;
  }

 private:
  fs::path dir_;
};

std::string week(int n, const std::string& body) {
  return "---\ntitle: Week " + std::to_string(n) + "\n---\n" + body;
}

bool has(const strings& lines, const std::string& needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

// --- rule: no class ---------------------------------------------------------------------------

TEST(rule_no_class, cancels_the_meeting_and_leaves_a_free_note) {
  site s;
  s.page("week-02.md", week(2, "Apr 7\n: No class (winter storm)\n\nApr 9\n: Sorting\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"), (strings{"2025-04-07 all-day free cancelled No class (winter "
                                         "storm) | Cancelled: Lecture 10:00\u201310:50, Hall 1"}));
  EXPECT_EQ(r.on("2025-04-09"), (strings{"2025-04-09 10:00-10:50 lecture Sorting @ Hall 1"}));
}

TEST(rule_no_class, names_the_meeting_it_cancels) {
  site s;
  // "No Discussion" cancels both sections, not the lecture; "No section this week" under DISC
  // does the same.
  s.page("week-02.md", week(2,
                            "Apr 10\n: **No Discussion**{: .label}\n\n"
                            "Apr 17\n: **DISC**{: .label} **No section this week**\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-10"),
            (strings{"2025-04-10 all-day free cancelled No Discussion | Cancelled: Discussion "
                     "16:00\u201316:50, Room A | Cancelled: Discussion 17:00\u201317:50, Room B"}));
  EXPECT_EQ(
      r.on("2025-04-17"),
      (strings{"2025-04-17 all-day free cancelled No section this week | Cancelled: "
               "Discussion 16:00\u201316:50, Room A | Cancelled: Discussion 17:00\u201317:50, "
               "Room B"}));
}

TEST(rule_no_class, in_a_classes_list_keeps_its_place) {
  site s;
  s.page("week-02.md", week(2, "Classes\n: First\n: No class\n: Third\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"), (strings{"2025-04-07 10:00-10:50 lecture First @ Hall 1"}));
  EXPECT_TRUE(has(r.on("2025-04-09"), "cancelled No class"));
  EXPECT_EQ(r.on("2025-04-11"), (strings{"2025-04-11 10:00-10:50 lecture Third @ Hall 1"}));
}

TEST(rule_no_class, holidays_are_free_notes_over_their_days) {
  site s;
  s.page("week-09.md", week(9, "May 26\n: Memorial Day\n"));
  const result r = s.run();
  // The content's marker on a configured holiday adds nothing: the holiday's note says it.
  EXPECT_EQ(r.on("2025-05-26"),
            (strings{"2025-05-26 all-day free holiday No class: Memorial Day"}));
}

// --- rule: own time ---------------------------------------------------------------------------

TEST(rule_own_time, an_item_with_its_time_and_room_is_its_own_event) {
  site s;
  s.page("week-02.md", week(2,
                            "Apr 7\n: Heaps\n: **Mid-Term Exam: 12:45 - 2:15 pm**{: .label}\n\n"
                            "Apr 12\n: **Final Exam: Noon - 3 pm [Lewis 104]**{: .label}\n\n"
                            "Apr 14\n: **FINAL EXAM**{: .label}(105 Tate, 1:30 - 4:30 PM)\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"), (strings{"2025-04-07 10:00-10:50 lecture Heaps @ Hall 1",
                                         "2025-04-07 12:45-14:15 exam Mid-Term Exam"}));
  EXPECT_EQ(r.on("2025-04-12"), (strings{"2025-04-12 12:00-15:00 exam Final Exam @ Lewis 104"}));
  EXPECT_TRUE(has(r.on("2025-04-14"), "2025-04-14 13:30-16:30 exam FINAL EXAM @ 105 Tate"));
  EXPECT_TRUE(has(r.on("2025-04-14"), "10:00-10:50 lecture Lecture"));  // the class still meets
}

TEST(rule_own_time, at_a_meeting_of_its_kind_it_is_that_meetings_content) {
  site s;
  s.page("week-02.md",
         week(2, "Apr 10\n: **DISC**{: .label} 4pm & 5pm @ Room A\n  : [Slides](d.pdf)\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-10"),
            (strings{"2025-04-10 16:00-16:50 discussion Discussion @ Room A | Slides: "
                     "https://t.example.edu/t/d.pdf",
                     "2025-04-10 17:00-17:50 discussion Discussion @ Room B | Slides: "
                     "https://t.example.edu/t/d.pdf"}));
}

TEST(rule_own_time, a_meeting_without_a_topic_gives_way_to_it) {
  site s;
  s.page("week-02.md", week(2, "Apr 9\n: **Project expo**{: .label} @ 10am in FAH 1101\n"));
  const result r = s.run();
  // One event at the lecture's time, in the expo's room; no lecture in Hall 1 that day.
  EXPECT_EQ(r.on("2025-04-09"),
            (strings{"2025-04-09 10:00-10:50 presentation Project expo @ FAH 1101"}));
}

TEST(rule_own_time, a_time_in_the_heading_is_its_items_time) {
  site s;
  s.page("week-02.md", week(2, "April 8 (6-8:50pm)\n: Review session\n"));
  EXPECT_EQ(s.run().on("2025-04-08"), (strings{"2025-04-08 18:00-20:50 event Review session"}));
}

// --- rule: meeting of its kind ----------------------------------------------------------------

TEST(rule_meeting_of_its_kind, role_blocks_go_to_their_meetings) {
  site s;
  s.page("week-02.md", week(2,
                            "Lecture\n: Parsing\n: [Slides](p.pdf), [Zoom Recording](z)\n\n"
                            "Discussion\n: Grammars worksheet\n"));
  const result r = s.run();
  // The one lecture topic is the week's: every lecture that week has it.
  for (const char* d : {"2025-04-07", "2025-04-09", "2025-04-11"})
    EXPECT_TRUE(has(r.on(d),
                    "lecture Parsing @ Hall 1 | Slides: https://t.example.edu/t/p.pdf | "
                    "Zoom Recording: https://t.example.edu/t/z"))
        << d;
  // The discussion item fills the week's discussions in order: the first.
  EXPECT_TRUE(has(r.on("2025-04-10"), "16:00-16:50 discussion Discussion: Grammars worksheet"));
}

TEST(rule_meeting_of_its_kind, a_dated_discussion_item_goes_to_every_section) {
  site s;
  s.page("week-02.md", week(2, "Apr 10\n: **DISC - QUIZ 1**{: .label}\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-10"),
            (strings{"2025-04-10 16:00-16:50 discussion Discussion: DISC - QUIZ 1 @ Room A",
                     "2025-04-10 17:00-17:50 discussion Discussion: DISC - QUIZ 1 @ Room B"}));
}

// --- rule: class topic ------------------------------------------------------------------------

TEST(rule_class_topic, the_labelled_class_is_the_title_and_the_rest_is_description) {
  site s;
  s.page("week-02.md", week(2,
                            "Apr 7\n"
                            ": **LEC 4**{: .label} [**Heaps**](https://v.example.edu/4)\n"
                            ": \xF0\x9F\x93\x96 Readings: [CLRS 6](https://clrs.example.org/6)\n"
                            ": If you missed class, see the announcement\n"
                            ": **Quiz 1**{: .label} released! due Fri, Apr 11 @ 11:59pm\n"));
  const result r = s.run();
  ASSERT_EQ(r.on("2025-04-07").size(), 1u);
  EXPECT_EQ(r.on("2025-04-07")[0],
            "2025-04-07 10:00-10:50 lecture Heaps @ Hall 1 | Heaps: https://v.example.edu/4 | "
            "Reading: CLRS 6 - https://clrs.example.org/6 | If you missed class, see the "
            "announcement | Quiz 1: released! (due Fri, Apr 11 @ 11:59pm)");
  // The quiz's deadline is its own event; the class stays a lecture.
  EXPECT_EQ(r.on("2025-04-11").back(),
            "2025-04-11 23:59-23:59 free deadline Due: Quiz 1 | due Fri, Apr 11 @ 11:59pm");
}

TEST(rule_class_topic, an_exam_without_a_time_takes_a_meeting_with_no_topic) {
  site s;
  s.page("week-02.md",
         week(2,
              "Apr 7\n: **EXAM 1**{: .label}(Chap. 1-4)\n\nApr 9\n: Trees\n: **Quiz 2**{: .label}\n"
              "\nApr 12\n: **Midterm 2**{: .label}\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"),
            (strings{"2025-04-07 10:00-10:50 exam EXAM 1 (Chap. 1-4) @ Hall 1"}));
  // A quiz beside a topic leaves the class a lecture.
  EXPECT_EQ(r.on("2025-04-09"),
            (strings{"2025-04-09 10:00-10:50 lecture Trees @ Hall 1 | Quiz 2"}));
  // No class that Saturday: one all-day exam, and check suggests giving it its time.
  EXPECT_EQ(r.on("2025-04-12"), (strings{"2025-04-12 all-day free exam Midterm 2"}));
  EXPECT_TRUE(has(r.diags,
                  "'Midterm 2' on 2025-04-12 has no time and no class that day: it is an "
                  "all-day event (add it under 'events:' with its time and room)"));
}

TEST(rule_class_topic, guest_lines_and_samples_are_not_the_topic) {
  site s;
  s.page("week-02.md", week(2,
                            "Apr 7\n: [Lagrangians](#)\n: Guest Lecturer - Ada Byron\n\n"
                            "Apr 9\n: Statics\n: **EXAM 1 SAMPLES**{: .label}\n: [2019](s19.pdf)\n"
                            ": [2018](s18.pdf)\n"));
  const result r = s.run();
  EXPECT_EQ(
      r.on("2025-04-07"),
      (strings{
          "2025-04-07 10:00-10:50 lecture Lagrangians @ Hall 1 | Guest Lecturer - Ada Byron"}));
  EXPECT_EQ(r.on("2025-04-09"),
            (strings{"2025-04-09 10:00-10:50 lecture Statics @ Hall 1 | EXAM 1 SAMPLES | 2019: "
                     "https://t.example.edu/t/s19.pdf | 2018: https://t.example.edu/t/s18.pdf"}));
}

TEST(rule_class_topic, a_topic_label_names_the_topic_not_the_kind) {
  site s;
  s.page("week-02.md", week(2, "Apr 7\n: **Policy**{: .label} [Scheduling Part 1](#)\n"));
  EXPECT_EQ(s.run().on("2025-04-07"),
            (strings{"2025-04-07 10:00-10:50 lecture Scheduling Part 1 @ Hall 1"}));
}

// --- rule: no meeting -------------------------------------------------------------------------

TEST(rule_no_meeting, an_item_with_no_meeting_is_a_free_all_day_event) {
  site s;
  s.page("week-02.md",
         week(2, "Apr 12\n: **Tutorial 1**{: .label}\n: **HW 0 release**{: .label}\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-12"), (strings{"2025-04-12 all-day free homework HW 0 release",
                                         "2025-04-12 all-day free section Tutorial 1"}));
}

TEST(rule_no_meeting, on_a_holiday_it_is_reported) {
  site s;
  s.page("week-09.md", week(9, "May 26\n: Review\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-05-26"), "all-day free event Review"));
  EXPECT_TRUE(has(r.diags,
                  "week-09.md:5:1: warning: 'Review' is listed on 2025-05-26, a holiday or "
                  "break in the config; emitted as a free all-day event"));
}

// --- rule: deadlines --------------------------------------------------------------------------

TEST(rule_deadlines, a_release_and_a_due_line_are_one_deadline) {
  site s;
  s.page("week-02.md",
         week(2,
              "Apr 7\n: **HW 1**{: .label} [Homework 1: sorting](hw1.pdf) (Due 4/11)\n\n"
              "Apr 11\n: **HW 1 due**{: .label}\n"));
  const result r = s.run();
  const strings due = r.on("2025-04-11");
  ASSERT_EQ(
      std::count_if(due.begin(), due.end(),
                    [](const std::string& l) { return l.find("deadline") != std::string::npos; }),
      1);
  EXPECT_TRUE(has(due,
                  "2025-04-11 all-day free deadline Due: Homework 1: sorting | Due 4/11 | "
                  "Homework 1: sorting: https://t.example.edu/t/hw1.pdf"));
}

TEST(rule_deadlines, an_undated_due_label_is_due_on_its_written_day_only) {
  site s;
  // Under a date: due that day. Under lecture numbers (days estimated): never a made-up day.
  s.page("part-1.md",
         "---\ntitle: Basics\n---\nLec1\n: Intro\n: **HW 1 due**{: .label}\n\nLec2\n: Next\n");
  s.page("week-03.md", week(3, "Apr 16\n: Graphs\n: **HW 2 due**{: .label}\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-16"), "all-day free deadline Due: HW 2"));
  EXPECT_FALSE(has(r.events, "Due: HW 1"));
  EXPECT_TRUE(has(r.on("2025-03-31"), "lecture Intro @ Hall 1 | HW 1 due"));
  EXPECT_TRUE(has(r.diags,
                  "deadline 'HW 1' has no date (its lecture's day is estimated); it stays "
                  "in the class description only"));
}

TEST(rule_deadlines, due_today_and_due_phrases_in_other_languages) {
  site s;
  s.page("week-02.md", week(2,
                            "Apr 8\n: **#FinAid**{: .label} due TODAY Please fill the form\n\n"
                            "Apr 9\n: **ПР #1**{: .label} [Градієнт](pr1.pdf)\n"
                            "  : Дедлайн: 18 квітня\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-08"), "all-day free deadline Due: #FinAid"));
  EXPECT_TRUE(
      has(r.on("2025-04-18"), "all-day free deadline Due: ПР #1: Градієнт | Дедлайн: 18 квітня"));
}

TEST(rule_deadlines, portuguese_and_korean_due_words) {
  site s;
  s.page("week-02.md", week(2,
                            "Apr 7\n: **Trabalho 1**{: .label} [Ordenação](t1.pdf)\n"
                            "  : entrega 18 abr\n\n"
                            "Apr 9\n: **과제 2**{: .label} [정렬](hw2.pdf)\n  : 마감 4월 23일\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-18"), "all-day free deadline Due: Trabalho 1: Ordenação"))
      << ::testing::PrintToString(r.events);
  EXPECT_TRUE(has(r.on("2025-04-23"), "all-day free deadline Due: 과제 2: 정렬"));
}

TEST(rule_deadlines, a_named_deadline_is_not_a_submission) {
  site s;
  s.page("week-02.md", week(2, "Dates\n: <span>Add/Drop Deadline Sun 4/13</span>{: .label}\n"));
  EXPECT_TRUE(has(s.run().on("2025-04-13"), "all-day free deadline Add/Drop deadline"));
}

TEST(rule_deadlines, a_due_line_under_an_item_names_what_is_due) {
  site s;
  s.page("week-02.md",
         week(2,
              "Apr 7\n: Project talks\n  : **Slides Due 11:59 pm ET, Apr 6**{: .label}\n\n"
              "Apr 9\n: Sorting\n  : **Paper Reading**{: .label} **Report Due**{: .label} "
              "[A paper](https://p.example.org)\n  : **HW 1 due**{: .label}\n"));
  const result r = s.run();
  // The day follows the time; what is due is the line's own words, never the item's.
  EXPECT_TRUE(has(r.on("2025-04-06"), "23:59-23:59 free deadline Due: Slides"))
      << ::testing::PrintToString(r.events);
  EXPECT_FALSE(has(r.events, "Due: Project talks"));
  // Undated, each is due on the day it is written under.
  EXPECT_TRUE(has(r.on("2025-04-09"), "all-day free deadline Due: Report"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "all-day free deadline Due: HW 1"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "lecture Sorting @ Hall 1"));
}

TEST(rule_deadlines, what_is_due_is_not_a_class_topic_and_no_class_keeps_its_deadline) {
  site s;
  s.page("week-02.md",
         week(2,
              "Apr 7\n: Sorting\n: Podcast 1 Due\n\n"
              "Apr 9\n: No class (project week) [**M 3 due**](https://m.example.org)"
              "{: .label}\n\nApr 11\n: (no class)\n  : {% survey 2 %}, Due Fri 4/18\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "10:00-10:50 lecture Sorting @ Hall 1"))
      << ::testing::PrintToString(r.events);
  EXPECT_TRUE(has(r.on("2025-04-07"), "all-day free deadline Due: Podcast 1"));
  EXPECT_FALSE(has(r.events, "lecture Podcast 1"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "all-day free deadline Due: M 3"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "cancelled"));
  // Due, but what is due is not written (the tag renders as nothing): said so, titled Deadline.
  EXPECT_TRUE(has(r.on("2025-04-18"), "all-day free deadline Deadline | Due Fri 4/18"));
  EXPECT_TRUE(has(r.diags, "'Due Fri 4/18' does not say what is due"))
      << ::testing::PrintToString(r.diags);
}

TEST(rule_deadlines, due_and_released_labels_name_the_link_after_them) {
  site s;
  s.page(
      "week-02.md",
      week(2,
           "Apr 7\n: Sorting\n\nApr 8\n  : **RELEASED**{: .label} [Lab 1](https://l.example.org)\n"
           "  : **DUE**{: .label} [Lab 0](https://l.example.org/0)\n\n"
           "Apr 11\n: **Deadline**{: .label}\n    : [HW1](https://h.example.org) <br> due\n\n"
           "Apr 14\n: [Hashing](https://x.example.org)\n  : - **Peer review DUE**{: .label}\n"
           "    - **HW 4 DUE**{: .label}\n\n"
           "Apr 15\n: **SRV**{: .label} End of term survey (due 4/15)\n"));
  const result r = s.run();
  EXPECT_EQ(
      r.on("2025-04-08"),
      (strings{"2025-04-08 all-day free deadline Due: Lab 0 | Lab 0: https://l.example.org/0",
               "2025-04-08 all-day free event Lab 1 released | Lab 1: https://l.example.org"}))
      << ::testing::PrintToString(r.events);
  // "Deadline" alone heads the line under it: one deadline, for HW1.
  EXPECT_EQ(r.on("2025-04-11").size(), 2u) << ::testing::PrintToString(r.on("2025-04-11"));
  EXPECT_TRUE(has(r.on("2025-04-11"), "all-day free deadline Due: HW1"));
  // A due line in an item's list is a deadline, not a reading.
  EXPECT_TRUE(has(r.on("2025-04-14"), "all-day free deadline Due: HW 4"));
  EXPECT_TRUE(has(r.on("2025-04-14"), "all-day free deadline Due: Peer review"));
  // Named by its label, the survey is its deadline only.
  EXPECT_EQ(r.on("2025-04-15"), (strings{"2025-04-15 all-day free deadline Due: SRV | due 4/15 | "
                                         "SRV: End of term survey"}));
}

TEST(rule_class_topic, a_topic_before_a_label_that_names_itself_stays_the_topic) {
  site s;
  s.page(
      "week-02.md",
      week(2,
           "Apr 7\n: [Demo day](https://d.example.org) **Project List Released**{: .label}\n\n"
           "Apr 9\n: **Lecture 5 (Guest)**{: .label} [Diffusion models](https://g.example.org)\n\n"
           "Apr 11\n: **Exam**{: .label} Final Exam (9:00-11:00am, remote)\n\n"
           "Apr 14\n: N/A (Veteran's Day)\n\n"
           "Apr 16\n: **Guest Lecture**{: .label} Robots (Ada Lovelace)\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "lecture Demo day @ Hall 1"))
      << ::testing::PrintToString(r.events);
  EXPECT_TRUE(has(r.on("2025-04-07"), "Project List Released"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "lecture Diffusion models @ Hall 1"));
  EXPECT_TRUE(has(r.on("2025-04-11"), "09:00-11:00 exam Final Exam (remote)"));
  EXPECT_TRUE(has(r.on("2025-04-14"), "cancelled"));
  EXPECT_FALSE(has(r.on("2025-04-14"), "lecture"));
  EXPECT_TRUE(has(r.on("2025-04-16"), "lecture Guest Lecture: Robots (Ada Lovelace) @ Hall 1"));
}

// --- rule: config events win ------------------------------------------------------------------

TEST(rule_config_events_win, one_midterm_not_two) {
  site s;
  s.page("week-03.md", week(3, "Apr 16\n: **Midterm 1**{: .label} [Practice](practice.pdf)\n"));
  const result r = s.run(base_config +
                         "    events:\n"
                         "      - { title: Midterm, date: 2025-04-16, start: \"19:00\", end: "
                         "\"21:00\", location: Big Hall }\n");
  EXPECT_EQ(r.on("2025-04-16"),
            (strings{"2025-04-16 10:00-10:50 lecture Lecture @ Hall 1",
                     "2025-04-16 19:00-21:00 exam Midterm @ Big Hall | Practice: "
                     "https://t.example.edu/t/practice.pdf"}));
}

// --- anchors ----------------------------------------------------------------------------------

TEST(anchors, lecture_numbers_across_topic_pages_count_the_terms_meetings) {
  site s;
  s.page("part-01.md", "---\ntitle: Basics\n---\nLec1\n: One\n\nLec2\n: Two\n");
  s.page("part-02.md", "---\ntitle: More\n---\nLec3\n: Three\n\nLec4\n: Four\n");
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-03-31"), "lecture One"));
  EXPECT_TRUE(has(r.on("2025-04-02"), "lecture Two"));
  EXPECT_TRUE(has(r.on("2025-04-04"), "lecture Three"));
  EXPECT_TRUE(has(r.on("2025-04-07"), "lecture Four"));
  EXPECT_TRUE(has(r.diags, "lectures are numbered, not dated (part-01.md, part-02.md)"));
}

TEST(anchors, several_days_and_ranges) {
  site s;
  s.page("topic-1.md",
         "---\ntitle: Trees\n---\n"
         "07, 09 Apr\n: Search trees\n\n"
         "Apr 14-16 (M-W)\n: Heaps\n\n"
         "Apr 21-23 (M-W)\n: **Presentations**{: .label} in [CSB 244](m)\n");
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "lecture Search trees"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "lecture Search trees"));
  // A class over a range is on the days it meets; other items on every day of it.
  EXPECT_TRUE(has(r.on("2025-04-14"), "lecture Heaps"));
  EXPECT_TRUE(has(r.on("2025-04-16"), "lecture Heaps"));
  EXPECT_FALSE(has(r.on("2025-04-15"), "Heaps"));
  EXPECT_TRUE(has(r.on("2025-04-22"), "all-day free presentation Presentations @ CSB 244"));
}

TEST(anchors, the_page_title_gives_the_day_and_the_topic) {
  site s;
  s.page("week-02.md",
         "---\ntitle: Apr 9&mdash;Introduction to Graphs\n---\n\n"
         "Required Materials\n* [Chapter 22](https://b.example.org/22)\n\n"
         "**Pre-class**{: .label}\n: [Warm-up notebook](https://colab.example.org/1)\n");
  s.page("week-03.md", "---\ntitle: Spring Break, Apr. 14-18\n---\n\nNo Class\n");
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-09"),
            (strings{"2025-04-09 10:00-10:50 lecture Introduction to Graphs @ Hall 1 | Pre-class: "
                     "Warm-up notebook: https://colab.example.org/1 | Reading: Chapter 22 - "
                     "https://b.example.org/22"}));
  EXPECT_TRUE(has(r.on("2025-04-14"), "cancelled No class: Spring Break"));
  EXPECT_TRUE(has(r.on("2025-04-18"), "cancelled No class: Spring Break"));
}

// --- shapes -----------------------------------------------------------------------------------

TEST(shapes, bullet_lists) {
  site s;
  s.page("week-02.md", week(2,
                            "- Apr 7 : Logic : [Notes](https://n.example.org/1), "
                            "[Recording](https://r.example.org/1)\n"
                            "- Apr 9 : No class (Winter Storm)\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"),
            (strings{"2025-04-07 10:00-10:50 lecture Logic @ Hall 1 | Notes: "
                     "https://n.example.org/1 | Recording: https://r.example.org/1"}));
  EXPECT_TRUE(has(r.on("2025-04-09"), "cancelled No class (Winter Storm)"));
  EXPECT_TRUE(r.diags.empty()) << ::testing::PrintToString(r.diags);
}

TEST(shapes, headings_and_dated_lines) {
  site s;
  s.page("week-02.md", week(2,
                            "### Apr 7: Caches\n[Slides](c.pdf)\n\n"
                            "Apr. 9-11: **No Class**\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "lecture Caches @ Hall 1"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "cancelled No Class"));
  EXPECT_TRUE(has(r.on("2025-04-11"), "cancelled No Class"));
}

TEST(shapes, tables) {
  site s;
  s.page("week-02.md",
         week(2,
              "| Date | Topic | Slides | Reading | Due |\n"
              "|------|-------|--------|---------|-----|\n"
              "| Apr 7 | Hashing | [pdf](h.pdf) | [CLRS 11](https://c.example.org/11) | |\n"
              "| Apr 9 | Tries | | | HW 2 due 11:59pm |\n"));
  const result r = s.run();
  EXPECT_EQ(
      r.on("2025-04-07"),
      (strings{"2025-04-07 10:00-10:50 lecture Hashing @ Hall 1 | pdf: "
               "https://t.example.edu/t/h.pdf | Reading: CLRS 11 - https://c.example.org/11"}));
  EXPECT_TRUE(has(r.on("2025-04-09"), "lecture Tries"));
  EXPECT_TRUE(has(r.on("2025-04-09"), "23:59-23:59 free deadline Due: HW 2"));
}

// --- Liquid -----------------------------------------------------------------------------------

TEST(liquid, comments_hide_and_links_resolve_against_the_site) {
  site s;
  s.write("site/assets/hw1.pdf", "");
  s.write("site/grading.md", "---\ntitle: Grading\n---\n");
  s.write("site/_data/course.yml", "book: https://book.example.org\n");
  s.page("week-02.md",
         week(2,
              "Apr 7\n: Sorting\n  : [HW]({{ site.baseurl }}{% link assets/hw1.pdf %}) "
              "[Grading]({% link grading.md %}) [Book]({{ site.data.course.book }}) "
              "[Gone]({% link missing.pdf %})\n\n"
              "{% comment %}\nApr 9\n: Old topic\n{% endcomment %}\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"),
            (strings{"2025-04-07 10:00-10:50 lecture Sorting @ Hall 1 | HW: "
                     "https://t.example.edu/t/assets/hw1.pdf | Grading: "
                     "https://t.example.edu/t/grading.html | Book: https://book.example.org"}));
  EXPECT_EQ(r.on("2025-04-09"), (strings{"2025-04-09 10:00-10:50 lecture Lecture @ Hall 1"}));
  EXPECT_TRUE(
      has(r.diags,
          "_modules/week-02.md:6:131: warning: '{% link missing.pdf %}' cannot be resolved: "
          "'missing.pdf' does not exist in the site; the link is left out"))
      << ::testing::PrintToString(r.diags);
}

TEST(liquid, a_tag_over_two_lines_is_one_link_and_line_numbers_hold) {
  site s;
  s.write("site/notes/git.md", "---\ntitle: Git\n---\n");
  s.page("week-02.md", week(2,
                            "Apr 7\n: [version control]({{ site.baseurl }}{% link\n"
                            "  notes/git.md %})\n  : branches and merges\n\nApr 9\n: Sorting "
                            "{% nope %}\n"));
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"), (strings{"2025-04-07 10:00-10:50 lecture version control @ Hall "
                                         "1 | version control: "
                                         "https://t.example.edu/t/notes/git.html | branches and "
                                         "merges"}));
  EXPECT_TRUE(has(r.diags, "_modules/week-02.md:10:"));  // "Apr 9" is still line 9
}

// --- shapes: the smaller rules ------------------------------------------------------------------

TEST(shapes, wrapped_lines_ranges_and_links_to_markdown_files) {
  site s;
  s.write("site/about.md", "---\ntitle: About\n---\n");
  s.page("week-02.md",
         week(2,
              "Apr 7\n: [Sorting](https://s.example.org)\n  : merge sort and a note that\n"
              "  wraps onto the next line\n\nApr 9\n: Searching\n"
              "[Slides](https://s.example.org/2) [Video](https://v.example.org/2)\n\n"
              "Apr 11\n: [Syllabus](../about.md)\n\n"
              "Apr 14 -- Apr 18\n: Spring break\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"),
                  "lecture Sorting @ Hall 1 | Sorting: "
                  "https://s.example.org | merge sort and a note that "
                  "wraps onto the next line"))
      << ::testing::PrintToString(r.events);
  // Links alone on the next line are the item's materials, not more of its title.
  EXPECT_TRUE(has(r.on("2025-04-09"), "lecture Searching @ Hall 1 | Slides: "));
  EXPECT_TRUE(has(r.on("2025-04-11"), "Syllabus: https://t.example.edu/t/about.html"));
  EXPECT_TRUE(has(r.on("2025-04-16"), "cancelled No class: Spring break"));
  EXPECT_FALSE(has(r.events, "lecture Apr 18"));
}

TEST(shapes, pages_the_site_does_not_show_are_left_out) {
  site s;
  s.page("week-02.md", week(2, "Apr 7\n: Sorting\n"));
  s.page("week-03.md", "---\ntitle: Week 3\nStatus: Inactive\n---\nApr 14\n: Old final\n");
  s.page("week-04.md", "---\ntitle: Week 4\npublished: false\n---\nApr 21\n: Draft\n");
  const result r = s.run();
  EXPECT_FALSE(has(r.events, "Old final"));
  EXPECT_FALSE(has(r.events, "Draft"));
  EXPECT_TRUE(has(r.diags,
                  "_modules/week-03.md:3:1: warning: 'Status: Inactive': the page is "
                  "left out of the feed"))
      << ::testing::PrintToString(r.diags);
}

TEST(shapes, site_wide_findings_are_said_once) {
  site s;
  s.write("site/_config.yml",
          "title: CS 1 <br> Sorting\nurl: https://t.example.edu\nbaseurl: /t\n");
  s.write("site/_schedules/weekly.md",
          "---\nschedule:\n  - name: Monday\n    events:\n      - name: Lecture\n"
          "        start: 9:30 AM\n        end: 10:30 AM\n        location: 150 Wheeler\n"
          "  - name: Wednesday\n    events:\n      - name: Lecture\n        start: 6:30 PM\n"
          "        end: 9:50 PM\n        location: Room 106\n---\n");
  // Pages numbered from week 0: every one is a week behind its dates.
  s.page("week-00.md", "---\ntitle: Week 0\n---\nApr 2\n: Welcome\n");
  s.page("week-01.md", "---\ntitle: Week 1\n---\nApr 9\n: Sorting\n");
  s.page("week-02.md", "---\ntitle: Week 2\n---\nApr 16\n: Hashing\n");
  const std::string config = R"(feeds:
  - id: t
    site: site
    timezone: America/Los_Angeles
    term: { start: 2025-03-31, end: 2025-06-06 }
)";
  const result r = s.run(config);
  EXPECT_TRUE(has(r.events, "2025-04-09 18:30-21:50 lecture Sorting @ Room 106"))
      << ::testing::PrintToString(r.events);
  EXPECT_FALSE(has(r.events, "Wheeler"));
  EXPECT_FALSE(has(r.events, "2025-04-07"));  // the demo's Monday lecture is not a class
  EXPECT_TRUE(has(r.diags, "1 event(s) are the template's demo"))
      << ::testing::PrintToString(r.diags);
  EXPECT_EQ(std::count_if(r.diags.begin(), r.diags.end(),
                          [](const std::string& d) { return d.find("is in week") != d.npos; }),
            1);
  EXPECT_TRUE(has(r.diags,
                  "'Apr 2' is in week 1, but this page is week 0, and 2 more page(s) "
                  "(week-01.md, week-02.md) are 1 week behind their dates too"));
}

TEST(shapes, a_definition_list_laid_out_as_a_table_with_week_and_date_terms) {
  site s;
  s.page("part-1.md",
         "---\ntitle: Basics\n---\n**Week**\n  : **Topic**\n    : **Refs**\n      : **Notes**\n\n"
         "Week 2 Apr 7\n  : Perceptrons; <br /> Backpropagation;\n    : None\n"
         "      : [slides](https://s.example.org/7)\n\n"
         "Week 2 <br /> Apr 9\n  : **Midterm exam (In class)**{: .label}\n    : None\n\n"
         "**Homework <br /> Apr 11**\n  : **HW 2 Due**{: .label}\n");
  const result r = s.run();
  EXPECT_EQ(r.on("2025-04-07"), (strings{"2025-04-07 10:00-10:50 lecture Perceptrons; "
                                         "Backpropagation @ Hall 1 | slides: "
                                         "https://s.example.org/7"}))
      << ::testing::PrintToString(r.events);
  EXPECT_EQ(r.on("2025-04-09"),
            (strings{"2025-04-09 10:00-10:50 exam Midterm exam (In class) @ Hall 1"}));
  EXPECT_TRUE(has(r.on("2025-04-11"), "all-day free deadline Due: HW 2"));
  EXPECT_FALSE(has(r.events, "Topic"));  // the header row names columns
}

TEST(shapes, timetable_names_title_meetings_without_a_topic) {
  site s;
  s.write("site/_schedules/weekly.md",
          "---\nschedule:\n  - name: Monday\n    events:\n      - name: Lecture\n"
          "        start: 10:00 AM\n        end: 10:50 AM\n        location: Hall 1\n"
          "      - name: Section 1A\n        start: 2:00 PM\n        end: 2:50 PM\n"
          "        location: Room 5\n      - name: Mitra OH\n        start: 3:00 PM\n"
          "        end: 4:00 PM\n        location: Room 9\n---\n");
  s.page("week-02.md", week(2, "Apr 7\n: Sorting\n: **Section**{: .label} Heaps practice\n"));
  const std::string config = R"(feeds:
  - id: t
    site: site
    timezone: America/Los_Angeles
    term: { start: 2025-03-31, end: 2025-06-06 }
)";
  const result r = s.run(config);
  EXPECT_EQ(r.on("2025-04-07"),
            (strings{"2025-04-07 10:00-10:50 lecture Sorting @ Hall 1",
                     "2025-04-07 14:00-14:50 section Section 1A: Heaps practice @ Room 5",
                     "2025-04-07 15:00-16:00 office-hours Mitra OH @ Room 9"}))
      << ::testing::PrintToString(r.events);
  EXPECT_TRUE(has(r.on("2025-03-31"), "14:00-14:50 section Section 1A @ Room 5"));
}

TEST(shapes, decoration_is_not_an_item_and_labels_keep_their_words_apart) {
  site s;
  s.page("week-02.md",
         week(2,
              "Apr 7\n: Sorting\n    : **Read**{: .label}[Ch43](https://r.example.org)\n\n"
              "Apr 12 \xF0\x9F\x8E\x81\n: **Lab 3 due**{: .label}\n"));
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"),
                  "lecture Sorting @ Hall 1 | Ch43: https://r.example.org | "
                  "Read Ch43"))
      << ::testing::PrintToString(r.events);
  EXPECT_EQ(r.on("2025-04-12"),
            (strings{"2025-04-12 all-day free deadline Due: Lab 3 | Lab 3 due"}));
}

// --- the site's address: every link and the feed's URL absolute, or left out -------------------

const std::string address_page =
    "---\ntitle: Week 2\n---\nApr 7\n: Sorting\n  : [Slides](slides/s2.pdf) "
    "[Book](https://book.example.org/ch2)\n";

TEST(site_address, without_one_relative_links_are_left_out_and_said_once) {
  site s;
  s.write("site/_config.yml", "title: T\nbaseurl: /t\n");
  s.page("week-02.md", address_page);
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "Sorting @ Hall 1 | Book: https://book.example.org/ch2"))
      << ::testing::PrintToString(r.events);
  EXPECT_FALSE(has(r.events, "slides/s2.pdf"));
  EXPECT_EQ(r.ics.find("URL:/t"), std::string::npos);
  EXPECT_EQ(r.ics.find("URL:"), std::string::npos);  // no feed URL at all, rather than a relative
  EXPECT_TRUE(has(r.diags,
                  "_config.yml: warning: no 'url' in _config.yml, no CNAME file and no "
                  "GitHub remote"))
      << ::testing::PrintToString(r.diags);
}

TEST(site_address, from_a_cname_file_or_the_git_remote) {
  site a;
  a.write("site/_config.yml", "title: T\nbaseurl: /t\n");
  a.write("site/CNAME", "cs1.example.edu\n");
  a.page("week-02.md", address_page);
  const result ra = a.run();
  EXPECT_TRUE(has(ra.on("2025-04-07"), "Slides: https://cs1.example.edu/t/slides/s2.pdf"))
      << ::testing::PrintToString(ra.events);
  EXPECT_NE(ra.ics.find("URL:https://cs1.example.edu/t"), std::string::npos);
  EXPECT_TRUE(has(ra.diags,
                  "links use https://cs1.example.edu/t, GitHub Pages' address from its "
                  "CNAME file"));

  site b;  // the site in a subfolder of a clone of github.com/Prof/cse1-sp25
  b.write("site/_config.yml", "title: T\n");
  b.write(".git/config",
          "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:Prof/cse1-sp25.git\n"
          "\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
  b.page("week-02.md", address_page);
  const result rb = b.run();
  EXPECT_TRUE(has(rb.on("2025-04-07"), "Slides: https://prof.github.io/cse1-sp25/slides/s2.pdf"))
      << ::testing::PrintToString(rb.events) << ::testing::PrintToString(rb.diags);
}

TEST(site_address, a_repository_page_url_and_the_feed_url_that_wins) {
  site s;
  s.write("site/_config.yml", "title: T\nurl: https://github.com/Prof/cse1\n");
  s.page("week-02.md", address_page);
  const result r = s.run();
  EXPECT_TRUE(has(r.on("2025-04-07"), "Slides: https://prof.github.io/cse1/slides/s2.pdf"))
      << ::testing::PrintToString(r.events);
  EXPECT_TRUE(has(r.diags, "'url' is the GitHub repository page (https://github.com/Prof/cse1)"));

  std::string config = base_config;
  config.replace(config.find("    short_name: T"), 0, "    url: https://cs.example.edu/cse1/\n");
  const result o = s.run(config);
  EXPECT_TRUE(has(o.on("2025-04-07"), "Slides: https://cs.example.edu/cse1/slides/s2.pdf"))
      << ::testing::PrintToString(o.events);
  EXPECT_NE(o.ics.find("URL:https://cs.example.edu/cse1\r\n"), std::string::npos);
  EXPECT_FALSE(has(o.diags, "repository page"));
}

}  // namespace
}  // namespace coursecal
