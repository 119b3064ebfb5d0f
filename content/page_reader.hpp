// Reading one page: the front matter, Liquid, the page title, then one reader per shape a schedule
// is written in, each in its own file, all writing into one model (content_page: blocks of
// entries at anchors):
//   read_deflist.cpp       kramdown definition lists (terms, `: ` items, link lines, reading lists)
//   read_front_matter.cpp  schedules in the front matter (days:, contents:), as definition lists
//   read_bullets.cpp       bullet lists: "- Jan 31 : Topic : [Notes](...)", reading lists
//   read_headings.cpp      ATX headings ("### Sept 9: Lecture 2") and dated lines / paragraphs
//   read_table.cpp         pipe tables with a date (or number) column
// entry_text.cpp turns one line of inline text into entries (labels, titles, deadlines, times,
// rooms, no-class markers); it is shared by every shape. Internal to content/ (tests use it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/inline_text.hpp"
#include "content/liquid.hpp"
#include "content/site_reader.hpp"

namespace YAML {
class Node;
}

namespace coursecal::content::detail {

// What the site-wide decisions look at after every page is read.
struct page_result {
  content_page page;
  struct slot_ref {
    std::size_t block = 0;
    std::string family;  // "" (bare number), "class", "lecture", "day"
    int number = 0;
  };
  std::vector<slot_ref> slots;  // as written: may be a running counter
  // Front matter says the page is not shown ("published: false", "status: inactive"): it is
  // left out of the course.
  bool left_out = false;
};

page_result read_page(std::string_view text, const std::string& file, const site_info& site,
                      diagnostics& diags);

// Day/month when any numeric date's first field is over 12; slot numbers that run on across
// pages (no number repeats): in pages whose title says "Week N", positions 1..n within the page;
// elsewhere counters of the term (the n-th slot meeting), marked as estimated dates.
void apply_site_decisions(std::vector<page_result>& pages);

// --- lines -------------------------------------------------------------------------------------

struct line_view {
  std::string_view text;
  int number = 0;
  std::size_t first = 0;  // first non-blank byte; text.size() when blank
  int indent = 0;         // columns before `first`, tabs to the next multiple of 4
  bool has_tab = false;
  bool blank = true;
};

enum class line_kind { blank, definition, bullet, heading, table, text };
// `content_at`: where the line's content starts (after ": ", "- ", "### ").
line_kind kind_of(const line_view& l, std::size_t& content_at);

// --- the builder every shape reader writes into ----------------------------------------------

class page_builder {
 public:
  page_builder(page_result& out, const std::string& file, const site_info& site, diagnostics& diags,
               const column_map* columns);

  source_loc loc(int line, int col) const;
  void warn(int line, int col, std::string message);
  const site_info& site() const { return site_; }
  const std::string& file() const { return file_; }
  diagnostics& diags() { return diags_; }
  content_page& page() { return out_.page; }

  std::size_t add_block(content_anchor anchor);
  content_block& block(std::size_t i) { return out_.page.blocks[i]; }
  std::size_t block_count() const { return out_.page.blocks.size(); }

  // The anchor a heading (a term, an ATX heading, the start of a bullet or line) gives, with the
  // text after its date or slot. Records slot numbers for the site decision when added.
  struct anchor_text {
    content_anchor anchor;
    std::string family;  // slots: "", "class", "lecture", "day"
    std::string rest;    // the heading without its date or slot
    bool known_role = false;
    bool reading_role = false;
  };
  anchor_text anchor_of(std::string_view plain, int line, int col);
  std::size_t add_anchor_block(const anchor_text& a);

  // A line of markdown that starts with dates ("Jan 26 : Topic", "**Oct 13 (M)**: ...",
  // "Mar. 6-10: **No Class**"): the anchor and the byte where the markdown after the dates (and
  // the separator after them) starts. `need_separator`: prose like "Jan 5 is the first day" is not
  // a dated line; a separator (":", "-", "|", a bold end) or the end of the line must follow.
  struct dated_line {
    content_anchor anchor;
    std::size_t rest = 0;
  };
  std::optional<dated_line> dated_start(std::string_view markdown, int line, int col,
                                        bool need_separator);

  // The links of inline tokens, each resolved against the site (names split over links, as in
  // "[Recording 1](a), [2](b)", are joined). Unresolvable Liquid links are left out.
  void collect_links(const std::vector<inline_token>& toks, std::vector<content_link>& out,
                     int line);
  // A link target: nullopt when it must be left out (a {% link %} that could not be resolved);
  // "" when it is not published (empty, "#").
  std::optional<std::string> link_url(std::string_view target) const;

 private:
  std::optional<std::string> markdown_page_url(std::string_view target) const;
  page_result& out_;
  const std::string& file_;
  const site_info& site_;
  diagnostics& diags_;
  const column_map* columns_;
};

// --- entries: one line of inline text -> what it says (entry_text.cpp) ------------------------

// An entry while its lines are read.
struct entry_draft {
  content_entry e;
  std::string text;        // the title material, plain: text and non-generic link texts
  std::string first_link;  // the text of the first non-generic link on the title line
  enum class label_role { none, class_label, kind_word, name, tag } role = label_role::none;
  bool lecture_name = false;  // a name label that is a kind of lecture ("Guest Lecture")
  int line = 0;
  int col = 0;
  std::string source;  // the title line's markdown, for the columns of phrases in it
  int source_col = 0;  // the 1-based column of its first byte
};

// The entries one line states: a definition, a bullet, a table cell, a heading's rest. Several
// labels in one line are several entries ("**HW 4 out**{: .label}**HW 3 due**{: .label}"); a
// topic label before a title is a tag of that entry ("**Policy**{: .label} [Scheduling]()").
std::vector<entry_draft> entries_of_line(const std::vector<inline_token>& toks, int line, int col,
                                         page_builder& pb, std::string_view source = {},
                                         int source_col = 0);
// A nested link line under an entry: links; its text is a deadline ("Дедлайн: 30 вересня") or
// a note for the description ("G 1.1-1.2", "Guest Lecturer - Noah Knutson"). Never dropped.
void add_link_line(entry_draft& d, const std::vector<inline_token>& toks, int line, int col,
                   page_builder& pb);
// A lazy continuation of the entry's title line.
void add_continuation(entry_draft& d, const std::vector<inline_token>& toks, int line,
                      page_builder& pb);
// Once every line of the entry is read: its title, its deadlines and what is due, its own time
// and room, whether it says there is no class, whether it announces a release.
content_entry finish_entry(entry_draft d, page_builder& pb);

// Readings of one line under a reading marker ("* [Title](url)", "**SLP** [Ch. 5](...)", plain
// text when `text_is_reading`).
void readings_of_line(const std::vector<inline_token>& toks, int line, int col, reading_need need,
                      bool text_is_reading, page_builder& pb, std::vector<content_reading>& out);

// The plain text of inline tokens (labels included), whitespace collapsed.
std::string plain_of(const std::vector<inline_token>& toks);

// "Topic : [Notes](a), [Recording](b)": the markdown split at " : " outside brackets and
// parentheses, each piece with its byte offset.
std::vector<std::pair<std::string_view, std::size_t>> colon_segments(std::string_view markdown);

// Entries of one line written as "title : links : more" (a bullet or a dated line): the first
// segment is the entry, the others its link lines. Appends the finished entries to `block`.
void add_segmented_entries(std::string_view markdown, int line, int col, std::size_t block,
                           page_builder& pb);

// --- the shape readers -------------------------------------------------------------------------

// Definition lists (read_deflist.cpp): fed line by line by the page reader.
class deflist_reader {
 public:
  explicit deflist_reader(page_builder& pb) : pb_(pb) {}
  bool active() const { return !current_.empty() || orphan_; }
  // Term lines (they share the definitions that follow).
  void terms(const std::vector<line_view>& lines);
  // A ": " line: a new item, or a link line nested under the open item.
  void definition(const line_view& l, std::size_t content_at, bool after_blank);
  // A bullet: the open item's (or reading marker's) reading list.
  void bullet(const line_view& l, std::size_t content_at);
  bool takes_bullets() const;
  // A text line that continues the open item (lazy continuation).
  void continuation(const line_view& l);
  bool in_item() const { return ctx_ == context::item || ctx_ == context::reading; }
  // Whether a text line without a blank before it starts a new term rather than continuing.
  static bool looks_like_term(const line_view& l);
  void end();

 private:
  enum class context { none, item, reading, orphan };
  void finish_item();
  void open_reading(reading_need need, bool to_item);
  void add_reading(content_reading r);
  void nested_line(const line_view& l, std::size_t content_at);
  void item_line(const line_view& l, std::size_t content_at);

  page_builder& pb_;
  std::vector<std::size_t> current_;  // blocks of the current terms
  std::vector<bool> reading_role_;    // per current block: a Reading role
  std::vector<entry_draft> items_;    // the open definition's entries (the last takes link lines)
  bool item_open_ = false;
  // The note the last line wrote, when it was a nested line ("  : text"): a line of text right
  // under it wraps that note.
  std::optional<std::size_t> nested_note_;
  bool orphan_ = false;
  context ctx_ = context::none;
  int def_indent_ = 0;
  bool def_has_tab_ = false;
  bool reading_to_item_ = false;
  reading_need reading_need_ = reading_need::unspecified;
  std::vector<std::pair<int, reading_need>> bullets_;  // indent, need inherited by children
  // Readings given by a sibling definition, with the entry before them (-1: none), per block.
  std::vector<std::vector<std::pair<int, content_reading>>> loose_;
};

// Front-matter schedules (read_front_matter.cpp): the YAML shapes turned into the definition-list
// lines they stand for, numbered with the YAML line they come from.
struct synthetic_line {
  std::string text;
  int line = 0;
};
// Reads `days:` / `contents:` / `schedule:` lists of the front matter `root` (parsed once by the
// page reader; its first line is line 2 of the file). Returns false when it holds no schedule.
bool read_front_matter_schedule(const YAML::Node& root, page_builder& pb,
                                std::vector<synthetic_line>& out);

// Bullet lists outside a definition list (read_bullets.cpp): dated bullets are blocks of their
// own; others are readings after a reading marker, else entries of `anchor_block`. Returns the
// index of the first line after the list.
std::size_t read_bullets(const std::vector<line_view>& lines, std::size_t i, bool readings,
                         std::optional<std::size_t> anchor_block, page_builder& pb);

// ATX headings and dated lines (read_headings.cpp). A heading with a date or slot starts a
// block and returns it; one without is a section title (nullopt, `section` set).
std::optional<std::size_t> read_heading(const line_view& l, std::size_t content_at,
                                        page_builder& pb, bool& reading_section);
// A paragraph line: a dated line ("Mar. 6-10: **No Class**") starts a block of its own; a
// no-class marker or a line with links is an entry of `anchor_block`; other prose is not a
// schedule. Returns whether the line was read.
bool read_paragraph_line(const line_view& l, std::optional<std::size_t> anchor_block,
                         bool under_heading, page_builder& pb);

// Pipe tables (read_table.cpp): returns the index after the table, or `i` when the lines at `i`
// are not a table.
std::size_t read_table(const std::vector<line_view>& lines, std::size_t i, page_builder& pb);

}  // namespace coursecal::content::detail
