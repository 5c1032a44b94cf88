#!/usr/bin/env bash
# Generates the glibc locales the e2e test runs the UI under, once: Debian's
# `locales` package, en_US.UTF-8 and de_DE.UTF-8 enabled in /etc/locale.gen,
# locale-gen run only when `locale -a` lacks one. Without root or sudo it
# prints the command to run and fails (scripts/asroot.sh).
# Usage: scripts/locales.sh [LOCALE...]   (default: en_US.UTF-8 de_DE.UTF-8)
set -euo pipefail
want=("$@")
[ ${#want[@]} -gt 0 ] || want=(en_US.UTF-8 de_DE.UTF-8)
here=$(dirname "$0")
. "$here/asroot.sh"
"$here/deps.sh" locales

# `locale -a` spells en_US.UTF-8 as en_US.utf8.
have=$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')
missing=()
for l in "${want[@]}"; do
  norm=$(printf %s "$l" | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')
  grep -qx "$norm" <<<"$have" || missing+=("$l")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# Uncomment (or add) "xx_YY.UTF-8 UTF-8" for each, then generate them all.
edits=""
for l in "${missing[@]}"; do
  edits+="sed -i 's/^# *\\(${l//./\\.} UTF-8\\)\$/\\1/' /etc/locale.gen; grep -qx '${l} UTF-8' /etc/locale.gen || echo '${l} UTF-8' >>/etc/locale.gen; "
done
cmd="${edits}locale-gen"
as_root "generating locales: ${missing[*]}" "The e2e test needs these locales: ${missing[*]}" "$cmd"
