#include "core/render.hpp"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "core/vtimezone.hpp"

namespace coursecal {

namespace {

// Text from the content goes to libical only after this: newlines normalised to LF (libical
// writes them as "\n") and other control characters dropped, so nothing can start a new line.
std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n' || c == '\t' || c >= 0x20) {
      if (c != 0x7f) out += static_cast<char>(c);
    }
  }
  return out;
}

icaltimetype utc_time(date::sys_seconds s) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(s.time_since_epoch().count()), 0,
                                       icaltimezone_get_utc_timezone());
}

icaltimetype day_time(date::sys_days d, bool is_date, local_minutes minutes = 0) {
  const date::year_month_day ymd{d};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.is_date = is_date ? 1 : 0;
  if (!is_date) {
    t.hour = minutes / 60;
    t.minute = minutes % 60;
  }
  return t;
}

icalproperty* with_tzid(icalproperty* p, const std::string& tzid) {
  icalproperty_add_parameter(p, icalparameter_new_tzid(tzid.c_str()));
  return p;
}

icalproperty* text_x_property(const char* name, const std::string& value) {
  // libical 3.0 writes X- property values without escaping ',' and ';', so the value goes in
  // already escaped through a placeholder that finish() swaps for the escaped text.
  icalproperty* p = icalproperty_new_x(value.c_str());
  icalproperty_set_x_name(p, name);
  return p;
}

struct ical_deleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

void add_event(icalcomponent* cal, const calendar_event& ev, const calendar_meta& meta) {
  icalcomponent* ve = icalcomponent_new_vevent();
  icalcomponent_add_property(ve, icalproperty_new_uid(clean_text(ev.uid).c_str()));
  icalcomponent_add_property(ve, icalproperty_new_dtstamp(utc_time(meta.stamp)));
  if (ev.all_day) {
    // The end of an all-day event is exclusive: the next day, computed on dates, never via UTC.
    icalcomponent_add_property(ve, icalproperty_new_dtstart(day_time(ev.date, true)));
    const date::sys_days last = ev.last_day.value_or(ev.date);
    icalcomponent_add_property(ve, icalproperty_new_dtend(day_time(last + date::days{1}, true)));
  } else {
    icalcomponent_add_property(
        ve, with_tzid(icalproperty_new_dtstart(day_time(ev.date, false, ev.start)), meta.timezone));
    // A moment (a deadline "due 11:59pm") lasts one minute: RFC 5545 wants DTEND after DTSTART,
    // and an end equal to the start is dropped by calcurse and stretched to an hour by khal. The
    // minute after 23:59 is the next day's 00:00; a class that ends past midnight (rare) ends on
    // the next day too.
    local_minutes end = ev.end == ev.start ? ev.start + 1 : ev.end;
    date::sys_days end_day = ev.date;
    if (end >= 24 * 60) {
      end -= 24 * 60;
      end_day += date::days{1};
    } else if (end < ev.start) {
      end_day += date::days{1};
    }
    icalcomponent_add_property(
        ve, with_tzid(icalproperty_new_dtend(day_time(end_day, false, end)), meta.timezone));
  }
  icalcomponent_add_property(ve, icalproperty_new_summary(clean_text(ev.summary).c_str()));
  if (!ev.location.empty())
    icalcomponent_add_property(ve, icalproperty_new_location(clean_text(ev.location).c_str()));
  if (!ev.description.empty()) {
    std::string text;
    for (const auto& line : ev.description) text += (text.empty() ? "" : "\n") + line;
    icalcomponent_add_property(ve, icalproperty_new_description(clean_text(text).c_str()));
  }
  if (!ev.kind.empty())
    icalcomponent_add_property(ve, icalproperty_new_categories(clean_text(ev.kind).c_str()));
  if (!ev.url.empty())
    icalcomponent_add_property(ve, icalproperty_new_url(clean_text(ev.url).c_str()));
  if (ev.transparent) {
    icalcomponent_add_property(ve, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    // Outlook reads its own busy status, not TRANSP.
    icalproperty* busy = icalproperty_new_x("FREE");
    icalproperty_set_x_name(busy, "X-MICROSOFT-CDO-BUSYSTATUS");
    icalcomponent_add_property(ve, busy);
  }
  icalcomponent_add_property(ve, icalproperty_new_lastmodified(utc_time(meta.stamp)));
  icalcomponent_add_component(cal, ve);
}

// libical's output, unfolded, with the X-WR text placeholders replaced, refolded at 75 octets.
std::string finish(const std::string& raw,
                   const std::vector<std::pair<std::string, std::string>>& x_text) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 32);
  std::string line;
  auto flush = [&] {
    for (const auto& [name, value] : x_text) {
      if (line.compare(0, name.size() + 1, name + ":") == 0) {
        line = name + ":" + escape_text(value);
        break;
      }
    }
    out += fold_line(line);
    line.clear();
  };
  std::size_t pos = 0;
  bool have_line = false;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string::npos) eol = raw.size();
    std::size_t end = eol;
    // libical 3.0 can end a folded line with "\r\r\n" when the value fills the last line.
    while (end > pos && raw[end - 1] == '\r') --end;
    const std::string_view piece(raw.data() + pos, end - pos);
    if (!piece.empty() && (piece[0] == ' ' || piece[0] == '\t') && have_line) {
      line.append(piece.substr(1));
    } else if (!piece.empty()) {
      if (have_line) flush();
      line.assign(piece);
      have_line = true;
    }
    pos = eol + 1;
  }
  if (have_line) flush();
  return out;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
          out += c;
        else if (c == '\t')
          out += c;
    }
  }
  return out;
}

std::string fold_line(std::string_view line) {
  constexpr std::size_t limit = 75;  // octets per physical line, excluding CRLF
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  std::size_t pos = 0;
  std::size_t room = limit;
  while (line.size() - pos > room) {
    std::size_t cut = pos + room;
    // Never split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == pos) cut = pos + room;  // not UTF-8 at all: cut anyway rather than loop
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    room = limit - 1;  // the leading space counts
  }
  out.append(line.substr(pos));
  out += "\r\n";
  return out;
}

void prepare_rendering() { icaltimezone_get_utc_timezone(); }

std::vector<std::string> vtimezone_lines(const date::time_zone& zone, date::sys_days from,
                                         date::sys_days to) {
  std::unique_ptr<icalcomponent, ical_deleter> tz(detail::make_vtimezone(zone, from, to));
  char* raw = icalcomponent_as_ical_string_r(tz.get());
  const std::string folded = finish(raw ? raw : "", {});
  std::free(raw);
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < folded.size()) {
    const std::size_t eol = folded.find("\r\n", pos);
    lines.push_back(folded.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return lines;
}

std::string render_calendar(const calendar_meta& meta, const std::vector<calendar_event>& events,
                            const date::time_zone& zone) {
  std::unique_ptr<icalcomponent, ical_deleter> cal(icalcomponent_new_vcalendar());
  icalcomponent* c = cal.get();
  icalcomponent_add_property(c, icalproperty_new_prodid("-//coursecal//coursecal 0.1//EN"));
  icalcomponent_add_property(c, icalproperty_new_version("2.0"));
  icalcomponent_add_property(c, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(c, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  const std::string name = clean_text(meta.name);
  const std::string desc = clean_text(meta.description);
  icalcomponent_add_property(c, icalproperty_new_name(name.c_str()));
  icalcomponent_add_property(c, text_x_property("X-WR-CALNAME", "-"));
  if (!desc.empty()) {
    icalcomponent_add_property(c, icalproperty_new_description(desc.c_str()));
    icalcomponent_add_property(c, text_x_property("X-WR-CALDESC", "-"));
  }
  icalcomponent_add_property(c, text_x_property("X-WR-TIMEZONE", "-"));
  const icaldurationtype refresh = icaldurationtype_from_string(meta.refresh.c_str());
  icalproperty* ri = icalproperty_new_refreshinterval(refresh);
  icalproperty_add_parameter(ri, icalparameter_new_value(ICAL_VALUE_DURATION));
  icalcomponent_add_property(c, ri);
  icalcomponent_add_property(c, text_x_property("X-PUBLISHED-TTL", meta.refresh));
  if (!meta.url.empty())
    icalcomponent_add_property(c, icalproperty_new_url(clean_text(meta.url).c_str()));

  bool timed = false;
  for (const auto& ev : events) timed = timed || !ev.all_day;
  if (timed)
    icalcomponent_add_component(c, detail::make_vtimezone(zone, meta.range_from, meta.range_to));
  for (const auto& ev : events) add_event(c, ev, meta);

  char* raw = icalcomponent_as_ical_string_r(c);
  if (!raw) throw std::runtime_error("libical could not serialise the calendar");
  const std::string out = finish(raw, {{"X-WR-CALNAME", name},
                                       {"X-WR-CALDESC", desc},
                                       {"X-WR-TIMEZONE", meta.timezone},
                                       {"X-PUBLISHED-TTL", meta.refresh}});
  std::free(raw);
  // libical formats values into a per-thread ring of up to 2500 temporary buffers that live until
  // overwritten; release them now, so none outlive the render scattered across a long-lived heap.
  icalmemory_free_ring();
  return out;
}

}  // namespace coursecal
