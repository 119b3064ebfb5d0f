#include <gtest/gtest.h>
#include <libical/ical.h>

#include <memory>
#include <sstream>

#include "core/render.hpp"
#include "test_helpers.hpp"

namespace coursecal {
namespace {

using test::day;

std::vector<std::string> physical_lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < ics.size()) {
    const auto eol = ics.find("\r\n", pos);
    if (eol == std::string::npos) {
      out.push_back(ics.substr(pos));
      break;
    }
    out.push_back(ics.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return out;
}

std::string unfold(const std::string& ics) {
  std::string out;
  for (const auto& l : physical_lines(ics)) {
    if (!l.empty() && l[0] == ' ') {
      out += l.substr(1);
    } else {
      out += (out.empty() ? "" : "\n") + l;
    }
  }
  return out;
}

calendar_meta meta() {
  calendar_meta m;
  m.feed_id = "cse100";
  m.name = "CSE 100: Data, Structures; and \\ Algorithms";
  m.description = "Advanced data structures";
  m.timezone = "America/Los_Angeles";
  m.refresh = "PT6H";
  m.url = "https://example.edu/cse100";
  m.stamp = date::sys_days{day(2025, 3, 1)};
  m.range_from = day(2025, 3, 31);
  m.range_to = day(2025, 6, 6);
  return m;
}

calendar_event lecture(date::sys_days d, std::string title) {
  calendar_event e;
  e.uid = "cse100-lecture-" + date::format("%Y%m%d", d) + "@cse100.coursecal";
  e.kind = "lecture";
  e.title = title;
  e.summary = "CSE 100: " + title;
  e.date = d;
  e.start = 11 * 60;
  e.end = 11 * 60 + 50;
  e.location = "CENTR 214";
  return e;
}

const date::time_zone& la() { return *date::locate_zone("America/Los_Angeles"); }

TEST(Render, FoldsAtSeventyFiveOctetsOnUtf8Boundaries) {
  // 3-byte characters: a 75-octet boundary falls inside one of them at some offset.
  std::string line = "SUMMARY:";
  for (int i = 0; i < 60; ++i) line += "é日";
  const std::string folded = fold_line(line);
  const auto lines = physical_lines(folded);
  ASSERT_GT(lines.size(), 3u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string& l = lines[i];
    EXPECT_LE(l.size(), 75u);
    // Full lines: at most a partial character (2 bytes) short of the limit.
    if (i + 2 < lines.size()) {
      EXPECT_GE(l.size(), 73u);
    }
    const unsigned char first = static_cast<unsigned char>(l[i == 0 ? 0 : 1]);
    EXPECT_NE(first & 0xC0, 0x80) << "a line starts inside a UTF-8 sequence";
  }
  EXPECT_EQ(unfold(folded), line);
}

TEST(Render, ShortLinesAreNotFolded) {
  EXPECT_EQ(fold_line("VERSION:2.0"), "VERSION:2.0\r\n");
  const std::string exactly75(75, 'x');
  EXPECT_EQ(fold_line(exactly75), exactly75 + "\r\n");
  EXPECT_EQ(fold_line(std::string(76, 'x')), std::string(75, 'x') + "\r\n x\r\n");
}

TEST(Render, EscapesTextAndNeverLetsANewlineThrough) {
  EXPECT_EQ(escape_text("a,b;c\\d\ne\r\nf\rg"), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
  EXPECT_EQ(escape_text(std::string("x\x01y", 3)), "xy");
}

TEST(Render, WholeCalendarFollowsTheFeedRules) {
  auto l1 = lecture(day(2025, 4, 2), "Ünïcödé title, with; \\ escapes\nand a newline");
  l1.description = {"Slides: https://example.edu/a%20b.pdf", "Reading: Paper, part 1"};
  calendar_event due;
  due.uid = "cse100-deadline-20250418@cse100.coursecal";
  due.kind = "deadline";
  due.title = "Due: HW 1";
  due.summary = "CSE 100: Due: HW 1";
  due.date = day(2025, 4, 18);
  due.all_day = true;
  due.transparent = true;
  const std::string ics = render_calendar(meta(), {l1, due}, la());

  // CRLF everywhere, and no physical line over 75 octets.
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      ASSERT_TRUE(i > 0 && ics[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  for (const auto& l : physical_lines(ics)) EXPECT_LE(l.size(), 75u) << l;

  const std::string u = unfold(ics);
  EXPECT_EQ(u.rfind("BEGIN:VCALENDAR\n", 0), 0u);
  EXPECT_NE(u.find("\nVERSION:2.0\n"), std::string::npos);
  EXPECT_NE(u.find("\nMETHOD:PUBLISH\n"), std::string::npos);
  EXPECT_NE(u.find("\nNAME:CSE 100: Data\\, Structures\\; and \\\\ Algorithms\n"),
            std::string::npos);
  EXPECT_NE(u.find("\nX-WR-CALNAME:CSE 100: Data\\, Structures\\; and \\\\ Algorithms\n"),
            std::string::npos);
  EXPECT_NE(u.find("\nX-WR-TIMEZONE:America/Los_Angeles\n"), std::string::npos);
  EXPECT_NE(u.find("\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\n"), std::string::npos);
  EXPECT_NE(u.find("\nX-PUBLISHED-TTL:PT6H\n"), std::string::npos);
  EXPECT_NE(u.find("\nSUMMARY:CSE 100: Ünïcödé title\\, with\\; \\\\ escapes\\nand a newline\n"),
            std::string::npos);
  EXPECT_NE(u.find("\nDTSTART;TZID=America/Los_Angeles:20250402T110000\n"), std::string::npos);
  EXPECT_NE(u.find("\nDTEND;TZID=America/Los_Angeles:20250402T115000\n"), std::string::npos);
  EXPECT_NE(
      u.find("\nDESCRIPTION:Slides: https://example.edu/a%20b.pdf\\nReading: Paper\\, part 1\n"),
      std::string::npos);
  EXPECT_NE(u.find("\nCATEGORIES:lecture\n"), std::string::npos);
  EXPECT_NE(u.find("\nDTSTAMP:20250301T000000Z\n"), std::string::npos);
  EXPECT_NE(u.find("\nLAST-MODIFIED:20250301T000000Z\n"), std::string::npos);
  // All-day: the end is the next day, exclusive.
  EXPECT_NE(u.find("\nDTSTART;VALUE=DATE:20250418\nDTEND;VALUE=DATE:20250419\n"),
            std::string::npos);
  EXPECT_NE(u.find("\nTRANSP:TRANSPARENT\n"), std::string::npos);
  EXPECT_EQ(u.find("VALARM"), std::string::npos);
  EXPECT_EQ(u.find("freeassociation"), std::string::npos);
  EXPECT_EQ(u.find("RRULE:FREQ=WEEKLY"), std::string::npos);
}

TEST(Render, VtimezoneIsOutlookShaped) {
  const std::string ics = render_calendar(meta(), {lecture(day(2025, 4, 2), "A")}, la());
  const std::string u = unfold(ics);
  const auto tz = u.find("BEGIN:VTIMEZONE\nTZID:America/Los_Angeles\n");
  ASSERT_NE(tz, std::string::npos);
  EXPECT_NE(
      u.find("BEGIN:STANDARD\nDTSTART:20241103T020000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\n"
             "TZOFFSETFROM:-0700\nTZOFFSETTO:-0800\nTZNAME:PST\nEND:STANDARD\n"),
      std::string::npos)
      << u;
  EXPECT_NE(
      u.find("BEGIN:DAYLIGHT\nDTSTART:20240310T020000\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\n"
             "TZOFFSETFROM:-0800\nTZOFFSETTO:-0700\nTZNAME:PDT\nEND:DAYLIGHT\n"),
      std::string::npos)
      << u;
}

TEST(Render, VtimezoneForOtherZones) {
  const auto berlin =
      vtimezone_lines(*date::locate_zone("Europe/Berlin"), day(2026, 3, 1), day(2026, 7, 1));
  std::string joined;
  for (const auto& l : berlin) joined += l + "\n";
  EXPECT_NE(joined.find("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"), std::string::npos) << joined;
  EXPECT_NE(joined.find("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"), std::string::npos) << joined;

  const auto tokyo =
      vtimezone_lines(*date::locate_zone("Asia/Tokyo"), day(2026, 3, 1), day(2026, 7, 1));
  joined.clear();
  for (const auto& l : tokyo) joined += l + "\n";
  EXPECT_NE(joined.find("BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0900\n"
                        "TZOFFSETTO:+0900\nTZNAME:JST\nEND:STANDARD\n"),
            std::string::npos)
      << joined;
  EXPECT_EQ(joined.find("DAYLIGHT"), std::string::npos);
}

TEST(Render, ParsesBackWithLibicalAndIsDeterministic) {
  std::vector<calendar_event> evs;
  for (int i = 0; i < 5; ++i) evs.push_back(lecture(day(2025, 4, 7) + date::days{2 * i}, "T"));
  const std::string a = render_calendar(meta(), evs, la());
  const std::string b = render_calendar(meta(), evs, la());
  EXPECT_EQ(a, b);
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> parsed(
      icalparser_parse_string(a.c_str()), icalcomponent_free);
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(icalcomponent_count_components(parsed.get(), ICAL_VEVENT_COMPONENT), 5);
  EXPECT_EQ(icalcomponent_count_components(parsed.get(), ICAL_VTIMEZONE_COMPONENT), 1);
  icalcomponent* first = icalcomponent_get_first_component(parsed.get(), ICAL_VEVENT_COMPONENT);
  EXPECT_STREQ(icalcomponent_get_summary(first), "CSE 100: T");
}

TEST(Render, AllDayOnlyCalendarNeedsNoTimezone) {
  calendar_event e;
  e.uid = "x@y";
  e.kind = "exam";
  e.summary = "Final";
  e.date = day(2025, 6, 10);
  e.all_day = true;
  const std::string u = unfold(render_calendar(meta(), {e}, la()));
  EXPECT_EQ(u.find("BEGIN:VTIMEZONE"), std::string::npos);
  EXPECT_NE(u.find("DTEND;VALUE=DATE:20250611"), std::string::npos);
}

// RFC 5545: DTEND after DTSTART. A deadline is a one-minute event (calcurse drops, khal stretches
// to an hour, an event that ends when it starts); after 23:59 that is the next day's 00:00. Free
// time says so to Outlook too.
TEST(Render, ADeadlineLastsOneMinuteAndIsFreeEverywhere) {
  calendar_event late;
  late.uid = "cse100-deadline-a@cse100.coursecal";
  late.kind = "deadline";
  late.summary = "Due: HW 1";
  late.date = day(2025, 4, 11);
  late.start = late.end = 23 * 60 + 59;
  late.transparent = true;
  calendar_event noon = late;
  noon.uid = "cse100-deadline-b@cse100.coursecal";
  noon.start = noon.end = 12 * 60;
  const std::string u = unfold(render_calendar(meta(), {late, noon}, la()));
  EXPECT_NE(u.find("DTSTART;TZID=America/Los_Angeles:20250411T235900\n"
                   "DTEND;TZID=America/Los_Angeles:20250412T000000"),
            std::string::npos)
      << u;
  EXPECT_NE(u.find("DTEND;TZID=America/Los_Angeles:20250411T120100"), std::string::npos);
  EXPECT_NE(u.find("TRANSP:TRANSPARENT\nX-MICROSOFT-CDO-BUSYSTATUS:FREE"), std::string::npos);
  // A class keeps its own end.
  const std::string c = unfold(render_calendar(meta(), {lecture(day(2025, 4, 7), "Heaps")}, la()));
  EXPECT_NE(c.find("DTEND;TZID=America/Los_Angeles:20250407T115000"), std::string::npos);
  EXPECT_EQ(c.find("X-MICROSOFT-CDO-BUSYSTATUS"), std::string::npos);
}

// Found by fuzz/fuzz_pipeline: libical 3.0 ends some folded lines with "\r\r\n" (a 73-character
// UID does it); no CR may survive into a value, and the UID must read back unchanged.
TEST(Render, NoStrayCarriageReturnWhateverTheValueLength) {
  for (std::size_t n = 40; n <= 200; ++n) {
    calendar_event e = lecture(day(2025, 4, 7), "T");
    e.uid = std::string(n, 'u') + "@cse100.coursecal";
    const std::string ics = render_calendar(meta(), {e}, la());
    for (std::size_t i = 0; i < ics.size(); ++i) {
      if (ics[i] == '\r') {
        ASSERT_TRUE(i + 1 < ics.size() && ics[i + 1] == '\n') << "n=" << n;
      }
      if (ics[i] == '\n') {
        ASSERT_TRUE(i > 0 && ics[i - 1] == '\r') << "n=" << n;
      }
    }
    EXPECT_NE(unfold(ics).find("\nUID:" + e.uid + "\n"), std::string::npos) << "n=" << n;
  }
}

}  // namespace
}  // namespace coursecal
