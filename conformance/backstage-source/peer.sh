#!/usr/bin/env bash
# A real Backstage catalog backend on PostgreSQL for the backstage-source
# conformance run and benchmark, modelled on ../shared/peers/backstage/run.sh.
# usage: peer.sh start N   start the backend on a gencat catalog of N entities
#                          (a git repo under $CBSRC_DIR/cat), print "URL TOKEN"
#        peer.sh stop      stop the backend (PostgreSQL is left as found)
# It uses the database prefix cbsrc_ and port 7022 only: other runs of the
# peer (prefix bspeer_, cbapi_) may share the cluster at the same time.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GENCAT="${GENCAT:-$HERE/../../../shared/peers/gencat.py}"
W="${CBSRC_DIR:-/tmp/cbsrc}"
APP="$W/app"
PORT=7022
TOKEN="${CBSRC_TOKEN:-cbsrc-static-token-0123456789abcdef}"
BS_DEFAULTS_VERSION="${BS_DEFAULTS_VERSION:-0.19.0}"
BS_CATALOG_VERSION="${BS_CATALOG_VERSION:-4.0.5}"
PGUSER_BS=cbsrc; PGPASS_BS=cbsrc; DBPREFIX=cbsrc_
say() { echo "[peer.sh $(date +%T)] $*" >&2; }

stop() {
  if [ -f "$W/backend.pid" ]; then
    pid=$(cat "$W/backend.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$W/backend.pid"
  fi
}

case "${1:-}" in
stop) stop; exit 0 ;;
start) N="${2:-40}" ;;
*) echo "usage: $0 start N | stop" >&2; exit 2 ;;
esac
mkdir -p "$APP"

if ! command -v pg_ctlcluster >/dev/null; then
  say "installing postgresql via apt"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
read -r PGVER PGCLUSTER PGPORT PGSTATUS < <(pg_lsclusters -h | awk 'NR==1{print $1,$2,$3,$4}')
if [ "$PGSTATUS" != online ]; then say "starting postgres $PGVER/$PGCLUSTER"; pg_ctlcluster "$PGVER" "$PGCLUSTER" start || true; fi
psql_su() { su postgres -c "psql -p $PGPORT -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ -z "$(psql_su "select 1 from pg_roles where rolname='$PGUSER_BS'")" ]; then
  psql_su "create role $PGUSER_BS login createdb password '$PGPASS_BS'"
fi

cat > "$APP/package.json" <<JSON
{
  "name": "cbsrc-backend",
  "version": "0.0.0",
  "private": true,
  "main": "index.js",
  "dependencies": {
    "@backstage/backend-defaults": "$BS_DEFAULTS_VERSION",
    "@backstage/plugin-catalog-backend": "$BS_CATALOG_VERSION",
    "pg": "^8.11.3"
  }
}
JSON
cat > "$APP/index.js" <<'JS'
const { createBackend } = require('@backstage/backend-defaults');
const backend = createBackend();
const catalog = require('@backstage/plugin-catalog-backend');
backend.add(catalog.default ?? catalog);
backend.start();
JS
want="$BS_DEFAULTS_VERSION/$BS_CATALOG_VERSION"
if [ ! -d "$APP/node_modules" ] || [ "$(cat "$APP/.installed" 2>/dev/null)" != "$want" ]; then
  rm -rf "$APP/node_modules" "$APP/package-lock.json"
  say "npm install (backend-defaults $BS_DEFAULTS_VERSION, catalog-backend $BS_CATALOG_VERSION)"
  (cd "$APP" && nice npm install --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$APP/.installed"
fi
cp "$HERE/oracle.cjs" "$APP/oracle.cjs"

stop
CAT="$W/cat"
rm -rf "$CAT"; python3 "$GENCAT" "$CAT" "$N" >&2
for db in $(psql_su "select datname from pg_database where datname like '${DBPREFIX}%'"); do psql_su "drop database \\\"$db\\\""; done
cat > "$APP/app-config.yaml" <<YAML
backend:
  baseUrl: http://127.0.0.1:$PORT
  listen:
    host: 127.0.0.1
    port: $PORT
  auth:
    externalAccess:
      - type: static
        options:
          token: $TOKEN
          subject: callboard
  database:
    client: pg
    prefix: $DBPREFIX
    connection:
      host: 127.0.0.1
      port: $PGPORT
      user: $PGUSER_BS
      password: $PGPASS_BS
catalog:
  orphanStrategy: delete
  processingInterval: { seconds: ${PROCESSING_INTERVAL_S:-2} }
  rules:
    - allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]
  locations:
    - type: file
      target: $CAT/catalog-info.yaml
      rules:
        - allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]
YAML
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then say "port $PORT is already in use; stop that first"; exit 1; fi
(cd "$APP" && exec env NODE_ENV=production nice node index.js --config app-config.yaml) > "$W/backend.log" 2>&1 &
echo $! > "$W/backend.pid"
# Loaded: N entities, the root Location and the one generated for the
# config entry. The backend takes about 26 minutes for 10,000 on two
# idle cores, so the wait grows with N.
EXPECTED=$((N + 2))
for _ in $(seq $((600 + N / 4))); do
  got=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/catalog/entities/by-query?limit=1" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalItems"])' 2>/dev/null || echo 0)
  [ "$got" -ge "$EXPECTED" ] && break
  sleep 1
done
[ "$got" -ge "$EXPECTED" ] || { say "the backend did not load $EXPECTED entities (has $got); see $W/backend.log"; exit 1; }
echo "http://127.0.0.1:$PORT $TOKEN"
