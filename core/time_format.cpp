#include "core/time_format.hpp"

#include <cstdio>

namespace coursecal {

namespace {

std::string ymd_text(date::sys_days d, const char* fmt) {
  const date::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::string iso_date(date::sys_days d) { return ymd_text(d, "%04d-%02u-%02u"); }

std::string compact_date(date::sys_days d) { return ymd_text(d, "%04d%02u%02u"); }

std::string clock_text(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

}  // namespace coursecal
