// Tests of the content reader: exact models, exact warnings, the example site, robustness.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "content/inline_text.hpp"
#include "content/phrases.hpp"
#include "content/site_reader.hpp"

namespace cc = coursecal::content;
using coursecal::anchor_type;
using coursecal::content_block;
using coursecal::content_date;
using coursecal::content_entry;
using coursecal::content_page;
using coursecal::diagnostics;
using coursecal::reading_need;
using coursecal::week_source;

namespace {

const cc::site_info& test_site() {
  static const cc::site_info site = [] {
    auto s = cc::make_site_info("https://example.edu", "/sp24");
    s.variables["links.lec.slides.slide05"] = "https://cdn.example.edu/s05.pdf";
    s.variables["title"] = "CSE 101";
    return s;
  }();
  return site;
}

std::vector<std::string> messages(const diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.items()) out.push_back(coursecal::format_diagnostic(x));
  return out;
}

content_page parse(const std::string& text, diagnostics& d, const std::string& file = "w.md") {
  return cc::parse_week_page(text, file, test_site(), d);
}

content_page parse_ok(const std::string& text) {
  diagnostics d;
  content_page w = parse(text, d);
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(messages(d));
  return w;
}

const std::string fm = "---\ntitle: Week 3\n---\n";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A site written to a fresh temporary folder.
class temp_site {
 public:
  explicit temp_site(const std::string& name) {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("coursecal_content_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "_modules");
  }
  ~temp_site() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

std::string page(int week, const std::string& body) {
  return "---\ntitle: Week " + std::to_string(week) + "\n---\n" + body;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The seed page.

TEST(seed, three_classes_two_optional_readings_nothing_from_the_comment) {
  const std::string path =
      std::string(COURSECAL_SOURCE_DIR) + "/examples/dsc204a/_modules/week-10.md";
  diagnostics d;
  content_page w = cc::parse_week_page(slurp(path), "week-10.md", test_site(), d);
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(messages(d));
  EXPECT_EQ(w.week, 10);
  EXPECT_FALSE(w.week_from == week_source::file_name);
  EXPECT_EQ(w.title, "Week 10");
  ASSERT_EQ(w.blocks.size(), 1u);
  const content_block& h = w.blocks[0];
  EXPECT_EQ(h.anchor.type, anchor_type::classes);
  EXPECT_EQ(h.anchor.text, "Classes");
  EXPECT_EQ(h.anchor.loc.line, 7);
  ASSERT_EQ(h.entries.size(), 3u);
  EXPECT_EQ(h.entries[0].title, "ML Systems");
  EXPECT_EQ(h.entries[0].kind, "");
  EXPECT_EQ(h.entries[0].label, "");
  ASSERT_EQ(h.entries[0].links.size(), 1u);
  EXPECT_EQ(h.entries[0].links[0].label, "Slides");
  EXPECT_FALSE(h.entries[0].links[0].published);
  EXPECT_EQ(h.entries[0].links[0].url, "");
  EXPECT_EQ(h.entries[0].links[0].loc.line, 9);
  EXPECT_EQ(h.entries[0].links[0].loc.col, 5);
  EXPECT_EQ(h.entries[1].title,
            "Guest Lecture by Zhijian Liu (NVIDIA) on Sparsity and Quantization");
  EXPECT_TRUE(h.entries[1].links.empty());
  EXPECT_EQ(h.entries[2].title, "Wrap up");
  for (const auto& item : h.entries) {
    EXPECT_TRUE(item.readings.empty());
    EXPECT_TRUE(item.deadlines.empty());
    EXPECT_FALSE(item.no_class);
  }
  ASSERT_EQ(h.readings.size(), 2u);
  EXPECT_EQ(h.readings[0].title,
            "Alpa: Automating Inter- and Intra-Operator Parallelism for Distributed Deep Learning");
  EXPECT_EQ(h.readings[0].url, "https://arxiv.org/pdf/2201.12023.pdf");
  EXPECT_EQ(h.readings[0].need, reading_need::optional);
  EXPECT_EQ(h.readings[1].title, "GPipe: Easy Scaling with Micro-Batch Pipeline Parallelism");
  EXPECT_EQ(h.readings[1].url, "https://arxiv.org/pdf/1811.06965.pdf");
  EXPECT_EQ(h.readings[1].need, reading_need::optional);
  EXPECT_EQ(h.readings[1].loc.line, 17);

  coursecal::course_content c;
  c.pages.push_back(w);
  std::ostringstream out;
  cc::print_course(out, c);
  EXPECT_EQ(out.str().find("ML System -"), std::string::npos);
  EXPECT_EQ(out.str().find("Megatron"), std::string::npos);
  EXPECT_EQ(out.str().find("FlashAttention"), std::string::npos);
}

TEST(seed, example_copy_is_the_seed) {
  const std::string seed = "/work/shared/seed/week-10.md";
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "seed not available";
  EXPECT_EQ(slurp(seed),
            slurp(std::string(COURSECAL_SOURCE_DIR) + "/examples/dsc204a/_modules/week-10.md"));
}

// ---------------------------------------------------------------------------------------------
// Definition list layout.

TEST(layout, blank_lines_marker_indent_and_shared_terms) {
  content_page w = parse_ok(fm +
                            "Oct 7\n"
                            "\n"
                            ": First\n"
                            "\n"
                            "\n"
                            "   : Second\n"
                            "\n"
                            "Oct 8\n"
                            "Oct 9\n"
                            ": Shared\n");
  ASSERT_EQ(w.blocks.size(), 3u);
  ASSERT_EQ(w.blocks[0].entries.size(), 2u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "First");
  EXPECT_EQ(w.blocks[0].entries[0].loc.line, 6);
  EXPECT_EQ(w.blocks[0].entries[0].loc.col, 1);
  EXPECT_EQ(w.blocks[0].entries[1].title, "Second");
  EXPECT_EQ(w.blocks[0].entries[1].loc.col, 4);
  EXPECT_EQ(w.blocks[1].anchor.text, "Oct 8");
  EXPECT_EQ(w.blocks[2].anchor.text, "Oct 9");
  ASSERT_EQ(w.blocks[1].entries.size(), 1u);
  ASSERT_EQ(w.blocks[2].entries.size(), 1u);
  EXPECT_EQ(w.blocks[1].entries[0].title, "Shared");
  EXPECT_EQ(w.blocks[2].entries[0].title, "Shared");
}

TEST(layout, lazy_continuation_and_terms_without_blank_lines) {
  content_page w = parse_ok(fm +
                            "Oct 7\n"
                            ": A long title\n"
                            "that continues here\n"
                            "Oct 9\n"
                            ": Next day\n");
  ASSERT_EQ(w.blocks.size(), 2u);
  ASSERT_EQ(w.blocks[0].entries.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "A long title that continues here");
  EXPECT_EQ(w.blocks[1].entries[0].title, "Next day");
}

TEST(layout, nested_link_lines_with_spaces_and_tabs) {
  content_page w = parse_ok(fm +
                            "Class 1\n"
                            ": Two spaces\n"
                            "  : [A](a.pdf)\n"
                            ": Four spaces\n"
                            "    : [B](b.pdf)\n"
                            ": Tab\n"
                            "\t: [C](c.pdf)\n");
  ASSERT_EQ(w.blocks.size(), 1u);
  const auto& items = w.blocks[0].entries;
  ASSERT_EQ(items.size(), 3u);
  ASSERT_EQ(items[0].links.size(), 1u);
  EXPECT_EQ(items[0].links[0].url, "https://example.edu/sp24/a.pdf");
  ASSERT_EQ(items[1].links.size(), 1u);
  EXPECT_EQ(items[1].links[0].url, "https://example.edu/sp24/b.pdf");
  ASSERT_EQ(items[2].links.size(), 1u);
  EXPECT_EQ(items[2].links[0].url, "https://example.edu/sp24/c.pdf");
  EXPECT_EQ(items[2].links[0].loc.col, 4);
}

TEST(layout, items_indented_two_are_siblings) {
  content_page w = parse_ok(fm +
                            "Classes\n"
                            "  : One\n"
                            "  : Two\n"
                            "    : [Slides](s.pdf)\n");
  ASSERT_EQ(w.blocks[0].entries.size(), 2u);
  EXPECT_EQ(w.blocks[0].entries[1].title, "Two");
  ASSERT_EQ(w.blocks[0].entries[1].links.size(), 1u);
}

// Section headings and prose around a schedule are not a schedule: read silently. A line that
// starts with a date but reads as prose is said to be so.
TEST(layout, prose_is_not_warned_but_a_dated_prose_line_is) {
  diagnostics d;
  content_page w = parse(fm + "## Notes\n"
                              "\n"
                              "Oct 7\n"
                              ": Item\n"
                              "\n"
                              "Some closing remark\n"
                              "\n"
                              "Oct 9 we meet in the lab\n",
                         d);
  ASSERT_EQ(w.blocks.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "Item");
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:11:1: warning: 'Oct 9 we meet in the lab' starts with a date "
                             "but reads as prose; write 'DATE: text' (or make it a heading) for it "
                             "to be read as a schedule line"}));
}

TEST(layout, definition_without_term) {
  diagnostics d;
  content_page w = parse(fm + ": orphan\n  : [x](x)\n\nOct 7\n: Real\n", d);
  EXPECT_EQ(messages(d),
            (std::vector<std::string>{"w.md:4:1: warning: definition without a term is ignored"}));
  ASSERT_EQ(w.blocks.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "Real");
}

// ---------------------------------------------------------------------------------------------
// Headings.

struct date_case {
  const char* term;
  int month;
  int day;
  int weekday;  // -1: none
};

TEST(headings, english_month_dates) {
  const date_case cases[] = {
      {"Oct 7", 10, 7, -1},         {"Sep 03", 9, 3, -1},     {"Sept 12", 9, 12, -1},
      {"Aug. 26", 8, 26, -1},       {"April 3", 4, 3, -1},    {"Mon Oct 7", 10, 7, 1},
      {"Tue, Aug 22", 8, 22, 2},    {"M Oct 2", 10, 2, 1},    {"Jan 9 (F)", 1, 9, 5},
      {"**Jan 6 (Tu)**", 1, 6, 2},  {"Oct 7   ", 10, 7, -1},  {"September 30", 9, 30, -1},
      {"Thursday, May 1", 5, 1, 4}, {"7 October", 10, 7, -1}, {"April 22nd", 4, 22, -1},
  };
  for (const auto& c : cases) {
    content_page w = parse_ok(fm + c.term + "\n: Item\n");
    ASSERT_EQ(w.blocks.size(), 1u) << c.term;
    const auto& h = w.blocks[0];
    EXPECT_EQ(h.anchor.type, anchor_type::dates) << c.term;
    ASSERT_FALSE(h.anchor.dates.empty()) << c.term;
    EXPECT_EQ(h.anchor.dates[0].month, c.month) << c.term;
    EXPECT_EQ(h.anchor.dates[0].day, c.day) << c.term;
    EXPECT_EQ(h.anchor.dates[0].weekday.value_or(-1), c.weekday) << c.term;
    EXPECT_FALSE(h.anchor.dates[0].year) << c.term;
  }
}

TEST(headings, numeric_dates_month_first_within_a_page) {
  const date_case cases[] = {
      {"9/24", 9, 24, -1}, {"Thu 8/24", 8, 24, 4}, {"01/06", 1, 6, -1}, {"Tu 9/10", 9, 10, 2}};
  for (const auto& c : cases) {
    content_page w = parse_ok(fm + c.term + "\n: Item\n");
    ASSERT_FALSE(w.blocks[0].anchor.dates.empty()) << c.term;
    EXPECT_EQ(w.blocks[0].anchor.dates[0].month, c.month) << c.term;
    EXPECT_EQ(w.blocks[0].anchor.dates[0].day, c.day) << c.term;
    EXPECT_EQ(w.blocks[0].anchor.dates[0].weekday.value_or(-1), c.weekday) << c.term;
  }
  content_page y = parse_ok(fm + "1/6/25\n: Item\n");
  EXPECT_EQ(y.blocks[0].anchor.dates[0].year, 2025);
}

TEST(headings, day_month_when_a_first_field_is_over_12_in_the_page) {
  content_page w = parse_ok(fm + "29/11\n: A\n\n3/12\n: B (Due 5/12)\n");
  ASSERT_EQ(w.blocks.size(), 2u);
  EXPECT_EQ(w.blocks[0].anchor.dates[0].month, 11);
  EXPECT_EQ(w.blocks[0].anchor.dates[0].day, 29);
  EXPECT_EQ(w.blocks[1].anchor.dates[0].month, 12);
  EXPECT_EQ(w.blocks[1].anchor.dates[0].day, 3);
  ASSERT_EQ(w.blocks[1].entries[0].deadlines.size(), 1u);
  EXPECT_EQ(w.blocks[1].entries[0].deadlines[0].date->month, 12);
  EXPECT_EQ(w.blocks[1].entries[0].deadlines[0].date->day, 5);
}

TEST(headings, day_month_is_decided_site_wide) {
  temp_site s("dm");
  s.write("_config.yml", "url: https://example.edu\n");
  s.write("_modules/week-01.md", page(1, "3/10\n: Early (Due 4/10)\n"));
  s.write("_modules/week-02.md", page(2, "29/10\n: Late\n"));
  diagnostics d;
  auto c = cc::read_site(s.dir(), d);
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(messages(d));
  ASSERT_EQ(c.pages.size(), 2u);
  EXPECT_EQ(c.pages[0].blocks[0].anchor.dates[0].month, 10);
  EXPECT_EQ(c.pages[0].blocks[0].anchor.dates[0].day, 3);
  EXPECT_EQ(c.pages[0].blocks[0].entries[0].deadlines[0].date->month, 10);
  EXPECT_EQ(c.pages[0].blocks[0].entries[0].deadlines[0].date->day, 4);
  EXPECT_EQ(c.pages[1].blocks[0].anchor.dates[0].month, 10);
  EXPECT_EQ(c.pages[1].blocks[0].anchor.dates[0].day, 29);
}

TEST(headings, english_dates_are_not_swapped) {
  content_page w = parse_ok(fm + "Oct 3\n: A\n\n29/10\n: B\n");
  EXPECT_EQ(w.blocks[0].anchor.dates[0].month, 10);
  EXPECT_EQ(w.blocks[0].anchor.dates[0].day, 3);
}

TEST(headings, slots) {
  const std::pair<const char*, int> cases[] = {{"1", 1},          {" 2", 2},   {"Class 1", 1},
                                               {"Lecture 2", 2},  {"Lec1", 1}, {"Class #3", 3},
                                               {"**Class 2**", 2}};
  for (const auto& [term, slot] : cases) {
    content_page w = parse_ok(fm + term + "\n: Item\n");
    ASSERT_EQ(w.blocks.size(), 1u) << term;
    EXPECT_EQ(w.blocks[0].anchor.type, anchor_type::slot) << term;
    EXPECT_EQ(w.blocks[0].anchor.number, slot) << term;
  }
}

TEST(headings, lecture_zero_is_a_running_counter) {
  content_page w = parse_ok(fm + "Lecture 0\n: Intro\n\nLecture 1\n: Next\n");
  EXPECT_EQ(w.blocks[0].anchor.number, 1);
  EXPECT_EQ(w.blocks[1].anchor.number, 2);
}

TEST(headings, running_counter_across_the_site_becomes_per_week_slots) {
  temp_site s("running");
  s.write("_config.yml", "url: https://example.edu\n");
  s.write("_modules/week-01.md", page(1, "1\n: a\n\n2\n: b\n\n3\n: c\n"));
  s.write("_modules/week-02.md", page(2, "4\n: d\n\n5\n: e\n\n6\n: f\n"));
  s.write("_modules/week-03.md", page(3, "7\n: g\n\n9\n: i\n"));
  diagnostics d;
  auto c = cc::read_site(s.dir(), d);
  EXPECT_TRUE(d.empty());
  ASSERT_EQ(c.pages.size(), 3u);
  EXPECT_EQ(c.pages[1].blocks[0].anchor.number, 1);
  EXPECT_EQ(c.pages[1].blocks[2].anchor.number, 3);
  EXPECT_EQ(c.pages[1].blocks[2].anchor.text, "6");
  EXPECT_EQ(c.pages[2].blocks[1].anchor.number, 2);
}

TEST(headings, numbers_restarting_in_each_week_are_kept) {
  temp_site s("restart");
  s.write("_config.yml", "url: https://example.edu\n");
  s.write("_modules/week-01.md", page(1, "1\n: a\n\n2\n: b\n"));
  s.write("_modules/week-02.md", page(2, "2\n: b only\n"));
  s.write("_modules/week-03.md", page(3, "1\n: c\n\n3\n: d\n"));
  diagnostics d;
  auto c = cc::read_site(s.dir(), d);
  ASSERT_EQ(c.pages.size(), 3u);
  EXPECT_EQ(c.pages[1].blocks[0].anchor.number, 2);
  EXPECT_EQ(c.pages[2].blocks[1].anchor.number, 3);
}

TEST(headings, classes_and_roles) {
  EXPECT_EQ(parse_ok(fm + "Classes\n: a\n").blocks[0].anchor.type, anchor_type::classes);
  for (const char* role : {"Lecture", "Lab", "Reading", "Readings", "Topics", "Resources",
                           "Homework", "Deadlines", "TBD", "**Date**", "**Lecture**{: .label}"}) {
    content_page w = parse_ok(fm + role + "\n: a\n");
    ASSERT_EQ(w.blocks.size(), 1u) << role;
    EXPECT_EQ(w.blocks[0].anchor.type, anchor_type::week) << role;
    EXPECT_TRUE(w.blocks[0].anchor.dates.empty()) << role;
    EXPECT_EQ(w.blocks[0].anchor.number, 0) << role;
  }
  EXPECT_EQ(parse_ok(fm + "**Lecture**{: .label}\n: a\n").blocks[0].anchor.text, "Lecture");
}

TEST(headings, unknown_role_is_warned) {
  diagnostics d;
  content_page w = parse(fm + "Something else\n: a\n", d);
  EXPECT_EQ(w.blocks[0].anchor.type, anchor_type::week);
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:4:1: warning: heading 'Something else' is not a date, a class "
                             "slot or a known role; its items belong to the week"}));
}

// ---------------------------------------------------------------------------------------------
// Labels (IAL).

TEST(labels, label_shapes) {
  content_page w =
      parse_ok(fm +
               "Oct 2\n"
               ": **Lecture 7**{: .label .label-purple } [Tide pools](slides/lec07.pdf)\n"
               ": **5**{: .label} Numbered\n"
               ": {: .label} Bare\n"
               ": [**HW 1 out**](hw1.html){: .label} Homework one\n"
               ": **HW 4 out**{: .label}**HW 3 due**{: .label .label-red}\n"
               ": **Lec 4**{: #lec-4 .label } Anchored{:target=\"_blank\"}\n"
               ": **lab**{: .label} lower\n"
               ": **Aula 3**{: .label} Other language\n"
               ": **Guest Lecture**{: .label} Visitor\n"
               ": **OH**{: .label} Office hours\n"
               ": **Policy**{: .label} **Networks**{: .label} [Scheduling](#)\n"
               ": <span>RQ 6 Released Fri 4/26</span>{:.label.label-green} <span>HW 1 Due Sat "
               "2/10</span>{:.label.label-red}\n");
  const auto& it = w.blocks[0].entries;
  ASSERT_EQ(it.size(), 14u);
  EXPECT_EQ(it[0].label, "Lecture 7");
  EXPECT_EQ(it[0].kind, "lecture");
  EXPECT_TRUE(it[0].labelled_class);
  EXPECT_EQ(it[0].title, "Tide pools");
  ASSERT_EQ(it[0].links.size(), 1u);
  EXPECT_EQ(it[0].links[0].label, "Tide pools");
  EXPECT_EQ(it[0].links[0].url, "https://example.edu/sp24/slides/lec07.pdf");
  EXPECT_EQ(it[1].label, "5");  // a lecture number, not a kind
  EXPECT_EQ(it[1].kind, "");
  EXPECT_EQ(it[1].title, "Numbered");
  EXPECT_EQ(it[2].label, "");
  EXPECT_EQ(it[2].kind, "");
  EXPECT_EQ(it[2].title, "Bare");
  EXPECT_EQ(it[3].label, "HW 1 out");
  EXPECT_EQ(it[3].kind, "homework");
  EXPECT_TRUE(it[3].release);
  EXPECT_EQ(it[3].title, "HW 1 out: Homework one");
  ASSERT_EQ(it[3].links.size(), 1u);
  EXPECT_EQ(it[3].links[0].label, "HW 1 out");
  EXPECT_EQ(it[3].links[0].url, "https://example.edu/sp24/hw1.html");
  // Two labels glued together are two items.
  EXPECT_EQ(it[4].label, "HW 4 out");
  EXPECT_TRUE(it[4].release);
  EXPECT_TRUE(it[4].deadlines.empty());
  EXPECT_EQ(it[5].label, "HW 3");
  ASSERT_EQ(it[5].deadlines.size(), 1u);
  EXPECT_EQ(it[5].deadlines[0].what, "HW 3");
  EXPECT_EQ(it[5].deadlines[0].phrase, "HW 3 due");
  EXPECT_FALSE(it[5].deadlines[0].date);
  EXPECT_EQ(it[5].deadlines[0].loc.col, 25);
  EXPECT_EQ(it[6].label, "Lec 4");
  EXPECT_EQ(it[6].kind, "lecture");
  EXPECT_EQ(it[6].title, "Anchored");
  EXPECT_EQ(it[7].kind, "lab");
  EXPECT_EQ(it[7].title, "lower");
  EXPECT_EQ(it[8].kind, "lecture");  // Portuguese "Aula 3" is class 3
  EXPECT_EQ(it[9].kind, "lecture");
  EXPECT_EQ(it[10].kind, "office-hours");
  // Topic labels before a title are its tags: the title is the topic.
  EXPECT_EQ(it[11].label, "");
  EXPECT_EQ(it[11].tags, (std::vector<std::string>{"Policy", "Networks"}));
  EXPECT_EQ(it[11].title, "Scheduling");
  // <span> labels, each with its own day.
  EXPECT_EQ(it[12].label, "RQ 6 Released");
  ASSERT_EQ(it[12].own_dates.size(), 1u);
  EXPECT_EQ(it[12].own_dates[0].month, 4);
  EXPECT_EQ(it[12].own_dates[0].day, 26);
  ASSERT_EQ(it[13].deadlines.size(), 1u);
  EXPECT_EQ(it[13].deadlines[0].what, "HW 1");
  EXPECT_EQ(it[13].deadlines[0].date->day, 10);
}

TEST(labels, kinds) {
  using cc::detail::kind_of_label;
  EXPECT_EQ(kind_of_label("Discussion"), "discussion");
  EXPECT_EQ(kind_of_label("Section 2"), "section");
  EXPECT_EQ(kind_of_label("Midterm"), "exam");
  EXPECT_EQ(kind_of_label("Final Exam"), "exam");
  EXPECT_EQ(kind_of_label("Mid-Term Exam"), "exam");
  EXPECT_EQ(kind_of_label("Quiz 3"), "quiz");
  EXPECT_EQ(kind_of_label("Project"), "project");
  EXPECT_EQ(kind_of_label("Final Project"), "project");  // the last kind word names it
  EXPECT_EQ(kind_of_label("Midterm Report"), "project");
  EXPECT_EQ(kind_of_label("EXAM 1 SAMPLES"), "review");
  EXPECT_EQ(kind_of_label("DISC - QUIZ 5"), "discussion");  // a meeting word first, then '-'
  EXPECT_EQ(kind_of_label("Readings"), "reading");
  EXPECT_EQ(kind_of_label("HW 1 due"), "deadline");
  EXPECT_EQ(kind_of_label("Deadline"), "deadline");
  EXPECT_EQ(kind_of_label("PA 2"), "homework");
  EXPECT_EQ(kind_of_label("Office Hours"), "office-hours");
  EXPECT_EQ(kind_of_label("Pre-class"), "");                    // when, not what
  EXPECT_EQ(kind_of_label("\xD0\x9F\xD0\xA0 #1"), "homework");  // ПР #1
  EXPECT_EQ(kind_of_label("\xD0\x9B\xD0\xB5\xD0\xBA\xD1\x86\xD1\x96\xD1\x8F 1"),
            "lecture");                        // Лекція 1
  EXPECT_EQ(kind_of_label("Colloquium"), "");  // not a kind: a topic label
  EXPECT_EQ(kind_of_label("12"), "");
}

// ---------------------------------------------------------------------------------------------
// Link lines.

TEST(links, every_separator) {
  const char* lines[] = {
      "  : [Slides](s.pdf) &#8226; [Video](v.mp4)",
      "  : [Slides](s.pdf) \xE2\x80\xA2 [Video](v.mp4)",
      "  : [Slides](s.pdf) \xC2\xB7 [Video](v.mp4)",
      "  : [Slides](s.pdf) | [Video](v.mp4)",
      "  : [Slides](s.pdf), [Video](v.mp4)",
      "  : [Slides](s.pdf)&nbsp;[Video](v.mp4)",
      "  : [[Slides](s.pdf)] [[Video](v.mp4)]",
      "  : [Slides](s.pdf)[Video](v.mp4)",
  };
  for (const char* l : lines) {
    content_page w = parse_ok(fm + "Class 1\n: Topic\n" + l + "\n");
    const auto& links = w.blocks[0].entries[0].links;
    ASSERT_EQ(links.size(), 2u) << l;
    EXPECT_EQ(links[0].label, "Slides") << l;
    EXPECT_EQ(links[0].url, "https://example.edu/sp24/s.pdf") << l;
    EXPECT_EQ(links[1].label, "Video") << l;
    EXPECT_EQ(links[1].url, "https://example.edu/sp24/v.mp4") << l;
    EXPECT_EQ(w.blocks[0].entries[0].title, "Topic") << l;
  }
}

TEST(links, name_split_over_links) {
  content_page w = parse_ok(fm + "Class 1\n: Topic\n  : [Recording 1](a), [2](b)\n");
  const auto& links = w.blocks[0].entries[0].links;
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].label, "Recording 1");
  EXPECT_EQ(links[1].label, "Recording 2");
  EXPECT_EQ(links[1].url, "https://example.edu/sp24/b");
}

TEST(links, unpublished_targets) {
  content_page w =
      parse_ok(fm + "Class 1\n: Topic\n  : [Slides]() &#8226; [Quiz](#) &#8226; [Notes]( )\n");
  const auto& links = w.blocks[0].entries[0].links;
  ASSERT_EQ(links.size(), 3u);
  for (const auto& l : links) {
    EXPECT_FALSE(l.published) << l.label;
    EXPECT_EQ(l.url, "") << l.label;
  }
}

TEST(links, html_anchor_and_autolink) {
  content_page w = parse_ok(
      fm + "Class 1\n: Topic\n  : <a href=\"x.pdf\">Slides</a> <https://v.example.org/1>\n");
  const auto& links = w.blocks[0].entries[0].links;
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].label, "Slides");
  EXPECT_EQ(links[0].url, "https://example.edu/sp24/x.pdf");
  EXPECT_EQ(links[1].url, "https://v.example.org/1");
}

// ---------------------------------------------------------------------------------------------
// URLs.

TEST(urls, site_url_joining) {
  using cc::detail::join_site_url;
  EXPECT_EQ(join_site_url("https://a.edu", ""), "https://a.edu");
  EXPECT_EQ(join_site_url("https://a.edu/", "/"), "https://a.edu");
  EXPECT_EQ(join_site_url("https://a.edu/", "/sp24/"), "https://a.edu/sp24");
  EXPECT_EQ(join_site_url("https://a.edu", "sp24"), "https://a.edu/sp24");
  EXPECT_EQ(join_site_url("a.github.io", "/c"), "https://a.github.io/c");
  EXPECT_EQ(join_site_url("", "/c"), "/c");
}

TEST(urls, resolution) {
  using cc::detail::resolve_target;
  const auto s = cc::make_site_info("https://example.edu/", "/sp24/");
  EXPECT_EQ(resolve_target("slides/x.pdf", s), "https://example.edu/sp24/slides/x.pdf");
  EXPECT_EQ(resolve_target("./slides/x.pdf", s), "https://example.edu/sp24/slides/x.pdf");
  EXPECT_EQ(resolve_target("../notes/", s), "https://example.edu/notes/");
  EXPECT_EQ(resolve_target("/sp24/assets/x.pdf", s), "https://example.edu/sp24/assets/x.pdf");
  EXPECT_EQ(resolve_target("https://other.org/a b.pdf", s), "https://other.org/a%20b.pdf");
  EXPECT_EQ(resolve_target("//cdn.org/x", s), "https://cdn.org/x");
  EXPECT_EQ(resolve_target("notes/07 tide pools.pdf", s),
            "https://example.edu/sp24/notes/07%20tide%20pools.pdf");
  EXPECT_EQ(resolve_target("Week%202/", s), "https://example.edu/sp24/Week%202/");
  EXPECT_EQ(resolve_target("100%.pdf", s), "https://example.edu/sp24/100%25.pdf");
  EXPECT_EQ(resolve_target("\xE8\xAC\x9B\xE7\xBE\xA9.pdf", s),
            "https://example.edu/sp24/%E8%AC%9B%E7%BE%A9.pdf");
  EXPECT_EQ(resolve_target("a.html?x=1&amp;y=2#sec", s),
            "https://example.edu/sp24/a.html?x=1&y=2#sec");
  EXPECT_EQ(resolve_target("<a b.pdf>", s), "https://example.edu/sp24/a%20b.pdf");
  EXPECT_EQ(resolve_target("x.pdf \"Title\"", s), "https://example.edu/sp24/x.pdf");
  EXPECT_EQ(resolve_target("mailto:prof@example.edu", s), "mailto:prof@example.edu");
  EXPECT_FALSE(resolve_target("", s));
  EXPECT_FALSE(resolve_target("#", s));
  EXPECT_FALSE(resolve_target("  ", s));
  const auto bare = cc::make_site_info("example.github.io", "");
  EXPECT_EQ(resolve_target("x.pdf", bare), "https://example.github.io/x.pdf");
  EXPECT_EQ(resolve_target("/x.pdf", bare), "https://example.github.io/x.pdf");
}

TEST(urls, percent_encoding_exactly_once) {
  using cc::detail::percent_encode_once;
  const std::string once = percent_encode_once("https://a.edu/x y/%zz/%2F/\xC3\xA9\"<>");
  EXPECT_EQ(once, "https://a.edu/x%20y/%25zz/%2F/%C3%A9%22%3C%3E");
  EXPECT_EQ(percent_encode_once(once), once);
}

TEST(urls, liquid) {
  diagnostics d;
  content_page w = parse(fm + "Class 1\n: Topic\n"
                              "  : [A]({{ site.baseurl }}/assets/a.pdf) "
                              "[B]({{site.url}}{{site.baseurl}}/b.pdf) "
                              "[C]({{ site.links.lec.slides.slide05 }}) "
                              "[D]({{ site.nothing }}d.pdf) "
                              "[E]({{ '/e.pdf' | relative_url }}) "
                              "[F]({{ \"f.pdf\" | absolute_url }})\n",
                         d);
  const auto& links = w.blocks[0].entries[0].links;
  ASSERT_EQ(links.size(), 6u);
  // An undefined variable renders empty, as in Jekyll, and is said so.
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:6:127: warning: '{{ site.nothing }}' is not set in _config.yml "
                             "or _data/; it renders empty, as in Jekyll"}));
  EXPECT_EQ(links[0].url, "https://example.edu/sp24/assets/a.pdf");
  EXPECT_EQ(links[1].url, "https://example.edu/sp24/b.pdf");
  EXPECT_EQ(links[2].url, "https://cdn.example.edu/s05.pdf");
  EXPECT_EQ(links[3].url, "https://example.edu/sp24/d.pdf");
  EXPECT_EQ(links[4].url, "https://example.edu/sp24/e.pdf");
  EXPECT_EQ(links[5].url, "https://example.edu/sp24/f.pdf");
}

TEST(urls, liquid_tags_are_reported_and_left_out) {
  diagnostics d;
  content_page w = parse(
      fm + "Class 1\n: Topic\n  : [A]({% link _modules/x.md %}) [B](b.pdf) [C]({{ x | upcase }})\n",
      d);
  // A, whose tag cannot be resolved (this page has no site folder), is left out; C's undefined
  // variable renders empty: not published.
  const auto& links = w.blocks[0].entries[0].links;
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].label, "B");
  EXPECT_EQ(links[1].label, "C");
  EXPECT_FALSE(links[1].published);
  EXPECT_EQ(messages(d),
            (std::vector<std::string>{
                "w.md:6:9: warning: '{% link _modules/x.md %}' cannot be resolved: the site folder "
                "is not known; the link is left out"}));
}

// ---------------------------------------------------------------------------------------------
// Readings.

TEST(readings, markers_and_bullets) {
  const std::pair<const char*, reading_need> markers[] = {
      {"*Reading:*", reading_need::unspecified},
      {"_Reading:_", reading_need::unspecified},
      {"*Required Reading*", reading_need::required},
      {"*Optional Reading - No submission*", reading_need::optional},
      {"**Readings**{: .label .label-reading}", reading_need::unspecified},
  };
  for (const auto& [marker, need] : markers) {
    content_page w = parse_ok(fm + "Class 1\n: Topic\n: " + marker +
                              "\n* [Paper A](a.pdf)\n* [Paper B (optional)](https://b.org/b)\n"
                              "* Chapter 3 of the textbook\n");
    ASSERT_EQ(w.blocks[0].entries.size(), 1u) << marker;
    const auto& r = w.blocks[0].entries[0].readings;
    ASSERT_EQ(r.size(), 3u) << marker;
    EXPECT_EQ(r[0].title, "Paper A") << marker;
    EXPECT_EQ(r[0].url, "https://example.edu/sp24/a.pdf") << marker;
    EXPECT_EQ(r[0].need, need) << marker;
    EXPECT_EQ(r[1].title, "Paper B") << marker;
    EXPECT_EQ(r[1].need, reading_need::optional) << marker;
    EXPECT_EQ(r[2].title, "Chapter 3 of the textbook") << marker;
    EXPECT_EQ(r[2].url, "") << marker;
    EXPECT_TRUE(w.blocks[0].readings.empty()) << marker;
  }
}

TEST(readings, nested_required_optional_and_inline) {
  content_page w = parse_ok(fm +
                            "Class 1\n: Topic\n: *Reading:*\n"
                            "* Readings for today\n"
                            "  * **Required**: [A](a), [B](b)\n"
                            "  * Optional:\n"
                            "    * [C](c)\n"
                            "\nClass 2\n: Other\n: *Reading:* [D](d) &#8226; [E](e)\n"
                            "\nClass 3\n: Third\n: *Reading:* N/A\n");
  const auto& r1 = w.blocks[0].entries[0].readings;
  ASSERT_EQ(r1.size(), 4u);
  EXPECT_EQ(r1[0].title, "Readings for today");
  EXPECT_EQ(r1[1].title, "A");
  EXPECT_EQ(r1[1].need, reading_need::required);
  EXPECT_EQ(r1[2].title, "B");
  EXPECT_EQ(r1[2].need, reading_need::required);
  EXPECT_EQ(r1[3].title, "C");
  EXPECT_EQ(r1[3].need, reading_need::optional);
  const auto& r2 = w.blocks[1].entries[0].readings;
  ASSERT_EQ(r2.size(), 2u);
  EXPECT_EQ(r2[1].url, "https://example.edu/sp24/e");
  EXPECT_TRUE(w.blocks[2].entries[0].readings.empty());
  EXPECT_TRUE(w.blocks[2].readings.empty());
}

TEST(readings, classes_heading_reading_before_and_after_the_last_item) {
  content_page w = parse_ok(fm +
                            "Classes\n: One\n: *Reading:*\n* [For one](1)\n"
                            ": Two\n: *Optional Reading*\n* [For the week](w)\n");
  const auto& h = w.blocks[0];
  ASSERT_EQ(h.entries.size(), 2u);
  ASSERT_EQ(h.entries[0].readings.size(), 1u);
  EXPECT_EQ(h.entries[0].readings[0].title, "For one");
  EXPECT_TRUE(h.entries[1].readings.empty());
  ASSERT_EQ(h.readings.size(), 1u);
  EXPECT_EQ(h.readings[0].title, "For the week");
  EXPECT_EQ(h.readings[0].need, reading_need::optional);
}

TEST(readings, reading_role_heading_and_nested_reading_line) {
  content_page w = parse_ok(fm +
                            "Optional Readings\n: [Paper](p.pdf)\n: Chapter 2\n\n"
                            "Oct 2\n: Lecture\n  : *Reading:* [Q](q)\n");
  const auto& wr = w.blocks[0].readings;
  ASSERT_EQ(wr.size(), 2u);
  EXPECT_EQ(wr[0].title, "Paper");
  EXPECT_EQ(wr[0].need, reading_need::optional);
  EXPECT_EQ(wr[1].title, "Chapter 2");
  EXPECT_TRUE(w.blocks[0].entries.empty());
  ASSERT_EQ(w.blocks[1].entries[0].readings.size(), 1u);
  EXPECT_EQ(w.blocks[1].entries[0].readings[0].title, "Q");
}

// ---------------------------------------------------------------------------------------------
// Deadlines.

struct due_case {
  const char* line;
  const char* what;
  const char* phrase;
  int month;  // 0: no date
  int day;
  int minutes;      // -1: none
  int end_of_week;  // -1: none
};

TEST(deadlines, phrases_in_titles) {
  const due_case cases[] = {
      {"Homework 1 (Due 9/13)", "Homework 1", "Due 9/13", 9, 13, -1, -1},
      {"Project proposal (due Feb 6)", "Project proposal", "due Feb 6", 2, 6, -1, -1},
      {"HW 3 (Due: End of Week 3 - 10/10)", "HW 3", "Due: End of Week 3 - 10/10", 10, 10, -1, 3},
      {"PA 2 (Due Feb. 4, 12:00 PM PST)", "PA 2", "Due Feb. 4, 12:00 PM PST", 2, 4, 720, -1},
      {"Lab 1 Due Tue 10/1 11:59pm", "Lab 1", "Due Tue 10/1 11:59pm", 10, 1, 1439, -1},
      {"Report **Due: Feb12, 11:59pm**", "Report", "Due: Feb12, 11:59pm", 2, 12, 1439, -1},
      {"Homework 3 released (Due 10/15)", "Homework 3", "Due 10/15", 10, 15, -1, -1},
      {"Essay due", "Essay", "due", 0, 0, -1, -1},
  };
  for (const auto& c : cases) {
    content_page w = parse_ok(fm + "Oct 1\n: " + c.line + "\n");
    const auto& ds = w.blocks[0].entries[0].deadlines;
    ASSERT_EQ(ds.size(), 1u) << c.line;
    EXPECT_EQ(ds[0].what, c.what) << c.line;
    EXPECT_EQ(ds[0].phrase, c.phrase) << c.line;
    if (c.month) {
      ASSERT_TRUE(ds[0].date) << c.line;
      EXPECT_EQ(ds[0].date->month, c.month) << c.line;
      EXPECT_EQ(ds[0].date->day, c.day) << c.line;
    } else {
      EXPECT_FALSE(ds[0].date) << c.line;
    }
    EXPECT_EQ(ds[0].time_minutes.value_or(-1), c.minutes) << c.line;
    EXPECT_EQ(ds[0].end_of_week.value_or(-1), c.end_of_week) << c.line;
  }
}

TEST(deadlines, label_under_a_dated_heading_and_location) {
  content_page w =
      parse_ok(fm + "Oct 1\n: **HW 1 due**{: .label .label-red}\n: Topic (Due 10/8)\n");
  const auto& items = w.blocks[0].entries;
  ASSERT_EQ(items[0].deadlines.size(), 1u);
  EXPECT_EQ(items[0].kind, "homework");  // what is due; the deadline itself is the deadline
  EXPECT_EQ(items[0].deadlines[0].what, "HW 1");
  EXPECT_FALSE(items[0].deadlines[0].date);
  EXPECT_EQ(items[0].deadlines[0].loc.line, 5);
  EXPECT_EQ(items[0].deadlines[0].loc.col, 3);
  ASSERT_EQ(items[1].deadlines.size(), 1u);
  EXPECT_EQ(items[1].deadlines[0].loc.line, 6);
  EXPECT_EQ(items[1].deadlines[0].loc.col, 10);
}

TEST(deadlines, the_word_due_alone_is_not_a_deadline) {
  content_page w = parse_ok(fm + "Oct 1\n: Due process in data systems\n");
  EXPECT_TRUE(w.blocks[0].entries[0].deadlines.empty());
}

// ---------------------------------------------------------------------------------------------
// Titles and no-class markers.

TEST(titles, inline_markdown_entities_html) {
  const std::pair<const char*, const char*> cases[] = {
      {"**Bold** and *em* and `code_x`", "Bold and em and code_x"},
      {"Tom &amp; Jerry &mdash; &lt;b&gt; &quot;q&quot; &#8226; &#x2022; &hellip;",
       "Tom & Jerry \xE2\x80\x94 <b> \"q\" \xE2\x80\xA2 \xE2\x80\xA2 \xE2\x80\xA6"},
      {"Line one<br>line two <em>emph</em>", "Line one line two emph"},
      {"Caf\xC3\xA9 \xF0\x9F\x9A\x80 \xE2\x80\x9Cquoted\xE2\x80\x9D",
       "Caf\xC3\xA9 \xF0\x9F\x9A\x80 \xE2\x80\x9Cquoted\xE2\x80\x9D"},
      {"Spaces    collapse\t here", "Spaces collapse here"},
      {"Hi {{ site.title }}{% if x %} there{% endif %}",
       "Hi CSE 101"},  // Liquid, as Jekyll renders it
      {"[Tide pools](x.pdf) overview", "Tide pools overview"},
      {"snake_case_name and 2*3", "snake_case_name and 2*3"},
      {"&rsquo;s &lsquo;x&rsquo; &ldquo;y&rdquo; &ndash; &middot; &apos;",
       "\xE2\x80\x99s \xE2\x80\x98x\xE2\x80\x99 \xE2\x80\x9Cy\xE2\x80\x9D \xE2\x80\x93 \xC2\xB7 '"},
      {"&unknown; & &#xZZ;", "&unknown; & &#xZZ;"},
  };
  for (const auto& [in, want] : cases) {
    content_page w = parse_ok(fm + "Oct 1\n: " + in + "\n");
    EXPECT_EQ(w.blocks[0].entries[0].title, want) << in;
  }
}

TEST(titles, no_class_markers) {
  for (const char* t : {"No class", "Spring Break", "Holiday", "MLK Day!", "No lecture today",
                        "Memorial Day &mdash; no class"}) {
    content_page w = parse_ok(fm + "Oct 1\n: " + t + "\n");
    EXPECT_TRUE(w.blocks[0].entries[0].no_class) << t;
  }
  EXPECT_TRUE(parse_ok(fm + "Oct 1\n: **Holiday**{: .label}\n").blocks[0].entries[0].no_class);
  EXPECT_FALSE(parse_ok(fm + "Oct 1\n: Classic papers\n").blocks[0].entries[0].no_class);
}

// In a Classes list every definition is a class, placeholders included: each keeps its place.
TEST(titles, placeholders_are_kept_with_empty_titles) {
  content_page w = parse_ok(fm + "Classes\n: &nbsp;\n:\n: TBD\n: [Slides]()\n: {: .label}\n");
  const auto& items = w.blocks[0].entries;
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].title, "");
  EXPECT_EQ(items[1].title, "");
  EXPECT_EQ(items[2].title, "TBD");
  EXPECT_EQ(items[3].title, "");  // "Slides" names a kind of file, not a topic
  ASSERT_EQ(items[3].links.size(), 1u);
  EXPECT_FALSE(items[3].links[0].published);
  EXPECT_EQ(items[4].title, "");
  // Elsewhere a links-only definition belongs to the item above it.
  content_page dated = parse_ok(fm + "Oct 1\n: Topic\n: [Slides](s.pdf), [Zoom Recording](z)\n");
  ASSERT_EQ(dated.blocks[0].entries.size(), 1u);
  EXPECT_EQ(dated.blocks[0].entries[0].links.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// HTML comments.

TEST(comments, blanking_keeps_positions) {
  using cc::detail::blank_html_comments;
  EXPECT_EQ(blank_html_comments("a<!-- x -->b"), "a          b");
  EXPECT_EQ(blank_html_comments("a<!--\nx\n-->b"), "a    \n \n   b");
  EXPECT_EQ(blank_html_comments("<!-- <!-- x --> y -->"), "                y -->");
  EXPECT_EQ(blank_html_comments("a <!-- never closed\nz"), "a                  \n ");
  EXPECT_EQ(blank_html_comments("<!---->ok"), "       ok");
}

TEST(comments, hidden_content_is_invisible_and_lines_stay_right) {
  diagnostics d;
  content_page w = parse(fm + "<!-- : **Homework**{: .label} Homework 1 (Due 1/24) -->\n"
                              "Class 1\n"
                              ": Visible <!-- hidden --> title\n"
                              "<!--  : [Slides](old.pdf)\n"
                              "still hidden -->  : [New](new.pdf)\n"
                              "<!--Class 2\n"
                              ": {: .label} Old topic\n"
                              "<!--  : [Slides](old2.pdf)\n"
                              "-->\n"
                              "Mystery\n"
                              ": x\n"
                              "<!-- unclosed\n"
                              "Class 3\n: never\n",
                         d);
  ASSERT_EQ(w.blocks.size(), 2u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "Visible title");
  ASSERT_EQ(w.blocks[0].entries[0].links.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].links[0].label, "New");
  EXPECT_EQ(w.blocks[0].entries[0].links[0].loc.line, 8);
  EXPECT_EQ(w.blocks[0].entries[0].links[0].loc.col, 21);
  EXPECT_EQ(w.blocks[1].anchor.text, "Mystery");
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:13:1: warning: heading 'Mystery' is not a date, a class slot "
                             "or a known role; its items belong to the week"}));
}

// ---------------------------------------------------------------------------------------------
// Front matter and week numbers.

TEST(front_matter, week_numbers_from_titles) {
  const std::pair<const char*, int> cases[] = {{"Week 10", 10},       {"Week01", 1},
                                               {"Week-1", 1},         {"\"Week 2: Topic\"", 2},
                                               {"(Week 4) Topic", 4}, {"\"Week 0\"", 0}};
  for (const auto& [title, n] : cases) {
    diagnostics d;
    content_page w = parse(std::string("---\ntitle: ") + title + "\n---\nOct 1\n: a\n", d);
    EXPECT_EQ(w.week, n) << title;
    EXPECT_TRUE(d.empty()) << title;
  }
}

// Without "Week N" in the title the reader takes the file name's number provisionally; the
// resolver, which knows the term, places the page by its dates or warns (resolve_test.cpp).
TEST(front_matter, week_number_from_the_file_name_is_provisional) {
  diagnostics d;
  content_page w = parse("---\ntitle: Sampling\n---\nOct 1\n: a\n", d, "_modules/week-05-p1.md");
  EXPECT_EQ(w.week, 5);
  EXPECT_TRUE(w.week_from == week_source::file_name);
  EXPECT_EQ(w.title, "Sampling");
  EXPECT_TRUE(d.empty());
  w = parse("---\ntitle: Intro\n---\nOct 1\n: a\n", d, "_modules/intro.md");
  EXPECT_EQ(w.week, 0);
  EXPECT_TRUE(w.week_from == week_source::none);
  EXPECT_TRUE(d.empty());
}

TEST(front_matter, malformed_yaml_is_warned_with_its_line) {
  diagnostics d;
  content_page w = parse("---\ntitle: Week 3\nbad: [unclosed\n---\nOct 1\n: a\n", d, "week-03.md");
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].loc.line, 4);
  EXPECT_NE(d.items()[0].message.find("front matter is not valid YAML"), std::string::npos);
  EXPECT_EQ(w.week, 3);  // from the file name, for the resolver to confirm by the dates
  EXPECT_TRUE(w.week_from == week_source::file_name);
  ASSERT_EQ(w.blocks.size(), 1u);
}

TEST(front_matter, schedule_in_front_matter_becomes_dated_headings) {
  diagnostics d;
  content_page w = parse(
      "---\ntitle: Week 4\ndays:\n  - date: 2023-02-27\n    events:\n      \"**Lecture 4**{: "
      ".label} [S](s.pdf)\": \"Ch. 2\"\n  - date: '2023-4-3'\n    events:\n      - { name: "
      "LEC 5, title: Trees, slides: s5.pdf }\n  - { topic: Graphs, date: 2023-02-29 }\n"
      "  - { title: No date }\n---\n",
      d);
  ASSERT_EQ(w.blocks.size(), 3u);
  const content_block& h = w.blocks[0];
  EXPECT_EQ(h.anchor.type, anchor_type::dates);
  ASSERT_FALSE(h.anchor.dates.empty());
  ASSERT_TRUE(h.anchor.dates[0].year);
  EXPECT_EQ(*h.anchor.dates[0].year, 2023);
  EXPECT_EQ(h.anchor.dates[0].month, 2);
  EXPECT_EQ(h.anchor.dates[0].day, 27);
  EXPECT_EQ(h.anchor.loc.line, 4);
  ASSERT_EQ(h.entries.size(), 1u);
  EXPECT_EQ(h.entries[0].label, "Lecture 4");
  EXPECT_EQ(h.entries[0].kind, "lecture");
  EXPECT_EQ(h.entries[0].title, "S");
  EXPECT_EQ(h.entries[0].loc.line, 6);
  ASSERT_EQ(h.entries[0].links.size(), 1u);
  EXPECT_EQ(h.entries[0].links[0].url, "https://example.edu/sp24/s.pdf");
  ASSERT_EQ(h.entries[0].readings.size(), 1u);
  EXPECT_EQ(h.entries[0].readings[0].title, "Ch. 2");
  ASSERT_EQ(w.blocks[1].entries.size(), 1u);
  EXPECT_EQ(w.blocks[1].anchor.dates[0].month, 4);
  EXPECT_EQ(w.blocks[1].entries[0].kind, "lecture");
  EXPECT_EQ(w.blocks[1].entries[0].title, "Trees");
  ASSERT_EQ(w.blocks[1].entries[0].links.size(), 1u);
  EXPECT_EQ(w.blocks[1].entries[0].links[0].label, "Slides");
  EXPECT_EQ(w.blocks[2].entries[0].title, "Graphs");
  EXPECT_EQ(w.blocks[2].anchor.dates[0].day, 29);  // kept: the resolver reports the impossible date
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:7:11: warning: schedule date '2023-4-3' is not zero-padded; "
                             "read as 2023-04-03",
                             "w.md:10:28: warning: schedule date '2023-02-29' does not exist; its "
                             "items are kept and placed by week",
                             "w.md:11:5: warning: 'days:' entry without a date is not read; "
                             "nothing is taken from it",
                         }));
}

TEST(dates, forms_beyond_month_day) {
  using coursecal::content::detail::match_dates;
  struct case_ {
    const char* text;
    int month, day;
  };
  const case_ cases[] = {
      {"Sept 12", 9, 12},
      {"Aug. 26", 8, 26},
      {"April 22nd", 4, 22},
      {"Mon, March 3", 3, 3},
      {"Jan 9 (F)", 1, 9},
      {"04, 06 Jan", 1, 4},
      {"July 26 / 27", 7, 26},
      {"Mar 13-18 (F-W)", 3, 13},
      {"December 4 (6-8:50pm)", 12, 4},
      {"02 Dez", 12, 2},
      {"5 out", 10, 5},
      {"09 вер", 9, 9},
      {"12 жовтня", 10, 12},
      {"3 Листопада", 11, 3},
      {"9월 4일", 9, 4},
      {"Wednesday, 6 September", 9, 6},
      {"S 1/31", 1, 31},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto m = match_dates(c.text);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->first().month, c.month);
    EXPECT_EQ(m->first().day, c.day);
  }
  // "Day N (m/d)" is the date; "Day N" alone a slot.
  using coursecal::content::detail::classify_heading;
  const auto day = classify_heading("Day 3 (9/12)");
  EXPECT_EQ(day.shape, anchor_type::dates);
  ASSERT_TRUE(day.date);
  EXPECT_EQ(day.date->first().month, 9);
  EXPECT_EQ(day.date->first().day, 12);
  EXPECT_EQ(classify_heading("Day 4").shape, anchor_type::slot);
  // Foreign month names only count after a day number.
  EXPECT_FALSE(match_dates("Dez 02").has_value());
  EXPECT_FALSE(match_dates("out 3").has_value());
}

// Several days in one heading, and ranges: every day they name.
TEST(dates, lists_and_ranges) {
  using coursecal::content::detail::match_dates;
  auto days = [](const char* text) {
    std::vector<std::pair<int, int>> out;
    if (auto m = match_dates(text))
      for (const auto& d : m->dates) out.emplace_back(d.month, d.day);
    return out;
  };
  using v = std::vector<std::pair<int, int>>;
  EXPECT_EQ(days("25, 27 Aug"), (v{{8, 25}, {8, 27}}));
  EXPECT_EQ(days("05, 08 Sep"), (v{{9, 5}, {9, 8}}));
  EXPECT_EQ(days("24, 26 Nov, 01 Dec"), (v{{11, 24}, {11, 26}, {12, 1}}));
  EXPECT_EQ(days("Mar 28, Mar 30, Apr 1"), (v{{3, 28}, {3, 30}, {4, 1}}));
  EXPECT_EQ(days("Jan. 23/24"), (v{{1, 23}, {1, 24}}));
  EXPECT_EQ(days("Oct 7 & 9"), (v{{10, 7}, {10, 9}}));
  EXPECT_EQ(days("Tu 1/20, Th 1/22"), (v{{1, 20}, {1, 22}}));
  // A range keeps its two ends (the resolver expands them with the real year).
  const auto range = match_dates("Dec 3-5 (W-F)");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->range);
  EXPECT_EQ(days("Dec 3-5 (W-F)"), (v{{12, 3}, {12, 5}}));
  EXPECT_EQ(std::string("Dec 3-5 (W-F)").substr(range->end), "");
  EXPECT_TRUE(match_dates("Sep 30 - Oct 2")->range);
  // A time or a number after a date is not another day.
  EXPECT_EQ(days("Oct 7 - 9:30am"), (v{{10, 7}}));
  EXPECT_EQ(days("Oct 7, 2024"), (v{{10, 7}}));
  EXPECT_EQ(*match_dates("Oct 7, 2024")->first().year, 2024);
}

// A page of prose only says nothing to a calendar: warned once. (Headings with dates and
// bullets are read; see the shapes tests.)
TEST(front_matter, page_with_nothing_read_warns_once) {
  diagnostics d;
  content_page w = parse(fm + "\nWelcome to the course.\n\n<details>x</details>\n", d);
  EXPECT_TRUE(w.blocks.empty());
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "w.md:5:1: warning: nothing in this page is read as a schedule (no "
                             "dated line, definition list, dated bullet or table); the page adds "
                             "nothing to the feed"}));
  diagnostics empty;
  parse(fm + "\n\n", empty);
  EXPECT_TRUE(empty.empty());
}

TEST(front_matter, no_front_matter_and_crlf) {
  diagnostics d;
  content_page w = parse("Oct 1\r\n: Item\r\n  : [S](s.pdf)\r\n", d, "week7.md");
  EXPECT_EQ(w.week, 7);
  ASSERT_EQ(w.blocks.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].title, "Item");
  EXPECT_EQ(w.blocks[0].entries[0].links[0].url, "https://example.edu/sp24/s.pdf");
}

// ---------------------------------------------------------------------------------------------
// The whole site.

TEST(site, example_site) {
  diagnostics d;
  const std::string dir = std::string(COURSECAL_SOURCE_DIR) + "/examples/dsc204a";
  auto c = cc::read_site(dir, d);
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(messages(d));
  EXPECT_EQ(c.title, "DSC 204A");
  EXPECT_EQ(c.description, "Scalable Data Systems");
  EXPECT_EQ(c.url, "https://example-university.github.io");
  EXPECT_EQ(c.baseurl, "/dsc204a-sp25");
  EXPECT_EQ(c.timezone, "America/Los_Angeles");
  EXPECT_EQ(c.site_url, "https://example-university.github.io/dsc204a-sp25");
  ASSERT_EQ(c.pages.size(), 10u);
  ASSERT_EQ(c.input_files.size(), 11u);
  EXPECT_EQ(c.input_files[0], dir + "/_config.yml");
  EXPECT_EQ(c.input_files[1], dir + "/_modules/week-01.md");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.pages[static_cast<std::size_t>(i)].week, i + 1);
  EXPECT_EQ(c.pages[9].file, dir + "/_modules/week-10.md");
  const auto site = cc::make_site_info(c.url, c.baseurl);
  diagnostics d10;
  content_page seed = cc::parse_week_page(slurp(dir + "/_modules/week-10.md"),
                                          dir + "/_modules/week-10.md", site, d10);
  std::ostringstream a, b;
  coursecal::course_content one, two;
  one.pages.push_back(c.pages[9]);
  two.pages.push_back(seed);
  cc::print_course(a, one);
  cc::print_course(b, two);
  EXPECT_EQ(a.str(), b.str());
  // The link with a space, the unpublished slides, the holiday and a Liquid link.
  const auto& w3 = c.pages[2].blocks[0].entries[0];
  EXPECT_EQ(
      w3.links[0].url,
      "https://example-university.github.io/dsc204a-sp25/assets/slides/03%20data%20models.pdf");
  EXPECT_FALSE(c.pages[6].blocks[0].entries[2].links[0].published);
  EXPECT_TRUE(c.pages[8].blocks[0].entries[0].no_class);
  EXPECT_EQ(c.pages[0].blocks[0].entries[0].links[1].url,
            "https://podcast.example-university.edu/watch/sp25/dsc204a_a00/1");
  EXPECT_EQ(c.pages[4].blocks.size(), 3u);  // Class 4 is commented out
}

TEST(site, ignores_drafts_and_keeps_file_order) {
  temp_site s("sort");
  s.write("_config.yml", "title: T\nurl: https://e.org\nbaseurl: /\n");
  s.write("_modules/a.md", page(2, "Oct 8\n: b\n"));
  s.write("_modules/b.md", page(1, "Oct 1\n: a\n"));
  s.write("_modules/_draft.md", page(3, "Oct 15\n: draft\n"));
  s.write("_modules/.hidden.md", page(4, "Oct 22\n: hidden\n"));
  s.write("_modules/notes.txt", "not a page");
  diagnostics d;
  auto c = cc::read_site(s.dir() + "/", d);
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(messages(d));
  ASSERT_EQ(c.pages.size(), 2u);
  // Pages come in file-name order; each says its week.
  EXPECT_EQ(c.pages[0].week, 2);
  EXPECT_EQ(c.pages[0].file, s.dir() + "/_modules/a.md");
  EXPECT_EQ(c.pages[1].week, 1);
  EXPECT_EQ(c.site_url, "https://e.org");
  EXPECT_EQ(c.input_files.size(), 3u);
}

TEST(site, missing_folders_are_errors) {
  diagnostics d;
  auto c = cc::read_site("/nonexistent/coursecal-site", d);
  EXPECT_TRUE(c.pages.empty());
  EXPECT_EQ(messages(d), (std::vector<std::string>{
                             "/nonexistent/coursecal-site: error: site folder not found or not a "
                             "folder"}));
  temp_site s("nomodules");
  std::filesystem::remove_all(s.dir() + "/_modules");
  s.write("_config.yml", "url: https://e.org\n");
  diagnostics d2;
  cc::read_site(s.dir(), d2);
  EXPECT_TRUE(d2.has_errors());
  EXPECT_EQ(messages(d2),
            (std::vector<std::string>{
                s.dir() + "/_modules: error: no _modules folder: no week pages to read"}));
}

TEST(site, malformed_config_is_a_warning_with_line) {
  temp_site s("badconfig");
  s.write("_config.yml", "title: T\nurl: [oops\n");
  s.write("_modules/week-1.md", page(1, "Oct 1\n: a\n"));
  diagnostics d;
  auto c = cc::read_site(s.dir(), d);
  EXPECT_FALSE(d.has_errors());
  ASSERT_GE(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].loc.file, s.dir() + "/_config.yml");
  EXPECT_EQ(d.items()[0].loc.line, 3);
  EXPECT_EQ(c.pages.size(), 1u);
}

TEST(print, exact_output) {
  coursecal::course_content c;
  c.title = "CSE 101";
  c.description = "Algorithms";
  c.site_url = "https://example.edu/sp24";
  c.pages.push_back(parse_ok(fm + "Mon Oct 7\n"
                                  ": **Lecture 7**{: .label} Graphs\n"
                                  "  : [Slides](s.pdf) &#8226; [Quiz](#)\n"
                                  ": *Reading:*\n"
                                  "* [Paper (optional)](https://p.org/x)\n"
                                  ": **HW 2**{: .label} Homework 2 (Due 10/14 11:59pm)\n"));
  std::ostringstream out;
  cc::print_course(out, c);
  EXPECT_EQ(out.str(),
            "site: CSE 101 - Algorithms\n"
            "url: https://example.edu/sp24\n"
            "page w.md: week 3 (from the title), Week 3 [w.md:2:1]\n"
            "  dates 10/7 (Mon): Mon Oct 7 [line 4]\n"
            "    entry lecture [Lecture 7] (class): Graphs\n"
            "      link: Slides <https://example.edu/sp24/s.pdf>\n"
            "      link: Quiz (not published)\n"
            "      reading (optional): Paper <https://p.org/x>\n"
            "    entry homework [HW 2]: HW 2: Homework 2\n"
            "      deadline \"Due 10/14 11:59pm\": Homework 2 on 10/14 at 23:59\n");
}

// ---------------------------------------------------------------------------------------------
// Robustness: these finish quickly and do not crash.

TEST(robustness, many_nested_comment_openers) {
  std::string text = fm + "Oct 1\n: a\n";
  for (int i = 0; i < 10000; ++i) text += "<!-- ";
  text += "\nOct 2\n: hidden\n";
  diagnostics d;
  content_page w = parse(text, d);
  EXPECT_EQ(w.blocks.size(), 1u);
}

TEST(robustness, one_megabyte_line) {
  std::string line;
  while (line.size() < 1000000) line += "[a](b **c [d _e `f <g &amp {: x *";
  diagnostics d;
  content_page w = parse(fm + "Oct 1\n: " + line + "\n  : " + line + "\n" + line + "\n", d);
  EXPECT_EQ(w.blocks.size(), 1u);
  std::string brackets(1000000, '[');
  parse(fm + "Oct 1\n: " + brackets + "\n", d);
  std::string stars(1000000, '*');
  parse(fm + "Oct 1\n: x" + stars + "\n", d);
  std::string pattern;
  while (pattern.size() < 1000000) pattern += "*a _b **c ";
  parse(fm + "Oct 1\n: " + pattern + "\n", d);
  std::string dues;
  while (dues.size() < 1000000) dues += "due due 1/2 ";
  parse(fm + "Oct 1\n: " + dues + "\n", d);
  SUCCEED();
}

TEST(robustness, hundred_thousand_headings) {
  std::string text = fm;
  for (int i = 0; i < 100000; ++i) text += "Oct " + std::to_string(i % 28 + 1) + "\n: item\n";
  diagnostics d;
  content_page w = parse(text, d);
  EXPECT_EQ(w.blocks.size(), 100000u);
}

TEST(robustness, hundred_thousand_continuation_lines_and_bullets) {
  std::string text = fm + "Oct 1\n: start\n";
  for (int i = 0; i < 100000; ++i) text += "more words here\n";
  text += ": *Reading:*\n";
  for (int i = 0; i < 100000; ++i)
    text += std::string(static_cast<std::size_t>(i % 7) * 2, ' ') + "* [p](x)\n";
  diagnostics d;
  content_page w = parse(text, d);
  ASSERT_EQ(w.blocks.size(), 1u);
  ASSERT_EQ(w.blocks[0].entries.size(), 1u);
  EXPECT_EQ(w.blocks[0].entries[0].readings.size(), 100000u);
}

TEST(robustness, fifty_megabyte_page_in_bounded_time) {
  const std::string block =
      "Mon Oct 7\n"
      ": **Lecture 1**{: .label .label-purple } Course overview [Slides](https://x.org/s.pdf) "
      "&#8226; [Recording]({{ site.baseurl }}/r) (Due 10/15 11:59pm)\n"
      "  : [Notes](#)\n"
      ": *Reading:*\n"
      "* [Designing Data-Intensive Applications](https://p.org/ddia) (Required)\n"
      "<!-- a comment -->\n\n";
  std::string text = fm;
  text.reserve(50 * 1024 * 1024 + block.size());
  while (text.size() < 50 * 1024 * 1024) text += block;
  const std::size_t blocks = (text.size() - fm.size()) / block.size();
  diagnostics d;
  const auto start = std::chrono::steady_clock::now();
  const content_page w = parse(text, d);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(w.blocks.size(), blocks);
  EXPECT_LT(took, std::chrono::seconds(60));
}

TEST(robustness, odd_bytes_do_not_crash) {
  const char* inputs[] = {"",
                          "---",
                          "---\n",
                          "---\n---",
                          ":",
                          ": ",
                          "\n:\n",
                          "*",
                          "* ",
                          "[",
                          "](",
                          "{:",
                          "{{",
                          "{%",
                          "<",
                          "&#",
                          "&#x110000;",
                          "\xFF\xFE",
                          "Oct 1\n: [x](",
                          "Oct 1\n: [x]({{ site.a",
                          "Oct 1\n  : [x](y)\n\t\t: z"};
  for (const char* in : inputs) {
    diagnostics d;
    parse(in, d);
  }
  SUCCEED();
}
