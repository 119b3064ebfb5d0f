// Pipe tables: a header row naming the columns (Date, Topic, Slides, Reading, Due, ...), a
// separator row, then one row per class with a date (or a lecture number).
#include <algorithm>
#include <array>

#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {
namespace {

struct cell {
  std::string_view text;
  std::size_t offset = 0;  // in the line
};

// Cells of a row: split at '|' outside code spans, brackets and parentheses; "\|" is a pipe.
std::vector<cell> split_row(std::string_view line) {
  std::vector<cell> cells;
  std::size_t start = 0;
  int brackets = 0, parens = 0;
  bool code = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : '|';
    if (i < line.size() && c == '\\') {
      ++i;
      continue;
    }
    if (c == '`') code = !code;
    if (code && i < line.size()) continue;
    if (c == '[') ++brackets;
    if (c == ']' && brackets > 0) --brackets;
    if (c == '(') ++parens;
    if (c == ')' && parens > 0) --parens;
    if (c == '|' && (i == line.size() || (brackets == 0 && parens == 0))) {
      cells.push_back({line.substr(start, i - start), start});
      start = i + 1;
    }
  }
  // A leading and a trailing pipe make empty outer cells.
  auto blank = [](const cell& c) {
    return c.text.find_first_not_of(" \t") == std::string_view::npos;
  };
  if (!cells.empty() && blank(cells.front()) &&
      line.find_first_not_of(" \t") != std::string_view::npos &&
      line[line.find_first_not_of(" \t")] == '|')
    cells.erase(cells.begin());
  if (!cells.empty() && blank(cells.back())) {
    const auto last = line.find_last_not_of(" \t\r");
    if (last != std::string_view::npos && line[last] == '|') cells.pop_back();
  }
  for (auto& c : cells) {
    while (!c.text.empty() && (c.text.front() == ' ' || c.text.front() == '\t')) {
      c.text.remove_prefix(1);
      ++c.offset;
    }
    while (!c.text.empty() &&
           (c.text.back() == ' ' || c.text.back() == '\t' || c.text.back() == '\r'))
      c.text.remove_suffix(1);
  }
  return cells;
}

bool separator_row(std::string_view line) {
  bool dash = false;
  for (char c : line) {
    if (c == '-')
      dash = true;
    else if (c != '|' && c != ':' && c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return dash && line.find('|') != std::string_view::npos;
}

enum class column { date, number, topic, readings, links, due, notes };

column role_of(const std::string& header) {
  const std::string h = lowercase_ascii(trim_separators(header));
  auto any = [&](std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
      return h == w || h.starts_with(std::string(w) + " ") || h.ends_with(" " + std::string(w));
    });
  };
  if (any({"date", "dates", "day", "when", "data", "\xD0\xB4\xD0\xB0\xD1\x82\xD0\xB0",
           "\xEB\x82\xA0\xEC\xA7\x9C"}))
    return column::date;
  if (h == "#" || any({"no", "no.", "lec", "lecture #", "class #", "session", "#"}))
    return column::number;
  if (any({"reading", "readings", "required reading", "optional reading", "leitura", "leituras",
           "textbook", "book"}))
    return column::readings;
  if (any({"due", "deadline", "deadlines", "assignment", "assignments", "homework", "hw", "project",
           "quiz", "out", "released"}))
    return column::due;
  if (any({"topic", "topics", "title", "lecture", "subject", "content", "contents", "agenda",
           "tema", "\xD1\x82\xD0\xB5\xD0\xBC\xD0\xB0", "\xEC\xA3\xBC\xEC\xA0\x9C", "description",
           "class", "what"}))
    return column::topic;
  if (any({"slides", "materials", "resources", "notes", "video", "videos", "recording",
           "recordings", "links", "handouts", "code", "lecture notes", "lecture slides"}))
    return column::links;
  return column::notes;
}

}  // namespace

std::size_t read_table(const std::vector<line_view>& lines, std::size_t i, page_builder& pb) {
  if (i + 1 >= lines.size() || !separator_row(lines[i + 1].text)) return i;
  const line_view& head = lines[i];
  const auto headers = split_row(head.text);
  if (headers.size() < 2) return i;
  std::vector<column> roles;
  for (const auto& h : headers) roles.push_back(role_of(plain_text(h.text)));
  const bool has_date_column = std::find(roles.begin(), roles.end(), column::date) != roles.end();
  const bool has_topic_column = std::find(roles.begin(), roles.end(), column::topic) != roles.end();
  std::size_t j = i + 2;
  for (; j < lines.size(); ++j) {
    const line_view& l = lines[j];
    if (l.blank || l.text.find('|') == std::string_view::npos) break;
    const auto cells = split_row(l.text);
    std::optional<std::size_t> block;
    // The anchor: the date column (or, without one, the first cell that starts with a date),
    // else a lecture number.
    for (std::size_t c = 0; c < cells.size() && c < roles.size() && !block; ++c) {
      if (has_date_column && roles[c] != column::date) continue;
      const int col = static_cast<int>(cells[c].offset) + 1;
      if (auto d = pb.dated_start(cells[c].text, l.number, col, false))
        block = pb.add_block(d->anchor);
    }
    for (std::size_t c = 0; c < cells.size() && c < roles.size() && !block; ++c) {
      if (roles[c] != column::number) continue;
      const std::string plain = plain_text(cells[c].text);
      page_builder::anchor_text a =
          pb.anchor_of(plain, l.number, static_cast<int>(cells[c].offset) + 1);
      if (a.anchor.type == anchor_type::slot) block = pb.add_anchor_block(a);
    }
    if (!block) {
      content_anchor a;
      a.type = anchor_type::week;
      a.loc = pb.loc(l.number, static_cast<int>(l.first) + 1);
      block = pb.add_block(a);
    }
    // The topic cell is the row's entry; link, reading and note cells belong to it; each due
    // cell is an entry of its own.
    std::optional<entry_draft> main;
    std::vector<entry_draft> others;
    for (std::size_t c = 0; c < cells.size() && c < roles.size(); ++c) {
      if (cells[c].text.empty()) continue;
      const int col = static_cast<int>(cells[c].offset) + 1;
      const auto toks = parse_inline(cells[c].text, col);
      const column r = roles[c];
      if (r == column::date || r == column::number) continue;
      if ((r == column::topic || (!has_topic_column && !main && r == column::notes)) && !main) {
        auto ds = entries_of_line(toks, l.number, col, pb);
        if (!ds.empty()) {
          main = std::move(ds.front());
          for (std::size_t k = 1; k < ds.size(); ++k) others.push_back(std::move(ds[k]));
        }
        continue;
      }
      if (r == column::due) {
        for (auto& d : entries_of_line(toks, l.number, col, pb)) others.push_back(std::move(d));
        continue;
      }
      if (!main) {
        entry_draft d;
        d.line = l.number;
        d.col = col;
        d.e.loc = pb.loc(l.number, col);
        main = std::move(d);
      }
      if (r == column::readings) {
        readings_of_line(toks, l.number, col, need_from_words(plain_text(headers[c].text)), true,
                         pb, main->e.readings);
      } else {
        add_link_line(*main, toks, l.number, col, pb);
      }
    }
    if (main) pb.block(*block).entries.push_back(finish_entry(std::move(*main), pb));
    for (auto& d : others) pb.block(*block).entries.push_back(finish_entry(std::move(d), pb));
  }
  return j;
}

}  // namespace coursecal::content::detail
