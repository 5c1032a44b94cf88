#!/usr/bin/env bash
# Runs a command on a private session bus with GNOME's Secret Service,
# unlocked, in a throwaway home: the OS keyring Callboard keeps plugins'
# secrets in, for a test that sets one as a user does.
# Usage: scripts/with-keyring.sh COMMAND [ARG...]
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (make deps-test installs it)" >&2; exit 2; }
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# The daemon keeps its keyring in the home; an unlocked empty one is made
# from the password on stdin.
HOME=$home XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home dbus-run-session -- \
  sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
