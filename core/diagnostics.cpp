#include "core/diagnostics.hpp"

#include <algorithm>
#include <map>
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

namespace {

// A warning's kind: its message with quoted text and numbers blanked.
std::string kind_key(const std::string& message) {
  std::string key;
  bool quoted = false;
  for (const char c : message) {
    if (c == '\'') {
      if (!quoted) key += "'\u2026'";
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    if (c >= '0' && c <= '9') {
      if (key.empty() || key.back() != '#') key += '#';
      continue;
    }
    key += c;
  }
  return key;
}

std::string short_loc(const source_loc& loc) {
  const std::size_t slash = loc.file.find_last_of('/');
  source_loc s = loc;
  if (slash != std::string::npos) s.file = loc.file.substr(slash + 1);
  s.col = 0;
  return format_loc(s);
}

}  // namespace

std::vector<std::string> format_grouped(const diagnostics& diags, std::size_t keep) {
  const auto& items = diags.items();
  std::vector<std::string> keys(items.size());
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].sev == severity::error) continue;
    keys[i] = kind_key(items[i].message);
    groups[keys[i]].push_back(i);
  }
  std::vector<std::string> out;
  std::map<std::string, std::size_t> shown;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].sev == severity::error) {
      out.push_back(format_diagnostic(items[i]));
      continue;
    }
    const auto& members = groups[keys[i]];
    std::size_t& n = shown[keys[i]];
    if (members.size() <= keep + 1 || n < keep) {
      out.push_back(format_diagnostic(items[i]));
      ++n;
      continue;
    }
    if (n == keep) {
      // The rest of the group, once, where the first of them is.
      std::string places;
      const std::size_t rest = members.size() - keep;
      for (std::size_t k = keep; k < members.size() && k < keep + 8; ++k)
        places += (k == keep ? "" : ", ") + short_loc(items[members[k]].loc);
      if (rest > 8) places += ", ...";
      diagnostic summary = items[i];
      summary.message = std::to_string(rest) + " more like the above (" + places + ")";
      out.push_back(format_diagnostic(summary));
      ++n;
    }
  }
  return out;
}

}  // namespace coursecal
