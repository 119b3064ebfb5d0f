// The command line: `coursecal check | export | serve`. Returns the process exit code:
// 0 success, 1 errors in the input (or a failed write), 2 usage errors.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coursecal {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Writes `data` into a new temporary file beside `path` (same folder, hidden name), readable by
// all and, with `sync`, flushed to disk (fsync); returns its name, or nullopt with the reason in
// `error` (and nothing left behind).
std::optional<std::string> write_temporary_file(const std::string& path, std::string_view data,
                                                std::string& error, bool sync = true);

// Writes `data` to `path` atomically: a temporary file as above, then renamed over `path`. On any
// failure the temporary file is removed, `path` is untouched, and false is returned with the
// reason in `error`.
bool write_file_atomically(const std::string& path, std::string_view data, std::string& error);

}  // namespace coursecal
