# tui_lib.sh — driving spate's TUI in tmux, for tests/integration/test_tui_*.sh.
# Source after lib.sh. Every wait is bounded; the tmux server is stopped by
# the PID lib.sh's cleanup kills.

command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 77; }
command -v jq >/dev/null || { echo "jq is not installed (make deps)"; exit 77; }

TUI_SOCK="$T/tmux.sock"
tm() { tmux -S "$TUI_SOCK" "$@"; }

# On a failure the screen goes to stderr before lib.sh's cleanup.
trap 'rc=$?; [ $rc -ne 0 ] && dump; cleanup; exit $rc' EXIT

# tui_start [ARGS...]: the TUI of instance "tui" (data dir $T/tui) in a
# 120x30 tmux window, listening on 127.0.0.1:$TUI_PORT with DHT, LSD, UPnP
# and NAT-PMP off, no mount unless ARGS has --mount; stderr to $T/tui.err.
# Waits (bounded) until the control socket answers and the status bar
# shows the listen port.
tui_start() {
  local mount=--no-mount a
  for a in "$@"; do [ "$a" = --mount ] && mount=; done
  TUI_PORT=$(free_port)
  mkdir -p "$T/tui/dl"
  tm new-session -d -s spate -x 120 -y 30 \
    "'$SPATE_BIN' --data-dir '$T/tui' --download-dir '$T/tui/dl' ${LOOPBACK_SETS[*]} --set listen_interfaces=127.0.0.1:$TUI_PORT $mount $* 2>'$T/tui.err'; echo EXITED \$?; sleep 30"
  TMUX_PID=$(tm display-message -p -t spate '#{pid}')
  PIDS+=("$TMUX_PID")
  wait_until 10 "the TUI's control socket answers" sp tui ls
  wait_until 10 "the status bar shows the listen port" shows "$TUI_PORT"
}

screen() { tm capture-pane -p -t spate; }
shows() { screen | grep -qF -- "$1"; }
shows_re() { screen | grep -qE -- "$1"; }
hides() { ! screen | grep -qF -- "$1"; }
# shows_n N TEXT: TEXT on at least N lines
shows_n() { [ "$(screen | grep -cF -- "$2")" -ge "$1" ]; }
keys() { tm send-keys -t spate "$@"; sleep 0.15; }
text() { tm send-keys -t spate -l -- "$1"; sleep 0.15; }
dump() { screen >&2; }

# tui_quit: q (and y if it asks), then spate must exit 0, restore the
# screen and have written nothing to stderr (ASan reports go there).
tui_quit() {
  keys q
  sleep 0.5
  screen | grep -q "EXITED" || keys y
  wait_until 20 "spate exits" shows "EXITED 0"
  [ "$(screen | grep -cv '^$')" -le 1 ] || { dump; fail "the screen was not restored after exit"; }
  [ -s "$T/tui.err" ] && { cat "$T/tui.err" >&2; fail "spate wrote to stderr"; }
  tm kill-server 2>/dev/null
  return 0
}

# tui_fits_80x24 FILE: the screen, saved to FILE, has at most 24 lines of
# at most 80 columns (resize the window first).
tui_fits_80x24() {
  screen >"$1"
  [ "$(wc -l <"$1")" -le 24 ] || fail "more than 24 lines"
  [ "$(LC_ALL=C.UTF-8 wc -L <"$1")" -le 80 ] || fail "a line wider than 80 columns"
}

# ---- settings, through the CLI and the settings editors -------------------------------

# cfg KEY FIELD: one field of `spate config get KEY --json` (null if none)
cfg() { sp tui config get "$1" --json | jq -r ".[0].$2"; }
# is KEY FIELD VALUE: cfg KEY FIELD prints VALUE
is() { [ "$(cfg "$1" "$2")" = "$3" ]; }
# opt ID KEY: the torrent's value as `spate get ID KEY --json` reports it
opt() { sp tui get "$1" "$2" --json | jq -r '.[0].value'; }
# opt_is ID KEY VALUE
opt_is() { [ "$(opt "$1" "$2")" = "$3" ]; }
# search TEXT: a new search in a settings editor, accepted with Enter
search() { keys /; keys C-u; text "$1"; keys Enter; }
# pick KEY: searches for KEY and moves down (j) until the details show it;
# the search also matches other keys whose help names KEY
pick() {
  local _
  search "$1"
  for _ in 1 2 3 4 5 6; do
    shows_re "^ $1: " && return 0
    keys j
  done
  fail "cannot select $1"
}
