// Word-level rules of the reader: dates, heading shapes, label kinds, deadlines, times and rooms,
// no-class markers, week numbers. Internal to content/ (exposed for tests). Hand-written
// scanners over words, linear in their input. Languages: English everywhere; dates, due words
// and kinds also in the languages seen in the wild (Portuguese, Ukrainian, Korean).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/content_model.hpp"

namespace coursecal::content::detail {

// Dates at the start of `text`: one day ("Mon Oct 7", "Sept 12", "Aug. 26", "Jan 9 (F)",
// "Tu 9/10", "2025-04-07", "7 October", "April 22nd", "02 Dez", "12 жовтня", "9월 4일"), several
// days ("25, 27 Aug", "24, 26 Nov, 01 Dec", "Mar 28, Mar 30, Apr 1", "Jan. 23/24", "Oct 7 & 9")
// or a range ("Dec 3-5 (W-F)", "Mar. 6-10", "Sep 30 - Oct 2"), expanded to every day. `numeric`
// is set for m/d forms (which may turn out to be d/m). `end` is the byte after the last date (and
// a weekday or weekday range right after it).
struct date_match {
  std::vector<content_date> dates;
  bool numeric = false;
  bool range = false;
  std::size_t end = 0;
  const content_date& first() const { return dates.front(); }
};
std::optional<date_match> match_dates(std::string_view text);

// The first date written anywhere in `text` ("Spring Break, Mar. 18-22", "Week 1, Jan. 23/24"),
// with `begin` its byte offset. `foreign`: also day-first dates with Portuguese or Ukrainian
// months; in a label, where "HW 1 out" is not the 1st of October, they are left out.
struct found_dates {
  date_match match;
  std::size_t begin = 0;
};
std::optional<found_dates> find_dates(std::string_view text, bool foreign = true);

// The family of a slot heading ("" for a bare number, "class", "lecture") and its number.
struct slot_match {
  std::string family;
  int number = 0;
};

struct heading_match {
  anchor_type shape = anchor_type::week;
  std::optional<date_match> date;
  std::optional<slot_match> slot;
  bool known_role = false;  // a role word this reader knows (Lecture, Reading, TBD, ...)
  bool reading_role = false;
  std::string role;  // the role's kind: "lecture", "lab", "reading", ... ("" for others)
  std::string rest;  // dates and slots: the heading without them ("Oct 7: Midterm" -> "Midterm",
                     // "Lecture 3 (Jan 24)" -> "Lecture 3"), separators trimmed
};
heading_match classify_heading(std::string_view plain);

// A numbered class label ("Lecture 7", "LEC 0", "Lec1", "Class 3", "Лекція 1"): its number.
std::optional<int> class_label_number(std::string_view label);

// Normalised kind of a label: lecture, discussion, section, lab, homework, exam, quiz, project,
// reading, review, deadline, office-hours, ...; "" when no word of it is a known kind. A label that
// starts with a meeting word and a separator ("DISC - QUIZ 5") is that meeting's; otherwise the
// last kind word wins ("Final Project" is a project, "EXAM 1 SAMPLES" a review).
std::string kind_of_label(std::string_view label);
bool is_meeting_kind(std::string_view kind);  // lecture, discussion, section, lab, office-hours
bool is_exam_kind(std::string_view kind);     // exam (midterm, final)

// "No class", "NO CLASS (work on projects!)", "No Discussion", "No section this week",
// "Lecture Canceled", "Spring Break", "THANKSGIVING BREAK — No class", "Holiday", "Sem aula".
bool says_no_class(std::string_view plain);
// The meeting kind a no-class marker names ("No Discussion" -> discussion, "No lab" -> lab);
// "" for the class itself.
std::string no_class_kind(std::string_view plain);

// "Reading:", "Required Reading", "*Optional Reading - No submission*", "Readings", "📖 Readings",
// "Required Materials".
bool is_reading_marker(std::string_view plain);
// Need from the words "optional"/"required" in a title, prefix or heading.
reading_need need_from_words(std::string_view plain);

// Every due phrase in plain text: "due ...", "deadline ...", "Дедлайн: 30 вересня",
// "entrega ...", "마감 ...". `what` is left empty (the caller knows the entry).
struct due_match {
  content_deadline deadline;
  std::size_t begin = 0;  // byte range of the phrase (parentheses around it included)
  std::size_t end = 0;
  std::size_t word_end = 0;     // byte after the due word itself
  bool has_when = false;        // a date, a week, a time or "today" was found after the due word
  bool today = false;           // "due TODAY": the day the entry is placed on
  bool in_parentheses = false;  // the phrase sits inside "( ... )" with other text
  std::size_t group_begin = 0;  // the parenthesized group around it, when in_parentheses
  std::size_t group_end = 0;
};
// At most `max` phrases are returned: real items have one or two, and the cap keeps callers that
// edit the text per phrase linear.
std::vector<due_match> find_due_phrases(std::string_view plain, std::size_t max = 8);

// Release words at the end of a label or title ("HW 4 out", "Guidelines and rubric released",
// "Quiz 1 released!"): returns the text without them, and whether there were any.
std::string strip_release_words(std::string_view plain, bool& found);

// A time or time range an entry states for itself ("12:45 - 2:15 pm", "Noon - 3 pm", "@ 9am",
// "4pm & 5pm", "6-8:50pm", "(105 Tate, 1:30 - 4:30 PM)") and the room written with it
// ("in FAH 1101", "@ WLH 2207", "[Lewis 104]", "105 Tate"). A bare "10-12" is not a time.
struct time_match {
  std::vector<int> starts;  // local minutes since midnight
  std::optional<int> end;
  std::string location;
  std::size_t begin = 0;  // bytes of `text` the time (and room) cover, to cut from a title
  std::size_t end_byte = 0;
};
std::optional<time_match> find_time(std::string_view plain);

// "Week 10", "Week01", "Week-1", "Week 2: Topic", "(Week 4) Topic" -> the number.
std::optional<int> week_from_title(std::string_view title);

// Link texts that name the kind of a file, not a topic ("PDF", "Slides", "Video", "Submit").
bool is_generic_link_text(std::string_view plain);

// Whether the text has a letter or a digit in any script ("🧒🎁", "—" have none).
bool has_words(std::string_view plain);

// `text` without bytes [begin, end) (a date, a slot), with the separators and empty brackets the
// cut leaves trimmed: ("Oct 7: Midterm", 0, 5) -> "Midterm".
std::string text_without(std::string_view text, std::size_t begin, std::size_t end);

// Leading and trailing spaces and separators (• · | , : ; - – —) removed.
std::string trim_separators(std::string_view s);

std::string lowercase_ascii(std::string_view s);

}  // namespace coursecal::content::detail
