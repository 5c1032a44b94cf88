#!/usr/bin/env bash
# Installs the test plugin "bad-chart" into a data dir: a card on every
# Component whose chart the window cannot draw, so the browser e2e and the
# desktop smoke test can prove one failing card leaves the rest working; its
# scaffolder action (bad-chart:greet) shows on the installed actions page.
# Usage: scripts/install-test-plugin.sh DATA_DIR
set -euo pipefail
data=$(realpath -m "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$data/plugins/bad-chart"
mkdir -p "$dir"
(cd "$root" && go build -o "$dir/plugin" ./plugins/host/testdata/misbehave)
sum=$(sha256sum "$dir/plugin" | cut -d' ' -f1)
cat >"$dir/plugin.json" <<JSON
{"name": "bad-chart", "version": "0.0.1", "description": "Test plugin: a chart too big to draw",
 "command": "plugin", "args": ["bad-chart"], "sha256": "$sum", "extensionPoints": ["entityContent", "actions"]}
JSON
echo "installed the test plugin bad-chart into $dir"
