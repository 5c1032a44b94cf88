# shellcheck shell=bash
# Helpers for scripts/desktop-smoke.sh: drive the Callboard window under Xvfb
# with xdotool the way a user would (keyboard first), and judge it from
# screenshots. Sourced; expects $out (screenshots), $log (the app's log) and
# $win (the window's X id) once the window is up.

# The fewest colours a drawn page has: text, icons and the sidebar give
# thousands; a white (or any one-colour) window has one or two.
MIN_COLOURS=${MIN_COLOURS:-256}
# Pixels that may differ between two shots of "the same" screen: a blinking
# caret or a spinner's few pixels.
STILL_PIXELS=${STILL_PIXELS:-400}

say() { echo "desktop: [$SECONDS s] $*"; }

# die MESSAGE: the end of the app's log, then MESSAGE, exit 1.
die() {
  if [ -s "${log:-}" ]; then
    echo "--- last lines of $log"
    tail -n 40 "$log"
    echo "---"
  fi
  echo "desktop: FAIL: $*" >&2
  exit 1
}

# colours FILE: how many colours the page area has — the window but its
# sidebar (CROP, set once the window is up), so a page that lost its
# content counts as blank even while the sidebar still draws.
colours() { convert "$1" ${CROP:+-crop "$CROP" +repage} -format '%k' info:; }

# differ A B: how many pixels differ between two screenshots (ignoring tiny
# colour differences).
differ() {
  local n
  n=$(compare -fuzz 3% -metric AE "$1" "$2" null: 2>&1 || true)
  n=${n%% *}
  case "$n" in '' | *[!0-9.e+]*) echo 99999999 ;; *) printf '%.0f\n' "$n" ;; esac
}

grab() { import -window root "$1" 2>/dev/null; }

# settle NAME [SECONDS] [NOT_LIKE] [STILL]: screenshot into $out/NAME.png once the
# screen has stopped changing (two shots in a row alike), and fail naming
# NAME when it is blank — fewer than MIN_COLOURS colours. With NOT_LIKE (a
# screenshot) it also waits for the screen to differ from that picture, and
# fails if it never does: the key or click that should have changed the
# page did not. STILL (default 1) is how many alike pairs in a row count as
# drawn: more for pages whose parts arrive late (plugin cards). Polls every
# ~0.3 s; no blind sleeps. A page that keeps moving (an animation) is taken
# as it is at the deadline.
settle() {
  local name=$1 secs=${2:-20} unlike=${3:-} need=${4:-1} file="$out/$1.png" prev="$out/.prev.png"
  local deadline=$((SECONDS + secs)) n=0 c=0 moved=1 still=0
  [ -n "$unlike" ] && moved=0
  rm -f "$prev"
  while :; do
    grab "$file"
    n=$((n + 1))
    if [ "$moved" = 0 ] && [ "$(differ "$file" "$unlike")" -gt "$STILL_PIXELS" ]; then moved=1; fi
    if [ -f "$prev" ] && [ "$(differ "$file" "$prev")" -le "$STILL_PIXELS" ]; then still=$((still + 1)); else still=0; fi
    # Colours are counted (the slow part) only once the screen holds still.
    if [ "$moved" = 1 ] && [ "$still" -ge "$need" ]; then
      c=$(colours "$file")
      [ "$c" -gt "$MIN_COLOURS" ] && break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      c=$(colours "$file")
      break
    fi
    cp "$file" "$prev"
    sleep 0.2
  done
  rm -f "$prev"
  say "$name.png: $c colours after $n shots"
  [ "$c" -gt "$MIN_COLOURS" ] || die "the $name page looks blank or half drawn ($c colours in $file, want more than $MIN_COLOURS)"
  [ "$moved" = 1 ] || die "the $name page: the screen did not change from $(basename "$unlike") ($file)"
  local bad
  bad=$(unexpected_errors)
  if [ -n "$bad" ]; then
    printf '%s\n' "$bad" | cut -c1-600
    die "frontend errors by the time of $name.png (above)"
  fi
}

# changes_within SECONDS PICTURE: true once the screen differs from
# PICTURE, false if it still does not after SECONDS.
changes_within() {
  local deadline=$((SECONDS + $1)) shot="$out/.changes.png"
  while :; do
    grab "$shot"
    if [ "$(differ "$shot" "$2")" -gt "$STILL_PIXELS" ]; then rm -f "$shot"; return 0; fi
    [ "$SECONDS" -ge "$deadline" ] && { rm -f "$shot"; return 1; }
    sleep 0.2
  done
}

# focus_window ID: give an X window the keyboard (there is no window
# manager under Xvfb, so focus is set directly).
focus_window() { xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowfocus "$1"; }

# anchor: a click on the sidebar's brand ("Callboard", top left), which
# does nothing but give the web view the keyboard and start the Tab order
# at the top of the page: sidebar (Home, Catalog, Create, Docs, Search,
# Locations, Settings, the theme switch: 8 stops), then the page. Keys
# reach the web view only after a click in it (focusing the X window is
# not enough for WebKitGTK).
anchor() {
  focus_window "$win"
  xdotool mousemove --window "$win" 93 30 click 1
  sleep 0.2
}

# tabs N: N presses of Tab.
tabs() {
  local k=() i
  for ((i = 0; i < $1; i++)); do k+=(Tab); done
  keys "${k[@]}"
}

# keys KEY...: key presses into the focused window (XTEST, as a keyboard).
keys() { xdotool key --clearmodifiers --delay 80 "$@"; }

# typetext TEXT [MS]: types TEXT into the focused field, MS (40) apart.
typetext() { xdotool type --clearmodifiers --delay "${2:-40}" -- "$1"; }

# palette QUERY NAME: Ctrl+K (the window's own shortcut: this is how a
# user moves around), type QUERY, wait for the hits (shot palette-NAME),
# Enter; then settle NAME, the page Enter went to.
palette() {
  local query=$1 name=$2 tmpshot="$out/.palette.png" attempt
  # On a loaded machine the click that gives the web view the keyboard can
  # land after Ctrl+K: a screen still unchanged after 15 s is asked again.
  for attempt in 1 2 3; do
    anchor
    grab "$tmpshot"
    keys ctrl+k
    changes_within 15 "$tmpshot" && break
    say "Ctrl+K changed nothing in 15 s (attempt $attempt of 3)"
  done
  settle .palette-open 10 "$tmpshot" 2
  typetext "$query"
  # The hits arrive asynchronously and reset the selection to the best one.
  settle "palette-$name" 10 "$out/.palette-open.png" 2
  keys Return
  settle "$name" 25 "$out/palette-$name.png"
  rm -f "$tmpshot" "$out/.palette-open.png"
}

# frontend_errors: the app's "frontend error" log lines.
frontend_errors() { grep -a 'msg="frontend error"' "$log" || true; }

# unexpected_errors: those lines but the bad-chart card's boundary line,
# which the test plugin causes on purpose.
unexpected_errors() { frontend_errors | grep -av 'kind=boundary.*bad-chart' || true; }
