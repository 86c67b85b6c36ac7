#!/usr/bin/env bash
# The Files and Info tabs of the TUI's detail area, in tmux. A multi-file
# torrent (multi/a.bin, multi/sub/b.bin, multi/sub/c.bin; b.bin's odd size
# gives the hybrid torrent a pad file) is added paused from the CLI. In the
# TUI: 3 shows the Files tab with the tree (the subdirectory, its files, no
# pad file); Enter gives the detail area the keys; on a.bin x skips it, on
# b.bin + raises it to high, on sub/ - lowers both its files one step (the
# engine's priorities checked with `spate info --json`), Enter collapses
# and expands sub/; s and f toggle sequential_download and
# first_last_piece (checked with `spate get`). Esc back to the list, 4
# shows the Info tab: info-hash, piece count and size, the pieces map. At
# 80x24 both tabs are readable. A complete single-file torrent shows one
# row at 100% and a full pieces map; a magnet without peers shows "Waiting
# for metadata". Quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
tui_start
# prio NAME: the priority of torrent 1's file whose path ends in /NAME
prio() { sp tui info 1 --json | jq -r --arg n "/$1" '.files[] | select(.path | endswith($n)) | .priority'; }
prio_is() { [ "$(prio "$1")" = "$2" ]; }

has_meta() { [ "$(jfield tui 1 has_metadata)" = true ]; }
# the list in the order the torrents were added (G: the newest); by
# default it is the queue's, where seeding torrents come last
sp tui config set spate.ui_sort added >/dev/null || fail "config set spate.ui_sort"

# A multi-file torrent with a subdirectory, added paused.
mkdir -p "$T/src/multi/sub"
head -c 1048576 /dev/urandom >"$T/src/multi/a.bin"
head -c 100000 /dev/urandom >"$T/src/multi/sub/b.bin"
head -c 1048576 /dev/urandom >"$T/src/multi/sub/c.bin"
ih=$(make_torrent "$T/src/multi" "$T/multi.torrent" 65536) || fail "make_torrent"
sp tui add --paused "$T/multi.torrent" >/dev/null || fail "add"
wait_until 10 "the torrent is listed" shows "multi"
wait_until 10 "its metadata is known" has_meta
n_files=$(sp tui info 1 --json | jq '.files | length')
n_pad=$(sp tui info 1 --json | jq '[.files[] | select(.pad)] | length')
note "files: $n_files, of them pad files: $n_pad"
for f in a.bin b.bin c.bin; do prio_is "$f" 4 || fail "$f does not start at normal"; done

# 3: the Files tab, the tree below the list.
keys 3
wait_until 5 "the Files tab shows the subdirectory" shows "sub/"
wait_until 5 "the Files tab shows a.bin" shows "a.bin"
shows "b.bin" || fail "b.bin not shown"
shows "c.bin" || fail "c.bin not shown"
hides ".pad" || fail "a pad file is shown"
shows "Sequential: off" || fail "the Files tab does not show sequential_download"

# Enter: the detail area takes the keys (zoomed). Rows: sub/, b.bin,
# c.bin, a.bin (directories first).
keys Enter
sleep 0.3
# x on a.bin (the last row) skips it
keys G
keys x
wait_until 5 "a.bin skipped in the engine" prio_is a.bin 0
wait_until 5 "the row says skip" shows_re "a\.bin .* skip"
prio_is b.bin 4 || fail "b.bin changed with a.bin"
# + on b.bin (the second row) raises it to high
keys g
keys j
keys +
wait_until 5 "b.bin high in the engine" prio_is b.bin 7
wait_until 5 "the row says high" shows_re "b\.bin .* high"
# - on sub/ lowers both its files one step: b.bin normal, c.bin low
keys g
keys -
wait_until 5 "b.bin lowered to normal" prio_is b.bin 4
wait_until 5 "c.bin lowered to low" prio_is c.bin 1
prio_is a.bin 0 || fail "a.bin changed with sub/"
wait_until 5 "sub/ shows mixed" shows_re "sub/ .* mixed"
# x on sub/ (mixed) skips both, x again gets them back at normal
keys x
wait_until 5 "sub/ skipped" prio_is c.bin 0
prio_is b.bin 0 || fail "b.bin not skipped with sub/"
keys x
wait_until 5 "sub/ back to normal" prio_is c.bin 4
prio_is b.bin 4 || fail "b.bin not back to normal with sub/"
# Enter collapses sub/, and expands it again
keys Enter
wait_until 5 "sub/ collapsed" hides "c.bin"
hides "b.bin" || fail "b.bin shown under a collapsed sub/"
shows "a.bin" || fail "a.bin hidden by collapsing sub/"
keys Enter
wait_until 5 "sub/ expanded" shows "c.bin"

# s and f toggle the torrent's flags.
keys s
wait_until 5 "sequential_download on" opt_is 1 sequential_download true
wait_until 5 "the tab says so" shows "Sequential: on"
keys s
wait_until 5 "sequential_download off" opt_is 1 sequential_download false
keys f
wait_until 5 "first_last_piece on" opt_is 1 first_last_piece true
wait_until 5 "the tab says so" shows "First/last: on"
keys f
wait_until 5 "first_last_piece off" opt_is 1 first_last_piece false

# Esc: back to the list; 4: the Info tab.
keys Escape
sleep 0.3
np=$(jfield tui 1 num_pieces)
keys 4
wait_until 5 "the Info tab shows the info-hash" shows "$ih"
wait_until 5 "the Info tab shows the piece count" shows_re "Pieces +$np pieces of 64\.0 KiB"
shows_re "^ \[[.#>+]+\]" || fail "no pieces map"
shows_re "Name +multi" || fail "no name line"

# 80x24: both tabs readable.
tm resize-window -t spate -x 80 -y 24
sleep 0.5
wait_until 5 "the info-hash at 80x24" shows "$ih"
screen >"$T/info80.txt"
[ "$(wc -l <"$T/info80.txt")" -le 24 ] || fail "more than 24 lines"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/info80.txt")" -le 80 ] || fail "an info line wider than 80 columns"
cat "$T/info80.txt"
# the Info tab scrolls when it has the keys
keys Enter
keys G
wait_until 5 "the Info tab scrolls to its end" shows_re "^ Tags +-"
keys g
wait_until 5 "and back to its top" shows_re "^ Name +multi"
keys Escape
sleep 0.3
keys 3
wait_until 5 "the Files tab at 80x24" shows "sub/"
shows "a.bin" || fail "a.bin not shown at 80x24"
screen >"$T/files80.txt"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/files80.txt")" -le 80 ] || fail "a files line wider than 80 columns"
grep -qE "Name +Size +Done +Priority" "$T/files80.txt" || fail "no column header at 80x24"
cat "$T/files80.txt"

# A complete single-file torrent: one row at 100%, a full pieces map.
make_payload "$T/seed" 1 single.bin
make_torrent "$T/seed/single.bin" "$T/single.torrent" 16384 >/dev/null || fail "make_torrent single"
sp tui add --dir "$T/seed" "$T/single.torrent" >/dev/null || fail "add single"
wait_until 30 "single.bin is complete" is_complete tui 2
keys G
wait_until 5 "the Files tab shows single.bin done" shows_re "^ +single\.bin +1\.0 MiB +100% +normal"
keys 4
wait_until 5 "the Info tab of single.bin" shows_re "^ Name +single\.bin"
wait_until 5 "every piece had" shows_re "^ \[#+\]$"
shows_re "Pieces +64 pieces of 16\.0 KiB: 64 have" || fail "the piece counts of single.bin"

# A magnet nobody serves: no metadata, the tabs say so.
sp tui add --paused "magnet:?xt=urn:btih:$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')&dn=nometa" >/dev/null ||
  fail "add the magnet"
wait_until 10 "the magnet is listed" shows "nometa"
keys G
wait_until 5 "the Info tab without metadata" shows_re "^ Pieces +\(no metadata yet\)"
keys 3
wait_until 5 "waiting for metadata" shows "Waiting for metadata"

tui_quit
note "ok"
