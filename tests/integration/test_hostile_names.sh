#!/usr/bin/env bash
# A torrent whose name and file path carry terminal controls (ESC/CSI
# sequences, the C1 control U+009B as UTF-8 and as a raw byte, DEL, a
# newline, BEL) reaches no terminal with them: `spate add`, `ls`, `info`
# print the replacement instead, `ls --json` on a tty escapes C1 while piped
# JSON keeps the name exactly, and the TUI draws the replacement.
# libtorrent turns C0 and invalid bytes of a .torrent's names into '_' but
# keeps DEL and C1; a magnet's dn reaches us as it is, ESC included.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

make_payload "$T/src" 1 "plain.bin"
# the name and a file path with controls, written into the bencoded info
# dict by hand (libtorrent's create_torrent takes names from the disk)
$PY - "$T/src/plain.bin" "$T/evil.torrent" <<'PYEOF'
import sys, libtorrent as lt
fs = lt.file_storage()
lt.add_files(fs, sys.argv[1])
ct = lt.create_torrent(fs, 0, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(ct, sys.argv[1].rsplit("/", 1)[0])
t = ct.generate()
info = t[b"info"]
length = info.pop(b"length")
evil = b"EVIL\x1b[2J\x1b]0;pwned\x07\xc2\x9b31m\x9b" + b"X\x7fY\nZ\xc2\x85end"
info[b"name"] = evil
info[b"files"] = [{b"length": length, b"path": [b"dir\x1b[1m", b"file\xc2\x9b\x9b.bin"]}]
open(sys.argv[2], "wb").write(lt.bencode(t))
PYEOF

# check_bytes DESC FILE: FILE is valid UTF-8 with no control character but
# newlines (C0, DEL, C1 U+0080-009F; a raw C1 byte is invalid UTF-8)
check_bytes() {
  $PY - "$2" <<'PYEOF' || fail "$1 carries a control character: $(od -c "$2" | head -20)"
import sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")  # raises on a raw C1 byte
bad = [hex(ord(c)) for c in text
       if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
sys.exit(1 if bad else 0)
PYEOF
  note "$1: no control bytes"
}

port=$(free_port)
spate_start a "$port"
sp a add --paused "$T/evil.torrent" >"$T/add.out" 2>&1 || fail "add: $(cat "$T/add.out")"
check_bytes "add" "$T/add.out"
sp a ls >"$T/ls.out" 2>&1 || fail "ls"
check_bytes "ls" "$T/ls.out"
grep -qF "pwned_?31m_X?Y_Z?end" "$T/ls.out" || fail "ls does not show the replacement: $(cat "$T/ls.out")"
sp a info 1 >"$T/info.out" 2>&1 || fail "info"
check_bytes "info" "$T/info.out"
grep -qF "/file?" "$T/info.out" || fail "info does not show the file path replaced: $(cat "$T/info.out")"
[ "$(grep -c '' "$T/info.out")" -eq "$(sp a info 1 | grep -c '')" ] || fail "info lines"
grep -q "^Z" "$T/info.out" && fail "the newline in the name forged a line"

# a magnet's dn: ESC, CSI, a raw C1 byte, a newline, as they are
mag="magnet:?xt=urn:btih:$(printf '%040d' 7)&dn=MAG%1B%5B2J%C2%9B%9B31m%0Aline%09tab"
sp a add --paused "$mag" >"$T/add2.out" 2>&1 || fail "add magnet: $(cat "$T/add2.out")"
check_bytes "add magnet" "$T/add2.out"
sp a ls >"$T/ls.out" 2>&1 || fail "ls"
check_bytes "ls with the magnet" "$T/ls.out"
grep -qF "MAG?[2J?$(printf '\357\277\275')31m?line?tab" "$T/ls.out" ||
  fail "ls does not show the magnet's name replaced: $(cat "$T/ls.out")"
sp a info 2 >"$T/info2.out" 2>&1 || fail "info 2"
check_bytes "info of the magnet" "$T/info2.out"
grep -q "^line" "$T/info2.out" && fail "the newline in the name forged a line"
# piped JSON keeps the name as it is (valid UTF-8: the raw byte is U+FFFD)
[ "$(sp a ls --json | jq -r '.[1].name' | od -An -tx1 | tr -d ' \n')" = \
  "$(printf 'MAG\033[2J\302\233\357\277\27531m\nline\ttab\n' | od -An -tx1 | tr -d ' \n')" ] ||
  fail "piped JSON changed the name: $(sp a ls --json | jq '.[1].name')"
# on a tty, --json escapes C1 (jansson escapes C0 itself)
$PY - "$SPATE_BIN" "$T/a" "$T/json.tty" <<'PYEOF' || fail "ls --json on a tty"
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--data-dir", sys.argv[2], "ls", "--json"])
out, deadline = b"", time.time() + 10
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
open(sys.argv[3], "wb").write(out.replace(b"\r\n", b"\n"))
PYEOF
check_bytes "ls --json on a tty" "$T/json.tty"
grep -qF '\u009b31m_X\u007fY' "$T/json.tty" || fail "no \\u009b escape on the tty: $(cat "$T/json.tty")"

# the TUI
tui_start
sp tui add --paused "$T/evil.torrent" >/dev/null || fail "tui add"
sp tui add --paused "$mag" >/dev/null || fail "tui add magnet"
wait_until 10 "the TUI shows the names" shows "MAG"
screen >"$T/screen.out"
check_bytes "tui screen" "$T/screen.out"
grep -qF "EVIL_[2J_]0;pwned_?31" "$T/screen.out" || { dump; fail "the TUI does not show the replacement"; }
grep -qF "MAG?[2J?" "$T/screen.out" || { dump; fail "the TUI does not show the magnet's name replaced"; }
# the Info and Files tabs of the first torrent (name, file path)
keys 4
wait_until 5 "the Info tab shows the name" shows "pwned_?31m_X?Y_Z?end"
screen >"$T/screen2.out"
check_bytes "tui info tab" "$T/screen2.out"
keys 3
wait_until 5 "the Files tab shows the directory" shows "dir_[1m/"
screen >"$T/screen3.out"
check_bytes "tui files tab" "$T/screen3.out"
tui_quit
note "ok"
