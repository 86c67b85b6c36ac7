#!/usr/bin/env bash
# A torrent's settings in the TUI, and categories and tags in the list, in
# tmux. Two paused torrents and a category "films" (download_limit 30000)
# come from the CLI; then in the TUI: e on torrent 1 (e is in the help)
# opens its settings, titled with its id and name; set download_limit
# (checked with `spate get`), a bad value changes nothing; toggle
# sequential_download; pick category films from the list of categories
# (its download_limit default applies); set tags a,b, add c and delete it
# again in the list editor;
# trackers offer no reset, download_limit resets with r + y; q goes back.
# In the list at 120 columns the category/tags column shows "films [a,b]";
# c filters by "films" (only torrent 1, the title line says so, e opens
# the right torrent) and by tag "b", Esc clears; at 80x24 the list is
# readable (no category column, names shown). Quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
tui_start
# info_is ID FIELD VALUE: a field of `spate info ID --json`
info_is() { [ "$(jfield tui "$1" "$2")" = "$3" ]; }
# set_value KEY VALUE: opens KEY's prompt, replaces the text, submits
set_value() { keys Enter; keys C-u; text "$2"; keys Enter; }

# Two paused torrents and a category, from the CLI.
make_payload "$T/src" 1 alpha.bin
make_payload "$T/src" 1 bravo.bin
make_torrent "$T/src/alpha.bin" "$T/alpha.torrent" >/dev/null
make_torrent "$T/src/bravo.bin" "$T/bravo.torrent" >/dev/null
sp tui add --paused "$T/alpha.torrent" >/dev/null || fail "add alpha"
sp tui add --paused "$T/bravo.torrent" >/dev/null || fail "add bravo"
sp tui category set films download_limit=30000 >/dev/null || fail "category set films"
wait_until 10 "both torrents listed" shows_re "^ *2 +bravo\.bin"
shows_re "^ *1 +alpha\.bin" || fail "alpha is not torrent 1"
hides "Category/tags" || fail "a category column without categories or tags"

# The help lists the new keys (the filter's may be on its second page).
keys '?'
wait_until 5 "help lists torrent settings" shows "torrent settings"
shows "filter the list by category or tag" || keys PageDown
wait_until 5 "help lists the filter" shows "filter the list by category or tag"
keys Escape
sleep 0.3
hides "spate keys" || fail "the help overlay did not close"

# e on torrent 1 opens its settings.
keys g
keys e
wait_until 5 "the torrent's editor opens, titled by id and name" shows_re "^ Torrent 1: alpha\.bin"
wait_until 5 "per-torrent keys are listed" shows_re "^ +download_limit +0"
shows_re "^ +sequential_download +false" || fail "sequential_download not listed"
shows "spate.download_dir" && fail "a session key in a torrent's editor"

# An int: the prompt has unit and bounds; the value reaches libtorrent.
pick download_limit
wait_until 5 "download_limit details" shows_re "^ download_limit: int, bytes/s, 0\.\.[0-9]+"
keys Enter
wait_until 5 "the prompt shows unit and bounds" shows "download_limit (bytes/s, 0.."
keys C-u
text 12345
keys Enter
wait_until 5 "the change is confirmed" shows "download_limit = 12345"
wait_until 5 "spate get shows the limit" opt_is 1 download_limit 12345
opt_is 2 download_limit 0 || fail "torrent 2 changed too"
wait_until 5 "the row shows the value, not default" shows_re "^ \+ +download_limit +12345"

# A bad value: one line of error, nothing changed.
set_value download_limit abc
wait_until 5 "the error shows" shows "takes an integer"
opt_is 1 download_limit 12345 || fail "a bad value changed the limit: $(opt 1 download_limit)"

# A bool toggles at once.
pick sequential_download
wait_until 5 "sequential_download details" shows_re "^ sequential_download: bool"
keys Enter
wait_until 5 "sequential_download on" opt_is 1 sequential_download true
keys Enter
wait_until 5 "sequential_download off again" opt_is 1 sequential_download false
keys Enter
wait_until 5 "sequential_download on again" opt_is 1 sequential_download true

# The category from the list of categories: (none), films.
pick category
wait_until 5 "category details" shows_re "^ category: string"
keys Enter
wait_until 5 "the category list opens" shows "(none)"
shows_re "films" || fail "films is not offered"
keys Home
keys j
keys Enter
wait_until 5 "category films" info_is 1 category films
wait_until 5 "the category's download_limit applied" opt_is 1 download_limit 30000
wait_until 5 "the row shows films" shows_re "^ \+ +category +films"

# Tags: Enter opens the list editor; a adds (comma separated), d
# deletes, w applies the whole list.
pick tags
wait_until 5 "tags details" shows_re "^ tags: string"
shows "Enter edits the list" || fail "the details do not say how tags are edited"
keys Enter
wait_until 5 "the tags' list editor" shows "tags of torrent 1: 0 items"
keys a
wait_until 5 "the item prompt" shows "add to tags:"
text a,b
keys Enter
wait_until 5 "two tags in the editor" shows "tags of torrent 1: 2 items"
keys w
wait_until 5 "tags a,b" info_is 1 tags a,b
keys Enter
wait_until 5 "the editor holds the list" shows "tags of torrent 1: 2 items"
keys G
keys a
text c
keys Enter
keys w
wait_until 5 "c added" info_is 1 tags a,b,c
keys Enter
wait_until 5 "three tags in the editor" shows "tags of torrent 1: 3 items"
keys G
keys d
keys w
wait_until 5 "c removed" info_is 1 tags a,b

# Trackers: no reset (it would drop them all); the message says so.
pick trackers
wait_until 5 "trackers details" shows_re "^ trackers: "
keys r
wait_until 5 "no reset for trackers" shows "trackers has no default to restore"
shows "[y/n]" && fail "trackers reset asks anyway"

# storage_mode, if the registry has it per torrent: chosen on add only.
if sp tui get 1 storage_mode --json >/dev/null 2>&1; then
  pick storage_mode
  keys Enter
  wait_until 5 "storage_mode is read-only" shows "storage_mode is chosen when a torrent is added"
fi

# Reset download_limit with r + y.
pick download_limit
keys r
wait_until 5 "the reset question" shows_re "reset download_limit of torrent 1 to its default \(0\)\? \[y/n\]"
keys y
wait_until 5 "download_limit reset" opt_is 1 download_limit 0
wait_until 5 "the reset is confirmed" shows "download_limit reset to the default: 0"
info_is 1 category films || fail "the reset changed the category"

# q goes back to the list.
keys q
wait_until 5 "back to the list" shows_re "^ *2 +bravo\.bin"

# The list shows category and tags at 120 columns.
wait_until 5 "the category/tags column" shows "Category/tags"
wait_until 5 "torrent 1's labels" shows_re "^ *1 +alpha\.bin +films \[a,b\]"
screen | grep -E "^ *2 +bravo\.bin" | grep -qF films && fail "torrent 2 shows a category"

# Filter by category: only torrent 1; the selection (on 2) moves to it.
keys G
keys c
wait_until 5 "the filter prompt" shows "filter by category or tag (empty: all):"
text films
keys Enter
wait_until 5 "the filter line" shows '1 of 2 torrents · view: all · filter "films"'
wait_until 5 "torrent 1 listed" shows_re "^ *1 +alpha\.bin"
hides "bravo.bin" || fail "torrent 2 is listed under the filter"
keys e
wait_until 5 "e opens the visible torrent" shows_re "^ Torrent 1: alpha\.bin"
keys q
wait_until 5 "back to the filtered list" shows 'filter "films"'

# Esc clears it.
keys Escape
wait_until 5 "the filter is cleared" shows_re "^ *2 +bravo\.bin"
hides 'filter "' || fail "the filter line is still shown"

# By tag, as a whole item: "b" finds torrent 1, "a,b" nothing.
keys c
text b
keys Enter
wait_until 5 "tag b: torrent 1 only" shows '1 of 2 torrents · view: all · filter "b"'
hides "bravo.bin" || fail "tag b lists torrent 2"
keys c
keys C-u
text a,b
keys Enter
wait_until 5 "a,b is not one tag" shows 'No torrent has the category or tag "a,b"'
# An empty filter clears it.
keys c
keys C-u
keys Enter
wait_until 5 "an empty filter shows all" shows_re "^ *2 +bravo\.bin"
hides 'filter "' || fail "the filter line is still shown"

# 80x24: readable; the category/tags column is the first to go.
tm resize-window -t spate -x 80 -y 24
sleep 0.5
wait_until 5 "alpha at 80x24" shows_re "^ *1? *alpha\.bin"
wait_until 5 "bravo at 80x24" shows_re "^ *2? *bravo\.bin"
tui_fits_80x24 "$T/screen80.txt"
grep -qE "Name +.*Size" "$T/screen80.txt" || fail "no header at 80x24"
grep -qF "Category/tags" "$T/screen80.txt" && fail "the category column did not drop at 80 columns"
cat "$T/screen80.txt"
# and a filter still reads at 80 columns
keys c
text films
keys Enter
wait_until 5 "the filter line at 80x24" shows '1 of 2 torrents · view: all · filter "films"'
hides "bravo.bin" || fail "the filter at 80x24 lists torrent 2"
keys Escape
wait_until 5 "cleared at 80x24" shows "bravo.bin"
# the torrent editor at 80x24
keys g
keys e
wait_until 5 "the torrent's editor at 80x24" shows_re "^ Torrent 1: alpha\.bin"
keys Escape # clears the search the editor kept
wait_until 5 "all its keys at 80x24" shows_re "^ Torrent 1: alpha\.bin .* [0-9]+ settings"
keys g
wait_until 5 "its first key at 80x24" shows_re "^ download_limit: int"
screen >"$T/editor80.txt"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/editor80.txt")" -le 80 ] || fail "an editor line wider than 80"
[ "$(grep -cE '^[ +]{3} [a-z_]+ ' "$T/editor80.txt")" -ge 10 ] || fail "fewer than 10 key lines"
keys Escape
wait_until 5 "Esc goes back to the list" shows "bravo.bin"

# Quit (nothing is downloading: no question).
tui_quit
note "ok"
