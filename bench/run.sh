#!/usr/bin/env bash
# coursecal benchmarks, side by side with baselines in one run (see bench/RESULTS.md):
#   a. serving: `coursecal serve` vs nginx (1 worker, sendfile, gzip_static), wrk on 127.0.0.1
#   b. generation: `coursecal export` of the catalog vs python3-icalendar serialising the same events
#   c. start-up time and daemon RSS vs the rendered feeds
#   d. reload: edit -> new ETag, idle and under wrk load, and failed requests during reloads
# plus the Google Benchmark micro-benchmarks. Prints a Markdown table on stdout.
#
# Environment: N (courses, 1000), DURATION (s per wrk run, 10), CONNS (50), THREADS (2),
# ROUNDS (coursecal/nginx alternations, 2), BUILD (build-bench). Needs `scripts/setup-deps.sh --bench`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000}
DURATION=${DURATION:-10}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
BUILD=${BUILD:-$ROOT/build-bench}
PY=/usr/bin/python3
TOOLS="$PY $ROOT/bench/bench_tools.py"
BIN=$BUILD/daemon/coursecal

log() { echo "bench: $*" >&2; }

for tool in nginx wrk hyperfine curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { log "missing $tool: run scripts/setup-deps.sh --bench"; exit 1; }
done

TMP=$(mktemp -d /tmp/coursecal-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$TMP/results.jsonl

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }

# --- build -----------------------------------------------------------------------------------
log "building (Release, -j2) in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCOURSECAL_BUILD_TESTS=OFF \
  -DCOURSECAL_BENCH=ON >/dev/null
cmake --build "$BUILD" -j2 --target coursecal coursecal_microbench >/dev/null

$TOOLS set "$RESULTS" meta "$($PY -c 'import json,sys; print(json.dumps(dict(zip(
  ["feeds","duration","conns","threads","rounds","nproc","cpu","nginx"], sys.argv[1:]))))' \
  "$N" "$DURATION" "$CONNS" "$THREADS" "$ROUNDS" "$(nproc)" \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nginx -v 2>&1 | sed 's|.*/||')")"

# --- micro-benchmarks --------------------------------------------------------------------------
log "micro-benchmarks"
"$BUILD/bench/coursecal_microbench" --benchmark_min_time=0.5 --benchmark_format=json \
  --benchmark_out="$TMP/micro.json" >/dev/null 2>&1
$TOOLS micro "$RESULTS" "$TMP/micro.json"

# --- catalog (not timed) -----------------------------------------------------------------------
log "generating $N courses"
CAT=$TMP/catalog
$PY "$ROOT/bench/gen_catalog.py" "$CAT" -n "$N" --coursecal "$BIN"
CFG=$CAT/coursecal.yaml

# --- b. generation -----------------------------------------------------------------------------
log "generation: coursecal export vs python3-icalendar"
mkdir -p "$TMP/export"
# Into an empty folder each time: an export leaves files that already hold its bytes alone, and
# this measures writing all of them.
hyperfine --style none --warmup 1 --runs 5 --export-json "$TMP/hf-export.json" \
  --prepare "rm -rf $TMP/export && mkdir -p $TMP/export" \
  "$BIN export -c $CFG -o $TMP/export/ 2>/dev/null" >/dev/null
rm -rf "$TMP/export" && mkdir -p "$TMP/export"
/usr/bin/time -v -o "$TMP/time-export.txt" "$BIN" export -c "$CFG" -o "$TMP/export/" 2>/dev/null
hyperfine --style none --warmup 1 --runs 3 --export-json "$TMP/hf-py.json" \
  "$PY $ROOT/bench/ical_baseline.py $CAT/events.json" >/dev/null
/usr/bin/time -v -o "$TMP/time-py.txt" $PY "$ROOT/bench/ical_baseline.py" "$CAT/events.json" \
  >"$TMP/py.json"
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
median() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
$TOOLS set "$RESULTS" gen:coursecal "{\"wall_s\": $(median "$TMP/hf-export.json"), \"rss_kb\": $(rss "$TMP/time-export.txt")}"
$TOOLS set "$RESULTS" gen:python "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1]));
d["wall_s"]=float(sys.argv[2]); d["rss_kb"]=int(sys.argv[3]); print(json.dumps(d))' \
  "$TMP/py.json" "$(median "$TMP/hf-py.json")" "$(rss "$TMP/time-py.txt")")"

# --- c. start-up -------------------------------------------------------------------------------
log "start-up of coursecal serve"
CC_LOG=$TMP/serve.log
t0=$(now_ns)
"$BIN" serve -c "$CFG" --listen 127.0.0.1:0 2>"$CC_LOG" &
CC_PID=$!
PIDS+=("$CC_PID")
CC_URL=
for _ in $(seq 1 6000); do
  if [ -z "$CC_URL" ]; then
    CC_URL=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$CC_LOG" | head -1)
  fi
  if [ -n "$CC_URL" ] && curl -fs "$CC_URL/healthz" 2>/dev/null | grep -q "\"feeds\":$N,"; then
    break
  fi
  sleep 0.005
done
t1=$(now_ns)
curl -fs "$CC_URL/healthz" | grep -q "\"feeds\":$N," || { log "coursecal serve did not come up"; cat "$CC_LOG" >&2; exit 1; }
RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$CC_PID/status")
$TOOLS set "$RESULTS" startup "{\"seconds\": $(( (t1 - t0) / 1000 ))e-6, \"rss_kb\": $RSS_KB}"
(cd "$CAT/sites" && ls) >"$TMP/ids.txt"
$TOOLS sizes "$RESULTS" "$CC_URL" "$TMP/ids.txt"

# --- a. serving --------------------------------------------------------------------------------
FEED=c0001.ics
WWW=$TMP/www
mkdir -p "$WWW" "$TMP/nginx/logs"
curl -fs -o "$WWW/$FEED" "$CC_URL/$FEED"
gzip -9 -k "$WWW/$FEED"
chmod -R a+rX "$TMP"
NGX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/calendar ics; }
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NGX_PORT;
    root $WWW;
    gzip_static on;
    location / { }
  }
}
NGINX
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/stderr" &
PIDS+=("$!")
NGX_URL=http://127.0.0.1:$NGX_PORT
for _ in $(seq 1 400); do curl -fs -o /dev/null "$NGX_URL/$FEED" && break; sleep 0.005; done

etag_of() { curl -fsI "$1" | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p'; }
check_status() { # URL WANT [header]
  local got
  got=$(curl -s -o /dev/null -w '%{http_code}' ${3:+-H "$3"} "$1")
  [ "$got" = "$2" ] || { log "$1 ${3:-}: HTTP $got, expected $2"; exit 1; }
}
for name in cc nginx; do
  if [ $name = cc ]; then url=$CC_URL; else url=$NGX_URL; fi
  etag=$(etag_of "$url/$FEED")
  printf "wrk.headers[\"If-None-Match\"] = '%s'\n" "$etag" >"$TMP/cond-$name.lua"
  printf "wrk.headers[\"Accept-Encoding\"] = 'gzip'\n" >"$TMP/gzip-$name.lua"
  check_status "$url/$FEED" 200
  check_status "$url/$FEED" 304 "If-None-Match: $etag"
  enc=$(curl -fsI -H 'Accept-Encoding: gzip' "$url/$FEED" | grep -ci '^content-encoding: gzip' || true)
  [ "$enc" = 1 ] || { log "$name does not answer gzip"; exit 1; }
done
cmp -s "$WWW/$FEED" <(curl -fs "$CC_URL/$FEED") || { log "nginx serves other bytes"; exit 1; }

run_wrk() { # NAME URL KEY [LUA]
  local out=$TMP/wrk-$1-$3-$RANDOM.txt
  timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 2s --latency \
    ${4:+-s "$4"} "$2/$FEED" >"$out"
  $TOOLS wrk "$RESULTS" "$1:$3" "$out"
}
for key in get cond gzip; do
  for round in $(seq 1 "$ROUNDS"); do
    for name in cc nginx; do
      if [ $name = cc ]; then url=$CC_URL; else url=$NGX_URL; fi
      log "serving: $key, round $round, $name"
      case $key in
        get) run_wrk $name "$url" $key ;;
        cond) run_wrk $name "$url" $key "$TMP/cond-$name.lua" ;;
        gzip) run_wrk $name "$url" $key "$TMP/gzip-$name.lua" ;;
      esac
    done
  done
done

# --- d. reload ---------------------------------------------------------------------------------
PAGE=$CAT/sites/c0001/_modules/week-05.md
log "reload: idle"
$TOOLS reload "$RESULTS" reload:idle "$CC_URL/$FEED" "$PAGE" 5
log "reload: under wrk load"
RELOAD_WRK=$TMP/wrk-reload.txt
timeout 150 wrk -t"$THREADS" -c"$CONNS" -d120s --timeout 2s --latency "$CC_URL/$FEED" \
  >"$RELOAD_WRK" &
WRK_PID=$!
PIDS+=("$WRK_PID")
sleep 1
$TOOLS reload "$RESULTS" reload:load "$CC_URL/$FEED" "$PAGE" 5
# Stop the load once the reloads are done (SIGINT: wrk prints its summary).
kill -INT "$WRK_PID" 2>/dev/null || true
wait "$WRK_PID" || true
$TOOLS wrk "$RESULTS" reload:wrk "$RELOAD_WRK"

$TOOLS report "$RESULTS"
