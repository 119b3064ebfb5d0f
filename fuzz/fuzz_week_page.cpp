// libFuzzer target: bytes -> content::parse_week_page. The parser must never crash, hang or
// read out of bounds, whatever the page holds (bad UTF-8, NULs, unbalanced markup...).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "content/site_reader.hpp"
#include "core/diagnostics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const coursecal::content::site_info site =
      coursecal::content::make_site_info("https://example.edu", "/dsc204a");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  coursecal::diagnostics diags;
  const auto week = coursecal::content::parse_week_page(text, "_modules/week-10.md", site, diags);
  for (const auto& d : diags.items()) (void)coursecal::format_diagnostic(d);
  (void)week;
  return 0;
}
