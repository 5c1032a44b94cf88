#!/usr/bin/env bash
# The Windows command line under Debian's wine64, in a throwaway prefix
# (no X display needed): EXE --version, the same as the Linux build's when
# LINUX_BIN is given, and EXE catalog validate on the demo, with the same
# verdict as the Linux build's. Only the command line: the window needs
# WebView2, which Wine does not have.
# Wine 8 (Debian 12) has no bcryptprimitives.dll, without which no Go
# program starts; internal/cmd/prngdll writes a stand-in into the prefix.
# Usage: scripts/windows-check.sh EXE OUTDIR [LINUX_BIN]
set -euo pipefail
[ -f "$1" ] || { echo "windows-check: no $1 (make dist-windows builds it)" >&2; exit 1; }
here=$(dirname "$(realpath "$0")")
root=$(dirname "$here")
exe=$(realpath "$1") out=$(realpath -m "$2") linux=${3:+$(realpath "$3")}
die() { echo "windows-check: $*" >&2; exit 1; }
say() { echo "windows-check: $*"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
mkdir -p "$out"
started=$(ms)

wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
[ -x "$wine" ] || die "no wine64 (make test-windows installs Debian's)"
server=$(dirname "$wine")/wineserver
tmp=$(mktemp -d)
export WINEPREFIX=$tmp/prefix WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko to offer to install, no display to open.
export WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
unset CALLBOARD_HOME
cleanup() {
  timeout -k 5 30 "$server" -k 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

t=$(ms)
# One wineserver for every run: it otherwise quits 3 s after the last
# program ends, and each start after that costs seconds.
mkdir -p "$WINEPREFIX"
"$server" -p
timeout -k 5 180 "$wine" wineboot -i >"$out/wineboot.log" 2>&1 || { cat "$out/wineboot.log" >&2; die "wineboot -i failed"; }
(cd "$root" && go run ./internal/cmd/prngdll "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll") || die "prngdll failed"
say "made a Wine prefix in $(($(ms) - t)) ms"

# run NAME SECONDS ARGS...: EXE ARGS under wine, stdout in OUT/NAME.txt
# without Windows' carriage returns, stderr in OUT/NAME.err.
run() {
  local name=$1 secs=$2 t rc=0
  shift 2
  t=$(ms)
  timeout -k 5 "$secs" "$wine" "$exe" "$@" >"$out/$name.raw" 2>"$out/$name.err" || rc=$?
  tr -d '\r' <"$out/$name.raw" >"$out/$name.txt"
  rm "$out/$name.raw"
  [ $rc -eq 0 ] || { cat "$out/$name.txt" "$out/$name.err" >&2; die "callboard.exe $* exited with $rc"; }
  say "callboard.exe $* took $(($(ms) - t)) ms"
}

run version 60 --version
say "$(head -1 "$out/version.txt")"
if [ -n "$linux" ]; then
  "$linux" --version >"$out/version-linux.txt"
  diff -u "$out/version-linux.txt" "$out/version.txt" >&2 || die "callboard.exe --version differs from $linux --version"
  say "the same version as the Linux build"
fi

run data-dir 60 data-dir
say "its data dir: $(cat "$out/data-dir.txt")"

# The demo through Wine's Z: drive, which is /.
demo='Z:'$(tr / '\\' <<<"$root/demo/repo")
run validate 300 catalog validate "$demo"
summary=$(tail -1 "$out/validate.txt")
say "the demo catalog: $summary"
if [ -n "$linux" ]; then
  want=$(CALLBOARD_HOME=$tmp/linux "$linux" catalog validate "$root/demo/repo" | tail -1)
  [ "$summary" = "$want" ] || die "callboard.exe says '$summary' of the demo, the Linux build '$want'"
fi
say "passed in $(($(ms) - started)) ms"
