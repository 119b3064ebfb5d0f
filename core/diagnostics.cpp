#include "core/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace coursecal {

std::string format_loc(const source_loc& loc) {
  std::string out = loc.file.empty() ? std::string("<input>") : loc.file;
  if (loc.line > 0) {
    out += ':' + std::to_string(loc.line);
    if (loc.col > 0) out += ':' + std::to_string(loc.col);
  }
  return out;
}

std::string format_diagnostic(const diagnostic& d) {
  return format_loc(d.loc) + (d.sev == severity::error ? ": error: " : ": warning: ") + d.message;
}

void diagnostics::warn(source_loc loc, std::string message) {
  items_.push_back({severity::warning, std::move(loc), std::move(message)});
}

void diagnostics::error(source_loc loc, std::string message) {
  items_.push_back({severity::error, std::move(loc), std::move(message)});
}

void diagnostics::add(diagnostic d) { items_.push_back(std::move(d)); }

void diagnostics::append(const diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool diagnostics::has_errors() const { return error_count() > 0; }

std::size_t diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [](const diagnostic& d) { return d.sev == severity::error; }));
}

std::size_t diagnostics::warning_count() const { return items_.size() - error_count(); }

void diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const diagnostic& a, const diagnostic& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.col) <
           std::tie(b.loc.file, b.loc.line, b.loc.col);
  });
}

}  // namespace coursecal
