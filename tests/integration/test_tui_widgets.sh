#!/usr/bin/env bash
# The settings editor's list editor and schedule grid in tmux. The help
# lists both widgets' keys. spate.ip_filter: Enter opens the list editor;
# add two CIDRs, delete one, apply: stored, effective and libtorrent's
# "N blocked ranges" agree; a bad item (10.0.0.0/33) shows the engine's
# message, changes nothing and keeps the editor open on that item, which
# is then fixed and applied; Esc leaves the list unchanged.
# spate.alt_speed_schedule: Enter opens the grid; toggle Mon 08:00 and
# 09:00, the canonical text shows under the grid, w stores
# "mon 08:00-10:00"; Esc after clearing leaves it unchanged; a schedule
# with minutes shows partial ('+') hours; at 80x24 the whole grid is on
# screen. A torrent's trackers: add one, put it in a tier of its own,
# apply, and `spate get` shows the tiers. Quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
tui_start
# help_has TEXT: the open help overlay, from its top, shows TEXT on one
# of its first pages
help_has() {
  local _
  keys g
  for _ in 1 2 3 4 5 6; do
    shows "$1" && return 0
    keys PageDown
  done
  return 1
}
# no_grid: no row of the schedule grid on screen
no_grid() { ! screen | grep -qE "Mon( [.#+]){24}"; }
# add_item TEXT: a in the list editor, TEXT, Enter
add_item() { keys a; text "$1"; keys Enter; }

keys O
wait_until 5 "the editor opens" shows "Settings: "

# The help lists the widgets' keys (scrolling down to them).
keys '?'
wait_until 5 "the help opens" shows "spate keys"
for t in "add items after this one" "apply the list" "trackers: the item to the next tier" \
  "the hour on or off" "this hour of every day" "apply the schedule"; do
  help_has "$t" || fail "the help does not list \"$t\""
done
keys Escape
wait_until 5 "the help closes" hides "spate keys"

# ---- the list editor on spate.ip_filter ----
pick spate.ip_filter
wait_until 5 "spate.ip_filter is selected" shows_re "^ spate.ip_filter: CIDR list"
keys Enter
wait_until 5 "the list editor opens" shows "spate.ip_filter: 0 items"
shows "(empty: a adds an item)" || fail "no hint in an empty list"
shows "w apply" || fail "no key hints in the list editor"
add_item 10.0.0.0/8
wait_until 5 "the item prompt added one" shows "spate.ip_filter: 1 item "
add_item 192.168.0.0/16
wait_until 5 "two items" shows "spate.ip_filter: 2 items"
shows_re "│ 192\.168\.0\.0/16 +│" || fail "the second item is not listed"
keys d # the cursor is on the one just added
wait_until 5 "one deleted" shows "spate.ip_filter: 1 item "
hides "192.168.0.0/16" || fail "the deleted item is still listed"
is spate.ip_filter stored null || fail "stored before applying"
keys w
wait_until 5 "applied" shows "spate.ip_filter = 10.0.0.0/8"
wait_until 5 "stored" is spate.ip_filter stored 10.0.0.0/8
is spate.ip_filter effective 10.0.0.0/8 || fail "effective is $(cfg spate.ip_filter effective)"
is spate.ip_filter native "1 blocked ranges" || fail "native is $(cfg spate.ip_filter native)"
hides "spate.ip_filter: 1 item" || fail "the list editor did not close"

# A bad item: the engine's message, nothing changed, the editor stays.
keys Enter
wait_until 5 "the list editor opens with the value" shows_re "│ 10\.0\.0\.0/8 +│"
add_item 10.0.0.0/33
wait_until 5 "the bad item is listed" shows "spate.ip_filter: 2 items"
keys g # the cursor away from it: the error brings it back
keys w
wait_until 5 "the engine's message" shows 'bad IP filter entry "10.0.0.0/33"'
shows "spate.ip_filter: 2 items" || fail "the list editor closed on an error"
is spate.ip_filter stored 10.0.0.0/8 || fail "a bad item changed stored: $(cfg spate.ip_filter stored)"
is spate.ip_filter native "1 blocked ranges" || fail "a bad item changed libtorrent's filter"
# e edits the item under the cursor (the bad one): fix it, apply.
keys e
wait_until 5 "the item prompt is prefilled" shows "item 2 of spate.ip_filter: 10.0.0.0/33"
keys C-u
text 172.16.0.0/12
keys Enter
wait_until 5 "the fixed item" shows_re "│ 172\.16\.0\.0/12 +│"
keys w
wait_until 5 "the fixed list is stored" is spate.ip_filter stored 10.0.0.0/8,172.16.0.0/12
is spate.ip_filter native "2 blocked ranges" || fail "native is $(cfg spate.ip_filter native)"

# Esc: the list unchanged.
keys Enter
wait_until 5 "the list editor opens" shows "spate.ip_filter: 2 items"
keys d
keys d
wait_until 5 "both deleted in the editor" shows "spate.ip_filter: 0 items"
keys Escape
wait_until 5 "Esc says unchanged" shows "spate.ip_filter unchanged"
hides "spate.ip_filter: 0 items" || fail "Esc did not close the list editor"
is spate.ip_filter stored 10.0.0.0/8,172.16.0.0/12 || fail "Esc changed stored"
is spate.ip_filter native "2 blocked ranges" || fail "Esc changed libtorrent's filter"
# keys of the settings editor do nothing while the list editor is open
keys Enter
wait_until 5 "the list editor again" shows "spate.ip_filter: 2 items"
keys r
keys /
sleep 0.3
shows "[y/n]" && fail "r reached the settings editor under the list editor"
keys Escape
wait_until 5 "closed again" hides "spate.ip_filter: 2 items"

# ---- the schedule grid on spate.alt_speed_schedule ----
pick spate.alt_speed_schedule
wait_until 5 "the schedule key is selected" shows_re "^ spate.alt_speed_schedule: weekly schedule"
keys Enter
wait_until 5 "the grid opens" shows_re "Mon( [.#+]){24}"
shows '= "" (never active)' || fail "the empty schedule's text is not shown"
for _ in 1 2 3 4 5 6 7 8; do keys l; done
keys Space
keys l
keys Space
wait_until 5 "two cells active" shows_re "Mon( \.){8} # #( \.){14}"
wait_until 5 "the canonical text under the grid" shows "= mon 08:00-10:00"
is spate.alt_speed_schedule stored null || fail "stored before applying"
keys w
wait_until 5 "the schedule is stored" is spate.alt_speed_schedule stored "mon 08:00-10:00"
is spate.alt_speed_schedule effective "mon 08:00-10:00" || fail "schedule effective"
wait_until 5 "the grid closed" no_grid

# Esc after changes: unchanged.
keys Enter
wait_until 5 "the grid reopens with the schedule" shows_re "Mon( \.){8} # #( \.){14}"
keys x
wait_until 5 "cleared in the grid" shows '= "" (never active)'
keys Escape
wait_until 5 "Esc says unchanged" shows "spate.alt_speed_schedule unchanged"
no_grid || fail "Esc did not close the grid"
is spate.alt_speed_schedule stored "mon 08:00-10:00" || fail "Esc changed the schedule"

# Minutes inside an hour show as '+'; toggling one makes the hour whole.
sp tui config set spate.alt_speed_schedule "tue 08:30-09:15" >/dev/null || fail "config set"
keys Enter
wait_until 5 "partial hours" shows_re "Tue( \.){8} \+ \+( \.){14}"
shows_re "Mon( \.){24}" || fail "Monday should be empty now"
keys j
for _ in 1 2 3 4 5 6 7 8; do keys l; done
keys Space
wait_until 5 "the partial hour made whole" shows "= tue 08:00-09:15"
shows_re "Tue( \.){8} # \+( \.){14}" || fail "08:00 is not whole, or 09:00 not partial"
keys Escape
wait_until 5 "closed" no_grid
is spate.alt_speed_schedule stored "tue 08:30-09:15" || fail "Esc changed the schedule"

# 80x24: the whole grid is on screen.
tm resize-window -t spate -x 80 -y 24
sleep 0.5
keys Enter
wait_until 5 "the grid at 80x24" shows_re "Sun( [.#+]){24}"
screen >"$T/grid80.txt"
cat "$T/grid80.txt"
[ "$(wc -l <"$T/grid80.txt")" -le 24 ] || fail "more than 24 lines"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/grid80.txt")" -le 80 ] || fail "a line wider than 80 columns"
for d in Mon Tue Wed Thu Fri Sat Sun; do
  grep -qE "│ +$d( [.#+]){24} +│" "$T/grid80.txt" || fail "the $d row is not whole at 80x24"
done
grep -qE "│ +00    03    06    09    12    15    18    21 +│" "$T/grid80.txt" ||
  fail "the hours are not whole at 80x24"
grep -qE "┌─ spate\.alt_speed_schedule ─+┐" "$T/grid80.txt" || fail "no top border at 80x24"
grep -qE "└─+┘" "$T/grid80.txt" || fail "no bottom border at 80x24"
grep -qF "w apply" "$T/grid80.txt" || fail "no key hints at 80x24"
grep -qF "= tue 08:30-09:15" "$T/grid80.txt" || fail "no canonical text at 80x24"
keys Escape
tm resize-window -t spate -x 120 -y 30
sleep 0.5

# ---- a torrent's trackers, with tiers ----
keys Escape # clear the search
keys Escape # back to the list
wait_until 5 "back to the list" shows "No torrents"
make_payload "$T/src" 1 alpha.bin
tport=$(free_port)
SPATE_TORRENT_TRACKER="http://127.0.0.1:$tport/announce" \
  make_torrent "$T/src/alpha.bin" "$T/alpha.torrent" >/dev/null
sp tui add --paused "$T/alpha.torrent" >/dev/null || fail "add alpha"
wait_until 10 "the torrent is listed" shows_re "^ *1 +alpha\.bin"
wait_until 10 "its tracker" opt_is 1 trackers "http://127.0.0.1:$tport/announce"
keys g
keys e
wait_until 5 "the torrent's editor" shows_re "^ Torrent 1: alpha\.bin"
pick trackers
keys Enter
wait_until 5 "the trackers' list editor" shows "trackers of torrent 1: 1 item in 1 tier "
shows_re "│ tier 1  http://127\.0\.0\.1:$tport/announce +│" || fail "the tier is not shown"
add_item "http://127.0.0.1:$tport/second"
wait_until 5 "two trackers in one tier" shows "trackers of torrent 1: 2 items in 1 tier "
keys ']'
wait_until 5 "the new one in a tier of its own" shows "trackers of torrent 1: 2 items in 2 tiers"
shows_re "│ tier 2  http://127\.0\.0\.1:$tport/second +│" || fail "tier 2 is not shown"
keys w
wait_until 5 "the tiers reach the torrent" \
  opt_is 1 trackers "http://127.0.0.1:$tport/announce|http://127.0.0.1:$tport/second"
# K moves it back up, into the first tier
keys Enter
wait_until 5 "the list editor again" shows "2 items in 2 tiers"
keys G
keys K
wait_until 5 "one tier again" shows "2 items in 1 tier "
keys w
wait_until 5 "one tier on the torrent" \
  opt_is 1 trackers "http://127.0.0.1:$tport/announce,http://127.0.0.1:$tport/second"
keys q
wait_until 5 "back to the list" shows_re "^ *1 +alpha\.bin"

tui_quit
note "ok"
