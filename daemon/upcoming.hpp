// The "next sessions" lines of the subscribe page, made once per build from a feed's events (so
// that the events themselves need not be kept once the feed is rendered).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace coursecal {

// The "next sessions" lines of one feed: every event's finished, escaped <li>...</li>, sorted by
// the time until which it is shown, kept in one block of text (one allocation per feed instead of
// one per event: a long-lived 1000-course snapshot would otherwise be mostly small allocations).
class upcoming_list {
 public:
  upcoming_list() = default;
  explicit upcoming_list(const std::vector<calendar_event>& events);

  // The lines of up to `max` sessions still shown at `now` (shown_until > now), in order: one
  // contiguous piece of the block. Empty when none is left.
  std::string_view next(std::chrono::sys_seconds now, std::size_t max) const;
  std::size_t size() const { return lines_.size(); }

 private:
  struct line {
    std::chrono::sys_seconds shown_until;  // UTC: listed while now < shown_until
    std::size_t end;                       // where its text ends in html_
  };
  std::vector<line> lines_;
  std::string html_;
};

std::string html_escape(std::string_view text);  // & < > " '

}  // namespace coursecal
