#!/usr/bin/env bash
# Desktop smoke test: the real binary under Xvfb with a fresh data dir; waits
# for the Callboard window, screenshots it, checks the picture is not blank,
# and stops the app cleanly.
# Usage: scripts/desktop-smoke.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out"
data=$(mktemp -d); log="$out/app.log"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
cleanup() {
  kill "${app:-}" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

"$bin" --data-dir "$data" >"$log" 2>&1 &
app=$!
win=""
for _ in $(seq 120); do
  win=$(xdotool search --name '^Callboard$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { cat "$log"; echo "desktop: callboard exited before showing a window" >&2; exit 1; }
  sleep 0.5
done
[ -n "$win" ] || { cat "$log"; echo "desktop: no Callboard window after 60 s" >&2; exit 1; }
echo "desktop: window $win is up"

# A second start on the same data dir must bring this window forward, not fail.
"$bin" --data-dir "$data" >"$out/second.log" 2>&1 || { cat "$out/second.log"; echo "desktop: second start failed" >&2; exit 1; }
grep -q "brought its window to the front" "$out/second.log"

# The CLI talks to the running window's instance over its socket.
"$bin" catalog list --kind component --data-dir "$data" >"$out/catalog.txt"
[ "$(grep -c '^component:' "$out/catalog.txt")" -ge 20 ] || { cat "$out/catalog.txt"; echo "desktop: CLI saw too few components" >&2; exit 1; }

# Wait for the page to draw the catalog, then take the picture.
shot="$out/window.png"
for _ in $(seq 40); do
  sleep 0.5
  import -window root "$shot"
  colours=$(convert "$shot" -format '%k' info:)
  [ "$colours" -gt 256 ] && break
done
echo "desktop: screenshot $shot has $colours colours"
[ "$colours" -gt 256 ] || { cat "$log"; echo "desktop: the window looks blank" >&2; exit 1; }

kill -TERM "$app"
code=0; wait "$app" || code=$?
[ "$code" -eq 0 ] || { cat "$log"; echo "desktop: callboard exited with $code on SIGTERM" >&2; exit 1; }
echo "desktop: stopped cleanly"
