// libFuzzer target: bytes -> one week page -> resolve (fixed, valid config) -> render. The
// rendered feed must parse with libical and be well-formed iCalendar text: CRLF line ends only,
// lines of at most 75 octets, every line "NAME[;params]:value" or a continuation starting with a
// space, no control characters in values. Any violation abort()s so libFuzzer records the input.
#include <libical/ical.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "config/config_reader.hpp"
#include "content/site_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/render.hpp"
#include "core/resolve.hpp"

namespace {

constexpr std::string_view config_text = R"(server:
  refresh: PT6H
feeds:
  - id: dsc204a
    site: dsc204a
    name: "DSC 204A: Scalable Data Systems"
    short_name: DSC 204A
    timezone: America/Los_Angeles
    term:
      start: 2025-03-31
      end: 2025-06-06
      week1: 2025-03-31
      holidays:
        - { date: 2025-05-26, name: Memorial Day }
      breaks:
        - { from: 2025-04-21, to: 2025-04-25, name: Spring break }
    meetings:
      - { kind: lecture, days: [Mon, Wed, Fri], start: "11:00", end: "11:50", location: CENTR 214 }
      - { kind: discussion, days: [Thu], start: "17:00", end: "17:50", location: WLH 2001 }
    changes:
      - { date: 2025-05-05, location: WLH 2005, note: "Midterm in WLH 2005" }
    events:
      - { title: Final exam, date: 2025-06-10, start: "11:30", end: "14:29", location: CENTR 214 }
    deadlines:
      time: "23:59"
)";

[[noreturn]] void fail(const char* what, std::string_view line) {
  std::string shown;
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      shown += hex;
    } else {
      shown += c;
    }
  }
  std::fprintf(stderr, "fuzz_pipeline: %s: [%s]\n", what, shown.c_str());
  std::abort();
}

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// One unfolded content line: NAME *(";" param) ":" value (RFC 5545 3.1).
void check_content_line(std::string_view line) {
  std::size_t i = 0;
  const auto name = [&] {
    const std::size_t from = i;
    while (i < line.size() && name_char(line[i])) ++i;
    if (i == from) fail("missing name", line);
  };
  name();
  while (i < line.size() && line[i] == ';') {
    ++i;
    name();
    if (i >= line.size() || line[i] != '=') fail("parameter without '='", line);
    do {
      ++i;
      if (i < line.size() && line[i] == '"') {
        const auto close = line.find('"', i + 1);
        if (close == std::string_view::npos) fail("unterminated quoted parameter", line);
        i = close + 1;
      } else {
        while (i < line.size() && line[i] != ';' && line[i] != ':' && line[i] != ',') ++i;
      }
    } while (i < line.size() && line[i] == ',');
  }
  if (i >= line.size() || line[i] != ':') fail("no ':' after the name and parameters", line);
}

void check_ics(const std::string& ics) {
  std::string logical;
  bool have_logical = false;
  std::size_t pos = 0;
  while (pos < ics.size()) {
    const auto nl = ics.find('\n', pos);
    if (nl == std::string::npos) fail("text after the last line end", ics.substr(pos));
    if (nl == pos || ics[nl - 1] != '\r') fail("LF without CR", ics.substr(pos, nl - pos));
    const std::string_view line(ics.data() + pos, nl - 1 - pos);
    pos = nl + 1;
    if (line.size() > 75) fail("line longer than 75 octets", line);
    for (const char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) fail("control character in a line", line);
    }
    if (!line.empty() && line[0] == ' ') {
      if (!have_logical) fail("continuation without a line", line);
      logical.append(line.substr(1));
      continue;
    }
    if (have_logical) check_content_line(logical);
    logical.assign(line);
    have_logical = true;
  }
  if (have_logical) check_content_line(logical);

  icalcomponent* cal = icalparser_parse_string(ics.c_str());
  if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) fail("libical: no VCALENDAR", "");
  icalcomponent_free(cal);
}

struct fixture {
  coursecal::app_config config;
  const date::time_zone* zone = nullptr;
  coursecal::content::site_info site;
};

const fixture& fixed() {
  static const fixture f = [] {
    fixture x;
    coursecal::diagnostics diags;
    auto cfg = coursecal::config::parse_config(config_text, "coursecal.yaml", diags, false);
    if (!cfg) {
      for (const auto& d : diags.items())
        std::fprintf(stderr, "%s\n", coursecal::format_diagnostic(d).c_str());
      std::abort();
    }
    x.config = std::move(*cfg);
    x.zone = date::locate_zone(x.config.feeds.front().timezone);
    x.site = coursecal::content::make_site_info("https://example.edu", "/dsc204a");
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fixture& fx = fixed();
  const coursecal::feed_config& feed = fx.config.feeds.front();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  coursecal::diagnostics diags;
  coursecal::course_content content;
  content.title = "DSC 204A";
  content.description = "Scalable Data Systems";
  content.url = fx.site.url;
  content.baseurl = fx.site.baseurl;
  content.site_url = fx.site.site_url;
  content.pages.push_back(
      coursecal::content::parse_week_page(text, "_modules/week-10.md", fx.site, diags));

  coursecal::resolve_input in;
  in.feed = &feed;
  in.content = &content;
  in.zone = fx.zone;
  in.short_name = feed.short_name;
  const auto events = coursecal::resolve(in, diags);

  coursecal::calendar_meta meta;
  meta.feed_id = feed.id;
  meta.name = feed.name;
  meta.description = content.description;
  meta.timezone = feed.timezone;
  meta.refresh = fx.config.server.refresh;
  meta.url = content.site_url;
  meta.stamp = date::sys_seconds{std::chrono::seconds{1'740'000'000}};
  meta.range_from = feed.term.start;
  meta.range_to = feed.term.end;
  for (const auto& ev : events) {
    meta.range_from = std::min(meta.range_from, ev.date);
    meta.range_to = std::max(meta.range_to, ev.date);
  }
  check_ics(coursecal::render_calendar(meta, events, *fx.zone));
  return 0;
}
