#!/usr/bin/env bash
# The TUI in tmux: start it, add a magnet with `a`, see the row fill in and
# reach 100% (options typed before the magnet applied), a bad option
# refused, a .torrent path read off the loop, a FIFO refused; quit with `q`,
# and find the terminal restored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

make_payload "$T/seed/dl" 8 "tui-payload.bin"
ih=$(make_torrent "$T/seed/dl/tui-payload.bin" "$T/t.torrent" 65536)
sport=$(free_port)
spate_start seed "$sport"
sp seed add --dir "$T/seed/dl" "$T/t.torrent" || fail "seeder add"
wait_until 30 "seeder seeds" is_complete seed 1

tui_start

tm send-keys -t spate a
sleep 0.3
# options before the source, as `spate add` takes them
tm send-keys -t spate -l "upload_limit=4321 --tags smoke sequential_download=yes magnet:?xt=urn:btih:$ih&dn=tui-payload.bin&x.pe=127.0.0.1:$sport"

tm send-keys -t spate Enter
wait_until 20 "the row appears" shows "tui-payload.bin"
# the row's own 100% (the Peers tab below shows the seeder's 100% at once)
wait_until 60 "the row reaches 100%" shows_re "tui-payload\.bin .*\] 100% "
wait_until 10 "the torrent is complete" is_complete tui 1

[ "$(sp tui get 1 upload_limit --json | jq -r '.[0].value')" = 4321 ] || fail "upload_limit from the add prompt"
[ "$(sp tui get 1 sequential_download --json | jq -r '.[0].value')" = true ] || fail "sequential_download from the add prompt"
[ "$(jfield tui 1 tags)" = smoke ] || fail "tags from the add prompt"
# a bad option adds nothing and says why
tm send-keys -t spate a
sleep 0.3
tm send-keys -t spate -l "nosuch=1 $T/t.torrent"
tm send-keys -t spate Enter
wait_until 5 "the bad option is named" shows "'nosuch' is not a per-torrent setting"
[ "$(sp tui ls --json | jq length)" = 1 ] || fail "a bad add line added something"
# a .torrent path is read on a worker; the answer comes back to the prompt
tm send-keys -t spate a
sleep 0.3
tm send-keys -t spate -l "$T/t.torrent"
tm send-keys -t spate Enter
wait_until 10 "the .torrent of the same torrent is reported" shows "already added as 1"
# a FIFO as the source is refused at once (it used to block the loop)
mkfifo "$T/pipe.torrent"
tm send-keys -t spate a
sleep 0.3
tm send-keys -t spate -l "$T/pipe.torrent"
tm send-keys -t spate Enter
wait_until 10 "a FIFO source is refused" shows "a FIFO"
timeout 10 "$SPATE_BIN" --data-dir "$T/tui" ls >/dev/null || fail "a FIFO source wedged the TUI"

screen | tee "$T/screen.txt"
grep -qi "seed" "$T/screen.txt" || fail "the row does not show the seeding state"
tm send-keys -t spate '?'
wait_until 5 "help shows" shows "quit"
tm send-keys -t spate Escape
sleep 0.3
tui_quit
cmp "$T/seed/dl/tui-payload.bin" "$T/tui/dl/tui-payload.bin" || fail "payload differs"
note "ok"
