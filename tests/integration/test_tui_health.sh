#!/usr/bin/env bash
# The TUI's Health tab and themes, in tmux.
# (a) A storage error: a torrent saved under a regular file ($T/afile/sub:
#     nothing can be created there, not even by root) is fed by a loopback
#     lt_seed, so libtorrent tries to write and fails. Its row shows the
#     error state; `5` opens the Health tab, whose log has an error line
#     with the torrent's name and "Not a directory".
# (b) The Health tab's listen line shows 127.0.0.1:PORT; the rate lines
#     and the log header are there, also at 80x24; zoomed (Enter) at
#     100x16 the tab scrolls to the oldest event (G) and back (g).
# (c) Themes: the default theme draws colours; `config set spate.theme
#     mono` at run time takes them away, an unknown theme says so on the
#     message line and falls back to the default; `--theme mono` and
#     NO_COLOR=1 run without a single colour escape; `--theme nosuch` runs
#     and says the theme could not be loaded; a theme file that is a FIFO
#     is refused without blocking the loop.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# colour_on_screen: the screen, with its escapes, sets a colour (SGR 30-38,
# 40-48, 90-97, 100-107; tmux writes 39 and 49, the defaults, anyway).
colour_on_screen() {
  tm capture-pane -e -p -t spate | $PY -c '
import re, sys
for m in re.finditer(r"\x1b\[([0-9;:]*)m", sys.stdin.read()):
    for p in re.split("[;:]", m.group(1)):
        if p and (30 <= int(p) <= 48 or 90 <= int(p) <= 107) and int(p) not in (39,):
            sys.exit(0)
sys.exit(1)'
}
no_colour_on_screen() { ! colour_on_screen; }
# has_error ID: the torrent reports an error
has_error() { sp tui info "$1" --json | jq -e '(.error // "") != ""' >/dev/null; }

# ---- (a) and (b): a storage error in the health log ----------------------------------
make_payload "$T/src" 2 health-payload.bin
make_torrent "$T/src/health-payload.bin" "$T/h.torrent" 65536 >/dev/null
lt_seed SEED_PORT "$T/h.torrent" "$T/src"
: >"$T/afile" # a regular file: "$T/afile/sub" cannot be a directory

tui_start
wait_until 10 "the default theme draws colours" colour_on_screen

sp tui add --dir "$T/afile/sub" --peer "127.0.0.1:$SEED_PORT" "$T/h.torrent" >/dev/null ||
  fail "add"
wait_until 60 "the torrent fails to write its data" has_error 1
wait_until 10 "the row shows the error state" shows_re "health-payload\.bin.* error "

keys 5
wait_until 10 "the Health tab shows the listen socket" shows_re "Listen .*127\.0\.0\.1:$TUI_PORT"
wait_until 5 "the Health tab shows the rates" shows_re "Down .*B/s +peak .*B/s"
shows_re "Up .*B/s +peak .*B/s" || fail "no upload rate line"
shows_re "Time +Level +Torrent +Message" || fail "no log header"
wait_until 10 "the log has the torrent's error" \
  shows_re "[0-9]{2}:[0-9]{2}:[0-9]{2} error +health-payload\.bin"
# the whole message at a width where it fits
tm resize-window -t spate -x 250 -y 30
wait_until 10 "the log line names the storage error" \
  shows_re "error +health-payload\.bin .*Not a directory"
screen >"$T/health-250.txt"

# readable at 80x24: the session and the log's header still there
tm resize-window -t spate -x 80 -y 24
sleep 0.5
wait_until 5 "80x24: the listen line" shows_re "Listen .*127\.0\.0\.1:$TUI_PORT"
shows_re "Down .*B/s +peak .*B/s" || fail "80x24: no download rate line"
screen >"$T/health-80.txt"

# scrolling: more events than the zoomed Health tab holds at 100x16; Enter
# gives it the keys, G goes to the oldest event, g back to the top (one line
# per torrent: an error's repeats are counted, not logged)
for i in $(seq 2 9); do
  make_payload "$T/src" 1 "more-$i.bin"
  make_torrent "$T/src/more-$i.bin" "$T/more-$i.torrent" 65536 >/dev/null
  sp tui add --dir "$T/afile/sub" "$T/more-$i.torrent" >/dev/null || fail "add more-$i"
done
for i in $(seq 2 9); do wait_until 30 "torrent $i fails too" has_error "$i"; done
tm resize-window -t spate -x 100 -y 16
sleep 0.3
keys Enter
wait_until 5 "the zoomed Health tab shows the listen line" shows_re "Listen .*127\.0\.0\.1"
keys G
wait_until 5 "G scrolls to the oldest event" shows_re "error +health-payload\.bin +file_stat"
hides "Listen " || fail "G: the session's lines are still shown"
keys k
keys g
wait_until 5 "g scrolls back to the top" shows_re "Listen .*127\.0\.0\.1"
keys Escape
tm resize-window -t spate -x 120 -y 30
sleep 0.3

# ---- (c) themes changed at run time ---------------------------------------------------
sp tui config set spate.theme mono >/dev/null || fail "config set spate.theme mono"
wait_until 10 "spate.theme mono takes the colours away" no_colour_on_screen
sp tui config set spate.theme nosuch >/dev/null || fail "config set spate.theme nosuch"
wait_until 10 "an unknown theme is reported" shows 'theme "nosuch" could not be loaded'
wait_until 10 "the default theme is back" colour_on_screen
# a theme that is a FIFO (issue 10): refused at once, the loop never waits
# for a writer
mkdir -p "$T/tui/themes"
mkfifo "$T/tui/themes/pipe.theme"
timeout 10 "$SPATE_BIN" --data-dir "$T/tui" config set spate.theme pipe >/dev/null ||
  fail "config set spate.theme pipe"
wait_until 10 "a FIFO theme is reported" shows 'theme "pipe" could not be loaded'
timeout 10 "$SPATE_BIN" --data-dir "$T/tui" ls >/dev/null || fail "a FIFO theme wedged the TUI"
sp tui config reset spate.theme >/dev/null || fail "config reset spate.theme"
sp tui remove $(seq 1 9) >/dev/null || fail "remove" # its errors would cover the messages below
no_torrents() { [ "$(sp tui ls --json | jq length)" = 0 ]; }
wait_until 10 "the torrent is gone" no_torrents
tui_quit

# ---- (c) themes at start --------------------------------------------------------------
tui_start --theme mono
wait_until 10 "--theme mono: the UI runs" shows "$TUI_PORT"
sleep 0.5
no_colour_on_screen || fail "--theme mono drew colours"
tui_quit

export NO_COLOR=1
tui_start --theme light
wait_until 10 "NO_COLOR: the UI runs" shows "$TUI_PORT"
sleep 0.5
no_colour_on_screen || fail "NO_COLOR=1 drew colours"
tui_quit
unset NO_COLOR

tui_start --theme nosuch
wait_until 10 "--theme nosuch: the UI runs" shows "$TUI_PORT"
wait_until 5 "--theme nosuch: the message line says so" \
  shows 'theme "nosuch" could not be loaded (using default)'
colour_on_screen || fail "--theme nosuch: not the default theme"
tui_quit
note "ok"
