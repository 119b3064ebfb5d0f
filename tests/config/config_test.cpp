#include "config/config_reader.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace coursecal::config {
namespace {

namespace fs = std::filesystem;
using date::days;
using date::sys_days;
using namespace date::literals;

std::vector<std::string> formatted(const diagnostics& d) {
  std::vector<std::string> out;
  for (const diagnostic& x : d.items()) out.push_back(format_diagnostic(x));
  return out;
}

struct parsed {
  std::optional<app_config> config;
  std::vector<std::string> messages;
};

parsed parse(std::string_view yaml) {
  diagnostics d;
  parsed p;
  p.config = parse_config(yaml, "c.yaml", d, false);
  p.messages = formatted(d);
  return p;
}

// Lines 1-7 of a valid config; tests append feed fields (4-space indent) from line 8 on.
const std::string head = R"(feeds:
  - id: cse100
    site: site
    timezone: America/Los_Angeles
    term: {start: 2025-03-31, end: 2025-06-06}
    meetings:
      - {kind: lecture, days: [Mon, Wed, Fri], start: "11:00", end: "11:50"}
)";

using strings = std::vector<std::string>;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh folder under the system temp dir, removed at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() / ("coursecal-config-test-" + std::to_string(stamp));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// --- the example ---------------------------------------------------------------------------

const fs::path example = fs::path(COURSECAL_EXAMPLES_DIR) / "coursecal.yaml";

TEST(example_config, parses_without_site_check) {
  diagnostics d;
  const auto c = parse_config(read_text(example), "examples/coursecal.yaml", d, false);
  ASSERT_TRUE(c) << ::testing::PrintToString(formatted(d));
  EXPECT_TRUE(d.empty()) << ::testing::PrintToString(formatted(d));

  EXPECT_EQ(c->dir, "examples");
  EXPECT_EQ(c->server.listen_host, "127.0.0.1");
  EXPECT_EQ(c->server.listen_port, 8080);
  EXPECT_EQ(c->server.refresh, "PT6H");
  EXPECT_EQ(c->server.refresh_seconds, 6 * 3600);
  EXPECT_EQ(c->server.public_url, "");

  ASSERT_EQ(c->feeds.size(), 1u);
  const feed_config& f = c->feeds[0];
  EXPECT_EQ(f.id, "dsc204a");
  EXPECT_EQ(f.site, "dsc204a");
  EXPECT_EQ(f.site_path, "examples/dsc204a");
  EXPECT_EQ(f.name, "DSC 204A: Scalable Data Systems");
  EXPECT_EQ(f.short_name, "DSC 204A");
  EXPECT_EQ(f.timezone, "America/Los_Angeles");
  EXPECT_EQ(f.term.start, sys_days{2025_y / 3 / 31});
  EXPECT_EQ(f.term.end, sys_days{2025_y / 6 / 6});
  EXPECT_EQ(f.term.week1, sys_days{2025_y / 3 / 31});
  ASSERT_EQ(f.term.holidays.size(), 1u);
  EXPECT_EQ(f.term.holidays[0].name, "Memorial Day");
  EXPECT_EQ(f.term.holidays[0].from, sys_days{2025_y / 5 / 26});
  EXPECT_EQ(f.term.holidays[0].to, sys_days{2025_y / 5 / 26});
  EXPECT_TRUE(f.term.breaks.empty());

  ASSERT_EQ(f.meetings.size(), 2u);
  EXPECT_EQ(f.meetings[0].kind, "lecture");
  EXPECT_EQ(f.meetings[0].days,
            (std::vector<date::weekday>{date::Monday, date::Wednesday, date::Friday}));
  EXPECT_EQ(f.meetings[0].start, 11 * 60);
  EXPECT_EQ(f.meetings[0].end, 11 * 60 + 50);
  EXPECT_EQ(f.meetings[0].location, "CENTR 214");
  EXPECT_EQ(f.meetings[1].kind, "discussion");
  EXPECT_EQ(f.meetings[1].days, std::vector<date::weekday>{date::Thursday});
  EXPECT_EQ(f.meetings[1].start, 17 * 60);
  EXPECT_EQ(f.meetings[1].location, "WLH 2001");

  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].date, sys_days{2025_y / 5 / 5});
  EXPECT_FALSE(f.changes[0].cancel);
  EXPECT_EQ(f.changes[0].kind, "");
  EXPECT_FALSE(f.changes[0].to);
  EXPECT_EQ(f.changes[0].location, "WLH 2005");
  EXPECT_EQ(f.changes[0].note, "Midterm in WLH 2005 (a bigger room)");

  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].title, "Final exam");
  EXPECT_EQ(f.events[0].kind, "exam");
  EXPECT_EQ(f.events[0].date, sys_days{2025_y / 6 / 10});
  EXPECT_EQ(f.events[0].start, 11 * 60 + 30);
  EXPECT_EQ(f.events[0].end, 14 * 60 + 29);
  EXPECT_EQ(f.events[0].location, "CENTR 214");
  EXPECT_EQ(f.deadline_time, 23 * 60 + 59);

  // Every entry knows where it was written.
  EXPECT_EQ(f.loc.file, "examples/coursecal.yaml");
  EXPECT_EQ(f.loc.line, 16);
  EXPECT_EQ(f.loc.col, 5);
  EXPECT_GT(f.meetings[1].loc.line, f.meetings[0].loc.line);
  EXPECT_GT(f.events[0].loc.line, f.changes[0].loc.line);
}

TEST(example_config, site_check_passes_when_the_site_folder_exists) {
  temp_dir tmp;
  fs::copy_file(example, tmp.path() / "coursecal.yaml");
  fs::create_directory(tmp.path() / "dsc204a");
  diagnostics d;
  const auto c = read_config_file((tmp.path() / "coursecal.yaml").string(), d);
  ASSERT_TRUE(c) << ::testing::PrintToString(formatted(d));
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(c->feeds[0].site_path, (tmp.path() / "dsc204a").string());
}

TEST(example_config, site_check_fails_when_the_site_folder_is_missing) {
  temp_dir tmp;
  const std::string path = (tmp.path() / "coursecal.yaml").string();
  fs::copy_file(example, path);
  diagnostics d;
  EXPECT_FALSE(read_config_file(path, d));
  EXPECT_EQ(formatted(d), strings{path + ":17:11: error: site folder '" +
                                  (tmp.path() / "dsc204a").string() + "' does not exist"});

  // A file where the folder should be is no better.
  std::ofstream(tmp.path() / "dsc204a") << "not a folder";
  diagnostics d2;
  EXPECT_FALSE(read_config_file(path, d2));
  EXPECT_EQ(formatted(d2), strings{path + ":17:11: error: site '" +
                                   (tmp.path() / "dsc204a").string() + "' is not a folder"});
}

// --- files and documents -------------------------------------------------------------------

TEST(config_file, missing_file_is_an_error_not_an_exception) {
  diagnostics d;
  EXPECT_FALSE(read_config_file("/nonexistent/coursecal.yaml", d));
  EXPECT_EQ(formatted(d),
            strings{"/nonexistent/coursecal.yaml: error: cannot open the configuration file: No "
                    "such file or directory"});
}

TEST(config_file, empty_file) {
  EXPECT_EQ(parse("").messages,
            strings{"c.yaml:1:1: error: the configuration is empty (expected a map with 'feeds')"});
  EXPECT_EQ(parse("# nothing but a comment\n").messages,
            strings{"c.yaml:1:1: error: the configuration is empty (expected a map with 'feeds')"});
  EXPECT_FALSE(parse("").config);
}

TEST(config_file, top_level_must_be_a_map) {
  EXPECT_EQ(parse("- a\n- b\n").messages,
            strings{"c.yaml:1:1: error: the configuration must be a map with 'feeds', got a list"});
  EXPECT_EQ(parse("\n  just text\n").messages,
            strings{"c.yaml:2:3: error: the configuration must be a map with 'feeds', got 'just "
                    "text'"});
}

TEST(config_file, yaml_syntax_error_has_its_position) {
  const parsed p = parse("feeds:\n  - id: a\n   site: b\n");
  EXPECT_FALSE(p.config);
  EXPECT_EQ(p.messages, strings{"c.yaml:3:4: error: YAML syntax error: end of sequence not found"});
  EXPECT_EQ(parse("feeds:\n  - {id: a, site: b\n").messages,
            strings{"c.yaml:3:1: error: YAML syntax error: end of map flow not found"});
}

// Found by fuzz/fuzz_config: yaml-cpp 0.7's LoadAll never returns (and eats memory) on a stray
// ',' at the top level. It is reported, quickly.
TEST(config_file, stray_comma_is_a_syntax_error_not_a_hang) {
  EXPECT_EQ(parse(",").messages,
            strings{"c.yaml:1:1: error: YAML syntax error: ',' outside [ ] or { }"});
  EXPECT_EQ(parse("\n\n  ,x\n").messages,
            strings{"c.yaml:3:3: error: YAML syntax error: ',' outside [ ] or { }"});
  EXPECT_FALSE(parse("# a comment\n,\nfeeds: []\n").config);
}

TEST(config_file, one_document_only) {
  const parsed p = parse(head + "---\nfeeds: []\n");
  EXPECT_EQ(p.messages,
            strings{"c.yaml:9:1: error: the configuration must be one YAML document, found 2"});
}

TEST(config_file, feeds_missing_empty_or_not_a_list) {
  EXPECT_EQ(parse("server: {listen: '127.0.0.1:80'}\n").messages,
            strings{"c.yaml:1:1: error: missing required field 'feeds' in configuration"});
  EXPECT_EQ(parse("feeds:\n").messages,
            strings{"c.yaml:1:1: error: missing required field 'feeds' in configuration"});
  EXPECT_EQ(parse("feeds: []\n").messages,
            strings{"c.yaml:1:8: error: 'feeds' must list at least one feed"});
  EXPECT_EQ(parse("feeds: {id: a}\n").messages,
            strings{"c.yaml:1:8: error: 'feeds' must be a list of feeds, got a map"});
  EXPECT_EQ(parse("feeds: [cse100]\n").messages,
            strings{"c.yaml:1:9: error: each entry of 'feeds' must be a map, got 'cse100'"});
}

// --- field names ---------------------------------------------------------------------------

TEST(field_names, unknown_field_suggests_the_closest_name) {
  const parsed p = parse(head + "    meetngs: []\n");
  EXPECT_FALSE(p.config);
  EXPECT_EQ(p.messages,
            strings{"c.yaml:8:5: error: unknown field 'meetngs' in feed (expected one of: id, "
                    "site, name, short_name, timezone, term, meetings, changes, events, "
                    "deadlines, holiday_notes, url); did you mean 'meetings'?"});
}

TEST(field_names, unknown_field_far_from_every_name_gets_no_suggestion) {
  EXPECT_EQ(parse(head + "    colour: blue\n").messages,
            strings{"c.yaml:8:5: error: unknown field 'colour' in feed (expected one of: id, "
                    "site, name, short_name, timezone, term, meetings, changes, events, "
                    "deadlines, holiday_notes, url)"});
}

TEST(field_names, unknown_fields_at_every_level) {
  const std::string yaml = R"(sever: {listen: '127.0.0.1:80'}
server: {lisen: '127.0.0.1:80'}
feeds:
  - id: a
    site: s
    timezone: UTC
    term: {start: 2025-01-06, end: 2025-03-14, hollidays: []}
    meetings:
      - {kind: lecture, days: [Mon], start: "10:00", end: "10:50", room: B1}
    changes: [{date: 2025-01-06, cancelled: true}]
    events: [{title: Quiz, date: 2025-01-08, where: B1}]
    deadlines: {tme: "23:59"}
)";
  EXPECT_EQ(
      parse(yaml).messages,
      (strings{
          "c.yaml:1:1: error: unknown field 'sever' in configuration (expected one of: server, "
          "feeds); did you mean 'server'?",
          "c.yaml:2:10: error: unknown field 'lisen' in server (expected one of: listen, "
          "public_url, refresh); did you mean 'listen'?",
          "c.yaml:7:48: error: unknown field 'hollidays' in term (expected one of: start, end, "
          "week1, holidays, breaks); did you mean 'holidays'?",
          "c.yaml:9:68: error: unknown field 'room' in meeting (expected one of: kind, days, "
          "start, end, location, from, until, name); did you mean 'from'?",
          "c.yaml:10:15: warning: change on 2025-01-06 does nothing (expected one of: cancel, to, "
          "start, end, location, note)",
          "c.yaml:10:34: error: unknown field 'cancelled' in change (expected one of: date, kind, "
          "cancel, to, start, end, location, note); did you mean 'cancel'?",
          "c.yaml:11:46: error: unknown field 'where' in event (expected one of: title, date, "
          "start, end, location, kind, description)",
          "c.yaml:12:17: error: unknown field 'tme' in deadlines (expected one of: time); did you "
          "mean 'time'?",
      }));
}

TEST(field_names, duplicate_field) {
  EXPECT_EQ(parse(head + "    timezone: UTC\n").messages,
            strings{"c.yaml:8:5: error: duplicate field 'timezone' in feed (first given at line "
                    "4)"});
}

// --- feeds ---------------------------------------------------------------------------------

TEST(feed, missing_required_fields_are_reported_at_the_feed) {
  EXPECT_EQ(parse("feeds:\n  - name: Nothing else\n").messages,
            (strings{
                "c.yaml:2:5: error: missing required field 'id' in feed",
                "c.yaml:2:5: error: missing required field 'site' in feed",
                "c.yaml:2:5: error: missing required field 'term' in feed",
            }));
  // 'timezone' is optional (the site's _config.yml gives the default); empty is the same as
  // absent.
  const parsed empty_tz = parse(
      "feeds:\n  - id: a\n    site: s\n    timezone:\n    term: {start: 2025-01-06, "
      "end: 2025-01-10}\n    meetings: []\n");
  EXPECT_TRUE(empty_tz.messages.empty());
  ASSERT_TRUE(empty_tz.config);
  EXPECT_EQ(empty_tz.config->feeds[0].timezone, "");
}

TEST(feed, id_must_match_the_pattern) {
  for (const std::string bad : {"CSE100", "-a", "a_b", "a b", "a.b"}) {
    std::string yaml = head;
    yaml.replace(yaml.find("cse100"), 6, bad);
    EXPECT_EQ(
        parse(yaml).messages,
        strings{"c.yaml:2:9: error: 'id' in feed must match [a-z0-9][a-z0-9-]*, got '" + bad + "'"})
        << bad;
  }
  std::string empty = head;
  empty.replace(empty.find("cse100"), 6, "''");
  EXPECT_EQ(parse(empty).messages, strings{"c.yaml:2:9: error: 'id' in feed must not be empty"});
  for (const std::string good : {"a", "0", "cse-100", "dsc204a"}) {
    std::string yaml = head;
    yaml.replace(yaml.find("cse100"), 6, good);
    const parsed p = parse(yaml);
    ASSERT_TRUE(p.config) << good;
    EXPECT_EQ(p.config->feeds[0].id, good);
  }
}

TEST(feed, duplicate_id_names_the_first_line) {
  const std::string yaml = head + R"(  - id: other
    site: site
    timezone: UTC
    term: {start: 2025-01-06, end: 2025-03-14}
    meetings: [{kind: lab, days: [Tue], start: "09:00", end: "10:00"}]
  - id: cse100
    site: site2
    timezone: UTC
    term: {start: 2025-01-06, end: 2025-03-14}
    meetings: [{kind: lab, days: [Tue], start: "09:00", end: "10:00"}]
)";
  const parsed p = parse(yaml);
  EXPECT_FALSE(p.config);
  EXPECT_EQ(p.messages,
            strings{"c.yaml:13:9: error: duplicate feed id 'cse100' (first defined at line 2)"});
}

TEST(feed, unknown_time_zone) {
  std::string yaml = head;
  yaml.replace(yaml.find("America/Los_Angeles"), 19, "America/LosAngeles");
  EXPECT_EQ(parse(yaml).messages,
            strings{"c.yaml:4:15: error: unknown time zone 'America/LosAngeles' in 'timezone' "
                    "(expected an IANA name such as America/Los_Angeles)"});
  yaml.replace(yaml.find("America/LosAngeles"), 18, "Europe/Berlin");
  ASSERT_TRUE(parse(yaml).config);
  EXPECT_EQ(parse(yaml).config->feeds[0].timezone, "Europe/Berlin");
}

TEST(feed, site_paths_are_relative_to_the_config_folder) {
  const std::string yaml = R"(feeds:
  - {id: a, site: ../sites/a/, timezone: UTC, term: {start: 2025-01-06, end: 2025-01-10}}
  - {id: b, site: /srv/b, timezone: UTC, term: {start: 2025-01-06, end: 2025-01-10}}
  - {id: c, site: ./c, timezone: UTC, term: {start: 2025-01-06, end: 2025-01-10}}
)";
  diagnostics d;
  const auto c = parse_config(yaml, "/etc/coursecal/coursecal.yaml", d, false);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->dir, "/etc/coursecal");
  EXPECT_EQ(c->feeds[0].site, "../sites/a/");
  EXPECT_EQ(c->feeds[0].site_path, "/etc/sites/a");
  EXPECT_EQ(c->feeds[1].site_path, "/srv/b");
  EXPECT_EQ(c->feeds[2].site_path, "/etc/coursecal/c");
  // No meetings is not a problem of the config: the site may give them (the build says).
  EXPECT_EQ(d.warning_count(), 0u);

  const auto bare = parse_config(yaml, "coursecal.yaml", d, false);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->dir, ".");
  EXPECT_EQ(bare->feeds[2].site_path, "c");
}

// --- term ----------------------------------------------------------------------------------

std::string with_term(const std::string& term) {
  std::string yaml = head;
  yaml.replace(yaml.find("{start: 2025-03-31, end: 2025-06-06}"), 36, term);
  return yaml;
}

TEST(term, dates_must_be_iso_calendar_dates) {
  EXPECT_EQ(parse(with_term("{start: 2025-02-29, end: 6/6/2025}")).messages,
            (strings{
                "c.yaml:5:19: error: 'start' in term must be a real calendar date, got "
                "'2025-02-29'",
                "c.yaml:5:36: error: 'end' in term must be a date YYYY-MM-DD, got '6/6/2025'",
            }));
  EXPECT_EQ(parse(with_term("{start: 2025-03-31}")).messages,
            strings{"c.yaml:5:11: error: missing required field 'end' in term"});
  const parsed leap = parse(with_term("{start: 2024-02-29, end: 2024-06-06}"));
  ASSERT_TRUE(leap.config);
  EXPECT_EQ(leap.config->feeds[0].term.start, sys_days{2024_y / 2 / 29});
}

TEST(term, end_before_start) {
  EXPECT_EQ(parse(with_term("{start: 2025-06-06, end: 2025-03-31}")).messages,
            strings{"c.yaml:5:36: error: 'end' (2025-03-31) in term is before 'start' "
                    "(2025-06-06)"});
  // A one-day term is fine.
  EXPECT_TRUE(parse(with_term("{start: 2025-06-06, end: 2025-06-06}")).config);
}

TEST(term, week1_must_be_a_monday) {
  EXPECT_EQ(parse(with_term("{start: 2025-03-31, end: 2025-06-06, week1: 2025-04-01}")).messages,
            strings{"c.yaml:5:55: error: 'week1' in term must be a Monday, got 2025-04-01 (a "
                    "Tuesday)"});
  const parsed p = parse(with_term("{start: 2025-09-25, end: 2025-12-05, week1: 2025-09-29}"));
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.config->feeds[0].term.week1, sys_days{2025_y / 9 / 29});
}

TEST(term, week1_defaults_to_the_monday_on_or_before_start) {
  // UCSD fall 2025 starts on Thursday 2025-09-25 (week 0).
  const parsed thursday = parse(with_term("{start: 2025-09-25, end: 2025-12-05}"));
  ASSERT_TRUE(thursday.config);
  EXPECT_EQ(thursday.config->feeds[0].term.week1, sys_days{2025_y / 9 / 22});
  const parsed monday = parse(with_term("{start: 2025-03-31, end: 2025-06-06}"));
  ASSERT_TRUE(monday.config);
  EXPECT_EQ(monday.config->feeds[0].term.week1, sys_days{2025_y / 3 / 31});
  const parsed sunday = parse(with_term("{start: 2025-03-30, end: 2025-06-06}"));
  ASSERT_TRUE(sunday.config);
  EXPECT_EQ(sunday.config->feeds[0].term.week1, sys_days{2025_y / 3 / 24});
}

TEST(term, holidays_and_breaks) {
  const std::string yaml = R"(feeds:
  - id: a
    site: s
    timezone: UTC
    meetings: [{kind: lecture, days: [Mon], start: "10:00", end: "10:50"}]
    term:
      start: 2025-09-25
      end: 2025-12-05
      holidays:
        - { date: 2025-11-11, name: Veterans Day }
        - { from: 2025-11-27, to: 2025-11-28, name: Thanksgiving }
        - { date: 2025-12-25, name: Christmas }
        - { from: 2025-12-01, to: 2025-12-12, name: Long weekend }
      breaks:
        - { from: 2025-10-13, to: 2025-10-17, name: Fall break }
)";
  const parsed p = parse(yaml);
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.messages,
            (strings{
                "c.yaml:12:11: warning: holiday 'Christmas' (2025-12-25) is outside the term "
                "(2025-09-25 to 2025-12-05)",
                "c.yaml:13:11: warning: holiday 'Long weekend' (2025-12-01 to 2025-12-12) extends "
                "outside the term (2025-09-25 to 2025-12-05)",
            }));
  const term_config& t = p.config->feeds[0].term;
  ASSERT_EQ(t.holidays.size(), 4u);
  EXPECT_EQ(t.holidays[0].from, sys_days{2025_y / 11 / 11});
  EXPECT_EQ(t.holidays[0].to, sys_days{2025_y / 11 / 11});
  EXPECT_EQ(t.holidays[1].name, "Thanksgiving");
  EXPECT_EQ(t.holidays[1].to, sys_days{2025_y / 11 / 28});
  EXPECT_EQ(t.holidays[1].loc.line, 11);
  EXPECT_EQ(t.holidays[1].loc.col, 11);
  ASSERT_EQ(t.breaks.size(), 1u);
  EXPECT_EQ(t.breaks[0].name, "Fall break");
  EXPECT_EQ(t.breaks[0].from, sys_days{2025_y / 10 / 13});
}

TEST(term, malformed_holidays_and_breaks) {
  const std::string yaml = R"(feeds:
  - id: a
    site: s
    timezone: UTC
    meetings: [{kind: lecture, days: [Mon], start: "10:00", end: "10:50"}]
    term:
      start: 2025-09-25
      end: 2025-12-05
      holidays:
        - { from: 2025-11-28, to: 2025-11-27, name: Backwards }
        - { name: No date }
        - { date: 2025-11-11, from: 2025-11-11, to: 2025-11-12 }
        - { from: 2025-11-11 }
        - 2025-11-11
      breaks:
        - { date: 2025-10-13, name: Fall break }
)";
  EXPECT_EQ(
      parse(yaml).messages,
      (strings{
          "c.yaml:10:35: error: 'to' (2025-11-27) in holiday is before 'from' (2025-11-28)",
          "c.yaml:11:11: error: holiday needs either 'date' or 'from' and 'to'",
          "c.yaml:12:11: error: holiday has both 'date' and 'from'/'to' (give one or the other)",
          "c.yaml:13:11: error: missing required field 'to' in holiday",
          "c.yaml:14:11: error: each entry of 'holidays' must be a map, got '2025-11-11'",
          "c.yaml:16:11: error: missing required field 'from' in break",
          "c.yaml:16:11: error: missing required field 'to' in break",
          "c.yaml:16:13: error: unknown field 'date' in break (expected one of: from, to, name); "
          "did you mean 'name'?",
      }));
}

// --- meetings ------------------------------------------------------------------------------

std::string with_meeting(const std::string& meeting) {
  std::string yaml = head;
  const std::string old = R"({kind: lecture, days: [Mon, Wed, Fri], start: "11:00", end: "11:50"})";
  yaml.replace(yaml.find(old), old.size(), meeting);
  return yaml;
}

TEST(meetings, fields_are_read) {
  const parsed p = parse(with_meeting(
      "{kind: office-hours, days: [tue, THURSDAY, Sat], start: 9:05, end: '10:00', location: "
      "CSE 4140, from: 2025-04-07, until: 2025-05-30}"));
  ASSERT_TRUE(p.config) << ::testing::PrintToString(p.messages);
  EXPECT_TRUE(p.messages.empty());
  const meeting_rule& m = p.config->feeds[0].meetings[0];
  EXPECT_EQ(m.kind, "office-hours");
  EXPECT_EQ(m.days, (std::vector<date::weekday>{date::Tuesday, date::Thursday, date::Saturday}));
  EXPECT_EQ(m.start, 9 * 60 + 5);
  EXPECT_EQ(m.end, 10 * 60);
  EXPECT_EQ(m.location, "CSE 4140");
  EXPECT_EQ(m.from, sys_days{2025_y / 4 / 7});
  EXPECT_EQ(m.until, sys_days{2025_y / 5 / 30});
  EXPECT_EQ(m.loc.line, 7);
  EXPECT_EQ(m.loc.col, 9);
}

TEST(meetings, unquoted_times_are_read_as_text) {
  const parsed p = parse(with_meeting("{kind: lab, days: [Mon], start: 11:00, end: 12:50}"));
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.config->feeds[0].meetings[0].start, 11 * 60);
  EXPECT_EQ(p.config->feeds[0].meetings[0].end, 12 * 60 + 50);
}

TEST(meetings, unknown_kind) {
  EXPECT_EQ(
      parse(with_meeting(R"({kind: lectur, days: [Mon], start: "11:00", end: "11:50"})")).messages,
      strings{"c.yaml:7:16: error: unknown kind 'lectur' in meeting (expected one of: "
              "lecture, discussion, section, lab, office-hours, other); did you mean "
              "'lecture'?"});
  EXPECT_EQ(parse(with_meeting(R"({days: [Mon], start: "11:00", end: "11:50"})")).messages,
            strings{"c.yaml:7:9: error: missing required field 'kind' in meeting"});
}

TEST(meetings, unknown_weekday_is_reported_at_its_own_position) {
  EXPECT_EQ(
      parse(
          with_meeting(
              R"({kind: lab, days: [Mon, Thurs, Fri, Caturday, [x]], start: "11:00", end: "11:50"})"))
          .messages,
      (strings{
          "c.yaml:7:33: error: unknown weekday 'Thurs' in 'days' (expected one of: Mon, Tue, "
          "Wed, Thu, Fri, Sat, Sun); did you mean 'Thu'?",
          "c.yaml:7:45: error: unknown weekday 'Caturday' in 'days' (expected one of: Mon, Tue, "
          "Wed, Thu, Fri, Sat, Sun); did you mean 'Saturday'?",
          "c.yaml:7:55: error: each entry of 'days' must be a weekday (Mon, Tue, Wed, Thu, Fri, "
          "Sat, Sun), got a list",
      }));
}

TEST(meetings, days_must_be_a_non_empty_list) {
  EXPECT_EQ(parse(with_meeting(R"({kind: lab, days: [], start: "11:00", end: "11:50"})")).messages,
            strings{"c.yaml:7:27: error: 'days' in meeting must be a non-empty list of weekdays "
                    "(Mon, Tue, Wed, Thu, Fri, Sat, Sun), got an empty list"});
  EXPECT_EQ(parse(with_meeting(R"({kind: lab, days: Mon, start: "11:00", end: "11:50"})")).messages,
            strings{"c.yaml:7:27: error: 'days' in meeting must be a non-empty list of weekdays "
                    "(Mon, Tue, Wed, Thu, Fri, Sat, Sun), got 'Mon'"});
}

TEST(meetings, repeated_weekday_is_a_warning) {
  const parsed p =
      parse(with_meeting(R"({kind: lab, days: [Mon, monday], start: "11:00", end: "11:50"})"));
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.messages,
            strings{"c.yaml:7:33: warning: weekday 'monday' is listed twice in 'days'"});
  EXPECT_EQ(p.config->feeds[0].meetings[0].days, std::vector<date::weekday>{date::Monday});
}

TEST(meetings, times) {
  EXPECT_EQ(parse(with_meeting(R"({kind: lab, days: [Mon], start: "11:60", end: 11am})")).messages,
            (strings{
                "c.yaml:7:41: error: 'start' in meeting must be a 24-hour time HH:MM, got '11:60'",
                "c.yaml:7:55: error: 'end' in meeting must be a 24-hour time HH:MM, got '11am'",
            }));
  EXPECT_EQ(
      parse(with_meeting(R"({kind: lab, days: [Mon], start: "11:50", end: "11:50"})")).messages,
      strings{"c.yaml:7:55: error: 'end' (11:50) in meeting must be after 'start' (11:50)"});
  EXPECT_EQ(parse(with_meeting(R"({kind: lab, days: [Mon], start: "11:50"})")).messages,
            strings{"c.yaml:7:9: error: missing required field 'end' in meeting"});
}

TEST(meetings, from_and_until) {
  EXPECT_EQ(
      parse(
          with_meeting(
              R"({kind: lab, days: [Mon], start: "11:00", end: "11:50", from: 2025-05-01, until: 2025-04-01})"))
          .messages,
      strings{"c.yaml:7:89: error: 'until' (2025-04-01) in meeting is before 'from' "
              "(2025-05-01)"});
  EXPECT_EQ(
      parse(with_meeting(
                R"({kind: lab, days: [Mon], start: "11:00", end: "11:50", until: 2025-07-01})"))
          .messages,
      strings{"c.yaml:7:71: warning: 'until' (2025-07-01) in meeting is outside the term "
              "(2025-03-31 to 2025-06-06)"});
}

// Without meetings a feed is valid (the site's _schedules/weekly.md may give them): whether
// it has any is said once the site is read (tests/daemon/test_pipeline.cpp).
TEST(meetings, none_is_not_an_error) {
  std::string yaml = head;
  yaml.erase(yaml.find("    meetings:"));
  yaml += "    events: [{title: Final, date: 2025-06-10}]\n";
  const parsed p = parse(yaml);
  ASSERT_TRUE(p.config);
  EXPECT_TRUE(p.messages.empty());
  EXPECT_TRUE(p.config->feeds[0].meetings.empty());
}

TEST(feed, holiday_notes_is_a_switch) {
  EXPECT_TRUE(parse(head).config->feeds[0].holiday_notes);
  const parsed off = parse(head + "    holiday_notes: false\n");
  ASSERT_TRUE(off.config);
  EXPECT_FALSE(off.config->feeds[0].holiday_notes);
  EXPECT_EQ(parse(head + "    holiday_notes: sometimes\n").messages,
            strings{"c.yaml:8:20: error: 'holiday_notes' in feed must be true or false, got "
                    "'sometimes'"});
}

// --- changes -------------------------------------------------------------------------------

TEST(changes, fields_are_read) {
  const parsed p = parse(head + R"(    changes:
      - { date: 2025-05-05, cancel: true, note: "No class: instructor travelling" }
      - { date: 2025-05-30, kind: lecture, start: "12:00", end: "13:20", location: Zoom }
      - { date: 2025-04-02, to: 2025-04-03, note: Moved }
      - { date: 2025-04-04, cancel: no, end: "12:10" }
)");
  ASSERT_TRUE(p.config) << ::testing::PrintToString(p.messages);
  EXPECT_TRUE(p.messages.empty()) << ::testing::PrintToString(p.messages);
  const auto& c = p.config->feeds[0].changes;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_TRUE(c[0].cancel);
  EXPECT_EQ(c[0].note, "No class: instructor travelling");
  EXPECT_EQ(c[1].kind, "lecture");
  EXPECT_EQ(c[1].start, 12 * 60);
  EXPECT_EQ(c[1].end, 13 * 60 + 20);
  EXPECT_EQ(c[1].location, "Zoom");
  EXPECT_EQ(c[2].to, sys_days{2025_y / 4 / 3});
  EXPECT_FALSE(c[2].start);
  EXPECT_FALSE(c[3].cancel);
  EXPECT_FALSE(c[3].start);
  EXPECT_EQ(c[3].end, 12 * 60 + 10);
  EXPECT_EQ(c[3].loc.line, 12);
}

TEST(changes, errors) {
  EXPECT_EQ(parse(head + R"(    changes:
      - { cancel: true }
      - { date: 2025-05-05, cancel: maybe }
      - { date: 2025-05-05, kind: seminar, to: tomorrow }
      - { date: 2025-05-05, start: "13:00", end: "12:00" }
)")
                .messages,
            (strings{
                "c.yaml:9:9: error: missing required field 'date' in change",
                "c.yaml:10:37: error: 'cancel' in change must be true or false, got 'maybe'",
                "c.yaml:11:35: error: unknown kind 'seminar' in change (expected one of: "
                "lecture, discussion, section, lab, office-hours, other)",
                "c.yaml:11:48: error: 'to' in change must be a date YYYY-MM-DD, got 'tomorrow'",
                "c.yaml:12:50: error: 'end' (12:00) in change must be after 'start' (13:00)",
            }));
}

TEST(changes, warnings) {
  const parsed p = parse(head + R"(    changes:
      - { date: 2025-05-05 }
      - { date: 2025-05-07, cancel: true, start: "12:00", location: Zoom }
      - { date: 2025-05-06, cancel: true }
      - { date: 2025-07-07, cancel: true }
      - { date: 2025-05-09, to: 2025-06-09 }
)");
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.messages,
            (strings{
                "c.yaml:9:9: warning: change on 2025-05-05 does nothing (expected one of: "
                "cancel, to, start, end, location, note)",
                "c.yaml:10:9: warning: change on 2025-05-07 cancels the meeting, so 'start', "
                "'location' has no effect",
                "c.yaml:11:9: warning: change on 2025-05-06: no lecture is scheduled that day (a "
                "Tuesday)",
                "c.yaml:12:9: warning: change on 2025-07-07 is outside the term (2025-03-31 to "
                "2025-06-06)",
                "c.yaml:13:33: warning: 'to' (2025-06-09) in change is outside the term "
                "(2025-03-31 to 2025-06-06)",
            }));
  EXPECT_EQ(p.config->feeds[0].changes.size(), 5u);
}

// --- events --------------------------------------------------------------------------------

TEST(events, kinds_default_from_the_title) {
  const parsed p = parse(head + R"(    events:
      - { title: Midterm 1, date: 2025-04-30, start: "11:00", end: "11:50" }
      - { title: FINAL EXAM, date: 2025-06-10 }
      - { title: Final project presentations, date: 2025-06-09 }
      - { title: Exam review, date: 2025-06-08, kind: review }
      - { title: Guest talk, date: 2025-04-16, location: SDSC, description: "Bring questions" }
)");
  ASSERT_TRUE(p.config) << ::testing::PrintToString(p.messages);
  const auto& e = p.config->feeds[0].events;
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[0].kind, "exam");
  EXPECT_EQ(e[0].start, 11 * 60);
  EXPECT_EQ(e[1].kind, "exam");
  EXPECT_FALSE(e[1].start);  // all-day
  EXPECT_FALSE(e[1].end);
  EXPECT_EQ(e[2].kind, "exam");
  EXPECT_EQ(e[3].kind, "review");
  EXPECT_EQ(e[4].kind, "event");
  EXPECT_EQ(e[4].location, "SDSC");
  EXPECT_EQ(e[4].description, "Bring questions");
  EXPECT_EQ(e[4].loc.line, 13);
}

TEST(events, errors) {
  EXPECT_EQ(parse(head + R"(    events:
      - { date: 2025-04-30 }
      - { title: Quiz, date: 2025-04-31 }
      - { title: Quiz, date: 2025-04-30, start: "11:00" }
      - { title: Quiz, date: 2025-04-30, end: "11:00" }
      - { title: Quiz, date: 2025-04-30, start: "11:00", end: "10:00" }
)")
                .messages,
            (strings{
                "c.yaml:9:9: error: missing required field 'title' in event",
                "c.yaml:10:30: error: 'date' in event must be a real calendar date, got "
                "'2025-04-31'",
                "c.yaml:11:9: error: event has 'start' but no 'end' (give both for a timed "
                "event, neither for an all-day one)",
                "c.yaml:12:9: error: event has 'end' but no 'start' (give both for a timed "
                "event, neither for an all-day one)",
                "c.yaml:13:63: error: 'end' (10:00) in event must be after 'start' (11:00)",
            }));
}

// --- deadlines and server ------------------------------------------------------------------

TEST(deadlines, time) {
  const parsed none = parse(head);
  ASSERT_TRUE(none.config);
  EXPECT_FALSE(none.config->feeds[0].deadline_time);
  const parsed set = parse(head + "    deadlines: {time: \"23:59\"}\n");
  ASSERT_TRUE(set.config);
  EXPECT_EQ(set.config->feeds[0].deadline_time, 23 * 60 + 59);
  EXPECT_EQ(parse(head + "    deadlines: {time: midnight}\n").messages,
            strings{"c.yaml:8:23: error: 'time' in deadlines must be a 24-hour time HH:MM, got "
                    "'midnight'"});
  EXPECT_EQ(parse(head + "    deadlines: \"23:59\"\n").messages,
            strings{"c.yaml:8:16: error: 'deadlines' in feed must be a map, got '23:59'"});
}

TEST(server, defaults) {
  const parsed p = parse(head);
  ASSERT_TRUE(p.config);
  const server_config& s = p.config->server;
  EXPECT_EQ(s.listen_host, "127.0.0.1");
  EXPECT_EQ(s.listen_port, 8080);
  EXPECT_EQ(s.public_url, "");
  EXPECT_EQ(s.refresh, "PT6H");
  EXPECT_EQ(s.refresh_seconds, 21600);
}

TEST(server, fields_are_read) {
  const parsed p = parse(
      "server:\n  listen: '[::1]:0'\n  public_url: https://cal.example.edu/\n  refresh: P1D\n" +
      head);
  ASSERT_TRUE(p.config) << ::testing::PrintToString(p.messages);
  const server_config& s = p.config->server;
  EXPECT_EQ(s.listen_host, "::1");
  EXPECT_EQ(s.listen_port, 0);
  EXPECT_EQ(s.public_url, "https://cal.example.edu");
  EXPECT_EQ(s.refresh, "P1D");
  EXPECT_EQ(s.refresh_seconds, 86400);
  EXPECT_EQ(s.loc.line, 2);
  EXPECT_EQ(s.loc.col, 3);
}

TEST(server, listen_forms) {
  struct row {
    std::string listen;
    std::string host;
    int port;
  };
  for (const row& r : std::vector<row>{{"127.0.0.1:8080", "127.0.0.1", 8080},
                                       {"0.0.0.0:65535", "0.0.0.0", 65535},
                                       {"localhost:0", "localhost", 0},
                                       {"cal.example.edu:443", "cal.example.edu", 443},
                                       {"[::]:80", "::", 80},
                                       {"[fe80::1%eth0]:8080", "fe80::1%eth0", 8080}}) {
    const parsed p = parse("server: {listen: '" + r.listen + "'}\n" + head);
    ASSERT_TRUE(p.config) << r.listen;
    EXPECT_EQ(p.config->server.listen_host, r.host);
    EXPECT_EQ(p.config->server.listen_port, r.port);
  }
  for (const std::string bad :
       {"8080", "::1:8080", "host:", ":8080", "host:65536", "host:-1", "host:8o", "[::1]8080",
        "[::1:80", "[]:80", "a b:80", "host:123456"}) {
    EXPECT_EQ(parse("server: {listen: '" + bad + "'}\n" + head).messages,
              strings{"c.yaml:1:18: error: 'listen' in server must be host:port or "
                      "[IPv6]:port with a port from 0 to 65535, got '" +
                      bad + "'"})
        << bad;
  }
}

TEST(server, public_url_and_refresh_errors) {
  EXPECT_EQ(parse("server:\n  public_url: ftp://x\n  refresh: P1M\n" + head).messages,
            (strings{
                "c.yaml:2:15: error: 'public_url' in server must be an http:// or https:// URL, "
                "got 'ftp://x'",
                "c.yaml:3:12: error: 'refresh' in server must be a non-zero ISO 8601 duration "
                "such as PT6H, got 'P1M'",
            }));
  EXPECT_EQ(parse("server:\n  public_url: 'http://'\n" + head).messages,
            strings{"c.yaml:2:15: error: 'public_url' in server must be an http:// or https:// "
                    "URL, got 'http://'"});
  const parsed p = parse("server: {public_url: 'http://host:8080/cal///'}\n" + head);
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.config->server.public_url, "http://host:8080/cal");
  EXPECT_EQ(parse("server: [1]\n" + head).messages,
            strings{"c.yaml:1:9: error: 'server' must be a map, got a list"});
}

// --- many errors at once, robustness -------------------------------------------------------

TEST(collect, every_error_in_one_run_sorted_by_place) {
  const std::string yaml = R"(server: {listen: nowhere}
feeds:
  - id: Bad_Id
    site: s
    timezone: Mars/Olympus_Mons
    term: {start: 2025-03-31, end: 2025-02-30}
    meetings:
      - {kind: lecture, days: [Mon, Funday], start: "11:00", end: "10:00"}
    evnts: []
)";
  diagnostics d;
  d.warn({"earlier.yaml", 1, 1}, "left alone");
  const auto c = parse_config(yaml, "c.yaml", d, false);
  EXPECT_FALSE(c);
  EXPECT_EQ(d.error_count(), 7u);
  EXPECT_EQ(formatted(d),
            (strings{
                "earlier.yaml:1:1: warning: left alone",
                "c.yaml:1:18: error: 'listen' in server must be host:port or [IPv6]:port with a "
                "port from 0 to 65535, got 'nowhere'",
                "c.yaml:3:9: error: 'id' in feed must match [a-z0-9][a-z0-9-]*, got 'Bad_Id'",
                "c.yaml:5:15: error: unknown time zone 'Mars/Olympus_Mons' in 'timezone' "
                "(expected an IANA name such as America/Los_Angeles)",
                "c.yaml:6:36: error: 'end' in term must be a real calendar date, got "
                "'2025-02-30'",
                "c.yaml:8:37: error: unknown weekday 'Funday' in 'days' (expected one of: Mon, "
                "Tue, Wed, Thu, Fri, Sat, Sun); did you mean 'Sunday'?",
                "c.yaml:8:67: error: 'end' (10:00) in meeting must be after 'start' (11:00)",
                "c.yaml:9:5: error: unknown field 'evnts' in feed (expected one of: id, site, "
                "name, short_name, timezone, term, meetings, changes, events, deadlines, "
                "holiday_notes, url); did you mean 'events'?",
            }));
}

TEST(collect, warnings_alone_do_not_fail) {
  diagnostics d;
  const auto c = parse_config(head + "    changes: [{date: 2025-04-01}]\n", "c.yaml", d, false);
  ASSERT_TRUE(c);
  EXPECT_EQ(d.warning_count(), 2u);  // does nothing; not a lecture day
  EXPECT_EQ(d.error_count(), 0u);
}

TEST(robustness, alias_bomb_is_bounded) {
  // "Billion laughs": 9^10 entries if expanded. The reader only walks what the schema asks for.
  std::string yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 10; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) yaml += (j ? ", " : "") + prev;
    yaml += "]\n";
  }
  yaml += R"(feeds:
  - id: a
    site: s
    timezone: UTC
    term: {start: 2025-01-06, end: 2025-03-14, holidays: *a10, breaks: *a10}
    meetings: [{kind: lecture, days: *a10, start: "10:00", end: "11:00"}]
    changes: *a10
    events: *a10
)";
  const auto begin = std::chrono::steady_clock::now();
  const parsed p = parse(yaml);
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_FALSE(p.config);
  EXPECT_LT(took, std::chrono::seconds(2));
  // 11 unknown top-level fields + 9 bad entries in each of the five lists.
  EXPECT_EQ(p.messages.size(), 11u + 5 * 9);
  EXPECT_EQ(std::count(p.messages.begin(), p.messages.end(),
                       "c.yaml:10:5: error: each entry of 'events' must be a map, got a list"),
            9);
}

TEST(robustness, cyclic_alias_does_not_loop) {
  const parsed p = parse("feeds: &f [*f]\n");
  EXPECT_FALSE(p.config);
  EXPECT_EQ(p.messages,
            strings{"c.yaml:1:8: error: each entry of 'feeds' must be a map, got a list"});
  const parsed in_days =
      parse(with_meeting(R"({kind: lab, days: &d [Mon, *d], start: "11:00", end: "11:50"})"));
  EXPECT_EQ(in_days.messages, strings{"c.yaml:7:27: error: each entry of 'days' must be a weekday "
                                      "(Mon, Tue, Wed, Thu, Fri, Sat, Sun), got a list"});
}

TEST(robustness, ten_thousand_feeds_in_bounded_time) {
  std::string yaml = "feeds:\n";
  for (int i = 0; i < 10000; ++i) {
    yaml += "  - id: course-" + std::to_string(i) + "\n    site: site-" + std::to_string(i) +
            "\n    timezone: America/Los_Angeles\n"
            "    term: {start: 2025-03-31, end: 2025-06-06}\n"
            "    meetings:\n"
            "      - {kind: lecture, days: [Mon, Wed, Fri], start: \"11:00\", end: \"11:50\"}\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const parsed p = parse(yaml);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(p.config) << (p.messages.empty() ? "" : p.messages[0]);
  EXPECT_EQ(p.config->feeds.size(), 10000u);
  EXPECT_EQ(p.config->feeds.back().id, "course-9999");
  EXPECT_LT(took, std::chrono::seconds(60));
}

TEST(robustness, deep_nesting_is_an_error) {
  const parsed p = parse("feeds: " + std::string(100000, '[') + "\n");
  EXPECT_FALSE(p.config);
  ASSERT_EQ(p.messages.size(), 1u);
  // yaml-cpp stops at its depth limit (500) and reports where its scanner stood.
  EXPECT_EQ(p.messages[0], "c.yaml:2:1: error: YAML nesting is too deep (500 levels)");
}

TEST(robustness, odd_inputs_never_throw) {
  for (const std::string& text :
       {std::string("\t- a"), std::string("feeds: [{]"), std::string("\xff\xfe\x00\x01", 4),
        std::string("? [a, b]\n: c\n"), std::string("feeds: !!binary AAAA\n"),
        std::string("*unknown\n"), std::string("feeds:\n  - &x {id: a}\n  - *x\n"),
        std::string("---\n...\n"), std::string("%YAML 9.9\n---\nfeeds: []\n")}) {
    diagnostics d;
    std::optional<app_config> c;
    EXPECT_NO_THROW(c = parse_config(text, "c.yaml", d, true));
    EXPECT_FALSE(c);
    EXPECT_TRUE(d.has_errors()) << text;
  }
}

// --- value parsers -------------------------------------------------------------------------

TEST(parse_clock, table) {
  const std::vector<std::pair<std::string, std::optional<int>>> rows{
      {"00:00", 0},
      {"11:00", 660},
      {"9:05", 545},
      {"09:05", 545},
      {"23:59", 1439},
      {"24:00", std::nullopt},
      {"12:60", std::nullopt},
      {"1200", std::nullopt},
      {"12:0", std::nullopt},
      {"", std::nullopt},
      {"123:00", std::nullopt},
      {" 9:00", std::nullopt},
      {"9:00 ", std::nullopt},
      {"-1:00", std::nullopt},
      {"ab:cd", std::nullopt},
      {"11:00am", std::nullopt},
  };
  for (const auto& [text, want] : rows) EXPECT_EQ(parse_clock(text), want) << text;
}

TEST(parse_iso_duration, table) {
  const std::vector<std::pair<std::string, std::optional<long>>> rows{
      {"PT6H", 21600},
      {"P1D", 86400},
      {"PT30M", 1800},
      {"PT45S", 45},
      {"P1W", 604800},
      {"PT1H30M", 5400},
      {"P1DT12H", 129600},
      {"P2DT1H1M1S", 176461},
      {"PT0H", std::nullopt},  // zero
      {"P0D", std::nullopt},
      {"P", std::nullopt},
      {"PT", std::nullopt},
      {"P1DT", std::nullopt},
      {"", std::nullopt},
      {"6H", std::nullopt},
      {"pt6h", std::nullopt},
      {"P1M", std::nullopt},  // months vary in length
      {"P1Y", std::nullopt},
      {"PT1M1H", std::nullopt},  // out of order
      {"PT1H1H", std::nullopt},
      {"P1H", std::nullopt},  // hours belong after T
      {"PTD", std::nullopt},
      {"PT1.5H", std::nullopt},
      {"-PT6H", std::nullopt},
      {"PT99999999999999999999H", std::nullopt},
      {"P9223372036854775807D", std::nullopt},
  };
  for (const auto& [text, want] : rows) EXPECT_EQ(parse_iso_duration(text), want) << text;
}

}  // namespace
}  // namespace coursecal::config
