#!/usr/bin/env bash
# Installs every Debian 12 package coursecal needs to build, run and test. Idempotent: installs only
# what is missing. As root it runs apt-get; otherwise it prints the exact command to run.
set -euo pipefail

# --bench: only the benchmark tools (`make bench`), never needed to build, run or test.
if [ "${1:-}" = "--bench" ]; then
  packages=(
    # bench/run.sh: the static-file baseline, the load generator, the Python baseline, timing
    nginx-light wrk python3 python3-icalendar hyperfine curl time
  )
else
packages=(
  # build
  g++ cmake make pkg-config clang-format
  # libraries
  libical-dev libyaml-cpp-dev libboost1.81-dev libhowardhinnant-date-dev tzdata
  libsystemd-dev zlib1g-dev libssl-dev libmd4c-dev libmd4c-html0-dev libgit2-dev
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-icalendar python3-vobject nodejs khal calcurse
  curl systemd git
  # daemon tests: a real subscription client, the subscribe page in a browser
  vdirsyncer chromium
)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# nodejs from another repository may ship npm inside it; only ask for Debian's npm when absent.
if [ "${1:-}" != "--bench" ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-deps: missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-deps: run as root:"
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
