#!/usr/bin/env bash
# The subscribe page in headless Chromium: the rendered DOM has the webcal:// and https:// links
# of the feed and its copy button, and a screenshot is written for a human to look at.
# Usage: chromium_test.sh FAKE_SERVE_BINARY SCREENSHOT_PNG
# Exit 77 (skip) only when chromium is not installed.
set -euo pipefail
binary=$1
screenshot=$2
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not installed"
  exit 77
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/site/_modules"
printf -- '---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro\n\nClass 2\n: {: .label} Systems & <Scale>\n' \
  >"$tmp/site/_modules/week-01.md"
printf 'site: site\npublic_url: https://cal.example.edu\n' >"$tmp/coursecal.yaml"
: >"$tmp/server.log"  # exists before the loop below reads it
"$binary" -c "$tmp/coursecal.yaml" --listen 127.0.0.1:0 2>"$tmp/server.log" &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's|^<6>coursecal: listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: server did not start"; cat "$tmp/server.log"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-dev-shm-usage --user-data-dir="$tmp/profile")
timeout 60 "$chromium" "${flags[@]}" --dump-dom "http://127.0.0.1:$port/" >"$tmp/dom.html" \
  2>"$tmp/chromium.log" || { echo "FAIL: chromium --dump-dom"; tail -20 "$tmp/chromium.log"; exit 1; }

check() {
  grep -qF -- "$1" "$tmp/dom.html" || { echo "FAIL: the page lacks: $1"; cat "$tmp/dom.html"; exit 1; }
}
check 'href="webcal://cal.example.edu/fake.ics"'
check 'href="https://cal.example.edu/fake.ics"'
check 'data-url="https://cal.example.edu/fake.ics"'
check 'class="copy"'
check 'https://cal.example.edu/download/fake.ics'
check 'Fake 101: &lt;Testing&gt; &amp; Co'
check 'Systems &amp; &lt;Scale&gt;'
check '8–24 hours'
# The escaped feed name is text, not markup, in the parsed DOM.
if grep -q '<Testing>' "$tmp/dom.html"; then echo "FAIL: unescaped markup"; exit 1; fi

rm -f "$screenshot"
timeout 60 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1200,900 \
  --screenshot="$screenshot" "http://127.0.0.1:$port/" >/dev/null 2>>"$tmp/chromium.log" ||
  { echo "FAIL: chromium --screenshot"; tail -20 "$tmp/chromium.log"; exit 1; }
[ -s "$screenshot" ] || { echo "FAIL: no screenshot"; exit 1; }
head -c 8 "$screenshot" | od -An -tx1 | grep -q '89 50 4e 47' || { echo "FAIL: not a PNG"; exit 1; }
echo "PASS: DOM has the links; screenshot at $screenshot"
