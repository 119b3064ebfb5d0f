// Diagnostics: every problem found in user input, with the place it came from.
// Parsers collect these and keep going; exceptions are only for broken environments.
#pragma once

#include <string>
#include <vector>

namespace coursecal {

// A place in an input file. line and col are 1-based; 0 means "unknown" and is left out when
// formatted (file:line: or file:).
struct source_loc {
  std::string file;
  int line = 0;
  int col = 0;
};

enum class severity { warning, error };

struct diagnostic {
  severity sev = severity::warning;
  source_loc loc;
  std::string message;
};

// "file:line:col: error: message" (GNU style; parts that are unknown are left out).
std::string format_diagnostic(const diagnostic& d);
std::string format_loc(const source_loc& loc);

class diagnostics;

// The lines to show a person: every error, and warnings with repeats of one kind grouped (the
// same message but for what is quoted in it and its numbers): the first `keep` of a kind as they
// are, then one line "N more like this, at FILE:LINE, ..." so the few that matter are seen.
std::vector<std::string> format_grouped(const diagnostics& diags, std::size_t keep = 2);

class diagnostics {
 public:
  void warn(source_loc loc, std::string message);
  void error(source_loc loc, std::string message);
  void add(diagnostic d);
  void append(const diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

  // Stable sort by file, then line, then column (messages keep their order within a place).
  void sort();

 private:
  std::vector<diagnostic> items_;
};

}  // namespace coursecal
