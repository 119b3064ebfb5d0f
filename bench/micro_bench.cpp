// Micro-benchmarks of the pure stages: one week page read, one term resolved, one feed rendered.
// Inputs have the shape bench/gen_catalog.py writes. Throughput is reported as items/s, where an
// item is a calendar event (a class on the page, an event resolved or rendered).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <date/tz.h>

#include "config/config_reader.hpp"
#include "content/site_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/render.hpp"
#include "core/resolve.hpp"

namespace {

using namespace coursecal;

constexpr int kClassesPerWeek = 3;
constexpr int kWeeks = 10;

std::string two_digits(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

// A week page as bench/gen_catalog.py writes it: Class 1..3, one lecture item each with two
// links and three readings.
std::string week_page(int week) {
  std::string s =
      "---\ntitle: Week " + std::to_string(week) + "\nclass: C0001\nstatus: Active\n---\n\n";
  for (int c = 1; c <= kClassesPerWeek; ++c) {
    const std::string lec = two_digits((week - 1) * kClassesPerWeek + c);
    s += "Class " + std::to_string(c) + "\n: {: .label} Storage, part " + std::to_string(c) +
         " (lecture " + lec + ")\n  : [Slides](slides/l" + lec +
         ".pdf) &#8226; [Recording](https://video.example.edu/c0001/" + lec + ")\n: *Reading:*\n";
    for (int r = 1; r <= 3; ++r) {
      s += "* [Storage reading " + std::to_string(r) + " for lecture " + lec +
           "](https://papers.example.org/c0001/l" + lec + "-r" + std::to_string(r) + ".pdf)\n";
    }
    s += "\n";
  }
  return s;
}

// One feed: spring 2025, lectures MWF (30 in ten weeks), optionally a Thursday discussion and
// extra events.
std::string config_yaml(bool with_discussion, int extra_events) {
  std::string y =
      "feeds:\n"
      "  - id: c0001\n"
      "    site: sites/c0001\n"
      "    name: \"C0001: Synthetic Course 1\"\n"
      "    short_name: C0001\n"
      "    timezone: America/Los_Angeles\n"
      "    term: { start: 2025-03-31, end: 2025-06-06, week1: 2025-03-31 }\n"
      "    meetings:\n"
      "      - { kind: lecture, days: [Mon, Wed, Fri], start: \"11:00\", end: \"11:50\", "
      "location: CENTR 214 }\n";
  if (with_discussion) {
    y += "      - { kind: discussion, days: [Thu], start: \"17:00\", end: \"17:50\", "
         "location: WLH 2001 }\n";
  }
  if (extra_events > 0) {
    y += "    events:\n";
    for (int i = 0; i < extra_events; ++i) {
      y += "      - { title: Quiz " + std::to_string(i + 1) + ", date: 2025-04-" +
           two_digits(5 + 7 * i % 24) + ", start: \"09:00\", end: \"09:30\" }\n";
    }
  }
  return y;
}

struct fixture {
  app_config config;
  course_content content;
  const date::time_zone* zone = nullptr;
};

fixture make_fixture(bool with_discussion, int extra_events) {
  diagnostics diags;
  fixture f;
  auto cfg = config::parse_config(config_yaml(with_discussion, extra_events),
                                  "/bench/coursecal.yaml", diags, /*check_sites=*/false);
  if (!cfg) throw std::runtime_error("bench config does not parse");
  f.config = std::move(*cfg);
  const content::site_info site =
      content::make_site_info("https://courses.example.edu", "/c0001-sp25");
  f.content.title = "C0001";
  f.content.description = "Synthetic Course 1";
  f.content.url = site.url;
  f.content.baseurl = site.baseurl;
  f.content.site_url = site.site_url;
  for (int w = 1; w <= kWeeks; ++w) {
    f.content.pages.push_back(content::parse_week_page(
        week_page(w), "_modules/week-" + two_digits(w) + ".md", site, diags));
  }
  f.zone = date::locate_zone("America/Los_Angeles");
  return f;
}

std::vector<calendar_event> resolve_fixture(const fixture& f) {
  diagnostics diags;
  resolve_input in;
  in.feed = &f.config.feeds.front();
  in.content = &f.content;
  in.zone = f.zone;
  in.short_name = "C0001";
  return resolve(in, diags);
}

void BM_parse_week_page(benchmark::State& state) {
  const std::string page = week_page(3);
  const content::site_info site =
      content::make_site_info("https://courses.example.edu", "/c0001-sp25");
  for (auto _ : state) {
    diagnostics diags;
    content_page week = content::parse_week_page(page, "_modules/week-03.md", site, diags);
    benchmark::DoNotOptimize(week);
  }
  state.SetItemsProcessed(state.iterations() * kClassesPerWeek);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(page.size()));
}
BENCHMARK(BM_parse_week_page);

void BM_resolve_30_lectures(benchmark::State& state) {
  const fixture f = make_fixture(false, 0);
  std::size_t events = resolve_fixture(f).size();
  if (events != 30) {
    state.SkipWithError(("expected 30 events, got " + std::to_string(events)).c_str());
    return;
  }
  for (auto _ : state) {
    std::vector<calendar_event> out = resolve_fixture(f);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
}
BENCHMARK(BM_resolve_30_lectures);

void BM_render_45_events(benchmark::State& state) {
  // 30 lectures + 10 discussions + 5 quizzes.
  const fixture f = make_fixture(true, 5);
  const std::vector<calendar_event> events = resolve_fixture(f);
  if (events.size() != 45) {
    state.SkipWithError(("expected 45 events, got " + std::to_string(events.size())).c_str());
    return;
  }
  calendar_meta meta;
  meta.feed_id = "c0001";
  meta.name = "C0001: Synthetic Course 1";
  meta.description = "Synthetic Course 1";
  meta.timezone = "America/Los_Angeles";
  meta.url = f.content.site_url;
  meta.stamp = date::sys_days{date::year{2025} / 3 / 1};
  meta.range_from = f.config.feeds.front().term.start;
  meta.range_to = f.config.feeds.front().term.end;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string ics = render_calendar(meta, events, *f.zone);
    bytes = ics.size();
    benchmark::DoNotOptimize(ics);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_render_45_events);

}  // namespace

BENCHMARK_MAIN();
