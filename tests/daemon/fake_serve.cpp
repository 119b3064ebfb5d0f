// The daemon (run_daemon) with a fake feed builder, so that the serving side can be tested end to
// end without the config/content/core work.
//
//   coursecal_fake_serve -c CONFIG [--listen HOST:PORT] [--header-timeout-ms N] [--grace-ms N]
//
// CONFIG is a text file of "key: value" lines: `site: PATH` (relative to CONFIG's folder),
// `id: ID` (default "fake"), `public_url: URL`. A line "broken" makes the build fail with an error
// at that line. Every line of every `_modules/*.md` file of the site that holds "{: .label}"
// becomes one event titled by the text after it; the UID depends on the file and the item's
// position only, so editing a title keeps the UID.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <date/date.h>

#include "daemon/server.hpp"

namespace fs = std::filesystem;
using namespace coursecal;

namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string ics_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    out += c;
  }
  return out;
}

build_result fake_build(const std::string& config_path) {
  build_result r;
  std::ifstream in(config_path);
  if (!in) {
    r.diags.error({config_path, 0, 0}, "cannot read the configuration");
    return r;
  }
  app_config cfg;
  cfg.path = config_path;
  cfg.dir = fs::path(config_path).parent_path().string();
  std::string id = "fake";
  feed_config feed;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    line = trim(line);
    if (line == "broken") r.diags.error({config_path, line_no, 1}, "broken on purpose");
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "site") feed.site_path = (fs::path(cfg.dir) / value).lexically_normal().string();
    if (key == "id") id = value;
    if (key == "public_url") cfg.server.public_url = value;
  }
  r.watched_paths.push_back(config_path);
  if (feed.site_path.empty()) r.diags.error({config_path, 0, 0}, "no site");
  if (r.diags.has_errors()) return r;
  feed.id = id;
  cfg.feeds.push_back(feed);
  r.watched_paths.push_back(feed.site_path);
  r.watched_paths.push_back(feed.site_path + "/_modules");

  std::vector<fs::path> pages;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(feed.site_path + "/_modules", ec)) {
    if (entry.path().extension() == ".md") pages.push_back(entry.path());
  }
  std::sort(pages.begin(), pages.end());

  feed_output out;
  out.id = id;
  out.name = "Fake 101: <Testing> & Co";
  out.short_name = "FAKE 101";
  out.timezone = "UTC";
  // Dates relative to today so that the subscribe page has upcoming sessions.
  const auto today = date::floor<date::days>(std::chrono::system_clock::now());
  std::string body;
  int n = 0;
  for (const fs::path& page : pages) {
    std::ifstream md(page);
    int item = 0;
    while (std::getline(md, line)) {
      const auto at = line.find("{: .label}");
      if (at == std::string::npos) continue;
      const std::string title = trim(line.substr(at + 10));
      calendar_event ev;
      ev.uid = id + "-" + page.stem().string() + "-" + std::to_string(++item) + "@coursecal.test";
      ev.title = title;
      ev.summary = "FAKE 101: " + title;
      ev.kind = "lecture";
      ev.date = today + date::days{1 + n};
      ev.start = 11 * 60;
      ev.end = 11 * 60 + 50;
      ev.start_utc = date::sys_seconds{ev.date} + std::chrono::minutes{ev.start};
      ev.end_utc = date::sys_seconds{ev.date} + std::chrono::minutes{ev.end};
      ev.location = "Room <1>";
      const std::string day = date::format("%Y%m%d", ev.date);
      body += "BEGIN:VEVENT\r\nUID:" + ev.uid + "\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:" + day +
              "T110000Z\r\nDTEND:" + day + "T115000Z\r\nSUMMARY:" + ics_text(ev.summary) +
              "\r\nEND:VEVENT\r\n";
      out.events.push_back(std::move(ev));
      ++n;
    }
    out.inputs.push_back(page.string());
    const auto mtime = fs::last_write_time(page, ec);
    if (!ec) {
      const auto sys = std::chrono::file_clock::to_sys(mtime);
      out.last_modified = std::max<std::int64_t>(
          out.last_modified,
          std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count());
    }
  }
  out.ics = shared_text(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//coursecal//fake//EN\r\nMETHOD:PUBLISH\r\n"
      "X-WR-CALNAME:Fake 101\r\n" +
      body + "END:VCALENDAR\r\n");
  out.event_count = out.events.size();
  out.upcoming = std::make_shared<const upcoming_list>(out.events);
  r.feeds.push_back(std::move(out));
  r.config = std::move(cfg);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  serve_options opts;
  daemon_tuning tuning;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "-c" && has_value) {
      opts.config_path = argv[++i];
    } else if (arg == "--listen" && has_value) {
      opts.listen = argv[++i];
    } else if (arg == "--header-timeout-ms" && has_value) {
      tuning.limits.header_timeout = std::chrono::milliseconds(std::atol(argv[++i]));
    } else if (arg == "--grace-ms" && has_value) {
      tuning.shutdown_grace = std::chrono::milliseconds(std::atol(argv[++i]));
    } else {
      std::cerr << "usage: coursecal_fake_serve -c CONFIG [--listen HOST:PORT]\n";
      return 2;
    }
  }
  return run_daemon(opts, fake_build, tuning);
}
