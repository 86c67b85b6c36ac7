#!/usr/bin/env bash
# The TUI in tmux: start it, add a magnet with `a`, see the row fill in and
# reach 100%, quit with `q`, and find the terminal restored.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 77; }

make_payload "$T/seed/dl" 8 "tui-payload.bin"
ih=$(make_torrent "$T/seed/dl/tui-payload.bin" "$T/t.torrent" 65536)
sport=$(free_port)
spate_start seed "$sport"
sp seed add --dir "$T/seed/dl" "$T/t.torrent" || fail "seeder add"
wait_until 30 "seeder seeds" is_complete seed 1

sock="$T/tmux.sock"
tm() { tmux -S "$sock" "$@"; }
lport=$(free_port)
mkdir -p "$T/tui/dl"
tm new-session -d -s spate -x 120 -y 30 \
  "'$SPATE_BIN' --data-dir '$T/tui' --download-dir '$T/tui/dl' ${LOOPBACK_SETS[*]} --set listen_interfaces=127.0.0.1:$lport; echo EXITED \$?; sleep 30"
TMUX_PID=$(tm display-message -p -t spate '#{pid}')
PIDS+=("$TMUX_PID")
screen() { tm capture-pane -p -t spate; }
shows() { screen | grep -qF -- "$1"; }

wait_until 10 "the status bar shows the listen port" shows "$lport"
tm send-keys -t spate a
sleep 0.3
tm send-keys -t spate -l "magnet:?xt=urn:btih:$ih&dn=tui-payload.bin&x.pe=127.0.0.1:$sport"
tm send-keys -t spate Enter
wait_until 20 "the row appears" shows "tui-payload.bin"
wait_until 60 "the row reaches 100%" shows "100%"
screen | tee "$T/screen.txt"
grep -qi "seed" "$T/screen.txt" || fail "the row does not show the seeding state"
tm send-keys -t spate '?'
wait_until 5 "help shows" shows "quit"
tm send-keys -t spate Escape
sleep 0.3
tm send-keys -t spate q
sleep 0.5
screen | grep -q "EXITED" || tm send-keys -t spate y
wait_until 20 "spate exits" shows "EXITED 0"
screen | grep -q "tui-payload.bin" && fail "the screen was not restored after exit"
cmp "$T/seed/dl/tui-payload.bin" "$T/tui/dl/tui-payload.bin" || fail "payload differs"
tm kill-server 2>/dev/null
note "ok"
