// ATX headings ("### Sept 9: Lecture 2", "## Lecture 3", "## Readings") and lines of prose that
// carry a date ("Mar. 6-10: **No Class**") or say there is no class.
#include <algorithm>

#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {

std::optional<std::size_t> read_heading(const line_view& l, std::size_t content_at,
                                        page_builder& pb, bool& reading_section) {
  reading_section = false;
  std::string_view markdown = l.text.substr(content_at);
  // "## Title ##": closing hashes are not text.
  while (!markdown.empty() && (markdown.back() == '#' || markdown.back() == ' '))
    markdown.remove_suffix(1);
  const int col = static_cast<int>(content_at) + 1;
  if (auto d = pb.dated_start(markdown, l.number, col, false)) {
    const std::size_t block = pb.add_block(d->anchor);
    add_segmented_entries(markdown.substr(d->rest), l.number, col + static_cast<int>(d->rest),
                          block, pb);
    return block;
  }
  const std::string plain = plain_text(markdown);
  page_builder::anchor_text a = pb.anchor_of(plain, l.number, col);
  if (a.anchor.type == anchor_type::slot || a.anchor.type == anchor_type::classes) {
    const std::size_t block = pb.add_anchor_block(a);
    if (has_words(a.rest)) {
      const auto toks = parse_inline(a.rest, col);
      for (auto& e : entries_of_line(toks, l.number, col, pb))
        pb.block(block).entries.push_back(finish_entry(std::move(e), pb));
    }
    return block;
  }
  reading_section = is_reading_marker(plain);
  return std::nullopt;  // a section title ("### What Is Meaning?"): not a schedule
}

bool read_paragraph_line(const line_view& l, std::optional<std::size_t> anchor_block,
                         bool under_heading, page_builder& pb) {
  const std::string_view markdown = l.text.substr(l.first);
  const int col = static_cast<int>(l.first) + 1;
  if (auto d = pb.dated_start(markdown, l.number, col, true)) {
    const std::size_t block = pb.add_block(d->anchor);
    add_segmented_entries(markdown.substr(d->rest), l.number, col + static_cast<int>(d->rest),
                          block, pb);
    return true;
  }
  const std::string plain = plain_text(markdown);
  const bool no_class = says_no_class(plain);
  if (!no_class && !under_heading) return false;
  std::size_t block = 0;
  if (anchor_block) {
    block = *anchor_block;
  } else {
    content_anchor a;
    a.type = anchor_type::week;
    a.loc = pb.loc(l.number, col);
    block = pb.add_block(a);
  }
  // Links alone under a heading's topic are that topic's ("### Apr 7: Caches" / "[Slides](c)").
  const auto toks = parse_inline(markdown, col);
  const bool links_only =
      std::any_of(toks.begin(), toks.end(),
                  [](const inline_token& t) { return t.kind == inline_token::type::link; }) &&
      std::all_of(toks.begin(), toks.end(), [](const inline_token& t) {
        return t.kind == inline_token::type::link ||
               (t.kind == inline_token::type::text &&
                trim_separators(collapse_whitespace(t.text)).empty());
      });
  if (under_heading && links_only && !pb.block(block).entries.empty()) {
    pb.collect_links(toks, pb.block(block).entries.back().links, l.number);
    return true;
  }
  add_segmented_entries(markdown, l.number, col, block, pb);
  return true;
}

}  // namespace coursecal::content::detail
