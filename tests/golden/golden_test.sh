#!/usr/bin/env bash
# The export is byte-for-byte the golden file, deterministic, and never half-written:
# 1. SOURCE_DATE_EPOCH=1735689600 export of each feed in ./feeds == tests/golden/ID.ics
# 2. two consecutive exports are identical (with and without SOURCE_DATE_EPOCH), and -o - too
# 3. a broken config (unknown time zone) exits 1, leaves the existing output file unchanged and no
#    temporary files beside it
# usage: tests/golden/golden_test.sh BUILD/daemon/coursecal SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
golden=$src/tests/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
visible_cr() { sed 's/\r$/\\r/' "$1"; }
only_feed_ics() {
  local left
  left=$(find "$tmp/out" -mindepth 1 -printf '%f ')
  [[ $left == "feed.ics " ]] || fail "$1: $left"
}

while read -r id config; do
  export SOURCE_DATE_EPOCH=1735689600
  "$bin" export -c "$src/$config" --feed "$id" -o "$tmp/$id.ics" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "$id: export failed"; continue; }
  if [[ ! -f $golden/$id.ics ]]; then
    fail "$id: no tests/golden/$id.ics: create it with tests/golden/update.sh BUILD_DIR"
  elif ! cmp -s "$golden/$id.ics" "$tmp/$id.ics"; then
    fail "$id: export differs from tests/golden/$id.ics" \
      "(if on purpose: tests/golden/update.sh BUILD_DIR)"
    diff -u --label "golden/$id.ics" --label "export" \
      <(visible_cr "$golden/$id.ics") <(visible_cr "$tmp/$id.ics") | head -200 >&2 || true
  fi
  "$bin" export -c "$src/$config" --feed "$id" -o "$tmp/$id.again.ics" 2>/dev/null
  cmp -s "$tmp/$id.ics" "$tmp/$id.again.ics" || fail "$id: two consecutive exports differ"
  "$bin" export -c "$src/$config" --feed "$id" -o - >"$tmp/$id.stdout.ics" 2>/dev/null
  cmp -s "$tmp/$id.ics" "$tmp/$id.stdout.ics" || fail "$id: -o - differs from -o FILE"
  unset SOURCE_DATE_EPOCH
  "$bin" export -c "$src/$config" --feed "$id" -o "$tmp/$id.mtime1.ics" 2>/dev/null
  "$bin" export -c "$src/$config" --feed "$id" -o "$tmp/$id.mtime2.ics" 2>/dev/null
  cmp -s "$tmp/$id.mtime1.ics" "$tmp/$id.mtime2.ics" ||
    fail "$id: two exports without SOURCE_DATE_EPOCH differ"
done < <(grep -Ev '^(#|$)' "$golden/feeds")

# A broken config must not touch an existing output file.
mkdir "$tmp/broken" "$tmp/out"
sed -e "s|^    site: site$|    site: \"$src/tests/fixtures/winter/site\"|" \
  -e 's|^    timezone: America/Los_Angeles$|    timezone: America/Los_Angeles_Typo|' \
  "$src/tests/fixtures/winter/coursecal.yaml" >"$tmp/broken/coursecal.yaml"
grep -q Los_Angeles_Typo "$tmp/broken/coursecal.yaml" || fail "the broken config is not broken"
printf 'previous feed\r\n' >"$tmp/out/feed.ics"
cp "$tmp/out/feed.ics" "$tmp/previous.ics"
rc=0
"$bin" export -c "$tmp/broken/coursecal.yaml" -o "$tmp/out/feed.ics" 2>"$tmp/stderr" || rc=$?
[[ $rc == 1 ]] || fail "broken config: exit status $rc, expected 1"
grep -Eq 'coursecal\.yaml:[0-9]+:[0-9]+: error: .*Los_Angeles_Typo' "$tmp/stderr" ||
  { cat "$tmp/stderr" >&2; fail "broken config: no 'FILE:LINE:COLUMN: error:' naming the zone"; }
cmp -s "$tmp/previous.ics" "$tmp/out/feed.ics" || fail "broken config: the existing file changed"
only_feed_ics "broken config: files left behind"

# A good export replaces the file and leaves nothing else behind either.
"$bin" export -c "$src/tests/fixtures/winter/coursecal.yaml" -o "$tmp/out/feed.ics" 2>/dev/null ||
  fail "export over an existing file failed"
only_feed_ics "export left files behind"

[[ $status == 0 ]] && echo "ok: golden feeds match, exports are deterministic and atomic"
exit $status
