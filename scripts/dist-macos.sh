#!/usr/bin/env bash
# Callboard.app from the window's and the command line's executables
# (today they may be the same file), and a zip of it for downloading:
#   Callboard.app/Contents/Info.plist        build/darwin/Info.plist, versions filled
#   Callboard.app/Contents/MacOS/callboard-window   the window (CFBundleExecutable)
#   Callboard.app/Contents/MacOS/callboard   the command line, to link onto PATH
#   Callboard.app/Contents/Resources/Callboard.icns
# Signed ad hoc (no developer identity here), so it runs on the machine
# that built it; a downloaded copy needs Gatekeeper's "Open" once.
# macOS only: ditto, codesign and plutil are Apple's.
# Usage: VERSION=$(git describe) scripts/dist-macos.sh WINDOW_EXE CLI_EXE OUTDIR
set -euo pipefail
window=$(realpath "$1") cli=$(realpath "$2") out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
: "${VERSION:?scripts/dist-macos.sh needs VERSION}"
[ "$(uname -s)" = Darwin ] || { echo "dist-macos: Callboard.app is made on macOS only" >&2; exit 1; }

# Bundle versions are up to three numbers: v1.2.0-3-gabc1234 → 1.2.0; a
# version not from a tag → 0.0.0.
if [[ $VERSION =~ ^v?([0-9]+\.[0-9]+\.[0-9]+) ]]; then short=${BASH_REMATCH[1]}; else short=0.0.0; fi
arch=$(uname -m)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
app=$stage/Callboard.app
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
sed "s/@VERSION@/$short/g; s/@DESCRIBE@/$VERSION/g" "$root/build/darwin/Info.plist" >"$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"
install -m 0755 "$window" "$app/Contents/MacOS/callboard-window"
install -m 0755 "$cli" "$app/Contents/MacOS/callboard"
install -m 0644 "$root/build/darwin/Callboard.icns" "$app/Contents/Resources/"
printf 'APPL????' >"$app/Contents/PkgInfo"
codesign --force --sign - "$app/Contents/MacOS/callboard"
codesign --force --sign - "$app"
codesign --verify --strict "$app"

mkdir -p "$out"
rm -rf "$out/Callboard.app"
ditto "$app" "$out/Callboard.app"
zip=$out/callboard-$VERSION-darwin-$arch.zip
rm -f "$zip"
ditto -c -k --keepParent "$app" "$zip"
ls -l "$zip"
