#!/usr/bin/env bash
# The detail area's Peers and Trackers tabs in tmux. A python3-libtorrent
# seeder on loopback, throttled so the download lasts; the TUI adds the
# torrent with that peer (spate add --peer). 1 shows the Peers tab: the
# seeder's 127.0.0.1:PORT with a client name, flags (D: we download from
# it) and a connection type; at 80x24 the totals and the connection
# column give way, the address and the flags stay. The torrent gets a
# tracker nobody listens on (spate set 1 trackers ...); 2 shows the
# Trackers tab: the tracker, "error" and libtorrent's message. Enter gives
# the detail area the keys: a adds a tracker (a new last tier, `spate get`
# shows "old|new"); e edits the first one, which keeps its tier; a URL the
# engine refuses shows its message and changes nothing; d + y removes a
# tracker; r announces. Esc gives the keys back. Quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# trackers_are TEXT: `spate get 1 trackers` is exactly TEXT
trackers() { sp tui get 1 trackers --json | jq -r '.[0].value'; }
trackers_are() { [ "$(trackers)" = "$1" ]; }
# focus_detail: the detail area takes the keys (the rows get a cursor)
focus_detail() { keys Enter; }

# A seeder of 4 MiB at 32 KiB/s: about two minutes of downloading.
make_payload "$T/src" 4 peers.bin
make_torrent "$T/src/peers.bin" "$T/peers.torrent" 16384 >/dev/null || fail "make_torrent"
lt_seed sport "$T/peers.torrent" "$T/src" 32768

tui_start
sp tui add --peer "127.0.0.1:$sport" "$T/peers.torrent" >/dev/null || fail "add with --peer"
wait_until 10 "the torrent is listed" shows_re "^ *1 +peers\.bin"

# ---- Peers -----------------------------------------------------------------------
keys 1
wait_until 30 "the seeder shows in the Peers tab" shows "127.0.0.1:$sport"
shows_re "Address +Client +Flags +Conn +Done +Down +Up +Downloaded +Uploaded" ||
  fail "the Peers tab's header at 120 columns"
# address, a client name, flags with D (we download from it), TCP or uTP
row_re="127\.0\.0\.1:$sport +[^ ].* +[dDuUOSIE]*D[A-Za-z]* +(TCP|uTP)"
wait_until 30 "the seeder's row has a client, D in its flags and a connection" shows_re "$row_re"
shows "No peers connected" && fail "the empty hint next to a peer"

# 80x24: the totals and the connection go, the address and flags stay
tm resize-window -t spate -x 80 -y 24
sleep 0.5
wait_until 5 "the Peers tab at 80 columns" shows_re "Address +Client +Flags +Done +Down +Up *$"
hides "Downloaded" || fail "the totals at 80 columns"
wait_until 10 "the seeder's row at 80 columns" shows_re "127\.0\.0\.1:$sport +[^ ].* +[dDuUOSIE]*D"
tm resize-window -t spate -x 120 -y 30
sleep 0.5

# ---- Trackers --------------------------------------------------------------------
dead=$(free_port) # nobody listens there
dead2=$(free_port)
url1="http://127.0.0.1:$dead/announce"
url2="http://127.0.0.1:$dead2/announce"
url3="http://127.0.0.1:$dead/other"
sp tui set 1 trackers "$url1" >/dev/null || fail "set trackers"
keys 2
wait_until 10 "the Trackers tab shows the tracker" shows "$url1"
shows_re "Tier +URL +Status +Seeds +Peers +Downloaded +Next +Fails" ||
  fail "the Trackers tab's header at 120 columns"
wait_until 60 "the tracker shows its error" shows_re " 1 +http://127\.0\.0\.1:$dead/announce +error "
wait_until 30 "the error's message shows" shows_re "[Cc]onnection refused"

# The keys, in the detail area.
focus_detail
keys a
wait_until 5 "the add prompt" shows "add tracker (new last tier):"
text "$url2"
keys Enter
wait_until 5 "the new tracker is in a new last tier" trackers_are "$url1|$url2"
wait_until 5 "the new tracker is listed in tier 2" shows_re " 2 +http://127\.0\.0\.1:$dead2/announce"

# e on the first: prefilled, replaced, the tiers stay
keys g
keys e
wait_until 5 "the edit prompt, prefilled" shows "tracker (tier 1): $url1"
keys C-u
text "$url3"
keys Enter
wait_until 5 "the edit keeps the tier" trackers_are "$url3|$url2"
wait_until 5 "the edited tracker is listed" shows "$url3"

# a URL the engine refuses: its message, nothing changed (first let the
# failed announces the edit caused say so on the message line)
sleep 1
keys a
text "ftp://127.0.0.1/announce"
keys Enter
wait_until 5 "the engine's message" shows "is not an http://, https:// or udp:// URL"
trackers_are "$url3|$url2" || fail "a refused URL changed the trackers: $(trackers)"
# two URLs at once: refused by the pane
keys a
text "$url1,$url2"
keys Enter
wait_until 5 "one URL at a time" shows "one tracker URL"
trackers_are "$url3|$url2" || fail "a list at the add prompt changed the trackers"
# Esc at a prompt changes nothing
keys a
text "http://127.0.0.1:1/x"
keys Escape
sleep 0.3
hides "add tracker (new last tier)" || fail "Esc did not close the prompt"
trackers_are "$url3|$url2" || fail "a cancelled add changed the trackers"

# d on the last asks, n keeps it, y removes it
keys G
keys d
wait_until 5 "the remove question" shows "remove tracker $url2 from torrent 1? [y/n]"
keys n
sleep 0.3
trackers_are "$url3|$url2" || fail "n removed the tracker"
keys d
wait_until 5 "the remove question again" shows "remove tracker $url2 from torrent 1?"
keys y
wait_until 5 "the tracker is gone" trackers_are "$url3"
wait_until 5 "the tracker is no longer listed" hides "$url2"

# r announces: it says so, or (when the failure's log line came first) the
# tracker's failures in a row go up
fails() { screen | sed -n "s|^ *1 http://127\.0\.0\.1:$dead/other .* \([0-9][0-9]*\)\$|\1|p"; }
before=$(fails)
[ -n "$before" ] || fail "no fails count for $url3"
announced() { shows "announcing torrent 1 to its trackers" || [ "$(fails)" -gt "$before" ]; }
keys r
wait_until 10 "r announces" announced

keys Escape
sleep 0.3

# the help overlay ends with the legend of the peers' flag letters
keys '?'
legend_shown() { shows "Peer flags (Peers tab)" && shows "optimistic unchoke"; }
for _ in 1 2 3 4 5 6 7 8 9 10; do legend_shown && break; keys NPage; done
legend_shown || { dump; fail "the help lacks the peer flag legend"; }
keys Escape
sleep 0.3
tui_quit

