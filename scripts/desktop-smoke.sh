#!/usr/bin/env bash
# Desktop smoke test: the real binary in its real window under Xvfb, with a
# fresh data dir and LANG=C.UTF-8 (WebKit then says navigator.language is
# "C"), driven with xdotool as a user drives it — the keyboard first, the
# window's own shortcuts. Every page it visits is screenshotted into OUTDIR
# and must not be blank; a "frontend error" in the app's log fails it (but
# the one the bad-chart test plugin causes on purpose). It also drives what
# only the window has: the GTK folder picker, the opener (editor, file
# manager, terminal: stand-ins record how they were started), the
# single-instance hand-over, callboard:// links (callboard LINK and
# xdg-open, through the package's own desktop entry when BINARY is
# /usr/bin/callboard) taking the window to their page; then stops the app
# with SIGTERM, which must leave the window's place in the data dir. The
# update check is off, so the test never reaches the network. BINARY is
# the callboard CLI, started as a user starts it (no subcommand): it hands
# over to callboard-window, whose built-in plugins must run from the CLI,
# without GTK.
# Usage: scripts/desktop-smoke.sh BINARY OUTDIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
root=$(dirname "$here")
bin=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out"
rm -f "$out"/*.png "$out"/.*.png
tmp=$(mktemp -d); data="$tmp/data"; log="$out/app.log"
# shellcheck source=desktop/lib.sh
. "$here/desktop/lib.sh"
started=$SECONDS

# Our own X server, on a display it picks free (another test may hold one),
# without key auto-repeat: on a loaded machine xdotool's release can come
# late enough for a repeat ("booking serviccce").
Xvfb -displayfd 3 -screen 0 1280x820x24 -nolisten tcp -r -ardelay 30000 3>"$tmp/display" >"$out/xvfb.log" 2>&1 &
xvfb=$!
# On failure the app is stopped before its X server: an app that loses
# its display dies without stopping its plugins, which then run on.
cleanup() {
  if [ -n "${app:-}" ] && kill -TERM "$app" 2>/dev/null; then
    for _ in $(seq 40); do kill -0 "$app" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$app" 2>/dev/null || true
  fi
  kill "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { cat "$out/xvfb.log"; die "Xvfb did not start"; }
export DISPLAY=":$(head -1 "$tmp/display")"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

# The opener's programs, first on the app's PATH: they record, not open.
mkdir -p "$tmp/bin" "$tmp/xdg-data"
for name in code xdg-open x-terminal-emulator; do ln -s "$here/desktop/stand-in" "$tmp/bin/$name"; done
opened="$tmp/opened.txt"; : >"$opened"

# The test plugin whose chart throws (from the main branch's
# scripts/install-test-plugin.sh, when this branch has it).
bad_chart=0
mkdir -p "$data"
if [ -x "$root/scripts/install-test-plugin.sh" ]; then
  "$root/scripts/install-test-plugin.sh" "$data" >"$out/install-test-plugin.log" 2>&1 || { cat "$out/install-test-plugin.log"; die "install-test-plugin.sh failed"; }
  bad_chart=1
else
  say "no scripts/install-test-plugin.sh here: the bad-chart card is not checked"
fi

# The update check off in this data dir: a build stamped as a release
# would read api.github.com ~10 s after the start. No command sets it, so
# a serve on a loopback port of its own takes the setting, then stops.
"$bin" serve --data-dir "$data" --addr 127.0.0.1:0 >"$out/serve-settings.log" 2>&1 &
serve=$!
url=""
for _ in $(seq 120); do
  url=$(sed -n 's|^Callboard .* is serving \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$out/serve-settings.log")
  [ -n "$url" ] && break
  kill -0 "$serve" 2>/dev/null || { cat "$out/serve-settings.log"; die "callboard serve exited before it served"; }
  sleep 0.25
done
[ -n "$url" ] || { kill "$serve"; cat "$out/serve-settings.log"; die "callboard serve did not serve in 30 s"; }
curl -fsS --max-time 30 -X PATCH -H 'Content-Type: application/json' -d '{"updateCheck":false}' \
  "${url}api/v1/settings" >"$out/settings.json" || { kill "$serve"; die "PATCH ${url}api/v1/settings failed"; }
grep -q '"updateCheck":false' "$out/settings.json" || { kill "$serve"; cat "$out/settings.json"; die "the update check is still on"; }
kill -TERM "$serve"
wait "$serve" || die "callboard serve exited with $? on SIGTERM"
say "the update check is off in $data"

# LANG=C.UTF-8 with LC_ALL and LANGUAGE unset: the locale that blanked
# every component page once (SMOKE_LANG tries another). GTK's recent
# files go to a scratch dir, its settings (the file chooser's) nowhere.
env -u LC_ALL -u LANGUAGE LANG="${SMOKE_LANG:-C.UTF-8}" PATH="$tmp/bin:$PATH" XDG_DATA_HOME="$tmp/xdg-data" GSETTINGS_BACKEND=memory \
  CALLBOARD_SMOKE_OPENED="$opened" "$bin" --data-dir "$data" >"$log" 2>&1 &
app=$!
win=""
for _ in $(seq 120); do
  for w in $(xdotool search --onlyvisible --name '^Callboard$' 2>/dev/null || true); do win=$w; done
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || die "callboard exited before showing a window"
  sleep 0.5
done
[ -n "$win" ] || die "no Callboard window after 60 s"
eval "$(xdotool getwindowgeometry --shell "$win")"
# Colours are counted right of the sidebar (224 px wide at this size).
CROP="$((WIDTH - 240))x${HEIGHT}+$((X + 240))+${Y}"
say "window $win is up: ${WIDTH}x${HEIGHT}+${X}+${Y}"

# The first screen (Home), drawn.
settle window 40

# The CLI talks to the running window's instance over its socket; the
# demo's first sync may still be under way on a loaded machine.
for _ in $(seq 120); do
  "$bin" catalog list --kind component --data-dir "$data" >"$out/catalog.txt"
  [ "$(grep -c '^component:' "$out/catalog.txt")" -ge 20 ] && break
  sleep 0.5
done
[ "$(grep -c '^component:' "$out/catalog.txt")" -ge 20 ] || { cat "$out/catalog.txt"; die "the CLI saw too few components in 60 s"; }

# The sidebar's Tab stops: the notification bell beside the brand, its
# nine pages, the built-in Tech Radar plugin's page (there once the plugin
# described itself, long before the forms below), Settings and the theme
# switch. Pages with forms are still walked by Tab from there.
sidebar=13

# --- A component page, its docs and graph -------------------------------
# "booking service" finds the component and its docs page; Enter opens the
# best hit, the entity page on one tab or the other. The palette names the
# tabs of the entity on screen ("graph tab"), as it names pages: no count
# of Tab stops to redo each time the page gains a button.
palette "booking service" booking-service
palette "overview tab" component-overview
# Plugin cards arrive after the page: each plugin starts on first use
# (seconds on a loaded machine). Once all have started, the page counts
# as drawn after ~1 s without change.
plugins=(git-insights ci kubernetes)
[ "$bad_chart" = 1 ] && plugins+=(bad-chart)
for p in "${plugins[@]}"; do
  for _ in $(seq 120); do grep -aq "msg=\"plugin started\".* plugin=$p " "$log" && break; sleep 0.25; done
  grep -aq "msg=\"plugin started\".* plugin=$p " "$log" || die "the component page: plugin $p did not start in 30 s"
done
# The CLI became the window (exec: the same process), and the window's
# built-in plugins are CLI processes that load no GTK.
[ "$(basename "$(readlink "/proc/$app/exe")")" = callboard-window ] || die "the app runs $(readlink "/proc/$app/exe"), not callboard-window"
served=0
for child in $(pgrep -P "$app" || true); do
  grep -qa plugin-serve "/proc/$child/cmdline" 2>/dev/null || continue
  ! grep -q libgtk "/proc/$child/maps" 2>/dev/null || die "plugin process $child ($(tr '\0' ' ' <"/proc/$child/cmdline")) loaded GTK"
  served=$((served + 1))
done
[ "$served" -ge 3 ] || die "$served built-in plugin processes under the window, want 3"
say "the window runs $served built-in plugins from the CLI, without GTK"
settle component 30 "" 4
if [ "$bad_chart" = 1 ]; then
  for _ in $(seq 60); do frontend_errors | grep -aq 'kind=boundary.*bad-chart' && break; sleep 0.25; done
  lines=$(frontend_errors)
  want=$(grep -ac 'kind=boundary.*bad-chart' <<<"$lines" || true)
  all=$(grep -ac . <<<"$lines" || true)
  if [ "$want" != 1 ] || [ "$all" != 1 ]; then
    printf '%s\n' "$lines" | cut -c1-600
    die "the component page: want exactly one frontend error, the bad-chart card's boundary; got $all ($want of them bad-chart's)"
  fi
  say "the bad-chart card failed alone, as it should: ${lines:0:300}…"
fi
# The cards below the fold (Commit activity's chart, Kubernetes, …): the
# wheel over the page, which scrolls its pane wherever the focus is (the
# palette leaves it on the page's body, where End scrolls nothing).
xdotool mousemove --window "$win" 740 500 click --repeat 12 --delay 60 5
settle component-cards 15 "$out/component.png" 2
palette "docs tab" component-docs
palette "graph tab" component-graph

# --- Catalog (by name in the palette) and "/" ----------------------------
palette catalog catalog
keys slash
# Typed at a human pace: at 40 ms a key the filter loses letters (the URL
# catching up overwrites the field; seen as "bookng").
typetext "booking" 150
settle catalog-filtered 15 "$out/catalog.png"

# --- Settings ------------------------------------------------------------
palette settings settings

# --- Create: a template through its form, the folder picker, the run -----
# Sidebar Create is the 4th stop (after the bell, Home and Catalog). On
# Create, "/" is the search box; after it Type, Tag and Owner, then the
# cards grouped by type: the search leaves static-website alone, the stop
# after Owner.
# The template cards must be there before "/" (it focuses their search
# box): drawn, the page has ~1400 colours; a CI run took a 536-colour
# Create page for drawn and typed into it.
anchor; tabs 4; keys Return
MIN_COLOURS=900 settle create 30 "$out/settings.png" 2
anchor; keys slash
typetext "static" 150
tabs 4; keys Return
settle create-form 20 "$out/create.png"
# Page 1: after the sidebar and "All templates": Name, Title,
# Description, Owner; Enter picks the owner, the next Enter is Next.
site=smoke-site
anchor; tabs $((sidebar + 2))
typetext "$site"; keys Tab
typetext "Smoke site"; keys Tab
typetext "Made by the desktop smoke test"; keys Tab
typetext "team-gangway"
settle create-form-filled 15 "$out/create-form.png" 2
keys Return Return
settle create-where 15 "$out/create-form-filled.png"
# Page 2 (focus on its heading): the where-to radios, Right picks "Local
# folder only", then the folder field and its Choose… button.
keys Tab Right Tab Tab
settle create-where-local 10 "$out/create-where.png"
keys Return
picker=""
for _ in $(seq 40); do
  picker=$(xdotool search --onlyvisible --name '^Where to create the repository$' 2>/dev/null | head -1 || true)
  [ -n "$picker" ] && break
  sleep 0.25
done
[ -n "$picker" ] || die "Choose… opened no folder dialog"
grab "$out/folder-picker.png"
say "folder dialog $picker is up"
# GTK's chooser opens on Recent, where a typed location is not taken:
# Alt+Home goes to a folder first; Ctrl+L, the path, Enter chooses it.
parent="$tmp/projects"; mkdir -p "$parent"
focus_window "$picker"
keys alt+Home ctrl+l
typetext "$parent"
keys Return
for _ in $(seq 40); do
  xdotool search --onlyvisible --name '^Where to create the repository$' >/dev/null 2>&1 || { picker=""; break; }
  sleep 0.25
done
[ -z "$picker" ] || { grab "$out/folder-picker-stuck.png"; die "the folder dialog did not close on Enter (folder-picker-stuck.png)"; }
focus_window "$win"
settle create-where-picked 10 "$out/create-where-local.png"
# Focus is back on Choose…: the folder name next, Enter to the review.
keys Tab
typetext "$site"
keys Return
settle create-review 15 "$out/create-where-picked.png"
# Review (focus on its heading): an Edit button for each of the six
# values, Back, Dry run, Create (9th).
tabs 9; keys Return
project="$parent/$site"
for _ in $(seq 120); do
  git -C "$project" log --oneline >/dev/null 2>&1 && break
  sleep 0.25
done
git -C "$project" log --oneline >"$out/project-log.txt" 2>&1 || die "no git repository at $project: the chosen folder did not reach the scaffold run ($out/create-run.png)"
# The run page's buttons come when the run has ended, which on a loaded
# machine can be well after its commit and a still screen.
for _ in $(seq 240); do
  grep -aq "template run ended" "$log" && break
  sleep 0.25
done
grep -aq "template run ended" "$log" || die "the template run did not end within 60 s of its commit"
settle create-run 30 "$out/create-review.png" 2
say "the run made $project: $(cat "$out/project-log.txt")"

# --- Open in editor / folder / terminal (the run page's buttons) -----------
# After the sidebar: Start over with these values, Create another, Open
# in editor, Open folder, Open terminal here.
want_opened() {
  local pattern=$1 what=$2
  for _ in $(seq 40); do grep -q -- "$pattern" "$opened" && return 0; sleep 0.25; done
  cat "$opened"
  die "$what: no stand-in started as $pattern"
}
# A loaded machine can take the Tabs before the anchoring click: a press
# that started nothing and logged no opening is tried again.
for attempt in 1 2 3; do
  anchor; tabs $((sidebar + 3)); keys Return
  for _ in $(seq 40); do grep -q . "$opened" && break; sleep 0.25; done
  grep -q . "$opened" || grep -aq "msg=opened" "$log" && break
  grab "$out/open-in-editor-$attempt.png"
  say "Open in editor started nothing in 10 s (attempt $attempt of 3, open-in-editor-$attempt.png)"
done
want_opened "^code $project	cwd=$project\$" "Open in editor"
keys Tab Return
want_opened "^xdg-open $project	cwd=$project\$" "Open folder"
keys Tab Return
want_opened "^x-terminal-emulator	cwd=$project\$" "Open terminal here"
say "the opener started: $(tr '\n\t' '; ' <"$opened")"

# --- The single-instance hand-over, and the window after it -----------------
"$bin" --data-dir "$data" >"$out/second.log" 2>&1 || { cat "$out/second.log"; die "the second start failed"; }
grep -q "brought its window to the front" "$out/second.log" || { cat "$out/second.log"; die "the second start did not hand over to the window"; }
# Still answering the keyboard: Ctrl+K opens the palette, Escape closes it
# (the shots before and after alike).
anchor
settle after-handover 10
keys ctrl+k
settle after-handover-palette 10 "$out/after-handover.png" 2
keys Escape
settle after-handover-escape 10 "$out/after-handover-palette.png"
d=$(differ "$out/after-handover-escape.png" "$out/after-handover.png")
[ "$d" -le "$STILL_PIXELS" ] || die "Escape did not close the palette: after-handover-escape.png differs from after-handover.png in $d pixels"

# --- callboard:// links, handed to the window -------------------------------
# The window names itself after its page ("booking-service — Callboard"):
# its title says where a link took it.
want_title() {
  local title=$1 what=$2 now=""
  for _ in $(seq 80); do
    now=$(xdotool getwindowname "$win" 2>/dev/null || true)
    [ "$now" = "$title" ] && return 0
    sleep 0.25
  done
  # What the window logged of the routes it was asked for, and the
  # second start's own answer, say which side lost the link.
  grep -E 'component=desktop.*route=' "$log" | tail -5 || true
  [ -z "${3:-}" ] || cat "$3"
  die "$what: the window's title is \"$now\" after 20 s, not \"$title\""
}
# As a desktop entry's Exec=callboard %u runs it: callboard LINK.
"$bin" --data-dir "$data" callboard://entity/component:default/fare-engine >"$out/open.log" 2>&1 || { cat "$out/open.log"; die "callboard LINK failed"; }
grep -q "its window went to callboard://entity/component:default/fare-engine" "$out/open.log" || { cat "$out/open.log"; die "callboard LINK did not hand the link to the window"; }
want_title "fare-engine — Callboard" "callboard LINK" "$out/open.log"
settle link-entity 20 "$out/after-handover-escape.png"
# Through xdg-open. For the installed package (BINARY /usr/bin/callboard)
# its own entry, as the package's triggers registered it in
# /usr/share/applications: Exec=callboard %u, which knows the data dir
# only from CALLBOARD_HOME, inherited through xdg-open. For any other
# binary an entry for it in a throwaway XDG_DATA_HOME. Either way in a
# throwaway HOME, XDG_CONFIG_HOME and no desktop session, so that xdg-open
# asks xdg-mime, not a desktop's own opener.
if command -v xdg-open >/dev/null && command -v xdg-mime >/dev/null; then
  xdg="$tmp/xdg-link"; mkdir -p "$xdg/home" "$xdg/data/applications" "$xdg/config"
  x() { env -u XDG_CURRENT_DESKTOP -u DESKTOP_SESSION HOME="$xdg/home" XDG_DATA_HOME="$xdg/data" XDG_CONFIG_HOME="$xdg/config" CALLBOARD_HOME="$data" "$@"; }
  if [ "$bin" = /usr/bin/callboard ]; then
    entry=dev.callboard.Callboard.desktop
    [ -f "/usr/share/applications/$entry" ] || die "the package installed no /usr/share/applications/$entry"
    default=$(x xdg-mime query default x-scheme-handler/callboard || true)
    if [ "$default" = "$entry" ]; then
      say "the system's default for callboard:// is the package's $entry"
    else
      # Without desktop-file-utils (no mimeinfo.cache) or with another
      # default for the scheme in /etc/xdg, the user picks the entry.
      say "the system's default for callboard:// is \"$default\", not $entry: registering it for this HOME"
      x xdg-mime default "$entry" x-scheme-handler/callboard
    fi
  else
    entry=callboard-smoke.desktop
    sed -e "s|^Exec=.*|Exec=$bin --data-dir $data %u|" "$root/packaging/linux/dev.callboard.Callboard.desktop" >"$xdg/data/applications/$entry"
    x xdg-mime default "$entry" x-scheme-handler/callboard
  fi
  [ "$(x xdg-mime query default x-scheme-handler/callboard)" = "$entry" ] || die "xdg-mime does not name $entry for callboard://"
  x xdg-open callboard://docs/component:default/booking-service >"$out/xdg-open.log" 2>&1 || { cat "$out/xdg-open.log"; die "xdg-open callboard://docs/… failed"; }
  want_title "booking-service — Callboard" "xdg-open callboard://docs/component:default/booking-service ($entry)" "$out/xdg-open.log"
  grep -q "its window went to callboard://docs/component:default/booking-service" "$out/xdg-open.log" ||
    { cat "$out/xdg-open.log"; die "xdg-open did not run callboard LINK through $entry"; }
  settle link-docs 25 "$out/link-entity.png"
else
  say "no xdg-open here: links are checked through callboard LINK alone"
fi

# --- Frontend errors ---------------------------------------------------------
bad=$(unexpected_errors)
if [ -n "$bad" ]; then
  printf '%s\n' "$bad" | cut -c1-600
  die "the window logged frontend errors (above)"
fi

kill -TERM "$app"
code=0; wait "$app" || code=$?
app=""
[ "$code" -eq 0 ] || die "callboard exited with $code on SIGTERM"
[ -s "$data/window.json" ] || die "the window's place was not saved on SIGTERM (no $data/window.json)"
say "the window's place: $(cat "$data/window.json")"
say "stopped cleanly; passed in $((SECONDS - started)) s"
