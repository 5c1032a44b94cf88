#!/usr/bin/env bash
# Installs the Debian packages a make target needs, once. Without root or
# sudo it prints the one command to run and fails.
# Usage: scripts/deps.sh PACKAGE...
set -euo pipefail
. "$(dirname "$0")/asroot.sh"
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
# Another build's apt-get may hold apt's locks: wait for them, as one
# `make test` beside another does, rather than fail.
lock_wait="-o DPkg::Lock::Timeout=600"
cmd="apt-get $lock_wait update && DEBIAN_FRONTEND=noninteractive apt-get $lock_wait install -y --no-install-recommends ${missing[*]}"
as_root "installing: ${missing[*]}" "Callboard needs these Debian packages: ${missing[*]}" "$cmd"
