#!/usr/bin/env bash
# Installs the Debian packages a make target needs, once. Without root or
# sudo it prints the one command to run and fails.
# Usage: scripts/deps.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}"
  sh -c "$cmd"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "installing with sudo: ${missing[*]}"
  sudo sh -c "$cmd"
else
  echo "Callboard needs these Debian packages: ${missing[*]}" >&2
  echo "Run this once, then try again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 2
fi
