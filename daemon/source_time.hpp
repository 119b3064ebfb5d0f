// When a feed's inputs last changed: the time every DTSTAMP, LAST-MODIFIED and the HTTP
// Last-Modified of the feed are made of (docs/feed.md says why).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coursecal {

struct source_time {
  std::int64_t seconds = 0;  // since the epoch; 0 when no input is readable
  // The files of the git repositories involved whose change (a commit, a checkout, a reset) can
  // change `seconds` with no input file changing: each one's index, HEAD and branch ref.
  std::vector<std::string> git_files;
};

// The newest change among `inputs` (files). A file in a git work tree that is committed and
// unmodified counts with the committer time of the newest commit that changed one of the inputs of
// its repository, or removed a file beside them (so a clone, a replica or a `cp -p` of an older
// file gives the same, or a later, stamp); a file with uncommitted changes, an untracked or ignored
// one, and one outside git count with their modification time. Deterministic: the same
// repository state gives the same stamp everywhere. Never throws; a repository that cannot be
// read counts as no repository.
source_time inputs_time(const std::vector<std::string>& inputs);

}  // namespace coursecal
