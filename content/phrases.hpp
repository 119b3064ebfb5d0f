// Word-level rules of the reader: dates, heading shapes, label kinds, deadlines, week numbers.
// Internal to content/ (exposed for tests). Hand-written scanners, linear in their input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/content_model.hpp"

namespace coursecal::content::detail {

// A date at the start of `text` ("Mon Oct 7", "Sept 12", "Aug. 26", "Jan 9 (F)", "Tu 9/10",
// "2025-04-07", "7 October", "April 22nd", "02 Dez", "12 жовтня", "9월 4일"). Several days or a
// range in one term ("04, 06 Jan", "July 26 / 27", "Mar 13-18 (F-W)") give the first day; a time
// after the date ("December 4 (6-8:50pm)") is left to the caller. `numeric` is set for m/d forms
// (which may turn out to be d/m).
struct date_match {
  content_date date;
  bool numeric = false;
  std::size_t end = 0;  // bytes of `text` used
};
std::optional<date_match> match_date(std::string_view text);

// The family of a slot heading ("" for a bare number, "class", "lecture") and its number.
struct slot_match {
  std::string family;
  int number = 0;
};

struct heading_match {
  heading_shape shape = heading_shape::role;
  std::optional<date_match> date;
  std::optional<slot_match> slot;
  bool known_role = false;  // a role word this reader knows (Lecture, Reading, TBD, ...)
  bool reading_role = false;
};
heading_match classify_heading(std::string_view plain);

// Normalised kind of a label: lecture, discussion, section, lab, homework, exam, quiz, project,
// reading, deadline, office-hours, ... ; "" for a bare number; else the lowercased first word.
std::string kind_of_label(std::string_view label);

bool says_no_class(std::string_view plain);

// "Reading:", "Required Reading", "*Optional Reading - No submission*", "Readings".
bool is_reading_marker(std::string_view plain);
// Need from the words "optional"/"required" in a title, prefix or heading.
reading_need need_from_words(std::string_view plain);

// Every "due ..." phrase in plain text. `what` is left empty (the caller knows the item).
struct due_match {
  content_deadline deadline;
  std::size_t begin = 0;  // byte range of the phrase (parentheses around it included)
  std::size_t end = 0;
  bool has_when = false;  // a date, a week or a time was found after "due"
};
// At most `max` phrases are returned: real items have one or two, and the cap keeps callers that
// edit the text per phrase linear.
std::vector<due_match> find_due_phrases(std::string_view plain, std::size_t max = 8);

// "Week 10", "Week01", "Week-1", "Week 2: Topic", "(Week 4) Topic" -> the number.
std::optional<int> week_from_title(std::string_view title);

}  // namespace coursecal::content::detail
