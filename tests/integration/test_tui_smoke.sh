#!/usr/bin/env bash
# The TUI in tmux: start it, add a magnet with `a`, see the row fill in and
# reach 100%, quit with `q`, and find the terminal restored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

make_payload "$T/seed/dl" 8 "tui-payload.bin"
ih=$(make_torrent "$T/seed/dl/tui-payload.bin" "$T/t.torrent" 65536)
sport=$(free_port)
spate_start seed "$sport"
sp seed add --dir "$T/seed/dl" "$T/t.torrent" || fail "seeder add"
wait_until 30 "seeder seeds" is_complete seed 1

tui_start
lport=$TUI_PORT

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
tui_quit
cmp "$T/seed/dl/tui-payload.bin" "$T/tui/dl/tui-payload.bin" || fail "payload differs"
note "ok"
