#!/usr/bin/env bash
# The TUI settings editor in tmux: open it with O (and find it in the help),
# search for download_rate_limit and set it, see stored, effective and
# libtorrent's value agree through `spate config get`; type a bad value and
# see the message and nothing changed; a clamped value gives a warning;
# toggle a bool, pick an enum, enter a secret masked; restore a default
# with r + y; shrink the terminal to 80x24 and still read the key names;
# leave the editor with q and Esc, and quit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
tui_start

# Open the editor; the help overlay lists its keys.
keys O
wait_until 5 "the editor opens" shows "Settings: "
wait_until 5 "group headings show" shows_re "^ network"
keys '?'
wait_until 5 "help lists the settings editor" shows "settings editor"
# the overlay scrolls: the editor's own keys are further down
for _ in 1 2 3 4; do shows "restore the default" && break; keys PageDown; done
wait_until 5 "help lists restoring a default" shows "restore the default"
keys Escape
sleep 0.3
shows "spate keys" && fail "the help overlay did not close"

# Search, then set an int through the prefilled prompt.
pick download_rate_limit
wait_until 5 "the search narrows the list" shows_re 'Settings: [0-9]+ of [0-9]+ keys match "download_rate_limit"'
wait_until 5 "download_rate_limit is selected" shows_re "^ download_rate_limit: int, bytes/s, 0\.\.[0-9]+"
keys Enter
wait_until 5 "the prompt shows unit and bounds" shows "download_rate_limit (bytes/s, 0.."
keys C-u
text 1048576
keys Enter
wait_until 5 "the change is confirmed" shows "download_rate_limit = 1048576"
wait_until 5 "stored" is download_rate_limit stored 1048576
is download_rate_limit effective 1048576 || fail "effective is $(cfg download_rate_limit effective)"
is download_rate_limit native 1048576 || fail "native is $(cfg download_rate_limit native)"
wait_until 5 "the row shows the value and the stored marker" shows_re '^\*\+ +download_rate_limit +1048576'

# A bad value: one line of message, nothing changed.
keys Enter
keys C-u
text abc
keys Enter
wait_until 5 "the error shows" shows "takes an integer"
is download_rate_limit stored 1048576 || fail "a bad value changed stored: $(cfg download_rate_limit stored)"
is download_rate_limit effective 1048576 || fail "a bad value changed effective"
is download_rate_limit native 1048576 || fail "a bad value changed libtorrent's value"

# Out of bounds: clamped, with a warning.
keys Enter
keys C-u
text -5
keys Enter
wait_until 5 "the clamp warning shows" shows "clamped to 0"
wait_until 5 "the clamped value is stored" is download_rate_limit stored 0

# Restore the default: r asks, y does it.
keys r
wait_until 5 "the reset question" shows_re "reset download_rate_limit to its default .*\[y/n\]"
keys y
wait_until 5 "the reset is confirmed" shows "download_rate_limit reset to the default"
wait_until 5 "nothing stored" is download_rate_limit stored null
is download_rate_limit effective "$(cfg download_rate_limit default)" || fail "not back to the default"

# A bool toggles at once.
before=$(cfg announce_to_all_trackers effective)
case "$before" in true) after=false ;; false) after=true ;; *) fail "bool reads '$before'" ;; esac
pick announce_to_all_trackers
wait_until 5 "announce_to_all_trackers is selected" shows_re "^ announce_to_all_trackers: bool"
keys Enter
wait_until 5 "the bool is stored" is announce_to_all_trackers stored "$after"
is announce_to_all_trackers effective "$after" || fail "bool effective"
is announce_to_all_trackers native "$after" || fail "bool native"

# An enum: Enter opens the list of names, j moves, Enter picks (names:
# pe_forced, pe_enabled, pe_disabled).
pick out_enc_policy
wait_until 5 "out_enc_policy is selected" shows_re "^ out_enc_policy: enum: "
before=$(cfg out_enc_policy effective)
keys Enter
wait_until 5 "the enum list opens" shows_n 2 pe_disabled
keys Home
if [ "$before" = pe_disabled ]; then want=pe_forced; else want=pe_disabled; keys j; keys j; fi
keys Enter
wait_until 5 "$want is stored" is out_enc_policy stored "$want"
is out_enc_policy effective "$want" || fail "enum effective is $(cfg out_enc_policy effective)"
is out_enc_policy native "$want" || fail "enum native is $(cfg out_enc_policy native)"

# A secret: the prompt starts empty and shows stars only.
pick proxy_password
wait_until 5 "proxy_password is selected" shows_re "^ proxy_password: secret"
keys Enter
wait_until 5 "the secret prompt" shows "proxy_password: "
text hunter2
wait_until 5 "the secret is masked" shows "proxy_password: *******"
shows hunter2 && fail "the secret is shown in clear"
keys Enter
wait_until 5 "the secret is stored" is proxy_password stored "(set)"
shows hunter2 && fail "the secret is shown after storing"
keys r
wait_until 5 "the secret reset question" shows "reset proxy_password to its default?"
keys y
wait_until 5 "the secret is forgotten" is proxy_password stored null

# Esc clears the search (and the editor stays).
keys Escape
sleep 0.3
wait_until 5 "the search is cleared" shows_re "Settings: [0-9]+ keys +"
shows 'keys match "' && fail "the search is still on"

# 80x24: still readable.
tm resize-window -t spate -x 80 -y 24
keys g
wait_until 5 "the first key at 80x24" shows_re "^[ *][ +][ !] listen_interfaces +"
wait_until 5 "its details at 80x24" shows_re "^ listen_interfaces: host:port list"
tui_fits_80x24 "$T/screen80.txt"
grep -qE "^ network" "$T/screen80.txt" || fail "no group heading at 80x24"
[ "$(grep -cE '^[ *][ +][ !] [a-z_.]+ ' "$T/screen80.txt")" -ge 10 ] ||
  fail "fewer than 10 key lines at 80x24"
last=$(sp tui config get --json | jq -r '.[-1].key')
keys G
wait_until 5 "the last key ($last) at 80x24" shows_re "^ $last: "
cat "$T/screen80.txt"

# q leaves the editor at once, search or not; O opens it as it was.
search listen
wait_until 5 "a search is on" shows 'keys match "listen"'
keys q
wait_until 5 "back to the torrent list" shows "No torrents"
keys O
wait_until 5 "the editor reopens with its search" shows 'keys match "listen"'
keys Escape
sleep 0.3
wait_until 5 "Esc clears the search" shows_re "Settings: [0-9]+ keys +"
keys Escape
sleep 0.3
wait_until 5 "Esc again leaves the editor" shows "No torrents"

# The alternative speed limits by hand from the torrent list: 'A' turns
# them on (libtorrent then holds the alternative limit), the status line
# says ALT, 'A' again turns them off.
sp tui config set spate.alt_download_rate_limit 51200 >/dev/null || fail "alt limit"
keys A
wait_until 5 "alt speed on" is spate.alt_speed effective true
is download_rate_limit native 51200 || fail "libtorrent does not hold the alternative limit"
wait_until 5 "ALT in the status line" shows "ALT"
keys A
wait_until 5 "alt speed off" is spate.alt_speed effective false
is download_rate_limit native 0 || fail "the normal limit is not back"
wait_until 5 "ALT gone" bash -c "! tmux -S '$TUI_SOCK' capture-pane -p -t spate | grep -qF ALT"
note "ok: A toggles the alternative speed limits, shown in the status line"

# Quit.
tui_quit
shows "Settings: " && fail "the screen was not restored after exit"
note "ok"
