#!/usr/bin/env bash
# `make conformance-catalog-api`: the real Backstage catalog backend (the
# pinned @backstage/plugin-catalog-backend on Debian PostgreSQL) loaded with
# app/catalogapi/testdata/gencat, asked the seeded queries of
# conformance/catalogapi/record.cjs through @backstage/catalog-client; the
# answers land in app/catalogapi/testdata/peer.jsonl, which the Go test
# compares Callboard's answers with. Before it, Backstage's own router and
# analyzer answer conformance/catalogapi/analyze.cjs's analyze-location
# bodies (no database) into app/catalogapi/testdata/analyze-peer.jsonl.
# Own database prefix (cbapi_) and port (7021), so another peer (bspeer_,
# cbsrc_) may run beside it; PostgreSQL is left running, since others may
# use it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W="${CATAPI_DIR:-$ROOT/.cache/tools/catalogapi}"
PORT=7021 DBPREFIX=cbapi_ PGROLE=cbapi PGPASS=cbapi
CAT="$ROOT/app/catalogapi/testdata/gencat"
OUT="$ROOT/app/catalogapi/testdata/peer.jsonl"
GZ="$OUT.gz"
say() { echo "[catalogapi-peer $(date +%T)] $*"; }
mkdir -p "$W"

want=$(cat conformance/catalogapi/package.json conformance/catalogapi/package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat "$W/.installed" 2>/dev/null)" != "$want" ]; then
  say "npm ci (Backstage catalog backend and client)"
  rm -rf "$W/node_modules"
  cp conformance/catalogapi/package.json conformance/catalogapi/package-lock.json "$W/"
  (cd "$W" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$W/.installed"
fi
cp conformance/catalogapi/record.cjs "$W/record.cjs"

ANALYZE="$ROOT/app/catalogapi/testdata/analyze-peer.jsonl"
say "recording analyze-location answers"
node conformance/catalogapi/analyze.cjs "$W/node_modules" > "$ANALYZE.new"
mv "$ANALYZE.new" "$ANALYZE"
say "recorded $(wc -l < "$ANALYZE") analyze-location cases in $ANALYZE"

if ! command -v pg_ctlcluster >/dev/null; then
  say "installing postgresql"; apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql
fi
read -r PGVER PGCLUSTER PGPORT PGSTATUS < <(pg_lsclusters -h | awk 'NR==1{print $1,$2,$3,$4}')
if [ "$PGSTATUS" != online ]; then say "starting postgres $PGVER/$PGCLUSTER"; pg_ctlcluster "$PGVER" "$PGCLUSTER" start || true; fi
psql_su() { su postgres -c "psql -p $PGPORT -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ -z "$(psql_su "select 1 from pg_roles where rolname='$PGROLE'")" ]; then
  psql_su "create role $PGROLE login createdb password '$PGPASS'"
fi
# Only our own prefix: other peers keep theirs.
for db in $(psql_su "select datname from pg_database where datname like '${DBPREFIX}%'"); do psql_su "drop database \\\"$db\\\""; done

cat > "$W/index.js" <<'JS'
const { createBackend } = require('@backstage/backend-defaults');
const backend = createBackend();
const catalog = require('@backstage/plugin-catalog-backend');
backend.add(catalog.default ?? catalog);
backend.start();
JS
cat > "$W/app-config.yaml" <<YAML
app:
  baseUrl: http://localhost:3000
backend:
  baseUrl: http://127.0.0.1:$PORT
  listen:
    host: 127.0.0.1
    port: $PORT
  auth:
    dangerouslyDisableDefaultAuthPolicy: true
  database:
    client: pg
    prefix: $DBPREFIX
    connection:
      host: 127.0.0.1
      port: $PGPORT
      user: $PGROLE
      password: $PGPASS
catalog:
  processingInterval: { minutes: 30 }
  rules:
    - allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]
  locations:
    - type: file
      target: $CAT/catalog-info.yaml
YAML
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then say "port $PORT is already in use"; exit 1; fi
BPID=""
cleanup() { if [ -n "$BPID" ] && kill -0 "$BPID" 2>/dev/null; then kill "$BPID"; sleep 2; kill -9 "$BPID" 2>/dev/null || true; fi; }
trap cleanup EXIT
say "starting the backend on 127.0.0.1:$PORT"
(cd "$W" && exec env NODE_ENV=production node index.js --config app-config.yaml) > "$W/backend.log" 2>&1 &
BPID=$!
# Every entity of the catalog, its root Location and the one Backstage
# makes for the config entry.
expected=$(( $(grep -rh '^kind:' "$CAT" | wc -l) + 1 ))
say "waiting for $expected entities"
(cd "$W" && BASE="http://127.0.0.1:$PORT" EXPECTED=$expected OUT="$OUT" CATDIR="$CAT" node record.cjs)
gzip -9 -c "$OUT" > "$GZ" && rm "$OUT"
say "recorded $(zcat "$GZ" | wc -l) cases in $GZ"
