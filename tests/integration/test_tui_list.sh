#!/usr/bin/env bash
# The full TUI's torrent list and frame, in tmux. Three paused torrents
# from the CLI (charlie 1 MiB, alpha 3 MiB, bravo 2 MiB, queued in that
# order); then in the TUI: the columns and the title line; s and S change
# the order, spate.ui_sort stores it and a restart keeps it, a change from
# the CLI applies at once; / filters by name as typed (case ignored), Esc
# clears; v/V views (paused: all 3, downloading: none); space marks, ^S
# starts only the marked, ^D stops them, d on marks asks "remove 2
# torrents" and n keeps them; + and - move in the queue; the tab bar and
# 1-5/Tab/Shift-Tab switch tabs, a click on a label too; Enter zooms (no
# list, torrent commands do nothing), Esc returns; at 80x24 the list, tab
# bar and status bar read, no line over 80 columns; spate.keys "quit=Q"
# (a bad entry named) makes q do nothing and Q quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# order: the names of the list's rows, top to bottom ("charlie alpha bravo")
order() {
  screen | grep -oE "^[ *] +([0-9]+ +)?(alpha|bravo|charlie)\.bin" |
    grep -oE "(alpha|bravo|charlie)" | tr '\n' ' ' | sed 's/ $//'
}
order_is() { [ "$(order)" = "$1" ]; }
# state_of NAME: the torrent's state in `spate ls --json`
state_of() { sp tui ls --json | jq -r --arg n "$1.bin" '.[] | select(.name == $n) | .state'; }
paused() { [ "$(state_of "$1")" = paused ]; }
running() { local s; s=$(state_of "$1"); [ -n "$s" ] && [ "$s" != paused ]; }
qpos_is() { [ "$(jfield tui "$1" queue_pos)" = "$2" ]; }
# click X Y: a left button press and release at column X, row Y
# (0-based), as an xterm reports them (X10 encoding)
click() {
  local at
  at=$(printf '%b%b' "\\$(printf '%03o' $((33 + $1)))" "\\$(printf '%03o' $((33 + $2)))")
  tm send-keys -t spate -l "$(printf '\033[M ')$at$(printf '\033[M#')$at"
  sleep 0.2
}

tui_start

# ---- three paused torrents, queued charlie, alpha, bravo ----
make_payload "$T/src" 1 charlie.bin
make_payload "$T/src" 3 alpha.bin
make_payload "$T/src" 2 bravo.bin
for n in charlie alpha bravo; do
  make_torrent "$T/src/$n.bin" "$T/$n.torrent" >/dev/null
  sp tui add --paused "$T/$n.torrent" >/dev/null || fail "add $n"
done
wait_until 10 "three rows" order_is "charlie alpha bravo"

# ---- columns and the title line at 120x30 ----
header=$(screen | grep -E "^ +# +Name")
for col in Name Size Progress State Down Up ETA Ratio P/S Added; do
  grep -qF -- "$col" <<<"$header" || fail "no $col column at 120 columns: $header"
done
shows_re "^ *3 torrents . view: all . sort: queue ▲" || fail "no title line"
shows_re "^  +1 charlie\.bin +1\.0 MiB \[\.+\] +0% paused" || fail "charlie's row"
shows_re "Name +.*Size" || fail "header"

# ---- sorting: s (next column), S (reverse), stored, kept on restart ----
keys s
wait_until 5 "sorted by name" order_is "alpha bravo charlie"
shows "sort: name ▲" || fail "the title does not say name ascending"
shows "Name▲" || fail "the Name column is not marked"
wait_until 5 "stored: name" is spate.ui_sort stored name
keys S
wait_until 5 "reversed" order_is "charlie bravo alpha"
shows "sort: name ▼" || fail "the title does not say descending"
wait_until 5 "stored: name:desc" is spate.ui_sort stored name:desc
keys s
wait_until 5 "sorted by size" order_is "charlie bravo alpha"
shows "sort: size ▲" || fail "the title does not say size"
wait_until 5 "stored: size" is spate.ui_sort stored size
keys S
wait_until 5 "size descending" order_is "alpha bravo charlie"
wait_until 5 "stored: size:desc" is spate.ui_sort stored size:desc

tui_quit
tui_start
wait_until 10 "a restart keeps the order" order_is "alpha bravo charlie"
shows "sort: size ▼" || fail "the title after a restart"
# a change from the CLI applies at once
sp tui config set spate.ui_sort queue >/dev/null || fail "config set spate.ui_sort"
wait_until 5 "the CLI's order" order_is "charlie alpha bravo"
shows "sort: queue ▲" || fail "the title after the CLI's change"

# ---- / filters by name as typed; Esc clears ----
keys /
wait_until 5 "the name prompt" shows_re "^/"
text A
wait_until 5 "a: all three (case ignored)" order_is "charlie alpha bravo"
text r
wait_until 5 "ar: charlie only, as typed" order_is "charlie"
keys Enter
wait_until 5 "the title says the name filter" shows '1 of 3 torrents · view: all · name "Ar"'
keys Escape
wait_until 5 "Esc clears" order_is "charlie alpha bravo"
hides 'name "' || fail "the name filter is still shown"
keys /
text BRA
wait_until 5 "BRA: bravo" order_is "bravo"
keys Escape # in the prompt: clears too
wait_until 5 "Esc in the prompt clears" order_is "charlie alpha bravo"
keys /
text zzz
keys Enter
wait_until 5 "nothing matches" shows "Nothing matches"
keys Escape
wait_until 5 "all again" order_is "charlie alpha bravo"

# ---- views: v (next), V (previous) ----
keys v
wait_until 5 "the downloading view" shows "0 of 3 torrents · view: downloading"
order_is "" || fail "a paused torrent in the downloading view"
keys v
keys v
wait_until 5 "the paused view" shows "3 of 3 torrents · view: paused"
order_is "charlie alpha bravo" || fail "the paused view lacks one: $(order)"
keys V
wait_until 5 "V goes back" shows "view: seeding"
keys V
keys V
wait_until 5 "back to all" shows "3 torrents · view: all"

# ---- marks: space marks and moves down; ^S starts the marked, ^D stops ----
keys g
keys Space
keys Space
wait_until 5 "two marked" shows "2 marked"
shows_re "^\* +1 charlie\.bin" || fail "charlie has no mark"
shows_re "^\* +2 alpha\.bin" || fail "alpha has no mark"
shows_re "^  +3 bravo\.bin" || fail "bravo is marked"
keys C-s
wait_until 10 "charlie runs" running charlie
wait_until 10 "alpha runs" running alpha
sleep 0.5
paused bravo || fail "^S started an unmarked torrent"
keys C-d
wait_until 10 "charlie paused again" paused charlie
wait_until 10 "alpha paused again" paused alpha
paused bravo || fail "bravo changed"

# d on marks asks about both; n keeps them
keys d
wait_until 5 "the question counts" shows "remove 2 torrents (data kept)? [y/n]"
keys n
sleep 0.3
hides "[y/n]" || fail "n did not answer"
[ "$(sp tui ls --json | jq length)" = 3 ] || fail "n removed something"
# * with everything shown marked... first marks the rest, then clears all
keys '*'
wait_until 5 "all three marked" shows "3 marked"
keys '*'
wait_until 5 "none marked" hides " marked"
order_is "charlie alpha bravo" || fail "the order changed"

# ---- + and - in the queue (on the selection: bravo, queued last) ----
keys G
keys +
wait_until 5 "bravo one up" qpos_is 3 1
qpos_is 2 2 || fail "alpha did not move down"
wait_until 5 "the list follows the queue" order_is "charlie bravo alpha"
keys -
wait_until 5 "bravo back down" qpos_is 3 2
wait_until 5 "the list again" order_is "charlie alpha bravo"

# ---- a click on a row selects it (p then pauses/resumes that one) ----
row=$(screen | grep -nE "^[ *] +2 alpha\.bin" | cut -d: -f1)
click 20 $((row - 1))
keys p
wait_until 10 "the clicked row (alpha) resumed" running alpha
paused bravo || fail "p acted on the old selection"
keys p
wait_until 10 "alpha paused again" paused alpha

# ---- the tab bar: 1-5, Tab, Shift-Tab, a click ----
shows "[1 Peers]  2 Trackers   3 Files   4 Info   5 Health" || fail "no tab bar with Peers current"
keys 3
wait_until 5 "3: Files" shows "[3 Files]"
keys Tab
wait_until 5 "Tab: Info" shows "[4 Info]"
keys BTab
wait_until 5 "Shift-Tab: Files" shows "[3 Files]"
keys 5
wait_until 5 "5: Health" shows "[5 Health]"
keys 2
wait_until 5 "2: Trackers" shows "[2 Trackers]"
tabrow=$(screen | grep -nF "[2 Trackers]" | cut -d: -f1)
click 1 $((tabrow - 1))
wait_until 5 "a click on the Peers label" shows "[1 Peers]"

# ---- Enter zooms the details, Esc gives the list back ----
keys g
keys Enter
wait_until 5 "zoomed: the tab bar on top" bash -c "tmux -S '$TUI_SOCK' capture-pane -p -t spate | head -1 | grep -qF '[1 Peers]'"
shows "back to the list" || fail "no way back shown"
hides "view: all" || fail "the list is still shown while zoomed"
keys C-s
keys p
sleep 0.5
paused charlie || fail "a torrent command worked in the details"
keys 4
wait_until 5 "tabs switch while zoomed" shows "[4 Info]"
keys Escape
wait_until 5 "Esc: the list is back" shows "3 torrents · view: all"
keys Enter
wait_until 5 "zoomed again" hides "view: all"
keys q
wait_until 5 "q: the list is back" shows "3 torrents · view: all"
keys 1

# ---- 80x24 ----
tm resize-window -t spate -x 80 -y 24
sleep 0.5
wait_until 5 "the list at 80x24" order_is "charlie alpha bravo"
tui_fits_80x24 "$T/screen80.txt"
cat "$T/screen80.txt"
grep -qE "Name +.*Progress +State +Down +Up" "$T/screen80.txt" || fail "columns at 80x24"
grep -qF "[1 Peers]" "$T/screen80.txt" || fail "no tab bar at 80x24"
grep -qF "5 Health" "$T/screen80.txt" || fail "the tab bar is cut at 80x24"
grep -qE "↓.*↑.*3: 0 dl" "$T/screen80.txt" || fail "no status line at 80x24"
grep -qE "mnt: off" "$T/screen80.txt" || fail "no mount status at 80x24"
grep -qE "[0-9.]+ [KMGT]?i?B free" "$T/screen80.txt" || fail "no free space at 80x24"

# ---- spate.keys: quit=Q, with a bad entry named ----
sp tui config set spate.keys "quit=Q,nosuch=x" >/dev/null || fail "config set spate.keys"
wait_until 5 "the bad entry is named" shows "spate.keys: skipped 1 bad entry: nosuch=x"
keys '?'
wait_until 5 "the help shows Q for quit" shows_re "Q +quit"
keys Escape
keys q
sleep 1
shows "EXITED" && fail "q still quits"
shows "3 torrents" || fail "q did something"
keys Q
sleep 0.5
screen | grep -q "EXITED" || keys y
wait_until 20 "Q quits" shows "EXITED 0"
[ -s "$T/tui.err" ] && { cat "$T/tui.err" >&2; fail "spate wrote to stderr"; }
tm kill-server 2>/dev/null
note "ok"
