#!/usr/bin/env bash
# Builds the built-in plugins into OUTDIR/<name>/, each with its plugin.json
# (the manifest the host reads: the program's SHA-256, what it serves).
# Usage: scripts/build-plugins.sh OUTDIR VERSION
set -euo pipefail
out=$1 version=$2
cd "$(dirname "$0")/.."
# name  package              extension points
plugins=(
  "git-insights plugins/gitinsights entityContent"
  "ci           plugins/ci          entityContent"
  "kubernetes   plugins/kubernetes  entityContent"
)
for p in "${plugins[@]}"; do
  read -r name pkg points <<<"$p"
  [ -d "$pkg" ] || continue
  dir="$out/$name"
  mkdir -p "$dir"
  go build -trimpath -ldflags "-s -w" -o "$dir/$name" "./$pkg"
  sum=$(sha256sum "$dir/$name" | cut -d' ' -f1)
  printf '{\n  "name": "%s",\n  "version": "%s",\n  "command": "%s",\n  "sha256": "%s",\n  "extensionPoints": ["%s"]\n}\n' \
    "$name" "$version" "$name" "$sum" "${points//,/\", \"}" >"$dir/plugin.json"
done
