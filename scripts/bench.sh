#!/usr/bin/env bash
# `make bench`: the performance figures of BENCHMARKS.md, each against its
# peer in the same run (machines here are shared and noisy, so only the
# ratios compare across runs).
# Usage: scripts/bench.sh [ENTITIES]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-${BENCH_ENTITIES:-100000}}
runs=${BENCH_RUNS:-3}
cache=.cache/bench
oracle=.cache/tools/oracle
cat="$cache/cat$n"
mkdir -p "$cache"
# The charts' points (docs/bench/, `make bench-charts`): appended as they are
# measured, the newest point of each figure, system and size drawn.
results="$cache/results.jsonl"
. scripts/benchpoints.sh

workload() { # workload N: the gencat repository of N entities, generated once
  local dir="$cache/cat$1"
  if [ ! -d "$dir/.git" ]; then
    echo "generating the shared workload: $1 entities (../shared/peers/gencat.py)" >&2
    python3 ../shared/peers/gencat.py "$dir" "$1" >&2
  fi
  echo "$dir"
}
cat=$(workload "$n")
cat10k=$(workload 10000)
cat1k=$(workload 1000)

echo "== Go benchmarks (processing the workload; entities/s and MB/s)"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench . -benchtime "${runs}x" ./app/catalog ./sync/gitfetch | grep -E '^Benchmark|^ok'

echo "== Scorecards: 10 scorecards of 20 checks over 10,000 entities from a cold start (budget: 2 s)"
CALLBOARD_BENCH_CATALOG="$PWD/$cat10k" go test -run '^$' -bench Scorecards -benchtime "${runs}x" ./app/scorecard | grep -E '^Benchmark'

# seconds runs a command and prints its wall time in seconds.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "== Sync over smart HTTP (git http-backend on loopback) into a store on disk: 1,000, 10,000 and $n entities"
CALLBOARD_BENCH_CATALOG="$PWD/$cat1k" go test -run '^$' -bench 'FirstSync|OneFileChange' -benchtime "${runs}x" ./sync/syncer | grep -E '^Benchmark' | sync_points 1000
CALLBOARD_BENCH_CATALOG="$PWD/$cat10k" go test -run '^$' -bench 'FirstSync|IdleSync|OneFileChange|History' -benchtime "${runs}x" ./sync/syncer | grep -E '^Benchmark' | sync_points 10000
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench OneFileChange -benchtime "${runs}x" ./sync/syncer | grep -E '^Benchmark' | sync_points "$n"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench FirstSync -benchtime 1x ./sync/syncer | grep -E '^Benchmark' | sync_points "$n"

echo "== Remote references: 200 APIs whose \$text placeholders name specs on a loopback TLS server (first sync, idle re-sync, server down)"
go test -run '^$' -bench '^BenchmarkRemotePlaceholders$' -benchtime 10x ./sync/syncer | grep -E '^Benchmark'

echo "== Cross-repository Locations: a root Location with 200 URL targets into 200 repositories on loopback (first sync, idle sync, server down)"
go test -run '^$' -bench '^BenchmarkDerivedLocations$' -benchtime "${runs}x" ./sync/syncer | grep -E '^Benchmark'

echo "== Discovered organisation: 1,000 repositories on a fake GitHub, 300 with catalog files behind git http-backend"
go test -run '^$' -bench '^BenchmarkDiscoveredOrg$' -benchtime 1x ./sync/syncer | grep -E '^Benchmark'

echo "== A Backstage location: 10,000 entities from a Backstage served on loopback (first, idle and changed syncs)"
go test -run '^$' -bench '^BenchmarkBackstageSync$' -benchtime 3x ./sync/syncer | grep -E '^Benchmark'

echo "== Catalog UI at $n entities: the portal service and serve's HTTP (entity by ref, catalog pages, graph depth 2)"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench . -skip '^BenchmarkLevels$' -benchtime 300x ./app/portal | grep -E '^Benchmark'

echo "== Scorecards in the catalog at $n entities: a page with levels after a plugin's new facts about one entity, and the first evaluation after a restart"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench '^BenchmarkLevels$' -benchtime 10x -timeout 30m ./app/portal | grep -E '^Benchmark'

echo "== Backstage's catalog API at $n entities: filters, an annotation's existence, by-refs of 100, by-query through everything in pages of 500"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench . -timeout 30m ./app/catalogapi | grep -E '^Benchmark'

echo "== Search at $n entities + 5,000 docs sections: build, 1,000 queries (p50/p99), an update of 10 entities, index size"
CALLBOARD_BENCH_CATALOG="$PWD/$cat" go test -run '^$' -bench Search -benchtime 1x -timeout 30m ./app/search | grep -E '^Benchmark'

echo "== Catalog UI at $n entities: callboard serve started → first catalog rows in Chromium, and serve's peak RSS"
make -s build >/dev/null
data="$cache/data$n"
if [ ! -f "$data/.synced" ]; then
  rm -rf "$data"
  ./build/bin/callboard location add "$PWD/$cat" --data-dir "$data" >/dev/null
  touch "$data/.synced"
fi
(cd frontend && node e2e/firstscreen.mjs ../build/bin/callboard "../$data" "$runs")

echo "== callboard catalog get / search / list, 300 and $n entities: in process, alone (the data dir read as it is) and through serve's socket"
for size in 300 "$n"; do
  CALLBOARD_BENCH_CATALOG="$PWD/$(workload "$size")" go test -run '^$' -bench '^BenchmarkCLI$' -benchtime 30x -timeout 40m ./app/cli | grep -E '^Benchmark'
done
echo "== the same as processes at $n entities (min/median wall ms and median CPU ms of 15): the CLI, alone and through serve; the window executable's --version beside it"
ref=$(./build/bin/callboard catalog list --kind component --limit 1 --json --data-dir "$data" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["ref"])')
./build/bin/callboard search warm-up --data-dir "$data" >/dev/null # the index catches up once, through a writer
# proc_ms BIN ARGS...: min and median wall ms, and median CPU ms (user + sys,
# from getrusage of the children), of 15 runs.
proc_ms() {
  python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
ts, cpu = [], []
for _ in range(15):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    ts.append((time.perf_counter() - t) * 1000)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
print(f"{min(ts):.0f}/{statistics.median(ts):.0f} ms wall, {statistics.median(cpu):.0f} ms CPU")
PY
}
cli=./build/bin/callboard
echo "callboard version: $(proc_ms "$cli" version)"
echo "callboard-window --version: $(proc_ms ./build/bin/callboard-window --version)"
echo "catalog get: $(proc_ms "$cli" catalog get "$ref" --data-dir "$data")"
echo "search: $(proc_ms "$cli" search payment service --data-dir "$data")"
echo "catalog list: $(proc_ms "$cli" catalog list --kind component --limit 20 --data-dir "$data")"
"$cli" serve --addr 127.0.0.1:0 --data-dir "$data" >/dev/null 2>&1 &
servepid=$!
until [ -S "$data/callboard.sock" ]; do sleep 0.2; done
echo "through serve: catalog get $(proc_ms "$cli" catalog get "$ref" --data-dir "$data"); search $(proc_ms "$cli" search payment service --data-dir "$data")"
kill "$servepid"
wait "$servepid" || true

echo "== A built-in plugin's process (callboard plugin-serve NAME): start to handshake line, median of 15, and its memory after it (RssAnon private / RssFile shared)"
for p in git-insights kubernetes; do
  python3 - "$cli" "$p" <<'PY'
import os, statistics, subprocess, sys, time
env = {"PATH": os.environ["PATH"], "CALLBOARD_PLUGIN": "b1c6f1f4-callboard-plugin", "PLUGIN_PROTOCOL_VERSIONS": "1"}
ts, mem = [], ""
for _ in range(15):
    t = time.perf_counter()
    proc = subprocess.Popen([sys.argv[1], "plugin-serve", sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    proc.stdout.readline()
    ts.append((time.perf_counter() - t) * 1000)
    with open(f"/proc/{proc.pid}/status") as f:
        kb = {l.split(":")[0]: int(l.split()[1]) for l in f if l.startswith(("RssAnon", "RssFile"))}
    mem = f"{kb['RssAnon'] / 1024:.1f} MB private / {kb['RssFile'] / 1024:.1f} MB shared"
    proc.kill()
    proc.wait()
print(f"{sys.argv[2]}: handshake after {min(ts):.0f}/{statistics.median(ts):.0f} ms (min/median), {mem}")
PY
done
echo "sizes: $(stat -c '%n %s' build/bin/callboard build/bin/callboard-window | tr '\n' ' ')"

echo "== TechDocs: a generated 1,000-page site and a site of real READMEs, callboard docs build vs mkdocs build (Debian's mkdocs + Material + pymdownx)"
scripts/deps.sh mkdocs mkdocs-material python3-pymdownx >/dev/null
# The READMEs of the packages npm ci installed for the frontend (make
# build above): real content nobody here wrote (issue 28).
python3 scripts/readmesite.py frontend/node_modules "$cache/readmes"
# Each site built in process, by the command (start-up included) and by
# mkdocs, in this run; the ratios are mkdocs' time over the command's.
CALLBOARD_BENCH_CLI="$PWD/build/bin/callboard" CALLBOARD_BENCH_READMES="$PWD/$cache/readmes" \
  go test -run '^$' -bench 'BuildSite|BuildReadmes|RenderPage' -benchtime "${runs}x" ./app/techdocs | grep -E '^Benchmark' | tee "$cache/techdocs.txt"
awk '$1 ~ /^BenchmarkBuild/ { split($1, p, "/"); sub(/-[0-9]+$/, "", p[2]); t[p[1], p[2]] = $3; s[p[1]] = 1 }
  END { for (k in s) if (t[k, "cli"] && t[k, "mkdocs"]) printf "%s: callboard docs build %.2f s, mkdocs %.2f s: %.1f× faster\n", k, t[k, "cli"] / 1e9, t[k, "mkdocs"] / 1e9, t[k, "mkdocs"] / t[k, "cli"] }' "$cache/techdocs.txt"
go test -run '^$' -bench DocsPage -benchtime 200x ./app/portal | grep -E '^Benchmark'

echo "== callboard catalog validate vs Backstage's validators in Node, $runs runs each, alternating"
ours=() theirs=()
for i in $(seq "$runs"); do
  ours+=("$(seconds ./build/bin/callboard catalog validate "$cat/catalog-info.yaml")")
  theirs+=("$(seconds node conformance/oracle/bench.cjs "$oracle" "$cat")")
  echo "run $i: callboard ${ours[-1]} s, backstage ${theirs[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
o=$(median "${ours[@]}") t=$(median "${theirs[@]}")
mb=$(find "$cat" -path "$cat/.git" -prune -o -type f -printf '%s\n' | awk '{s += $1} END {print s}')
printf '\n| %s entities | callboard catalog validate | Backstage validators (Node) |\n|---|---|---|\n' "$n"
printf '| median wall time | %.2f s | %.2f s |\n' "$o" "$t"
printf '| entities/s | %.0f | %.0f |\n' "$(echo "$n / $o" | bc -l)" "$(echo "$n / $t" | bc -l)"
printf '| MB/s | %.1f | %.1f |\n' "$(echo "$mb / 1048576 / $o" | bc -l)" "$(echo "$mb / 1048576 / $t" | bc -l)"
printf '| ratio | %.1f× faster | 1 |\n' "$(echo "$t / $o" | bc -l)"

# PEERS=1: the real Backstage catalog backend on PostgreSQL
# (../shared/peers/backstage/run.sh) on the same 1,000- and 10,000-entity
# workloads, in this run (100,000 is left out: over 20 minutes to load).
if [ "${PEERS:-0}" = 1 ]; then
  echo
  echo "== Backstage peer: 1,000 and 10,000 entities (installs PostgreSQL and the backend on first use)"
  export BSPEER_DIR="$PWD/$cache/bspeer"
  GENCAT="$PWD/../shared/peers/gencat.py" ../shared/peers/backstage/run.sh 1000 10000 >"$cache/bspeer.log" 2>&1 ||
    { tail -20 "$cache/bspeer.log"; echo "bench: the Backstage peer failed; its log is $cache/bspeer.log" >&2; exit 1; }
  node -e '
    const fs = require("fs"), dir = process.argv[1];
    for (const f of fs.readdirSync(dir).filter((f) => /^result-10000-.*\.json$/.test(f))) {
      const r = JSON.parse(fs.readFileSync(dir + "/" + f));
      const edits = r.edits.map((e) => (e.ms / 1000).toFixed(1)).join(", ");
      console.log(`| Backstage (${f}) | all visible after ${(r.loadedMs / 1000).toFixed(1)} s | edit visible after ${edits} s | node RSS ${r.memAfterQueries.node.rssMiB} MiB, postgres PSS ${r.memAfterQueries.postgres.pssSumMiB} MiB |`);
      const l = r.latency;
      console.log(`| Backstage (${f}) catalog queries | by name p50 ${l.byName.medianMs} ms | kind+type p50 ${l.byQueryService.medianMs} ms | full text p50 ${l.byQueryFullText.medianMs} ms |`);
    }' "$BSPEER_DIR/results"
  peer_points "$BSPEER_DIR/results"

  # The same peer software at 10,000 entities again, as our own
  # conformance peer (conformance/backstage-source/peer.sh, port 7022), for
  # what run.sh does not measure: the requests of the catalog API section
  # above, asked of it (CALLBOARD_BENCH_PEER), and issue 27's live read of
  # it as a Backstage location (BenchmarkPeerRead).
  echo
  echo "== Backstage peer at 10,000 entities: the catalog API section's requests, and read as a Backstage location"
  read -r url token < <(PROCESSING_INTERVAL_S=120 conformance/backstage-source/peer.sh start 10000)
  trap 'conformance/backstage-source/peer.sh stop' EXIT
  pid=$(cat "${CBSRC_DIR:-/tmp/cbsrc}/backend.pid")
  CALLBOARD_BENCH_PEER="$url/api/catalog" CALLBOARD_BENCH_PEER_TOKEN="$token" CALLBOARD_BENCH_PEER_PID="$pid" \
    go test -run '^$' -bench . -timeout 30m ./app/catalogapi | grep -E '^Benchmark'
  CBSRC_URL=$url CBSRC_TOKEN=$token CBSRC_PID=$pid \
    go test -tags backstagelive -count=1 -run '^$' -bench '^BenchmarkPeerRead$' -benchtime 3x ./sync/backstage | grep -E '^Benchmark'
  conformance/backstage-source/peer.sh stop
  trap - EXIT
fi

echo
echo "== Software templates: a 200-file skeleton scaffolded end to end vs nunjitsu rendering it under Node"
# Callboard (BenchmarkScaffold200Files): template loaded, skeleton rendered
# into a workspace (fetch:template), git repository with its first commit,
# catalog file read for registration, project moved into a fresh folder.
# nunjitsu (conformance/nunjucks/bench.cjs): the same skeleton's names and
# contents rendered as Backstage's fetch:template renders them and written
# to a fresh folder, nothing else. $runs rounds of 10 runs each,
# alternating; each figure is the median of the rounds' medians.
# Both write beside each other in $cache: on ext4 without a journal a
# new file's inode is searched for past every inode of its block group
# deleted in the last minutes, so what a file costs to create depends on
# where it is made; in /tmp, where every test on the machine makes and
# deletes its folders, the 200 files once took 23 ms against 6 ms here
# (BENCHMARKS.md, issue 28).
tpl="$cache/template200"
scaffoldtmp="$PWD/$cache/scaffold-tmp"
rm -rf "$tpl" "$tpl-out" "$scaffoldtmp"
mkdir -p "$scaffoldtmp"
CALLBOARD_BENCH_WRITE_SKELETON="$PWD/$tpl" go test -count=1 -run '^TestWriteBenchTemplate$' ./app/scaffold >/dev/null
go test -c -o "$cache/scaffold.test" ./app/scaffold
# metric NAME: the value before NAME on a benchmark line.
metric() { awk -v m="$1" '{for (i = 1; i < NF; i++) if ($(i + 1) == m) print $i}'; }
ours=() fetch=() theirs=()
for i in $(seq "$runs"); do
  line=$(TMPDIR="$scaffoldtmp" "$cache/scaffold.test" -test.run '^$' -test.bench '^BenchmarkScaffold200Files$' -test.benchtime 10x | grep -E '^Benchmark')
  ours+=("$(echo "$line" | metric median-ms)")
  fetch+=("$(echo "$line" | metric fetch-median-ms)")
  peer=$(NODE_PATH=.cache/tools/nunjucks/node_modules node conformance/nunjucks/bench.cjs "$tpl" "$tpl-out" 10)
  theirs+=("$(echo "$peer" | sed -E 's/.*"medianMs":([0-9.]+).*/\1/')")
  echo "round $i: $line"
  echo "round $i: $peer"
done
rm -rf "$tpl-out"
TMPDIR="$scaffoldtmp" "$cache/scaffold.test" -test.run '^$' -test.bench '^BenchmarkScaffold200FilesDryRun$' -test.benchtime 10x | grep -E '^Benchmark'
# A template update of a project made from it (issue 24): both commits
# rendered with the project's answers, 40 changed files planned, 20 merged.
"$cache/scaffold.test" -test.run '^$' -test.bench '^BenchmarkTemplateUpdate200Files$' -test.benchtime 10x | grep -E '^Benchmark'
# The template workbench (issue 22): a save of the same template to the
# form's workbench:changed and the dry run with its diff (target 300 ms).
CALLBOARD_BENCH_TEMPLATE="$PWD/$tpl" go test -run '^$' -bench '^BenchmarkWorkbenchSaveToRerender$' -benchtime 20x ./app/portal | grep -E '^Benchmark'
# ratio A B: how A compares with B, in time.
ratio() {
  if [ "$(echo "$1 <= $2" | bc)" = 1 ]; then
    printf '%.1f× faster' "$(echo "$2 / $1" | bc -l)"
  else
    printf '%.1f× slower' "$(echo "$1 / $2" | bc -l)"
  fi
}
o=$(median "${ours[@]}") f=$(median "${fetch[@]}") t=$(median "${theirs[@]}")
printf '\n| 200-file skeleton, median of %s rounds of 10 runs | Callboard | nunjitsu under Node (render + write only) | ratio |\n|---|---|---|---|\n' "$runs"
printf '| end to end (target 300 ms) | %.0f ms | %.0f ms | %s |\n' "$o" "$t" "$(ratio "$o" "$t")"
printf '| fetch:template step alone (render + write; target: at most half the peer'"'"'s) | %.0f ms | %.0f ms | %s |\n' "$f" "$t" "$(ratio "$f" "$t")"

echo
echo "== Plugins: a warm call's round trip, a cold start, git-insights on a 10,000-commit repository, an entity page with three plugin cards"
go test -run '^$' -bench . -benchtime 200x ./plugins/host | grep -E '^Benchmark'
go test -run '^$' -bench . -benchtime 20x ./plugins/gitinsights | grep -E '^Benchmark'
# A "Logs" button through the host and the kubernetes plugin's process to a
# loopback API server over TLS (issue 25: at most 200 ms); the "Events"
# button and a follow of its live events, a watch.
go test -run '^$' -bench '^Benchmark(Logs|Events)$' -benchtime 30x ./plugins/kubernetes | grep -E '^Benchmark'
# A CI job's "Log" button through the host and the ci plugin's process: the
# fake GitHub's redirect to a storage server, a 2 MiB log split by step
# (issue 25: at most 200 ms).
go test -run '^$' -bench '^BenchmarkJobLog$' -benchtime 30x ./plugins/ci | grep -E '^Benchmark'
# 10,000 cached Stack Overflow questions: the plugin's answer, indexing
# them, 1,000 palette queries (issue 25: within the search budget).
go test -run '^$' -bench '^BenchmarkSearch$' -benchtime 5x ./plugins/stackoverflow | grep -E '^Benchmark'
# The page: serve with the built-in plugins, a fresh data dir holding a
# generated 10,000-commit monorepo (scripts/gitrepo10k.py), Chromium opening
# a component's page; the first run is cold (no plugin process yet).
repo="$cache/monorepo10k.git"
if [ ! -d "$repo" ]; then
  git init -q --bare --initial-branch=main "$repo"
  python3 scripts/gitrepo10k.py 10000 | git -C "$repo" fast-import --quiet
fi
pdata="$cache/plugindata"
rm -rf "$pdata"
./build/bin/callboard location add "$PWD/$repo" --path 'services/*/catalog-info.yaml' --data-dir "$pdata" >/dev/null
(cd frontend && node e2e/pluginpage.mjs ../build/bin/callboard "../$pdata" component:default/payments 11)

echo
echo "== The window: start to a visible window, and its memory idle (scripts/window-start.sh)"
scripts/window-start.sh build/bin/callboard 7

echo
echo "== Charts: docs/bench/*.svg from $results"
go run ./internal/cmd/benchchart -in "$results" -out docs/bench
