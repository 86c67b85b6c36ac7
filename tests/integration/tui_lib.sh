# tui_lib.sh — driving spate's TUI in tmux, for tests/integration/test_tui_*.sh.
# Source after lib.sh. Every wait is bounded; the tmux server is stopped by
# the PID lib.sh's cleanup kills.

command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 77; }
command -v jq >/dev/null || { echo "jq is not installed (make deps)"; exit 77; }

TUI_SOCK="$T/tmux.sock"
tm() { tmux -S "$TUI_SOCK" "$@"; }

# tui_start [ARGS...]: the TUI of instance "tui" (data dir $T/tui) in a
# 120x30 tmux window, listening on 127.0.0.1:$TUI_PORT with DHT, LSD, UPnP
# and NAT-PMP off, no mount unless ARGS has --mount; stderr to $T/tui.err.
# Waits (bounded) until the control socket answers.
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
