#!/usr/bin/env bash
# The window's start and idle memory, as BENCHMARKS.md gives them: RUNS
# starts of `callboard` on a data dir whose demo is already synced, each
# timed from exec to a visible window titled "Callboard" (polled every
# 20 ms under Xvfb), then the memory (PSS) of the last window's processes
# after 30 s idle: the window and WebKit's web and network processes.
# Usage: scripts/window-start.sh BIN [RUNS]
set -euo pipefail
bin=$(realpath "$1") runs=${2:-5}
tmp=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null; rm -rf "$tmp"' EXIT
Xvfb -displayfd 3 -screen 0 1280x820x24 -nolisten tcp 3>"$tmp/display" >/dev/null 2>&1 &
xvfb=$!
until [ -s "$tmp/display" ]; do sleep 0.05; done
export DISPLAY=":$(head -1 "$tmp/display")"
for i in $(seq "$runs"); do
  export CALLBOARD_HOME=$tmp/data$i
  "$bin" catalog list >/dev/null 2>&1
  start=$(date +%s%N)
  "$bin" >"$tmp/log$i" 2>&1 &
  pid=$!
  until xdotool search --onlyvisible --name '^Callboard$' >/dev/null 2>&1; do sleep 0.02; done
  echo "start $i: $((($(date +%s%N) - start) / 1000000)) ms to a visible window"
  if [ "$i" = "$runs" ]; then
    sleep 30
    total=0
    for p in $( (echo "$pid"; pgrep -P "$pid"; pgrep -f WebKitWebProcess; pgrep -f WebKitNetworkProcess) | sort -u); do
      kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
      echo "  $((kb / 1024)) MiB PSS  $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-70)"
      total=$((total + kb))
    done
    echo "idle after 30 s: $((total / 1024)) MiB PSS in all"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
