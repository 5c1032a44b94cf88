#!/usr/bin/env bash
# make conformance-backstage-source: a Backstage location against a real
# Backstage catalog backend (peer.sh). It records the backend's answers on
# a small gencat catalog into sync/backstage/testdata/peer (what `make
# test` replays), with what @backstage/catalog-client reads at each stage,
# runs the replay tests on them, then reads a catalog of BENCH_N entities
# (10000; 0 skips it) from the live peer: BenchmarkPeerRead.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
W="${CBSRC_DIR:-/tmp/cbsrc}"
BENCH_N="${BENCH_N:-10000}"
trap '"$HERE/peer.sh" stop' EXIT
cd "$ROOT"

read -r url token < <("$HERE/peer.sh" start 40)
CBSRC_URL=$url CBSRC_TOKEN=$token CBSRC_CAT="$W/cat" CBSRC_APP="$W/app" \
  go test -tags backstagelive -count=1 -run '^TestRecordPeer$' ./sync/backstage
go test -count=1 ./sync/backstage
go test -count=1 -run 'Backstage' ./sync/syncer ./app/cli

if [ "$BENCH_N" -gt 0 ]; then
  read -r url token < <(PROCESSING_INTERVAL_S=120 "$HERE/peer.sh" start "$BENCH_N")
  CBSRC_URL=$url CBSRC_TOKEN=$token CBSRC_PID="$(cat "$W/backend.pid")" \
    go test -tags backstagelive -count=1 -run '^$' -bench '^BenchmarkPeerRead$' -benchtime 3x ./sync/backstage | grep -E '^Benchmark'
fi
