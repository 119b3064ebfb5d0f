#!/usr/bin/env bash
# The real-site corpus (../shared/corpus, beside the project; never copied into it): how many of
# the rows a student expects hold, against the floor kept in tests/corpus/floor. The floor only
# ever goes up: raise it with every improvement.
# usage: tests/corpus/corpus_test.sh BUILD/daemon/coursecal SOURCE_DIR
# COURSECAL_CORPUS names another corpus folder. Without a corpus the test is skipped (exit 77).
set -uo pipefail
bin=$1
src=$2
corpus=${COURSECAL_CORPUS:-$src/../shared/corpus}
if [[ ! -x $corpus/score.sh ]]; then
  echo "SKIP: no corpus at $corpus (set COURSECAL_CORPUS)"
  exit 77
fi
floor=$(tr -dc '0-9' <"$src/tests/corpus/floor")
out=$("$corpus/score.sh" "$bin" -v 2>&1)
echo "$out"
last=$(tail -1 <<<"$out")
held=$(sed -n 's|.*, \([0-9]*\)/[0-9]* expectations hold.*|\1|p' <<<"$last")
if [[ -z $held ]]; then
  echo "FAIL: could not read the score from: $last"
  exit 1
fi
if ((held < floor)); then
  echo "FAIL: $held rows hold, fewer than the floor of $floor (tests/corpus/floor)"
  exit 1
fi
echo "ok: $held rows hold (floor $floor)"
((held == floor)) || echo "note: raise tests/corpus/floor to $held"
exit 0
