#!/usr/bin/env bash
# Runs each libFuzzer target for FUZZ_SECONDS on a scratch copy of its seed corpus.
#   fuzz/run.sh BUILD_DIR TARGET...   (make fuzz / make fuzz-short)
# New corpus entries stay in BUILD_DIR/corpus (the checked-in seeds never grow); a crash, leak or
# timeout (one input over 10 s) is saved in BUILD_DIR/artifacts/<target>/ and fails the run.
set -euo pipefail
build="$1"
shift
seconds="${FUZZ_SECONDS:-60}"
src="$(cd "$(dirname "$0")" && pwd)"
status=0
for target in "$@"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  dict=()
  case "$target" in
    fuzz_week_page | fuzz_pipeline) dict=(-dict="$src/markdown.dict") ;;
    fuzz_http) dict=(-dict="$src/http.dict") ;;
  esac
  log="$build/$target.log"
  if "$build/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "$src/corpus/$target" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$target: ok, $execs executions in ${seconds}s (log: $log)"
  else
    echo "$target: FAILED (log: $log; inputs in $artifacts/)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_)' "$log" | head -5 || true
    status=1
  fi
done
exit "$status"
