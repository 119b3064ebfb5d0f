#!/usr/bin/env bash
# A calendar in a web page on another origin, in headless Chromium: the page (served by
# python3's http.server on another port) fetches the feed twice, plainly and with If-None-Match
# (a non-safelisted header, so the browser sends an OPTIONS preflight first). Both must be allowed
# by the browser, the ETag readable, and the second answered 304.
# Usage: chromium_cors_test.sh FAKE_SERVE_BINARY
# Exit 77 (skip) only when chromium is not installed.
set -euo pipefail
binary=$1
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not installed"
  exit 77
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/site/_modules" "$tmp/www"
printf -- '---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro\n' >"$tmp/site/_modules/week-01.md"
printf 'site: site\n' >"$tmp/coursecal.yaml"
: >"$tmp/server.log"
"$binary" -c "$tmp/coursecal.yaml" --listen 127.0.0.1:0 2>"$tmp/server.log" &
pids+=($!)
port=
for _ in $(seq 100); do
  port=$(sed -n 's|^<6>coursecal: listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: server did not start"; cat "$tmp/server.log"; exit 1; }

cat >"$tmp/www/index.html" <<HTML
<!doctype html><html><body><p id="out">pending</p><script>
const url = "http://127.0.0.1:$port/fake.ics";
(async () => {
  let out;
  try {
    const first = await fetch(url);
    const text = await first.text();
    const etag = first.headers.get("ETag");
    const again = await fetch(url, {headers: {"If-None-Match": etag}, cache: "no-store"});
    out = "plain=" + first.status + " cal=" + text.includes("BEGIN:VCALENDAR") +
          " etag=" + (etag ? "readable" : "hidden") + " conditional=" + again.status;
  } catch (e) {
    out = "refused: " + e;
  }
  document.getElementById("out").textContent = out;
})();
</script></body></html>
HTML
# The page's origin: another port on loopback.
python3 -m http.server 0 --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/www.log" 2>&1 &
pids+=($!)
wport=
for _ in $(seq 100); do
  wport=$(sed -n 's|.*port \([0-9]*\).*|\1|p' "$tmp/www.log" | head -1)
  [ -n "$wport" ] && break
  sleep 0.1
done
[ -n "$wport" ] || { echo "FAIL: page server did not start"; cat "$tmp/www.log"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-dev-shm-usage --user-data-dir="$tmp/profile" --virtual-time-budget=10000)
timeout 60 "$chromium" "${flags[@]}" --dump-dom "http://127.0.0.1:$wport/index.html" \
  >"$tmp/dom.html" 2>"$tmp/chromium.log" ||
  { echo "FAIL: chromium --dump-dom"; tail -20 "$tmp/chromium.log"; exit 1; }
result=$(sed -n 's|.*<p id="out">\([^<]*\)</p>.*|\1|p' "$tmp/dom.html")
echo "page says: $result"
[ "$result" = "plain=200 cal=true etag=readable conditional=304" ] ||
  { echo "FAIL: the browser did not let the page read the feed"; cat "$tmp/dom.html"; exit 1; }

echo "PASS: a page on another origin reads the feed and revalidates it"
