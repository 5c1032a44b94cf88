#!/usr/bin/env bash
# The .deb as a user gets it: built from BIN and the window beside it
# (WINDOW_BIN) by scripts/dist.sh (which also validates it), installed with
# apt-get, run from /usr/bin and /usr/lib/callboard — their versions, the
# demo catalog validated, the three built-in plugins started from
# /usr/bin/callboard by the CLI and by the window, then the desktop smoke
# test of /usr/bin/callboard (scripts/desktop-smoke.sh: the window under
# Xvfb, a callboard:// link opened with xdg-open through the package's
# desktop entry) — then removed, which must leave the data dir alone.
# Changes the system: needs root (CI runs as root) or sudo.
# Usage: scripts/dist-check.sh BIN OUTDIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
root=$(dirname "$here")
bin=$(realpath "$1") out=$(realpath -m "$2")
mkdir -p "$out"
. "$here/asroot.sh"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}
die() { echo "dist-check: $*" >&2; exit 1; }
say() { echo "dist-check: $*"; }
started=$SECONDS

PACKAGES=deb "$here/dist.sh" "$bin" "$out" >"$out.log" 2>&1 || { cat "$out.log" >&2; die "scripts/dist.sh failed"; }
deb=$(ls "$out"/callboard_*.deb)
say "built and validated $(basename "$deb") ($(du -h "$deb" | cut -f1)) in $((SECONDS - started)) s"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One machine has one /usr/bin/callboard: two checks at once (two clones'
# make test) would install and remove it under each other.
# What starts the app closes fd 9 (9>&-), so no process it leaves behind
# holds the lock.
exec 9>"${TMPDIR:-/tmp}/callboard-dist-check.lock"
flock 9
as_root "removing: an installed callboard" "" "dpkg -s callboard >/dev/null 2>&1 && apt-get -o DPkg::Lock::Timeout=600 remove -y callboard >/dev/null || true"
t=$SECONDS
as_root "installing: $deb" "Installing the package needs root." "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends '$deb'" >"$out/install.log" 2>&1 ||
  { cat "$out/install.log" >&2; die "apt-get install failed"; }
say "installed in $((SECONDS - t)) s"
[ "$(command -v callboard)" = /usr/bin/callboard ] || die "callboard is not /usr/bin/callboard on PATH"

want=$("$bin" --version | sed -n 1p)
got=$(/usr/bin/callboard --version | sed -n 1p)
[ "$got" = "$want" ] || die "/usr/bin/callboard --version says '$got', want '$want'"
window=/usr/lib/callboard/callboard-window
[ -x "$window" ] || die "no $window"
got=$("$window" --version | sed -n 1p)
[ "$got" = "$want" ] || die "$window --version says '$got', want '$want'"
say "$got, CLI and window"

export CALLBOARD_HOME=$tmp/data
[ "$(/usr/bin/callboard data-dir)" = "$CALLBOARD_HOME" ] || die "callboard data-dir does not print \$CALLBOARD_HOME"
/usr/bin/callboard catalog validate "$root/demo/repo" >"$out/validate.log" 2>&1 ||
  { cat "$out/validate.log" >&2; die "catalog validate on the demo failed"; }
say "the demo catalog is valid: $(tail -1 "$out/validate.log")"

# The CLI starts the plugins from itself; the window has none of its own
# and must find /usr/bin/callboard for them.
for exe in /usr/bin/callboard "$window"; do
  "$exe" plugins list --json >"$out/plugins.json" 2>"$out/plugins.log" 9>&- ||
    { cat "$out/plugins.log" >&2; die "$exe plugins list failed"; }
  for p in ci git-insights kubernetes; do
    python3 - "$out/plugins.json" "$p" <<'PY' || die "$exe: the built-in plugin $p is not running: $(cat "$out/plugins.json" "$out/plugins.log")"
import json, sys
plugins = {p["name"]: p for p in json.load(open(sys.argv[1]))["plugins"]}
p = plugins.get(sys.argv[2])
sys.exit(0 if p and p["builtIn"] and p["state"] == "running" else 1)
PY
  done
done
say "the built-in plugins run from /usr/bin/callboard, for the CLI and the window"
[ -d "$CALLBOARD_HOME/store" ] || die "no store in the data dir $CALLBOARD_HOME"

# The window from the package, as its menu entry and callboard:// links
# start it; the smoke test keeps a data dir of its own.
t=$SECONDS
"$here/desktop-smoke.sh" /usr/bin/callboard "$out/desktop" >"$out/desktop.log" 2>&1 9>&- ||
  { cat "$out/desktop.log" >&2; die "the desktop smoke test of /usr/bin/callboard failed (screenshots in $out/desktop)"; }
say "the desktop smoke test passed from /usr/bin/callboard in $((SECONDS - t)) s: $(grep -a 'callboard:// is' "$out/desktop.log" | sed 's/^desktop: \[[0-9]* s\] //')"

as_root "removing: callboard" "" "apt-get -o DPkg::Lock::Timeout=600 remove -y callboard" >"$out/remove.log" 2>&1 ||
  { cat "$out/remove.log" >&2; die "apt-get remove failed"; }
[ ! -e /usr/bin/callboard ] && [ ! -e "$window" ] || die "/usr/bin/callboard or $window is still there after apt-get remove"
[ -d "$CALLBOARD_HOME/store" ] || die "apt-get remove took the data dir $CALLBOARD_HOME with it"
say "removed; the data dir stays. All in $((SECONDS - started)) s"
