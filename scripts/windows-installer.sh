#!/usr/bin/env bash
# The Windows installer: build/windows/installer/project.nsi (Wails' NSIS
# project, customised) made with Debian's makensis from the window's and
# the command line's executables (today they may be the same file), with
# the WebView2 bootstrapper Wails v2 carries, which the installer runs when
# WebView2 is missing. Staged in a temporary folder, so the source tree is
# not written to. Reproducible: no file dates are stored, and makensis
# stamps nothing else (two runs give the same SHA-256).
# Usage: VERSION=$(git describe) scripts/windows-installer.sh WINDOW_EXE CLI_EXE OUT.exe
set -euo pipefail
window=$(realpath "$1") cli=$(realpath "$2") out=$(realpath -m "$3")
root=$(cd "$(dirname "$0")/.." && pwd)
: "${VERSION:?scripts/windows-installer.sh needs VERSION}"
export LC_ALL=C.UTF-8 TZ=UTC

# Windows wants four numbers: v1.2.0-3-gabc1234 → 1.2.0.3; a version not
# from a tag → 0.0.0.0.
if [[ $VERSION =~ ^v?([0-9]+)\.([0-9]+)\.([0-9]+)(-([0-9]+)-g)? ]]; then
  numeric=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.${BASH_REMATCH[5]:-0}
else
  numeric=0.0.0.0
fi

wails=$(cd "$root" && go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/windows/installer/tmp" "$(dirname "$out")"
cp "$root/build/windows/icon.ico" "$stage/windows/"
cp "$root/build/windows/installer/project.nsi" "$root/build/windows/installer/wails_tools.nsh" "$stage/windows/installer/"
cp "$wails/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe" "$stage/windows/installer/tmp/"

(cd "$stage/windows/installer" && makensis -V2 -NOCD -INPUTCHARSET UTF8 \
  -DARG_WAILS_AMD64_BINARY="$window" -DARG_CLI_BINARY="$cli" \
  -DVERSION="$VERSION" -DVERSION_NUMERIC="$numeric" -DOUTFILE="$out" project.nsi)
ls -l "$out"
