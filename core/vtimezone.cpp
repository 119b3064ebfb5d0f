#include "core/vtimezone.hpp"

#include <string>
#include <vector>

#include "core/render.hpp"

namespace coursecal::detail {

namespace {

using namespace std::chrono;

struct transition {
  date::sys_seconds at;
  seconds offset_from;
  seconds offset_to;
  bool to_daylight;
  std::string abbrev;
  // The rule this change follows, in local time before the change.
  date::local_seconds local_start;
  unsigned month = 0;
  unsigned weekday = 0;  // 0 = Sunday
  int ordinal = 0;       // 1..4, or -1 for "last"
  seconds time_of_day{};
};

const char* const byday_names[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

transition describe(date::sys_seconds at, const date::sys_info& before,
                    const date::sys_info& after) {
  transition t{at, before.offset, after.offset, after.save != minutes{0}, after.abbrev, {}, 0, 0, 0,
               {}};
  t.local_start = date::local_seconds{at.time_since_epoch() + before.offset};
  const auto day = date::floor<date::days>(t.local_start);
  const date::year_month_day ymd{day};
  const date::year_month_day_last last{ymd.year(), date::month_day_last{ymd.month()}};
  t.month = static_cast<unsigned>(ymd.month());
  t.weekday = date::weekday{day}.c_encoding();
  const unsigned d = static_cast<unsigned>(ymd.day());
  t.ordinal = d + 7 > static_cast<unsigned>(last.day()) ? -1 : static_cast<int>((d - 1) / 7 + 1);
  t.time_of_day = t.local_start - date::local_seconds{day};
  return t;
}

bool same_rule(const transition& a, const transition& b) {
  return a.month == b.month && a.weekday == b.weekday && a.ordinal == b.ordinal &&
         a.time_of_day == b.time_of_day && a.offset_from == b.offset_from &&
         a.offset_to == b.offset_to && a.abbrev == b.abbrev;
}

icaltimetype local_ical_time(date::local_seconds ls) {
  const auto day = date::floor<date::days>(ls);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> tod{ls - day};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.hour = static_cast<int>(tod.hours().count());
  t.minute = static_cast<int>(tod.minutes().count());
  t.second = static_cast<int>(tod.seconds().count());
  t.is_date = 0;
  return t;
}

icalcomponent* observance(const transition& t, bool with_rule) {
  icalcomponent* obs =
      t.to_daylight ? icalcomponent_new_xdaylight() : icalcomponent_new_xstandard();
  icalcomponent_add_property(obs, icalproperty_new_dtstart(local_ical_time(t.local_start)));
  if (with_rule) {
    const std::string rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(t.month) +
                             ";BYDAY=" + std::to_string(t.ordinal) + byday_names[t.weekday];
    icalcomponent_add_property(
        obs, icalproperty_new_rrule(icalrecurrencetype_from_string(rule.c_str())));
  }
  icalcomponent_add_property(
      obs, icalproperty_new_tzoffsetfrom(static_cast<int>(t.offset_from.count())));
  icalcomponent_add_property(obs,
                             icalproperty_new_tzoffsetto(static_cast<int>(t.offset_to.count())));
  if (!t.abbrev.empty()) icalcomponent_add_property(obs, icalproperty_new_tzname(t.abbrev.c_str()));
  return obs;
}

}  // namespace

icalcomponent* make_vtimezone(const date::time_zone& zone, date::sys_days from, date::sys_days to) {
  const auto y_from = date::year_month_day{from}.year() - date::years{1};
  const auto y_to = date::year_month_day{to}.year() + date::years{1};
  const date::sys_seconds begin{date::sys_days{y_from / date::January / 1}};
  const date::sys_seconds limit{date::sys_days{(y_to + date::years{1}) / date::January / 1}};

  std::vector<transition> changes;
  date::sys_info info = zone.get_info(begin);
  const date::sys_info first_info = info;
  while (info.end < limit && changes.size() < 64) {
    const date::sys_info next = zone.get_info(info.end);
    changes.push_back(describe(info.end, info, next));
    info = next;
  }

  icalcomponent* tz = icalcomponent_new_vtimezone();
  icalcomponent_add_property(tz, icalproperty_new_tzid(zone.name().c_str()));

  if (changes.empty()) {
    // No change around the term: one STANDARD observance with the zone's fixed offset.
    transition fixed{
        begin, first_info.offset, first_info.offset, false, first_info.abbrev, {}, 0, 0, 0, {}};
    fixed.local_start = date::local_seconds{date::local_days{date::year{1970} / 1 / 1}};
    icalcomponent_add_component(tz, observance(fixed, false));
    return tz;
  }

  // Yearly rules when every change into daylight time follows one rule and every change out of it
  // another: the shape Outlook and Exchange read best.
  const transition* to_dst = nullptr;
  const transition* to_std = nullptr;
  bool regular = true;
  for (const auto& c : changes) {
    const transition*& slot = c.to_daylight ? to_dst : to_std;
    if (!slot)
      slot = &c;
    else if (!same_rule(*slot, c))
      regular = false;
  }
  if (regular && to_dst && to_std) {
    // STANDARD first, as Outlook writes it.
    icalcomponent_add_component(tz, observance(*to_std, true));
    icalcomponent_add_component(tz, observance(*to_dst, true));
    return tz;
  }
  for (const auto& c : changes) icalcomponent_add_component(tz, observance(c, false));
  return tz;
}

}  // namespace coursecal::detail
