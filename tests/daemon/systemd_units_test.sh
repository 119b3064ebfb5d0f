#!/usr/bin/env bash
# The unit files pass `systemd-analyze verify` and rate 2.0 or lower in
# `systemd-analyze security --offline=true`.
# Usage: systemd_units_test.sh SYSTEMD_DIR BINARY
# verify checks that ExecStart's binary exists, so it runs on a copy whose ExecStart points at
# BINARY (any built executable); security runs on the unit as shipped.
set -euo pipefail
units=$1
binary=$2
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze not installed"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -qx 'ExecStart=/usr/local/bin/coursecal serve -c /etc/coursecal/coursecal.yaml' \
  "$units/coursecal.service" || { echo "FAIL: unexpected ExecStart"; exit 1; }
grep -qx 'Type=notify' "$units/coursecal.service" || { echo "FAIL: not Type=notify"; exit 1; }

sed "s|^ExecStart=/usr/local/bin/coursecal |ExecStart=$binary |" "$units/coursecal.service" \
  >"$tmp/coursecal.service"
cp "$units/coursecal.socket" "$tmp/coursecal.socket"
if ! out=$(systemd-analyze verify "$tmp/coursecal.service" "$tmp/coursecal.socket" 2>&1); then
  echo "FAIL: systemd-analyze verify:"
  echo "$out"
  exit 1
fi
# verify exits 0 on some warnings: any line about our units is a failure.
if grep -E 'coursecal\.(service|socket)' <<<"$out"; then
  echo "FAIL: systemd-analyze verify warned about the units"
  exit 1
fi
echo "verify: ok"

out=$(systemd-analyze security --offline=true "$units/coursecal.service" 2>&1) || true
level=$(sed -n 's/.*Overall exposure level for coursecal.service: \([0-9.]*\).*/\1/p' <<<"$out")
if [ -z "$level" ]; then
  echo "FAIL: no exposure level in:"
  echo "$out"
  exit 1
fi
echo "security: overall exposure level $level"
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || { echo "FAIL: exposure $level > 2.0"; exit 1; }
echo "PASS"
