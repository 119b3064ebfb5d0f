#include "daemon/source_time.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include <git2.h>

namespace coursecal {

namespace {

namespace fs = std::filesystem;

template <class T, void (*Free)(T*)>
struct git_free {
  void operator()(T* p) const { Free(p); }
};
using repo_ptr = std::unique_ptr<git_repository, git_free<git_repository, git_repository_free>>;
using commit_ptr = std::unique_ptr<git_commit, git_free<git_commit, git_commit_free>>;
using tree_ptr = std::unique_ptr<git_tree, git_free<git_tree, git_tree_free>>;
using diff_ptr = std::unique_ptr<git_diff, git_free<git_diff, git_diff_free>>;
using status_ptr =
    std::unique_ptr<git_status_list, git_free<git_status_list, git_status_list_free>>;

// The most commits looked at for one repository (a site's history is hundreds).
constexpr std::size_t max_commits = 100000;

void init_git() {
  static const bool done = [] {
    git_libgit2_init();
    // Only reading: no hook, filter or command from the repository ever runs, so a site owned by
    // another user (the instructor's, read by a systemd DynamicUser) is read like one's own.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    // The repository's own settings only: the same state reads the same on every machine.
    for (git_config_level_t level :
         {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    return true;
  }();
  (void)done;
}

std::int64_t mtime_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_mtim.tv_sec) : 0;
}

std::string parent_of(const std::string& rel) {
  const std::size_t slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

// The inputs that are in one work tree, as paths relative to it.
struct work_tree {
  repo_ptr repo;
  std::string root;            // canonical, no trailing slash
  std::set<std::string> rels;  // the inputs
  std::set<std::string> dirs;  // the folders holding them ("" for the root)
};

// The folders holding the inputs as a libgit2 path list (literal paths, each with its children);
// empty (everything) when an input is at the work tree's root.
class folder_spec {
 public:
  explicit folder_spec(const std::set<std::string>& dirs) : text_(dirs.begin(), dirs.end()) {
    for (auto& d : text_) {
      if (d.empty()) {
        ptrs_.clear();
        return;
      }
      ptrs_.push_back(d.data());
    }
  }
  folder_spec(const folder_spec&) = delete;  // array() points into text_
  folder_spec& operator=(const folder_spec&) = delete;
  git_strarray array() { return {ptrs_.data(), ptrs_.size()}; }

 private:
  std::vector<std::string> text_;
  std::vector<char*> ptrs_;
};

struct oid_less {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_cmp(&a, &b) < 0; }
};

// Did `c` (against its first parent, or against nothing for a first or shallow-boundary commit)
// change one of the inputs, or remove a file beside them?
bool touches(const work_tree& w, git_commit* c, const git_diff_options& opts) {
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return false;
  tree_ptr tree(t);
  tree_ptr parent_tree;
  git_commit* p = nullptr;
  if (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) == 0) {
    commit_ptr parent(p);
    git_tree* pt = nullptr;
    if (git_commit_tree(&pt, parent.get()) == 0) parent_tree.reset(pt);
  }
  git_diff* d = nullptr;
  if (git_diff_tree_to_tree(&d, w.repo.get(), parent_tree.get(), tree.get(), &opts) != 0)
    return false;
  diff_ptr diff(d);
  for (std::size_t i = 0, n = git_diff_num_deltas(d); i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(d, i);
    if (delta->new_file.path && w.rels.count(delta->new_file.path) &&
        delta->status != GIT_DELTA_DELETED)
      return true;
    if (delta->status == GIT_DELTA_DELETED && delta->old_file.path &&
        w.dirs.count(parent_of(delta->old_file.path)))
      return true;
  }
  return false;
}

// The committer time of the newest commit reachable from HEAD that touches the inputs; 0 if none.
// Commits are taken newest first; a parent missing from a shallow clone ends that line of history
// (its boundary commit counts as adding every file it holds, as GitHub Actions' depth-1 checkout
// then gives the time of the commit checked out).
std::int64_t newest_touching_commit(const work_tree& w, git_commit* head) {
  folder_spec spec(w.dirs);
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
  opts.pathspec = spec.array();

  // A heap of commits, newest first.
  struct pending {
    std::int64_t time;
    commit_ptr commit;
  };
  auto older = [](const pending& a, const pending& b) { return a.time < b.time; };
  std::vector<pending> heap;
  std::set<git_oid, oid_less> seen;
  auto add = [&](git_commit* c) {
    heap.push_back({static_cast<std::int64_t>(git_commit_time(c)), commit_ptr(c)});
    std::push_heap(heap.begin(), heap.end(), older);
  };
  git_commit* first = nullptr;
  if (git_commit_dup(&first, head) != 0) return 0;
  seen.insert(*git_commit_id(first));
  add(first);
  for (std::size_t steps = 0; !heap.empty() && steps < max_commits; ++steps) {
    std::pop_heap(heap.begin(), heap.end(), older);
    pending next = std::move(heap.back());
    heap.pop_back();
    git_commit* c = next.commit.get();
    if (touches(w, c, opts)) return next.time;
    for (unsigned i = 0, n = git_commit_parentcount(c); i < n; ++i) {
      const git_oid* id = git_commit_parent_id(c, i);
      if (!id || !seen.insert(*id).second) continue;
      git_commit* p = nullptr;
      if (git_commit_lookup(&p, w.repo.get(), id) == 0) add(p);
    }
  }
  return 0;
}

// The stamp of the inputs of one work tree (see inputs_time).
std::int64_t work_tree_time(const work_tree& w) {
  std::int64_t newest = 0;
  auto by_mtime = [&](const std::string& rel) {
    newest = std::max(newest, mtime_of(rel.empty() ? w.root : w.root + "/" + rel));
  };

  git_object* head_obj = nullptr;
  if (git_revparse_single(&head_obj, w.repo.get(), "HEAD^{commit}") != 0) {
    for (const auto& r : w.rels) by_mtime(r);  // no commit yet
    return newest;
  }
  commit_ptr head(reinterpret_cast<git_commit*>(head_obj));
  git_tree* ht = nullptr;
  if (git_commit_tree(&ht, head.get()) != 0) {
    for (const auto& r : w.rels) by_mtime(r);
    return newest;
  }
  tree_ptr head_tree(ht);

  // Uncommitted: an input changed or not in HEAD (untracked, ignored), a file beside one removed.
  std::set<std::string> by_time;
  for (const auto& r : w.rels) {
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, head_tree.get(), r.c_str()) != 0)
      by_time.insert(r);
    else
      git_tree_entry_free(e);
  }
  folder_spec spec(w.dirs);
  git_status_options so;
  git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
  so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  so.flags = GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  so.pathspec = spec.array();
  git_status_list* sl = nullptr;
  if (git_status_list_new(&sl, w.repo.get(), &so) != 0) {
    for (const auto& r : w.rels) by_mtime(r);
    return newest;
  }
  status_ptr status(sl);
  constexpr unsigned removed = GIT_STATUS_INDEX_DELETED | GIT_STATUS_WT_DELETED |
                               GIT_STATUS_INDEX_RENAMED | GIT_STATUS_WT_RENAMED;
  for (std::size_t i = 0, n = git_status_list_entrycount(sl); i < n; ++i) {
    const git_status_entry* e = git_status_byindex(sl, i);
    for (const git_diff_delta* d : {e->head_to_index, e->index_to_workdir}) {
      if (!d) continue;
      if (d->new_file.path && w.rels.count(d->new_file.path)) by_time.insert(d->new_file.path);
      if ((e->status & removed) && d->old_file.path && w.dirs.count(parent_of(d->old_file.path)))
        by_mtime(parent_of(d->old_file.path));
    }
  }
  for (const auto& r : by_time) by_mtime(r);
  if (by_time.size() < w.rels.size()) {
    const std::int64_t committed = newest_touching_commit(w, head.get());
    if (committed > 0) {
      newest = std::max(newest, committed);
    } else {
      for (const auto& r : w.rels) by_mtime(r);
    }
  }
  return newest;
}

}  // namespace

// Where a commit, checkout or reset shows in a repository: its index, HEAD, the branch HEAD names
// (a loose ref, or packed-refs) and the reflog.
void add_git_files(git_repository* repo, std::vector<std::string>& out) {
  const std::string git_dir = git_repository_path(repo);  // ends in '/'
  const std::string common = git_repository_commondir(repo);
  for (const char* f : {"index", "HEAD", "logs/HEAD"}) out.push_back(git_dir + f);
  out.push_back(common + "packed-refs");
  git_reference* head = nullptr;
  if (git_reference_lookup(&head, repo, "HEAD") == 0) {
    if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
      out.push_back(common + git_reference_symbolic_target(head));
    git_reference_free(head);
  }
}

source_time inputs_time(const std::vector<std::string>& inputs) {
  init_git();
  source_time result;
  std::int64_t& newest = result.seconds;
  std::map<std::string, std::unique_ptr<work_tree>> trees;  // by root
  std::map<std::string, work_tree*> by_folder;              // a folder's work tree, or null
  for (const auto& input : inputs) {
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(fs::absolute(input, ec), ec);
    if (ec || !fs::is_regular_file(file, ec)) {
      newest = std::max(newest, mtime_of(input));
      continue;
    }
    const std::string folder = file.parent_path().string();
    auto found = by_folder.find(folder);
    if (found == by_folder.end()) {
      work_tree* tree = nullptr;
      git_repository* r = nullptr;
      if (git_repository_open_ext(&r, folder.c_str(), 0, nullptr) == 0) {
        repo_ptr repo(r);
        const char* wd = git_repository_workdir(r);
        const fs::path root = wd ? fs::weakly_canonical(fs::path(wd), ec) : fs::path();
        if (wd && !ec) {
          std::string key = root.string();
          while (key.size() > 1 && key.back() == '/') key.pop_back();
          auto& slot = trees[key];
          if (!slot) {
            slot = std::make_unique<work_tree>();
            slot->repo = std::move(repo);
            slot->root = key;
          }
          tree = slot.get();
        }
      }
      found = by_folder.emplace(folder, tree).first;
    }
    work_tree* tree = found->second;
    const std::string path = file.string();
    if (!tree || !path.starts_with(tree->root + "/")) {
      newest = std::max(newest, mtime_of(path));
      continue;
    }
    const std::string rel = path.substr(tree->root.size() + 1);
    tree->rels.insert(rel);
    tree->dirs.insert(parent_of(rel));
  }
  for (const auto& [root, tree] : trees) {
    if (tree->rels.empty()) continue;
    newest = std::max(newest, work_tree_time(*tree));
    add_git_files(tree->repo.get(), result.git_files);
  }
  return result;
}

}  // namespace coursecal
