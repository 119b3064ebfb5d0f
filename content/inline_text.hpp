// Text-level helpers of the reader: HTML comments, entities, inline markdown, URLs and Liquid.
// Internal to content/ (exposed for tests). All functions run in linear time in their input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/site_reader.hpp"

namespace coursecal::content::detail {

// Replaces every HTML comment ("<!--" to the first "-->", or to the end of the text when it never
// closes; "<!--" inside a comment does not nest) with spaces, keeping newlines, so line and
// column numbers of the remaining text stay right.
std::string blank_html_comments(std::string_view text);

void append_utf8(std::string& out, char32_t cp);

// Decodes an entity starting at s[i] == '&' into out; returns the bytes consumed, 0 when s[i..]
// is not a known entity (then nothing is appended).
std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out);
std::string decode_entities(std::string_view s);

// Collapses runs of ASCII whitespace (and no-break spaces) to one space and trims the ends.
std::string collapse_whitespace(std::string_view s);

struct inline_token {
  enum class type { text, link, label };
  type kind = type::text;
  std::string text;    // plain text: the text, the link text or the label text
  std::string target;  // raw link target when has_target (Liquid and entities not yet resolved)
  bool has_target = false;
  int col = 0;  // 1-based column of the token's first byte
};

// Parses one line of inline kramdown into plain-text pieces, links and labels (`**X**{: .label}`,
// `[X](u){: .label}`, `<span>X</span>{: .label}`). Emphasis, code spans, HTML tags and IALs are
// removed (<br> becomes a space), entities are decoded (the whole HTML5 table). Liquid has been
// rendered before (liquid.hpp); a stray `{% %}` is dropped.
std::vector<inline_token> parse_inline(std::string_view line, int first_col = 1);

// Plain text of a markdown fragment: every token's text joined, whitespace collapsed.
std::string plain_text(std::string_view markdown);

// url + baseurl with single slashes and no trailing slash; a url without a scheme gets https://.
std::string normalise_origin(std::string_view url);
std::string join_site_url(std::string_view url, std::string_view baseurl);

// Percent-encodes spaces, controls, non-ASCII bytes and unsafe characters; an existing "%XX" is
// kept, a '%' not followed by two hex digits is encoded. Applying it twice changes nothing.
std::string percent_encode_once(std::string_view url);

// Resolves a link target (Liquid already expanded): empty and '#...' give nullopt (not
// published); absolute URLs are kept, root-absolute ones go under the origin, relative ones under
// site_url; dot segments removed; entities decoded; percent-encoded exactly once.
std::optional<std::string> resolve_target(std::string_view target, const site_info& site);

}  // namespace coursecal::content::detail
