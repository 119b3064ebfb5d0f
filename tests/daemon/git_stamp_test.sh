#!/usr/bin/env bash
# DTSTAMP/LAST-MODIFIED of a site kept in git: the time of the newest commit that changed the
# feed's inputs, the same in every clone, never moved back by a `cp -p` of an older file; files
# with uncommitted changes count with their mtime.
# Usage: git_stamp_test.sh COURSECAL_BINARY
# Exit 77 (skip) only when git is not installed.
set -euo pipefail
coursecal=$1
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH GIT_DIR GIT_WORK_TREE
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.edu \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.edu
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

commit() {  # commit DATE MESSAGE: commit everything in the site at that committer time
  git -C "$tmp/site" add -A
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git -C "$tmp/site" commit -qm "$2"
}
config_for() {  # the config for a site folder, with an old mtime (it is not in git)
  cat >"$tmp/$1.yaml" <<YAML
feeds:
  - id: c
    site: $1
    timezone: America/Los_Angeles
    term: { start: 2025-03-31, end: 2025-04-11 }
    meetings:
      - { kind: lecture, days: [Mon, Wed], start: "10:00", end: "10:50" }
YAML
  touch -d 2001-01-01T00:00:00Z "$tmp/$1.yaml"
}
stamp() {  # stamp SITE: the DTSTAMP of its export
  "$coursecal" export -c "$tmp/$1.yaml" -o - 2>/dev/null | sed -n 's/^DTSTAMP:\(.*\)\r$/\1/p' |
    sort -u | tr '\n' ' ' | sed 's/ $//'
}
expect() {  # expect SITE WANT WHAT
  local got
  got=$(stamp "$1")
  [ "$got" = "$2" ] || fail "$3: DTSTAMP $got, expected $2"
}

mkdir -p "$tmp/site/_modules"
printf 'title: GIT 101\nurl: https://example.edu\n' >"$tmp/site/_config.yml"
printf -- '---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro\n' >"$tmp/site/_modules/week-01.md"
printf -- '---\ntitle: Week 2\n---\n\nClass 1\n: {: .label} Trees\n' >"$tmp/site/_modules/week-02.md"
git -C "$tmp/site" init -q
commit 2025-01-10T12:00:00Z "first"
config_for site
expect site 20250110T120000Z "committed site (files written just now)"

# A commit that changes no input (a README beside _config.yml) changes nothing.
echo "About" >"$tmp/site/README.md"
commit 2025-01-11T12:00:00Z "readme"
expect site 20250110T120000Z "a commit touching no input"

# An older version restored with its old mtime (`cp -p` from a backup), then committed.
printf -- '---\ntitle: Week 2\n---\n\nClass 1\n: {: .label} Old trees\n' >"$tmp/backup.md"
touch -d 2003-03-03T00:00:00Z "$tmp/backup.md"
cp -p "$tmp/backup.md" "$tmp/site/_modules/week-02.md"
commit 2025-01-12T12:00:00Z "restore week 2"
expect site 20250112T120000Z "cp -p of an older file, committed"

# Another clone (a replica): other mtimes, the same bytes.
git clone -q "$tmp/site" "$tmp/replica"
config_for replica
touch -d 2030-01-01T00:00:00Z "$tmp/replica/_modules/week-01.md"
git -C "$tmp/replica" update-index --refresh >/dev/null || true
if ! cmp -s <("$coursecal" export -c "$tmp/site.yaml" -o - 2>/dev/null) \
  <("$coursecal" export -c "$tmp/replica.yaml" -o - 2>/dev/null); then
  fail "a clone with other mtimes exports other bytes"
fi

# Uncommitted changes count with their mtime, never earlier than the commits.
printf -- '---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro, edited\n' \
  >"$tmp/site/_modules/week-01.md"
touch -d 2025-02-01T00:00:00Z "$tmp/site/_modules/week-01.md"
expect site 20250201T000000Z "an uncommitted edit"
touch -d 2004-04-04T00:00:00Z "$tmp/site/_modules/week-01.md"
expect site 20250112T120000Z "an uncommitted edit with an old mtime"
printf -- '---\ntitle: Week 3\n---\n\nClass 1\n: {: .label} New\n' >"$tmp/site/_modules/week-03.md"
touch -d 2025-02-02T00:00:00Z "$tmp/site/_modules/week-03.md"
expect site 20250202T000000Z "an untracked page"
rm "$tmp/site/_modules/week-03.md"
git -C "$tmp/site" checkout -q -- .

# Removing the newest page, committed: the removal's time.
git -C "$tmp/site" rm -q _modules/week-02.md
commit 2025-01-13T12:00:00Z "drop week 2"
expect site 20250113T120000Z "a committed removal"

# A depth-1 clone (GitHub Actions' default checkout) has one commit: its time.
echo "More" >>"$tmp/site/README.md"
commit 2025-01-14T12:00:00Z "readme again"
expect site 20250113T120000Z "full history"
git clone -q --depth 1 "file://$tmp/site" "$tmp/shallow"
config_for shallow
expect shallow 20250114T120000Z "a depth-1 clone"

# Outside git: the newest mtime.
mkdir -p "$tmp/plain"
cp -r "$tmp/site/_config.yml" "$tmp/site/_modules" "$tmp/plain/"
find "$tmp/plain" -type f -exec touch -d 2022-02-22T00:00:00Z {} +
touch -d 2022-03-01T00:00:00Z "$tmp/plain/_modules/week-01.md"
config_for plain
expect plain 20220301T000000Z "a site outside git"

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "ok: commit times in git, mtimes for uncommitted files and outside git"
