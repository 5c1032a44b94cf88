#!/usr/bin/env bash
# Runs the browser e2e (scripts/e2e.sh) N times in a row while a CPU load
# runs beside it, and reports how many runs passed: a step that races the
# UI shows up here long before it fails one `make test` in four.
# The load is stress-ng, one CPU worker per core, under nice (LOAD_NICE,
# default 10) so that it slows the e2e without starving the machine; the
# e2e itself runs at normal priority.
# Usage: scripts/e2e-under-load.sh BINARY OUTDIR [N]
# Env: LOAD_WORKERS (default: the number of cores), LOAD_NICE, and those of
#      scripts/e2e.sh (E2E_ENGINES, E2E_SUITES, E2E_LANG).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "$1"); out=$(realpath -m "$2"); n=${3:-10}
"$here/deps.sh" stress-ng
mkdir -p "$out"

workers=${LOAD_WORKERS:-$(nproc)}
nice -n "${LOAD_NICE:-10}" stress-ng --cpu "$workers" --quiet &
load=$!
trap 'kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true' EXIT
echo "e2e under load: $n runs beside stress-ng --cpu $workers (nice ${LOAD_NICE:-10}); logs in $out"

passed=0
begun=$(date +%s)
for i in $(seq "$n"); do
  t0=$(date +%s)
  log="$out/run-$i.log"
  if "$here/e2e.sh" "$bin" "$out/run-$i" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "e2e under load: run $i/$n passed in $(( $(date +%s) - t0 )) s, load average $(cut -d' ' -f1 /proc/loadavg)"
  else
    echo "e2e under load: run $i/$n FAILED in $(( $(date +%s) - t0 )) s ($log):"
    if grep -q -E 'FAILED|e2e: the UI reported' "$log"; then
      grep -E 'FAILED|e2e: the UI reported' "$log" | sed 's/^/  /'
    else
      tail -5 "$log" | sed 's/^/  /'
    fi
  fi
done
echo "e2e under load: $passed/$n passed in $(( $(date +%s) - begun )) s"
[ "$passed" -eq "$n" ]
