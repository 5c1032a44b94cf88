# Sourced by the scripts that change the system (deps.sh, locales.sh).
# as_root DOING NEED CMD runs the sh command line CMD as root, through sudo
# when not root, saying "DOING: …" first; with neither it prints NEED and
# the one command to run, and exits 2.
as_root() {
  local doing=$1 need=$2 cmd=$3
  if [ "$(id -u)" -eq 0 ]; then
    echo "$doing"
    sh -c "$cmd"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "${doing%%:*} with sudo:${doing#*:}"
    sudo sh -c "$cmd"
  else
    echo "$need" >&2
    echo "Run this once, then try again:" >&2
    echo "  sudo sh -c \"$cmd\"" >&2
    exit 2
  fi
}
