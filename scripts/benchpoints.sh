# Sourced by scripts/bench.sh: record the points the charts of docs/bench/
# are drawn from (internal/cmd/benchchart), one JSON line each, appended to
# $results as they are measured; `make bench-charts` draws them again.

# record FIGURE SYSTEM SIZE VALUE UNIT: one measured point, with the load
# average and the time it was measured at.
record() {
  printf '{"figure":"%s","system":"%s","size":%d,"value":%s,"unit":"%s","load":"%s","date":"%s"}\n' \
    "$1" "$2" "$3" "$4" "$5" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)" >>"$results"
}

# sync_points SIZE: passes sync/syncer's benchmark lines through and
# records the first sync's time and peak RSS and the one-file change's
# time (warm and fresh process) at SIZE entities.
sync_points() {
  local line name
  while IFS= read -r line; do
    echo "$line"
    name=${line%%[[:space:]]*}
    name=${name%-*}
    case $name in
    BenchmarkFirstSync)
      record first-sync-time Callboard "$1" "$(bench_metric ns/op "$line" 1e9)" s
      record first-sync-peak-rss Callboard "$1" "$(bench_metric MiB-peak-rss "$line" 1)" MiB
      ;;
    BenchmarkOneFileChange) record one-file-change "Callboard, warm process" "$1" "$(bench_metric ns/op "$line" 1e9)" s ;;
    BenchmarkOneFileChangeFreshProcess) record one-file-change "Callboard, fresh process" "$1" "$(bench_metric ns/op "$line" 1e9)" s ;;
    esac
  done
}

# bench_metric NAME LINE DIV: the value before NAME on a benchmark line, over DIV.
bench_metric() {
  echo "$2" | awk -v m="$1" -v d="$3" '{for (i = 1; i < NF; i++) if ($(i + 1) == m) printf "%.4g\n", $i / d}'
}

# peer_points DIR: records the Backstage peer's figures from its result
# files in DIR (../shared/peers/backstage/run.sh): all entities visible
# as the first sync, node's peak RSS plus PostgreSQL's PSS when all were
# visible as its memory, and the median of its edits' times.
peer_points() {
  local f n
  for f in "$1"/result-*-pi*.json; do
    n=$(basename "$f" | sed -E 's/^result-([0-9]+)-.*/\1/')
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
      const e = r.edits.map((x) => x.ms).sort((a, b) => a - b);
      console.log((r.loadedMs / 1000).toFixed(2), (r.memAtLoad.node.peakRssMiB + r.memAtLoad.postgres.pssSumMiB).toFixed(0),
        (e[(e.length - 1) >> 1] / 1000).toFixed(2));' "$f" | {
      read -r loaded mem edit
      record first-sync-time Backstage "$n" "$loaded" s
      record first-sync-peak-rss Backstage "$n" "$mem" MiB
      record one-file-change Backstage "$n" "$edit" s
    }
  done
}
