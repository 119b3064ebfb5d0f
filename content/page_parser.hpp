// The block reader of one week page, and the decisions taken over a whole site.
// Internal to content/ (exposed for tests).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/site_reader.hpp"

namespace coursecal::content::detail {

// Where the site-wide decisions must look after all pages are read.
struct page_result {
  content_week week;
  struct numeric_date_ref {
    std::size_t heading = 0;
    int item = -1;      // -1: the heading's own date
    int deadline = -1;  // index in the item's deadlines
  };
  std::vector<numeric_date_ref> numeric_dates;  // m/d as written: may become d/m
  struct slot_ref {
    std::size_t heading = 0;
    std::string family;  // "" (bare number), "class", "lecture"
    int number = 0;
  };
  std::vector<slot_ref> slots;  // as written: may be a running counter
};

page_result parse_page(std::string_view text, const std::string& file, const site_info& site,
                       diagnostics& diags);

// Day/month when any numeric date's first field is over 12; running slot counters (no number
// repeats across pages and some page does not start at 1) become positions 1..n within each page.
void apply_site_decisions(std::vector<page_result>& pages);

}  // namespace coursecal::content::detail
