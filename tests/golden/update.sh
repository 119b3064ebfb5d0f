#!/usr/bin/env bash
# Regenerates the golden feeds after an intended change of the output; review with git diff.
# usage: tests/golden/update.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: tests/golden/update.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

grep -Ev '^(#|$)' "$here/feeds" | while read -r id config; do
  SOURCE_DATE_EPOCH=1735689600 "$build/daemon/coursecal" export -c "$src/$config" --feed "$id" \
    -o "$here/$id.ics"
done
echo "review the change with: git diff --stat tests/golden && git diff tests/golden"
