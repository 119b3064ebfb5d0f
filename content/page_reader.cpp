// One page: front matter, title, Liquid, then each line to the reader of its shape.
#include "content/page_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "content/phrases.hpp"
#include "content/site_tree.hpp"

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<line_view> split_lines(std::string_view b, int first_line) {
  std::vector<line_view> lines;
  std::size_t pos = 0;
  int number = first_line;
  while (pos < b.size()) {
    const std::size_t e = b.find('\n', pos);
    const std::size_t end = e == npos ? b.size() : e;
    line_view l;
    l.text = b.substr(pos, end - pos);
    if (!l.text.empty() && l.text.back() == '\r') l.text.remove_suffix(1);
    l.number = number++;
    if (l.text.size() == 1 && l.text[0] == joined_line) {
      pos = e == npos ? b.size() : e + 1;
      continue;  // its text is on the line above (liquid.hpp)
    }
    std::size_t f = 0;
    int col = 0;
    while (f < l.text.size() && (l.text[f] == ' ' || l.text[f] == '\t')) {
      if (l.text[f] == '\t') {
        l.has_tab = true;
        col = (col / 4 + 1) * 4;
      } else {
        ++col;
      }
      ++f;
    }
    l.first = f;
    l.indent = col;
    l.blank = f == l.text.size();
    lines.push_back(l);
    pos = e == npos ? b.size() : e + 1;
  }
  return lines;
}

struct front_matter {
  bool present = false;
  std::string yaml;
  std::size_t body_offset = 0;
  int body_line = 1;
};

front_matter split_front_matter(std::string_view t, page_builder& pb) {
  front_matter fm;
  std::size_t start = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto line_at = [&](std::size_t pos, std::size_t& next) {
    const std::size_t e = t.find('\n', pos);
    next = e == npos ? t.size() : e + 1;
    std::string_view l = t.substr(pos, (e == npos ? t.size() : e) - pos);
    while (!l.empty() && is_blank_char(l.back())) l.remove_suffix(1);
    return l;
  };
  std::size_t next = 0;
  fm.body_offset = start;
  if (line_at(start, next) != "---") return fm;
  const std::size_t begin = next;
  int line = 2;
  for (std::size_t pos = next; pos < t.size(); ++line) {
    std::size_t after = 0;
    const std::string_view l = line_at(pos, after);
    if (l == "---" || l == "...") {
      fm.present = true;
      fm.yaml = std::string(t.substr(begin, pos - begin));
      fm.body_offset = after;
      fm.body_line = line + 1;
      return fm;
    }
    pos = after;
  }
  pb.warn(1, 1, "front matter is not closed by '---'; the page is read without it");
  return fm;
}

}  // namespace

line_kind kind_of(const line_view& l, std::size_t& content_at) {
  if (l.blank) return line_kind::blank;
  const std::string_view t = l.text;
  const std::size_t f = l.first;
  auto space_after = [&](std::size_t k) { return k >= t.size() || t[k] == ' ' || t[k] == '\t'; };
  if (t[f] == ':' && space_after(f + 1)) {
    content_at = std::min(t.size(), f + 1);
    return line_kind::definition;
  }
  if ((t[f] == '*' || t[f] == '-' || t[f] == '+') && f + 1 < t.size() && space_after(f + 1)) {
    content_at = f + 1;
    return line_kind::bullet;
  }
  if (t[f] == '#' && l.indent < 4) {
    std::size_t k = f;
    while (k < t.size() && t[k] == '#' && k - f < 7) ++k;
    if (k - f <= 6 && space_after(k)) {
      content_at = k;
      while (content_at < t.size() && (t[content_at] == ' ' || t[content_at] == '\t')) ++content_at;
      return line_kind::heading;
    }
  }
  if (t[f] == '|') {
    content_at = f;
    return line_kind::table;
  }
  std::size_t k = f;
  while (k < t.size() && is_digit(t[k]) && k - f < 3) ++k;
  if (k > f && k < t.size() && (t[k] == '.' || t[k] == ')') && k + 1 < t.size() &&
      space_after(k + 1)) {
    content_at = k + 1;
    return line_kind::bullet;
  }
  content_at = f;
  return line_kind::text;
}

// --- page_builder ---------------------------------------------------------------------------

page_builder::page_builder(page_result& out, const std::string& file, const site_info& site,
                           diagnostics& diags, const column_map* columns)
    : out_(out), file_(file), site_(site), diags_(diags), columns_(columns) {}

source_loc page_builder::loc(int line, int col) const {
  const int c = columns_ ? columns_->source_col(line, col) : col;
  return source_loc{file_, line, c};
}

void page_builder::warn(int line, int col, std::string message) {
  diags_.warn(loc(line, col), std::move(message));
}

std::size_t page_builder::add_block(content_anchor anchor) {
  content_block b;
  b.anchor = std::move(anchor);
  out_.page.blocks.push_back(std::move(b));
  return out_.page.blocks.size() - 1;
}

page_builder::anchor_text page_builder::anchor_of(std::string_view plain, int line, int col) {
  const heading_match h = classify_heading(plain);
  anchor_text a;
  a.anchor.text = std::string(plain);
  a.anchor.loc = loc(line, col);
  a.anchor.type = h.shape;
  a.rest = h.rest;
  a.known_role = h.known_role;
  a.reading_role = h.reading_role;
  if (h.date) {
    a.anchor.dates = h.date->dates;
    a.anchor.range = h.date->range;
  }
  if (h.slot) {
    a.anchor.number = h.slot->number;
    a.family = h.slot->family;
  }
  if (h.shape == anchor_type::week) a.anchor.role = h.role;
  // A time written in the heading ("December 4 (6-8:50pm)") is its entries' time.
  if (!a.rest.empty() && (h.shape == anchor_type::dates || h.shape == anchor_type::slot)) {
    if (auto t = find_time(a.rest)) {
      a.anchor.starts = t->starts;
      a.anchor.end = t->end;
      a.anchor.location = t->location;
      a.rest = text_without(a.rest, t->begin, t->end_byte);
    }
  }
  return a;
}

std::size_t page_builder::add_anchor_block(const anchor_text& a) {
  const std::size_t index = add_block(a.anchor);
  if (a.anchor.type == anchor_type::slot) out_.slots.push_back({index, a.family, a.anchor.number});
  return index;
}

std::optional<page_builder::dated_line> page_builder::dated_start(std::string_view markdown,
                                                                  int line, int col,
                                                                  bool need_separator) {
  std::size_t k = 0;
  while (k < markdown.size() && (markdown[k] == '*' || markdown[k] == '_' || markdown[k] == ' '))
    ++k;
  // Quick test: a date starts with a letter or a digit.
  if (k >= markdown.size()) return std::nullopt;
  const auto m = match_dates(markdown.substr(k, 240));
  if (!m) return std::nullopt;
  std::size_t p = k + m->end;
  const std::size_t after_date = p;
  while (p < markdown.size() && (markdown[p] == '*' || markdown[p] == '_')) ++p;
  const bool bold_end = p > after_date;
  while (p < markdown.size() && (markdown[p] == ' ' || markdown[p] == '\t')) ++p;
  bool separated = p >= markdown.size();
  if (!separated) {
    const std::string_view rest = markdown.substr(p);
    for (std::string_view sep : {":", "-", "|", ",", "\xE2\x80\x93", "\xE2\x80\x94"}) {
      if (rest.starts_with(sep)) {
        p += sep.size();
        separated = true;
        break;
      }
    }
    while (p < markdown.size() && (markdown[p] == ' ' || markdown[p] == '\t')) ++p;
  }
  if (!separated && need_separator && !bold_end) {
    warn(line, col,
         "'" + collapse_whitespace(plain_text(markdown.substr(0, 80))) +
             "' starts with a date but reads as prose; write 'DATE: text' (or make it a "
             "heading) for it to be read as a schedule line");
    return std::nullopt;
  }
  dated_line d;
  d.anchor.type = anchor_type::dates;
  d.anchor.dates = m->dates;
  d.anchor.range = m->range;
  d.anchor.text = collapse_whitespace(plain_text(markdown.substr(0, after_date)));
  d.anchor.loc = loc(line, col + static_cast<int>(k));
  d.rest = p;
  return d;
}

std::optional<std::string> page_builder::link_url(std::string_view target) const {
  if (target.find(unresolved_link) != npos) return std::nullopt;
  if (auto page = markdown_page_url(target)) return *page;
  const auto url = resolve_target(target, site_);
  return url ? *url : std::string();
}

// "[Syllabus](../about.md)": a relative link to a Markdown file of the site points to the page
// Jekyll makes of it, found from the linking file's folder (as jekyll-relative-links does on
// GitHub Pages); a file the site does not have is left to resolve_target.
std::optional<std::string> page_builder::markdown_page_url(std::string_view target) const {
  if (!site_.tree || site_.tree->root().empty()) return std::nullopt;
  std::string_view t = target;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  const std::size_t q = t.find_first_of("?#");
  const std::string_view path = t.substr(0, q);
  const std::string_view rest = q == npos ? std::string_view() : t.substr(q);
  if (path.empty() || path.front() == '/' || path.find("://") != npos ||
      !(path.ends_with(".md") || path.ends_with(".markdown")))
    return std::nullopt;
  std::error_code ec;
  const std::filesystem::path dir =
      std::filesystem::relative(std::filesystem::path(file_).parent_path(), site_.tree->root(), ec);
  if (ec || dir.native().starts_with("..")) return std::nullopt;
  const std::string rel = (dir / std::string(path)).lexically_normal().generic_string();
  if (rel.empty() || rel.starts_with("..")) return std::nullopt;
  std::string problem;
  const auto url = site_.tree->url_of(rel, problem);
  if (!url) return std::nullopt;
  return percent_encode_once(site_.site_url + *url + std::string(rest));
}

void page_builder::collect_links(const std::vector<inline_token>& toks,
                                 std::vector<content_link>& out, int line) {
  std::string previous;
  for (const auto& t : toks) {
    if (!t.has_target) continue;
    content_link link;
    link.label = collapse_whitespace(t.text);
    if (!link.label.empty() &&
        std::all_of(link.label.begin(), link.label.end(), [](char c) { return is_digit(c); })) {
      std::size_t k = previous.size();
      while (k > 0 && is_digit(previous[k - 1])) --k;
      if (k < previous.size() && k > 0) link.label = previous.substr(0, k) + link.label;
    }
    previous = link.label;
    link.loc = loc(line, t.col);
    const auto url = link_url(t.target);
    if (!url) continue;  // a {% link %} that could not be resolved: reported, left out
    link.url = *url;
    link.published = !link.url.empty();
    out.push_back(std::move(link));
  }
}

// --- lines of "title : links" -------------------------------------------------------------------

std::vector<std::pair<std::string_view, std::size_t>> colon_segments(std::string_view md) {
  std::vector<std::pair<std::string_view, std::size_t>> out;
  int brackets = 0, parens = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') ++brackets;
    if (c == ']' && brackets > 0) --brackets;
    if (c == '(') ++parens;
    if (c == ')' && parens > 0) --parens;
    if (c == ':' && brackets == 0 && parens == 0 && i > 0 && md[i - 1] == ' ' &&
        i + 1 < md.size() && md[i + 1] == ' ') {
      out.emplace_back(md.substr(start, i - start), start);
      start = i + 1;
    }
  }
  out.emplace_back(md.substr(start), start);
  return out;
}

void add_segmented_entries(std::string_view markdown, int line, int col, std::size_t block,
                           page_builder& pb) {
  const auto segments = colon_segments(markdown);
  std::vector<entry_draft> drafts;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const int c = col + static_cast<int>(segments[s].second);
    const auto toks = parse_inline(segments[s].first, c);
    if (s == 0 || drafts.empty()) {
      drafts = entries_of_line(toks, line, c, pb);
      continue;
    }
    add_link_line(drafts.back(), toks, line, c, pb);
  }
  for (auto& d : drafts) {
    content_entry e = finish_entry(std::move(d), pb);
    if (e.title.empty() && e.label.empty() && e.links.empty() && e.notes.empty() &&
        e.deadlines.empty() && e.tags.empty())
      continue;
    pb.block(block).entries.push_back(std::move(e));
  }
}

// --- the page ---------------------------------------------------------------------------------

namespace {

class page_reader {
 public:
  page_reader(std::string_view text, const std::string& file, const site_info& site,
              diagnostics& diags)
      : text_(text), file_(file), site_(site), diags_(diags) {}

  page_result run() {
    page_result r;
    r.page.file = file_;
    r.page.loc = source_loc{file_, 1, 0};
    page_builder head(r, file_, site_, diags_, nullptr);
    const front_matter fm = split_front_matter(text_, head);
    std::map<std::string, std::string, std::less<>> page_vars;
    std::vector<synthetic_line> schedule;
    bool has_schedule = false;
    if (fm.present) {
      YAML::Node root;
      if (parse_front_matter(fm.yaml, head, root)) {
        read_front_matter_values(root, head, r, page_vars);
        if (r.left_out) return r;
        has_schedule = read_front_matter_schedule(root, head, schedule);
      }
    }
    read_title(r.page, head);

    const rendered_page body =
        render_liquid(text_.substr(fm.body_offset), fm.body_line, file_, site_, page_vars, diags_);
    page_builder pb(r, file_, site_, diags_, &body.columns);
    std::vector<line_view> lines;
    for (const auto& s : schedule) {
      std::vector<line_view> one = split_lines(s.text, s.line);
      if (one.empty()) one.push_back(line_view{{}, s.line, 0, 0, false, true});
      lines.insert(lines.end(), one.begin(), one.end());
    }
    if (!schedule.empty()) lines.push_back(line_view{{}, fm.body_line, 0, 0, false, true});
    const std::size_t body_start = lines.size();
    const auto body_lines = split_lines(body.text, fm.body_line);
    lines.insert(lines.end(), body_lines.begin(), body_lines.end());
    read_lines(lines, pb);
    finish(r, lines, body_start, has_schedule);
    return r;
  }

 private:
  // The front matter, parsed once for its values and its schedule.
  static bool parse_front_matter(const std::string& yaml, page_builder& pb, YAML::Node& root) {
    try {
      root = YAML::Load(yaml);
      return true;
    } catch (const YAML::Exception& e) {
      const int l = e.mark.line >= 0 ? e.mark.line + 2 : 1;
      const int c = e.mark.column >= 0 ? e.mark.column + 1 : 0;
      pb.warn(l, c, "front matter is not valid YAML (" + e.msg + "); read without it");
      return false;
    }
  }

  void read_front_matter_values(const YAML::Node& root, page_builder& pb, page_result& r,
                                std::map<std::string, std::string, std::less<>>& vars) {
    content_page& page = r.page;
    if (!root.IsMap()) return;
    try {
      for (const auto& kv : root) {
        if (!kv.first.IsScalar() || !kv.second.IsScalar()) continue;
        const std::string key = kv.first.Scalar();
        vars[key] = kv.second.Scalar();
        const std::string lkey = lowercase_ascii(key);
        const std::string value = lowercase_ascii(kv.second.Scalar());
        const YAML::Mark km = kv.first.Mark();
        const int kline = km.line >= 0 ? km.line + 2 : 1;
        // Jekyll does not build a page with "published: false"; "status: inactive" (or draft,
        // hidden, archived) is how sites keep last term's pages out of their schedule.
        if (lkey == "published" && (value == "false" || value == "no")) r.left_out = true;
        if (lkey == "status" &&
            (value == "inactive" || value == "draft" || value == "hidden" || value == "archived")) {
          pb.warn(kline, km.column >= 0 ? km.column + 1 : 0,
                  "'" + key + ": " + kv.second.Scalar() + "': the page is left out of the feed");
          r.left_out = true;
        }
        if (key == "title") {
          page.title = plain_text(kv.second.Scalar());
          const YAML::Mark m = kv.first.Mark();
          page.loc = pb.loc(m.line >= 0 ? m.line + 2 : 1, m.column >= 0 ? m.column + 1 : 0);
        }
      }
    } catch (const YAML::Exception& e) {
      pb.warn(1, 0, "front matter could not be read (" + e.msg + ")");
    }
  }

  // "Week 10" gives the week; "Jan 16 — Topic" gives the page's day and its class's topic;
  // "Spring Break, Mar. 18-22" its days, with no class on them.
  void read_title(content_page& page, page_builder& pb) {
    if (auto n = week_from_title(page.title)) {
      page.week = *n;
      page.week_from = week_source::title;
      return;
    }
    const auto f = find_dates(page.title);
    if (!f) return;
    content_anchor a;
    a.type = anchor_type::dates;
    a.dates = f->match.dates;
    a.range = f->match.range;
    a.text = page.title;
    a.loc = page.loc;
    page.anchor = a;
    const std::string rest = text_without(page.title, f->begin, f->match.end);
    if (rest.empty()) return;
    const bool single = a.dates.size() == 1;
    if (!single && !says_no_class(rest)) return;  // "Final Exam Period, May 8-14": days only
    const std::size_t block = pb.add_block(a);
    const auto toks = parse_inline(rest, page.loc.col);
    for (auto& d : entries_of_line(toks, page.loc.line, page.loc.col, pb))
      pb.block(block).entries.push_back(finish_entry(std::move(d), pb));
  }

  void read_lines(const std::vector<line_view>& lines, page_builder& pb) {
    deflist_reader dl(pb);
    // term_run[i]: line i is in a run of text lines (no blank between them) that a definition
    // follows (right after it, or after one blank line): the run's lines are terms.
    std::vector<char> term_run(lines.size(), 0);
    {
      std::size_t at = 0;
      auto is_text = [&](std::size_t i) { return kind_of(lines[i], at) == line_kind::text; };
      for (std::size_t i = 0; i < lines.size();) {
        if (!is_text(i)) {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j + 1 < lines.size() && is_text(j + 1)) ++j;
        std::size_t k = j + 1;
        int blanks = 0;
        while (k < lines.size() && lines[k].blank) {
          ++k;
          ++blanks;
        }
        if (k < lines.size() && blanks <= 1 && kind_of(lines[k], at) == line_kind::definition)
          for (std::size_t x = i; x <= j; ++x) term_run[x] = 1;
        i = j + 1;
      }
    }
    std::vector<line_view> pending;
    std::optional<std::size_t> heading_block;
    std::optional<std::size_t> page_block;
    bool reading_next = false;
    bool saw_blank = false;
    auto page_home = [&]() -> std::size_t {
      if (!page_block) {
        content_anchor a;
        a.type = anchor_type::week;
        a.loc = pb.loc(1, 0);
        page_block = pb.add_block(a);
      }
      return *page_block;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const line_view& l = lines[i];
      std::size_t at = 0;
      line_kind k = kind_of(l, at);
      if (k == line_kind::blank) {
        saw_blank = true;
        continue;
      }
      if (k == line_kind::table) {
        const std::size_t j = read_table(lines, i, pb);
        if (j > i) {
          dl.end();
          pending.clear();
          i = j - 1;
          saw_blank = false;
          continue;
        }
        k = line_kind::text;
      }
      if (k == line_kind::heading) {
        dl.end();
        pending.clear();
        bool reading_section = false;
        heading_block = read_heading(l, at, pb, reading_section);
        reading_next = reading_section;
        saw_blank = false;
        continue;
      }
      if (k == line_kind::definition) {
        if (!pending.empty()) {
          dl.terms(pending);
          pending.clear();
        }
        dl.definition(l, at, saw_blank);
        saw_blank = false;
        continue;
      }
      if (k == line_kind::bullet) {
        if (dl.active() && dl.takes_bullets() && pending.empty()) {
          dl.bullet(l, at);
          saw_blank = false;
          continue;
        }
        pending.clear();
        const std::string plain = plain_text(l.text.substr(at));
        if (plain == "TOC" || plain.empty()) {  // kramdown's "- TOC {:toc}"
          saw_blank = false;
          continue;
        }
        const std::size_t j =
            read_bullets(lines, i, reading_next, heading_block ? heading_block : page_home(), pb);
        reading_next = false;
        i = j - 1;
        saw_blank = false;
        continue;
      }
      // Text.
      if (dl.active() && pending.empty() && !saw_blank) {
        if (term_run[i] && deflist_reader::looks_like_term(l))
          pending.push_back(l);
        else
          dl.continuation(l);
        saw_blank = false;
        continue;
      }
      if (dl.active() && saw_blank && l.indent >= 2 && dl.in_item() && !term_run[i]) {
        dl.continuation(l);
        saw_blank = false;
        continue;
      }
      if (term_run[i]) {
        if (saw_blank) pending.clear();
        pending.push_back(l);
        saw_blank = false;
        continue;
      }
      dl.end();
      pending.clear();
      const std::string plain = plain_text(l.text.substr(l.first));
      if (is_reading_marker(plain)) {
        reading_next = true;
      } else if (!plain.empty()) {
        read_paragraph_line(l, heading_block ? heading_block : std::optional<std::size_t>(),
                            heading_block.has_value(), pb);
      }
      saw_blank = false;
    }
    dl.end();
  }

  void finish(page_result& r, const std::vector<line_view>& lines, std::size_t body_start,
              bool has_schedule) {
    content_page& page = r.page;
    // The page's own anchor is the anchor of its blocks that have none.
    if (page.anchor) {
      for (auto& b : page.blocks)
        if (b.anchor.type == anchor_type::week) b.from_page = true;
    }
    if (page.week_from == week_source::none) {
      // No week in the title: the number in the file name for now. The resolver, which knows the
      // term, places the page by its dates instead when it has any, and warns when a page that
      // needs a week has neither.
      std::string name = file_;
      const std::size_t slash = name.find_last_of('/');
      if (slash != std::string::npos) name = name.substr(slash + 1);
      const std::size_t d = name.find_first_of("0123456789");
      if (d != std::string::npos) {
        int n = 0;
        for (std::size_t k = d; k < name.size() && is_digit(name[k]) && k - d < 4; ++k)
          n = n * 10 + (name[k] - '0');
        page.week = n;
        page.week_from = week_source::file_name;
      }
    }
    // Drop blocks that say nothing (a page-level block that was never written into).
    std::vector<std::size_t> remap(page.blocks.size());
    std::vector<content_block> kept;
    for (std::size_t i = 0; i < page.blocks.size(); ++i) {
      const content_block& b = page.blocks[i];
      const bool empty = b.entries.empty() && b.readings.empty();
      const bool anchored = b.anchor.type != anchor_type::week;
      remap[i] = kept.size();
      if (!empty || anchored)
        kept.push_back(b);
      else
        remap[i] = static_cast<std::size_t>(-1);
    }
    std::vector<page_result::slot_ref> slots;
    for (auto s : r.slots)
      if (remap[s.block] != static_cast<std::size_t>(-1)) {
        s.block = remap[s.block];
        slots.push_back(s);
      }
    r.slots = std::move(slots);
    page.blocks = std::move(kept);
    const bool read_anything =
        std::any_of(page.blocks.begin(), page.blocks.end(), [](const content_block& b) {
          return !b.entries.empty() || !b.readings.empty() || b.anchor.type != anchor_type::week;
        });
    if (!read_anything && !has_schedule) {
      const auto it =
          std::find_if(lines.begin() + static_cast<std::ptrdiff_t>(body_start), lines.end(),
                       [](const line_view& l) { return !l.blank && !plain_text(l.text).empty(); });
      if (it != lines.end())
        diags_.warn(source_loc{file_, it->number, static_cast<int>(it->first) + 1},
                    "nothing in this page is read as a schedule (no dated line, definition "
                    "list, dated bullet or table); the page adds nothing to the feed");
    }
  }

  std::string_view text_;
  const std::string& file_;
  const site_info& site_;
  diagnostics& diags_;
};

}  // namespace

page_result read_page(std::string_view text, const std::string& file, const site_info& site,
                      diagnostics& diags) {
  return page_reader(text, file, site, diags).run();
}

namespace {

void for_each_date(content_page& p, const auto& f) {
  if (p.anchor)
    for (auto& d : p.anchor->dates) f(d);
  for (auto& b : p.blocks) {
    for (auto& d : b.anchor.dates) f(d);
    for (auto& e : b.entries) {
      for (auto& d : e.own_dates) f(d);
      for (auto& dl : e.deadlines)
        if (dl.date) f(*dl.date);
    }
  }
}

}  // namespace

void apply_site_decisions(std::vector<page_result>& pages) {
  bool day_first = false;
  for (auto& p : pages)
    for_each_date(p.page, [&](content_date& d) {
      if (d.numeric && d.month > 12) day_first = true;
    });
  if (day_first) {
    for (auto& p : pages)
      for_each_date(p.page, [](content_date& d) {
        if (d.numeric) std::swap(d.month, d.day);
      });
  }
  // Slot numbers per family: a number seen in two pages means they restart in each week.
  std::map<std::string, std::map<int, std::set<std::size_t>>> seen;
  for (std::size_t i = 0; i < pages.size(); ++i)
    for (const auto& s : pages[i].slots) seen[s.family][s.number].insert(i);
  for (const auto& [family, numbers] : seen) {
    bool restarts = false;
    for (const auto& [n, where] : numbers) restarts = restarts || where.size() > 1;
    if (restarts) continue;
    std::set<std::size_t> with_family;
    for (const auto& [n, where] : numbers) with_family.insert(where.begin(), where.end());
    bool starts_at_one = true;
    bool all_week_pages = true;
    for (std::size_t i : with_family) {
      int min = -1;
      for (const auto& s : pages[i].slots)
        if (s.family == family && (min < 0 || s.number < min)) min = s.number;
      if (min != 1) starts_at_one = false;
      if (pages[i].page.week_from != week_source::title) all_week_pages = false;
    }
    const bool zero = numbers.contains(0);
    // Week pages whose numbers all start at 1 are slots of their weeks; so is a single week page.
    if (!zero && all_week_pages && (starts_at_one || with_family.size() < 2)) continue;
    const int base = zero ? 0 : 1;
    for (std::size_t i : with_family) {
      content_page& page = pages[i].page;
      int position = 0;
      for (const auto& s : pages[i].slots) {
        if (s.family != family) continue;
        content_anchor& a = page.blocks[s.block].anchor;
        if (page.week_from == week_source::title) {
          a.number = ++position;  // a running number in a week page: its place in that week
        } else {
          a.type = anchor_type::counter;  // the n-th slot meeting of the term
          a.number = s.number - base + 1;
          page.estimated_dates = true;
        }
      }
    }
  }
}

}  // namespace coursecal::content::detail
