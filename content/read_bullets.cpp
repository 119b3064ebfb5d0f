// Bullet lists outside a definition list: "- Jan 31 : Topic : [Notes](...), [Recording](...)"
// (a dated entry each), a reading list after "Required Materials" or "## Readings", or items of
// the heading above.
#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {

std::size_t read_bullets(const std::vector<line_view>& lines, std::size_t i, bool readings,
                         std::optional<std::size_t> anchor_block, page_builder& pb) {
  const int top = lines[i].indent;
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t dated = none;  // the block of the last dated top-level bullet
  // Where undated bullets go: the heading's block, else a block of the page's own (the page's
  // anchor or its week).
  auto home = [&]() -> std::size_t {
    if (anchor_block) return *anchor_block;
    content_anchor a;
    a.type = anchor_type::week;
    a.loc = pb.loc(lines[i].number, lines[i].indent + 1);
    anchor_block = pb.add_block(a);
    return *anchor_block;
  };
  std::vector<std::pair<int, reading_need>> needs;  // nested reading lists: indent, need
  std::size_t j = i;
  while (j < lines.size()) {
    const line_view& l = lines[j];
    if (l.blank) {
      std::size_t k = j + 1;
      while (k < lines.size() && lines[k].blank) ++k;
      std::size_t at = 0;
      if (k < lines.size() && kind_of(lines[k], at) == line_kind::bullet) {
        j = k;
        continue;
      }
      break;
    }
    std::size_t content_at = 0;
    const line_kind kind = kind_of(l, content_at);
    if (kind != line_kind::bullet) {
      if (l.indent > top && kind == line_kind::text) {
        ++j;  // a wrapped bullet line: read with its bullet's text above (kramdown joins them)
        continue;
      }
      break;
    }
    const std::string_view markdown = l.text.substr(content_at);
    const int col = static_cast<int>(content_at) + 1;
    const auto toks = parse_inline(markdown, col);
    if (readings) {
      while (!needs.empty() && needs.back().first >= l.indent) needs.pop_back();
      reading_need need = need_from_words(plain_of(toks));
      if (need == reading_need::unspecified && !needs.empty()) need = needs.back().second;
      needs.emplace_back(l.indent, need);
      std::vector<content_reading> rs;
      readings_of_line(toks, l.number, col, need, true, pb, rs);
      content_block& b = pb.block(home());
      b.readings.insert(b.readings.end(), rs.begin(), rs.end());
      ++j;
      continue;
    }
    if (l.indent <= top) {
      if (auto d = pb.dated_start(markdown, l.number, col, true)) {
        dated = pb.add_block(d->anchor);
        add_segmented_entries(markdown.substr(d->rest), l.number, col + static_cast<int>(d->rest),
                              dated, pb);
      } else {
        dated = none;
        add_segmented_entries(markdown, l.number, col, home(), pb);
      }
    } else {
      // A nested bullet: more of the dated bullet above, else of the home block.
      add_segmented_entries(markdown, l.number, col, dated != none ? dated : home(), pb);
    }
    ++j;
  }
  return j;
}

}  // namespace coursecal::content::detail
