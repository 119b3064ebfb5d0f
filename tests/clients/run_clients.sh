#!/usr/bin/env bash
# Exports the example course and the winter fixture, then checks each feed with real clients'
# parsers (python3-icalendar, python3-vobject, ical.js) and plain text rules: see check_feed.py.
# usage: tests/clients/run_clients.sh BUILD/daemon/coursecal SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/clients

if [[ ! -f $here/node_modules/ical.js/package.json ]]; then
  echo "FAIL: $here/node_modules is missing: run 'make test' (it runs 'npm ci' there)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" export -c "$src/examples/coursecal.yaml" --feed dsc204a -o "$tmp/dsc204a.ics"
"$bin" export -c "$src/tests/fixtures/winter/coursecal.yaml" --feed math20c -o "$tmp/math20c.ics"

status=0
# Spring 2025, Los Angeles (PDT, UTC-7). Thursday 17:00 PDT is already Friday in UTC.
d=dsc204a
/usr/bin/python3 "$here/check_feed.py" "$tmp/$d.ics" \
  "$d-lecture-20250331@$d.coursecal=2025-03-31T18:00:00Z" \
  "$d-discussion-20250403@$d.coursecal=2025-04-04T00:00:00Z" \
  "$d-lecture-20250505@$d.coursecal=2025-05-05T18:00:00Z" \
  "$d-lecture-20250526@$d.coursecal=absent" \
  "$d-exam-20250610@$d.coursecal=2025-06-10T18:30:00Z" || status=1

# Winter 2026: PST (UTC-8) until DST starts on 2026-03-08, then PDT (UTC-7).
m=math20c
# 33 events and the two holidays' free all-day notes (MLK Day, Presidents' Day).
/usr/bin/python3 "$here/check_feed.py" "$tmp/$m.ics" --count 35 \
  "$m-lecture-20260105@$m.coursecal=2026-01-05T18:00:00Z" \
  "$m-holiday-20260119@$m.coursecal=2026-01-19" \
  "$m-deadline-20260116-hw1@$m.coursecal=2026-01-17T07:59:00Z" \
  "$m-lecture-20260119@$m.coursecal=absent" \
  "$m-event-20260206@$m.coursecal=2026-02-06" \
  "$m-lecture-20260216@$m.coursecal=absent" \
  "$m-lecture-20260306@$m.coursecal=2026-03-06T18:00:00Z" \
  "$m-lecture-20260309@$m.coursecal=2026-03-09T17:00:00Z" \
  "$m-deadline-20260313-hw8@$m.coursecal=2026-03-14T06:59:00Z" \
  "$m-exam-20260316@$m.coursecal=2026-03-16T15:00:00Z" || status=1
exit $status
