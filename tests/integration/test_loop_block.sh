#!/usr/bin/env bash
# The loop thread never blocks on a file it did not make (issue 10): a
# blocklist that never ends (/dev/zero), a FIFO, a directory or a file over
# the size cap given as spate.ip_filter_file, and a FIFO or a device given
# to `add` over the socket, are refused with one clear message while the
# daemon keeps answering; a .torrent read through spate's own mount does
# not deadlock the loop. Every CLI call runs under `timeout`, so a wedged
# daemon fails the test instead of hanging it.
. "$(dirname "$0")/lib.sh"

# tsp NAME ARGS...: sp with a bound (10 s) on the whole call
tsp() {
  local name=$1; shift
  timeout 10 "$SPATE_BIN" --data-dir "$T/$name" "$@"
}

# answers NAME: the daemon still serves `ls` within the bound
answers() { tsp "$1" ls >/dev/null 2>&1; }

# raw NAME JSON: one request line straight to the socket (the CLI checks
# add's sources itself; this is what another client could send); prints the
# reply line. Bounded by the socket timeout.
raw() {
  timeout 15 $PY - "$T/$1/control.sock" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    chunk = s.recv(65536)
    if not chunk:
        break
    buf += chunk
print(buf.decode().strip())
PYEOF
}

port=$(free_port)
spate_start d "$port"

# ---- spate.ip_filter_file: only a regular file under the cap ----------------
mkfifo "$T/fifo"
mkdir "$T/adir"
for bad in /dev/zero "$T/fifo" "$T/adir"; do
  out=$(tsp d config set spate.ip_filter_file "$bad" 2>&1)
  rc=$?
  [ "$rc" -ne 124 ] || fail "config set spate.ip_filter_file $bad did not return within 10 s"
  [ "$rc" -ne 0 ] || fail "config set spate.ip_filter_file $bad was accepted: $out"
  echo "$out" | grep -q "only a regular file" || fail "unclear message for $bad: $out"
  answers d || fail "the daemon stopped answering after spate.ip_filter_file $bad"
done
note "ok: /dev/zero, a FIFO and a directory are refused at once"

# over the cap (a small cap, so the file stays small)
tsp d config set spate.ip_filter_file_max_bytes 1024 >/dev/null || fail "set the cap"
{
  for i in $(seq 1 100); do echo "range $i:10.0.$i.0-10.0.$i.255"; done
} >"$T/big.p2p"
out=$(tsp d config set spate.ip_filter_file "$T/big.p2p" 2>&1) && fail "a file over the cap was accepted"
echo "$out" | grep -q "over the limit" || fail "unclear message for a file over the cap: $out"
echo "$out" | grep -q "spate.ip_filter_file_max_bytes" || fail "the message does not name the cap: $out"
answers d || fail "the daemon stopped answering after a file over the cap"
tsp d config reset spate.ip_filter_file_max_bytes >/dev/null || fail "reset the cap"
note "ok: a file over spate.ip_filter_file_max_bytes is refused, naming the setting"

# a valid blocklist still applies (parsed on a worker, then in libtorrent)
printf '# test\nloopback:127.9.0.0-127.9.255.255\nten:10.0.0.0-10.255.255.255\n' >"$T/ok.p2p"
tsp d config set spate.ip_filter_file "$T/ok.p2p" >/dev/null || fail "a valid blocklist was refused"
native_is_2() {
  [ "$(tsp d config get spate.ip_filter_file --json | jq -r '.[0].native')" = "2 blocked ranges" ]
}
wait_until 10 "the blocklist reaches libtorrent" native_is_2
[ "$(tsp d stats --json | jq -r '.ip_filter_ranges')" = 2 ] || fail "stats does not show 2 ranges"
note "ok: a valid blocklist applies (2 ranges in libtorrent)"

# the file turns into a FIFO: the periodic reload refuses it on its worker
# and the previous filter stays in force
rm "$T/ok.p2p"
mkfifo "$T/ok.p2p"
# the health log (the store's events table, read-only while spate runs)
logged() {
  timeout 5 sqlite3 -readonly "file:$T/d/spate.db?mode=ro" \
    "select message from events where message like '%previous filter stays in force%'" \
    2>/dev/null | grep -q FIFO
}
wait_until 30 "the reload of a FIFO is reported" logged
answers d || fail "the daemon stopped answering after the blocklist became a FIFO"
native_is_2 || fail "the previous filter is gone after a failed reload"
rm "$T/ok.p2p"
note "ok: a blocklist that became a FIFO: one message, the previous filter stays"

# ---- --set at start-up: the CLI's check refuses a FIFO without hanging --------
out=$(timeout 10 "$SPATE_BIN" --data-dir "$T/d2" --set "spate.ip_filter_file=$T/fifo" ls 2>&1)
rc=$?
[ "$rc" -ne 124 ] || fail "--set spate.ip_filter_file=FIFO hung"
[ "$rc" -ne 0 ] || fail "--set spate.ip_filter_file=FIFO was accepted"
echo "$out" | grep -q "only a regular file" || fail "unclear --set message: $out"
note "ok: --set spate.ip_filter_file=FIFO is refused at once"

# ---- add over the socket: a FIFO and a device fail cleanly ----------------------
for src in "$T/fifo" /dev/zero; do
  reply=$(raw d "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"$src\"]}")
  [ -n "$reply" ] || fail "no reply to add $src"
  code=$(echo "$reply" | jq -r '.error.code')
  [ "$code" = invalid_torrent ] || fail "add $src: $reply"
  echo "$reply" | jq -r '.error.message' | grep -q "only a regular file" ||
    fail "unclear message for add $src: $reply"
  answers d || fail "the daemon stopped answering after add $src"
done
note "ok: add of a FIFO and of /dev/zero over the socket fail cleanly"

# over spate.torrent_file_max_bytes
head -c 4096 /dev/urandom >"$T/big.torrent"
tsp d config set spate.torrent_file_max_bytes 1024 >/dev/null || fail "set the .torrent cap"
out=$(tsp d add "$T/big.torrent" 2>&1) && fail "a .torrent over the cap was added"
echo "$out" | grep -q "spate.torrent_file_max_bytes" || fail "unclear message: $out"
tsp d config reset spate.torrent_file_max_bytes >/dev/null || fail "reset the .torrent cap"
note "ok: a .torrent over spate.torrent_file_max_bytes is refused, naming the setting"

# ---- a .torrent read through spate's own mount ------------------------------------
if [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ] || [ ! -w /dev/fuse ]; then
  echo "SKIP: /dev/fuse is absent or not usable by $(id -un): the own-mount case cannot run here" >&2
  exit 77
fi
# a torrent whose only file is itself a .torrent, downloading with no peer:
# its data is not there, so a read through the mount waits for pieces
# (up to spate.fuse_read_timeout_s) that only the loop thread can fetch
mkdir -p "$T/src"
make_payload "$T/src" 1 inner.bin
make_torrent "$T/src/inner.bin" "$T/src/inner.torrent" 16384 >/dev/null
make_torrent "$T/src/inner.torrent" "$T/outer.torrent" 16384 >/dev/null
mport=$(free_port)
M="$T/m/mnt"
spate_start m "$mport" --mount "$M"
is_mounted "$M" || fail "not mounted at $M"
tsp m add "$T/outer.torrent" >/dev/null || fail "add the outer torrent"
inside=""
find_inside() {
  inside=$(timeout 5 find "$M" -name inner.torrent -type f 2>/dev/null | head -1)
  [ -n "$inside" ]
}
wait_until 10 "the .torrent shows in the mount" find_inside
tsp m add "$inside" >"$T/madd.out" 2>&1
rc=$?
[ "$rc" -ne 124 ] || fail "add of a .torrent in spate's own mount did not return within 10 s"
answers m || fail "the daemon stopped answering after the add through its own mount"
if [ "$rc" -eq 0 ]; then
  note "the add through the mount worked"
else
  grep -q "spate's own mount" "$T/madd.out" || fail "unclear message: $(cat "$T/madd.out")"
fi
note "ok: a .torrent inside spate's own mount: $(head -1 "$T/madd.out"); the daemon answers"
