#!/usr/bin/env bash
# A real subscription client: vdirsyncer's read-only "http" storage subscribed to the feed syncs
# into a local "filesystem" storage. Every event arrives once; after an edit of the week page and a
# second sync, exactly the changed event is replaced, every other event's file is untouched, and
# nothing is duplicated; the feed's own UIDs are the same before and after the edit.
# Note: vdirsyncer 0.19's http storage deliberately replaces each item's UID with a hash of its
# content (HttpStorage._ignore_uids; made configurable only later, pimutils/vdirsyncer#1135), so
# it cannot keep the *same file* for an edited event: an edit is a delete + add there. UID
# stability is checked on the feed itself instead.
# Usage: vdirsyncer_test.sh fake|real SERVER_BINARY
#   fake: SERVER_BINARY is coursecal_fake_serve (config: "site: site")
#   real: SERVER_BINARY is coursecal (`coursecal serve`, config per docs/config.md)
# Exit 77 (skip) only when vdirsyncer is not installed.
set -euo pipefail
flavor=$1
binary=$2
if ! command -v vdirsyncer >/dev/null 2>&1; then
  echo "SKIP: vdirsyncer not installed"
  exit 77
fi
if [ ! -x "$binary" ]; then
  echo "SKIP: $binary is not built (build the target first)"
  exit 77
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/site/_modules" "$tmp/local" "$tmp/status"
printf 'title: TEST 101\ndescription: Testing\nurl: https://example.edu\nbaseurl: /t\n' \
  >"$tmp/site/_config.yml"
week() {  # $1: title of the first class
  printf -- '---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} %s\n\nClass 2\n: {: .label} Second\n\nClass 3\n: {: .label} Third\n' "$1"
}
week "Intro" >"$tmp/site/_modules/week-01.md"

if [ "$flavor" = fake ]; then
  printf 'site: site\n' >"$tmp/coursecal.yaml"
  feed=fake
  cmd=("$binary" -c "$tmp/coursecal.yaml" --listen 127.0.0.1:0)
else
  cat >"$tmp/coursecal.yaml" <<'YAML'
server:
  listen: 127.0.0.1:8080
feeds:
  - id: test101
    site: site
    name: "TEST 101: Testing"
    short_name: TEST 101
    timezone: America/Los_Angeles
    term:
      start: 2025-03-31
      end: 2025-04-06
    meetings:
      - kind: lecture
        days: [Mon, Wed, Fri]
        start: "11:00"
        end: "11:50"
YAML
  feed=test101
  cmd=("$binary" serve -c "$tmp/coursecal.yaml" --listen 127.0.0.1:0)
fi

: >"$tmp/server.log"  # exists before the loop below reads it
"${cmd[@]}" 2>"$tmp/server.log" &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's|^<6>coursecal: listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/server.log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: server did not start:"; cat "$tmp/server.log"; exit 1; }
url="http://127.0.0.1:$port/$feed.ics"

cat >"$tmp/config" <<CFG
[general]
status_path = "$tmp/status/"

[pair course]
a = "course_remote"
b = "course_local"
collections = null
conflict_resolution = "a wins"

[storage course_remote]
type = "http"
url = "$url"

[storage course_local]
type = "filesystem"
path = "$tmp/local/"
fileext = ".ics"
CFG

export VDIRSYNCER_CONFIG="$tmp/config"
vdirsyncer discover course >"$tmp/vds.log" 2>&1 </dev/null || { cat "$tmp/vds.log"; exit 1; }
vdirsyncer sync course >>"$tmp/vds.log" 2>&1 || { cat "$tmp/vds.log"; exit 1; }

feed_events=$(curl -fsS "$url" | grep -c '^BEGIN:VEVENT')
local_files=$(find "$tmp/local" -name '*.ics' | wc -l)
echo "feed events: $feed_events, synced files: $local_files"
[ "$feed_events" -ge 3 ] || { echo "FAIL: too few events in the feed"; exit 1; }
[ "$local_files" -eq "$feed_events" ] || { echo "FAIL: not every event synced"; exit 1; }
snapshot_files() { (cd "$tmp/local" && for f in *.ics; do echo "$f $(sha256sum <"$f" | cut -c1-16)"; done); }
feed_uids() { curl -fsS "$url" | tr -d '\r' | grep '^UID:' | sort; }
[ "$(grep -l 'SUMMARY:.*Intro' "$tmp/local"/*.ics | wc -l)" -eq 1 ] ||
  { echo "FAIL: expected one synced event titled Intro"; exit 1; }
before=$(snapshot_files)
uids_before=$(feed_uids)

etag=$(curl -fsS -o /dev/null -D - "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
week "Introduction to Subscriptions" >"$tmp/site/_modules/.week-01.md.tmp"
mv "$tmp/site/_modules/.week-01.md.tmp" "$tmp/site/_modules/week-01.md"
changed=
for _ in $(seq 60); do
  now=$(curl -fsS -o /dev/null -D - "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  if [ -n "$now" ] && [ "$now" != "$etag" ]; then changed=1; break; fi
  sleep 0.1
done
[ -n "$changed" ] || { echo "FAIL: the feed did not change after the edit"; cat "$tmp/server.log"; exit 1; }
[ "$(feed_uids)" = "$uids_before" ] || { echo "FAIL: the feed's UIDs changed with a title"; exit 1; }

vdirsyncer sync course >>"$tmp/vds.log" 2>&1 || { cat "$tmp/vds.log"; exit 1; }
after=$(snapshot_files)
files_after=$(find "$tmp/local" -name '*.ics' | wc -l)
[ "$files_after" -eq "$local_files" ] || { echo "FAIL: $files_after files after the edit"; exit 1; }
# Everything but the edited event is untouched (same file, same bytes).
kept=$(comm -12 <(echo "$before") <(echo "$after") | wc -l)
[ "$kept" -eq $((local_files - 1)) ] ||
  { echo "FAIL: $kept of $local_files files unchanged, expected $((local_files - 1))"; exit 1; }
[ "$(grep -l 'SUMMARY:.*Introduction to Subscriptions' "$tmp/local"/*.ics | wc -l)" -eq 1 ] ||
  { echo "FAIL: the edited event is not there exactly once"; exit 1; }
if grep -q 'SUMMARY:.*Intro$' <(cat "$tmp/local"/*.ics | tr -d '\r'); then
  echo "FAIL: the old version of the event is still there"; exit 1
fi
dups=$(cat "$tmp/local"/*.ics | tr -d '\r' | grep -E '^(UID|SUMMARY|DTSTART)' | paste - - - | sort | uniq -d)
[ -z "$dups" ] || { echo "FAIL: duplicated events: $dups"; exit 1; }
echo "PASS: $local_files events synced; the edited one replaced, the others untouched"
