#include "core/lint.hpp"

#include <map>
#include <set>

namespace coursecal {

namespace {

struct content_line {
  std::string name;    // upper-case property name ("DTSTART")
  std::string params;  // ";TZID=America/Los_Angeles;VALUE=DATE" as written
  std::string value;
  int line = 0;  // first physical line
};

// The TZID parameter's value, "" when absent.
std::string tzid_of(const std::string& params) {
  const std::size_t at = params.find(";TZID=");
  if (at == std::string::npos) return {};
  std::size_t b = at + 6;
  std::size_t e = b;
  if (b < params.size() && params[b] == '"') {
    e = params.find('"', b + 1);
    return params.substr(b + 1, (e == std::string::npos ? params.size() : e) - b - 1);
  }
  while (e < params.size() && params[e] != ';' && params[e] != ':') ++e;
  return params.substr(b, e - b);
}

bool is_date_only(const content_line& l) {
  return l.params.find("VALUE=DATE") != std::string::npos &&
         l.params.find("VALUE=DATE-TIME") == std::string::npos;
}

}  // namespace

std::vector<std::string> lint_feed(std::string_view ics) {
  std::vector<std::string> out;
  if (ics.size() > 900 * 1024)
    out.push_back(std::to_string(ics.size() / 1024) +
                  " KiB; Google Calendar drops events past about 1 MB");

  // Unfold into content lines, checking CRLF and the 75-octet limit on the way.
  std::vector<content_line> lines;
  bool bare_lf = false;
  bool long_line = false;
  int number = 0;
  std::string logical;
  int logical_line = 0;
  auto flush = [&]() {
    if (logical.empty()) return;
    content_line cl;
    const std::size_t colon = logical.find(':');
    const std::size_t semi = logical.find(';');
    const std::size_t name_end = std::min(colon, semi);
    cl.name = logical.substr(0, name_end);
    if (colon != std::string::npos) {
      cl.params = name_end < colon ? logical.substr(name_end, colon - name_end) : "";
      cl.value = logical.substr(colon + 1);
    }
    cl.line = logical_line;
    lines.push_back(std::move(cl));
    logical.clear();
  };
  std::size_t pos = 0;
  while (pos < ics.size()) {
    std::size_t e = ics.find('\n', pos);
    const std::size_t end = e == std::string_view::npos ? ics.size() : e;
    std::string_view l = ics.substr(pos, end - pos);
    ++number;
    if (e != std::string_view::npos) {
      if (l.empty() || l.back() != '\r')
        bare_lf = true;
      else
        l.remove_suffix(1);
    }
    if (l.size() > 75) long_line = true;
    if (!l.empty() && (l[0] == ' ' || l[0] == '\t')) {
      logical.append(l.substr(1));
    } else {
      flush();
      logical.assign(l);
      logical_line = number;
    }
    pos = end + 1;
  }
  flush();
  if (bare_lf) out.push_back("a line ends in LF without CR (RFC 5545 wants CRLF)");
  if (long_line) out.push_back("a line is longer than 75 octets (not folded)");

  int calendars = 0;
  std::set<std::string> zones_defined;
  std::map<std::string, int> tzid_used;  // TZID -> first line using it
  std::map<std::string, int> uids;
  bool in_event = false;
  bool in_zone = false;
  content_line start, end_line;
  bool has_start = false, has_end = false, has_duration = false;
  std::string uid;
  int event_line = 0;
  for (const auto& l : lines) {
    if (l.name == "BEGIN" && l.value == "VCALENDAR") ++calendars;
    if (l.name == "BEGIN" && l.value == "VTIMEZONE") in_zone = true;
    if (l.name == "END" && l.value == "VTIMEZONE") in_zone = false;
    if (in_zone && l.name == "TZID") zones_defined.insert(l.value);
    if (!in_zone) {
      const std::string tz = tzid_of(l.params);
      if (!tz.empty()) tzid_used.emplace(tz, l.line);
    }
    if (l.name == "BEGIN" && l.value == "VEVENT") {
      in_event = true;
      has_start = has_end = has_duration = false;
      uid.clear();
      event_line = l.line;
      continue;
    }
    if (!in_event) continue;
    if (l.name == "DTSTART") {
      start = l;
      has_start = true;
    } else if (l.name == "DTEND") {
      end_line = l;
      has_end = true;
    } else if (l.name == "DURATION") {
      has_duration = true;
    } else if (l.name == "UID") {
      uid = l.value;
    } else if (l.name == "END" && l.value == "VEVENT") {
      in_event = false;
      const std::string what =
          "event " + (uid.empty() ? "at line " + std::to_string(event_line) : uid);
      if (uid.empty()) out.push_back(what + " has no UID");
      if (!uid.empty() && ++uids[uid] == 2) out.push_back("UID " + uid + " is used twice");
      if (!has_start) out.push_back(what + " has no DTSTART");
      if (!has_end)
        out.push_back(what + " has no DTEND" +
                      (has_duration ? " (DURATION only: Exchange refuses it)" : ""));
      if (has_start && has_end && is_date_only(start)) {
        if (!is_date_only(end_line))
          out.push_back(what + ": all-day DTSTART with a DTEND that is not a DATE");
        else if (end_line.value <= start.value)
          out.push_back(what + ": all-day DTEND " + end_line.value +
                        " is not after DTSTART (the end is exclusive: the next day)");
      }
    }
  }
  if (calendars != 1)
    out.push_back(std::to_string(calendars) + " VCALENDAR components (exactly one expected)");
  for (const auto& [tz, line] : tzid_used)
    if (!zones_defined.contains(tz))
      out.push_back("TZID " + tz + " (line " + std::to_string(line) + ") has no VTIMEZONE");
  return out;
}

}  // namespace coursecal
