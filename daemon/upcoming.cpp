#include "daemon/upcoming.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include <date/date.h>

namespace coursecal {

namespace {

std::string two_digits(int v) {
  std::string out;
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
  return out;
}

std::string hh_mm(local_minutes m) { return two_digits(m / 60) + ":" + two_digits(m % 60); }

// "Mon Apr 7" for a calendar date.
std::string short_date(date::sys_days day) {
  static constexpr std::array<const char*, 7> weekdays = {"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const date::year_month_day ymd{day};
  const date::weekday wd{day};
  return std::string(weekdays[wd.c_encoding()]) + " " +
         months[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<unsigned>(ymd.day()));
}

std::string iso_date(date::sys_days day) { return date::format("%F", day); }

// When a session stops being listed, and its line.
std::pair<std::chrono::sys_seconds, std::string> make_line(const calendar_event& ev) {
  std::chrono::sys_seconds shown_until;
  std::string when;
  std::string datetime;
  if (ev.all_day) {
    // Shown until the day is over (the date is a local label; a day's margin covers any zone).
    shown_until = date::sys_seconds{ev.date + date::days{1}} + std::chrono::hours{14};
    when = short_date(ev.date);
    datetime = iso_date(ev.date);
  } else {
    shown_until = ev.start_utc;
    when = short_date(ev.date) + ", " + hh_mm(ev.start) + "\u2013" + hh_mm(ev.end);
    datetime = iso_date(ev.date) + "T" + hh_mm(ev.start);
  }
  const std::string& title = ev.title.empty() ? ev.summary : ev.title;
  std::string html = "<li><time datetime=\"" + html_escape(datetime) + "\">" + html_escape(when) +
                     "</time> <span class=\"title\">" + html_escape(title) + "</span>";
  if (!ev.location.empty()) {
    html += " <span class=\"where\">" + html_escape(ev.location) + "</span>";
  }
  html += "</li>\n";
  return {shown_until, std::move(html)};
}

}  // namespace

upcoming_list::upcoming_list(const std::vector<calendar_event>& events) {
  std::vector<std::pair<std::chrono::sys_seconds, std::string>> made;
  made.reserve(events.size());
  std::size_t total = 0;
  for (const calendar_event& ev : events) {
    made.push_back(make_line(ev));
    total += made.back().second.size();
  }
  // Stable: sessions shown until the same time keep the events' order.
  std::stable_sort(made.begin(), made.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  html_.reserve(total);
  lines_.reserve(made.size());
  for (const auto& [until, text] : made) {
    html_ += text;
    lines_.push_back({until, html_.size()});
  }
}

std::string_view upcoming_list::next(std::chrono::sys_seconds now, std::size_t max) const {
  const auto first = std::upper_bound(
      lines_.begin(), lines_.end(), now,
      [](const std::chrono::sys_seconds& t, const line& l) { return t < l.shown_until; });
  if (first == lines_.end() || max == 0) return {};
  const std::size_t begin = first == lines_.begin() ? 0 : std::prev(first)->end;
  const auto last =
      first + static_cast<std::ptrdiff_t>(
                  std::min<std::size_t>(max, static_cast<std::size_t>(lines_.end() - first)) - 1);
  return std::string_view(html_).substr(begin, last->end - begin);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace coursecal
