// Reading and validating coursecal.yaml (see docs/config.md, the contract for field names).
//
// Every problem becomes a diagnostic "FILE:LINE:COLUMN: error|warning: MESSAGE" (1-based, from
// the offending YAML node) and reading goes on, so one run reports all of them. Nothing here
// throws: YAML syntax errors, I/O errors and unexpected exceptions are diagnostics too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "core/term_model.hpp"

namespace coursecal::config {

// Reads and validates the file at `path`. Returns the config when no errors were found (warnings
// are allowed); otherwise std::nullopt. Every problem, errors and warnings, is added to `diags`.
// Site folders are resolved relative to the folder of `path` and must exist.
std::optional<app_config> read_config_file(const std::string& path, diagnostics& diags);

// Same as read_config_file, from text. `path` names the file in messages and its folder is the
// base for relative `site` paths. check_sites=false skips the "site folder exists" check (tests,
// fuzzing); the paths are still resolved.
std::optional<app_config> parse_config(std::string_view yaml, const std::string& path,
                                       diagnostics& diags, bool check_sites = true);

// "HH:MM" (also "H:MM"), 24-hour, 00:00..23:59, into local minutes since midnight; nullopt when
// malformed or out of range.
std::optional<int> parse_clock(std::string_view s);

// An ISO 8601 duration with fixed-length units only (weeks, days, hours, minutes, seconds), such
// as PT6H, P1D, P1W, PT1H30M, P1DT12H, into seconds. nullopt when malformed, when it uses years
// or months (whose length varies), when it overflows, or when it is zero.
std::optional<long> parse_iso_duration(std::string_view s);

}  // namespace coursecal::config
