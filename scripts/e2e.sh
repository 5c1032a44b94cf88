#!/usr/bin/env bash
# Browser end-to-end test: `callboard serve` on a free loopback port with a
# fresh data dir, driven by headless Chromium through playwright-core.
# Usage: scripts/e2e.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out"
data=$(mktemp -d); log="$out/serve.log"
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT
"$bin" serve --addr 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
pid=$!
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -1 || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "e2e: callboard serve exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "e2e: callboard serve printed no address" >&2; exit 1; }
echo "e2e: serving at $url"
CALLBOARD_URL="${url%/}" E2E_OUT="$out" node frontend/e2e/e2e.mjs
