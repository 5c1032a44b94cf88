#!/usr/bin/env bash
# Release artefacts of the built executables in OUT: a .deb and an .rpm
# (nfpm, pinned in go.mod) and a portable
# callboard-<version>-linux-amd64.tar.gz, each holding the CLI BIN (which
# carries the built-in plugins) as /usr/bin/callboard, the window as
# /usr/lib/callboard/callboard-window (where the CLI looks for it; the
# tar.gz has both side by side in bin/, where it looks first), the desktop
# entry, the icon in the hicolor sizes, the AppStream metainfo, shell
# completions and the man page (made by the CLI from its own commands).
# Reproducible: every file dates from SOURCE_DATE_EPOCH, archives are
# sorted and owned by root, gzip stores no name or time. Then the desktop
# entry, the metainfo and the .deb are validated.
# PACKAGES picks what to make (default "deb rpm tar"); WINDOW_BIN names the
# window (default: callboard-window beside BIN).
# Usage: SOURCE_DATE_EPOCH=... scripts/dist.sh BIN OUT
set -euo pipefail
packages=${PACKAGES:-deb rpm tar}
bin=$(realpath "$1") out=$2
window=$(realpath "${WINDOW_BIN:-$(dirname "$bin")/callboard-window}")
[ -x "$window" ] || { echo "dist: no window executable $window (make build makes it)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
: "${SOURCE_DATE_EPOCH:?scripts/dist.sh needs SOURCE_DATE_EPOCH}"
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C.UTF-8
umask 022

# The binary says its version. Packages want one that starts with a digit:
# v1.2.0 → 1.2.0, v1.2.0-3-gabc1234 → 1.2.0+3.gabc1234, an untagged commit
# abc1234 → 0.0.0+git20260501.abc1234; a dirty tree adds .dirty.
version=$("$bin" --version | sed -n 1p | cut -d' ' -f2)
if [[ $version =~ ^v?[0-9]+\.[0-9]+ ]]; then
  pkg=$(sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)/+\1.g\2/; s/-dirty$/.dirty/' <<<"$version")
else
  pkg="0.0.0+git$(date -d "@$SOURCE_DATE_EPOCH" +%Y%m%d).${version/-dirty/.dirty}"
fi
day=$(date -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
usr=$stage/usr
mkdir -p "$usr/bin" "$usr/lib/callboard" "$usr/share/applications" "$usr/share/metainfo" "$usr/share/man/man1" \
  "$usr/share/bash-completion/completions" "$usr/share/zsh/vendor-completions" "$usr/share/fish/vendor_completions.d" \
  "$usr/share/doc/callboard" "$usr/share/lintian/overrides"
install -m 0755 "$bin" "$usr/bin/callboard"
install -m 0755 "$window" "$usr/lib/callboard/callboard-window"
install -m 0644 "$root/packaging/linux/lintian-overrides" "$usr/share/lintian/overrides/callboard"
install -m 0644 "$root/packaging/linux/dev.callboard.Callboard.desktop" "$usr/share/applications/"
sed "s/@VERSION@/$pkg/; s/@DATE@/$day/" "$root/packaging/linux/dev.callboard.Callboard.metainfo.xml" \
  >"$usr/share/metainfo/dev.callboard.Callboard.metainfo.xml"
for size in 16 22 24 32 48 64 128 256 512; do
  dir=$usr/share/icons/hicolor/${size}x$size/apps
  mkdir -p "$dir"
  convert "$root/build/appicon.png" -resize "${size}x$size" -strip -define png:exclude-chunks=date,time \
    "PNG32:$dir/dev.callboard.Callboard.png"
done
"$bin" completion bash >"$usr/share/bash-completion/completions/callboard"
"$bin" completion zsh >"$usr/share/zsh/vendor-completions/_callboard"
"$bin" completion fish >"$usr/share/fish/vendor_completions.d/callboard.fish"
"$bin" man | gzip -n -9 >"$usr/share/man/man1/callboard.1.gz"
{
  printf 'Callboard %s\nhttps://github.com/callboard/callboard\n\n' "$pkg"
  (cd "$root" && go run ./internal/licenses -tags "webkit2_41 embedui" -text /dev/stdout -common /usr/share/common-licenses)
} >"$usr/share/doc/callboard/copyright"
printf 'callboard (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- The Callboard developers <callboard@callboard.dev>  %s\n' \
  "$pkg" "$version" "$(date -R -d "@$SOURCE_DATE_EPOCH")" | gzip -n -9 >"$usr/share/doc/callboard/changelog.gz"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
rm -f "$out"/callboard_*.deb "$out"/callboard-*.rpm "$out"/callboard-*-linux-amd64.tar.gz
nfpm=$(cd "$root" && go tool -n nfpm)
for packager in deb rpm; do
  [[ " $packages " == *" $packager "* ]] || continue
  (cd "$stage" && PKG_VERSION=$pkg "$nfpm" package --config "$root/packaging/linux/nfpm.yaml" --packager "$packager" --target "$(realpath "$out")/")
done
# The tar.gz: the /usr tree, but the window beside the CLI in bin/ (so a
# user who puts bin/ on the PATH, or copies bin/, has both) and no lintian.
if [[ " $packages " == *" tar "* ]]; then
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$usr" --exclude ./lib --exclude ./share/lintian --transform "s,^\.,callboard-$pkg," -cf - . \
    -C "$usr/lib/callboard" --transform "s,^callboard-window\$,callboard-$pkg/bin/callboard-window," callboard-window |
    gzip -n -9 >"$out/callboard-$pkg-linux-amd64.tar.gz"
fi

# What the desktop and the package tools would complain of.
desktop-file-validate "$usr/share/applications/dev.callboard.Callboard.desktop"
appstreamcli validate --no-net "$usr/share/metainfo/dev.callboard.Callboard.metainfo.xml"
if [[ " $packages " == *" deb "* ]]; then
  lintian --fail-on error "$out"/callboard_*.deb
fi
ls -l "$out"
