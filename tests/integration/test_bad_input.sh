#!/usr/bin/env bash
# Bad input gets one clear line and exit 2, and the running instance is
# unaffected: a truncated .torrent, a garbage magnet, an unknown --set key,
# a bad value, a bad ID; plus exit 3 when no instance runs.
. "$(dirname "$0")/lib.sh"

make_payload "$T/src" 1 "f.bin"
ih=$(make_torrent "$T/src/f.bin" "$T/good.torrent")
head -c 100 "$T/good.torrent" >"$T/truncated.torrent"

expect() { # expect CODE DESC CMD...
  local code=$1 desc=$2; shift 2
  local out rc
  out=$("$@" 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq "$code" ] || fail "$desc: exit $rc, wanted $code ($out)"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$desc: wanted one line on stderr, got: $out"
  [ -n "$out" ] || fail "$desc: no message"
  note "$desc -> $code: $out"
}

expect 3 "no instance" sp a ls
port=$(free_port)
spate_start a "$port"
sp a add --paused "$T/good.torrent" || fail "good add"
before=$(sp a ls --json)

expect 2 "truncated .torrent" sp a add "$T/truncated.torrent"
expect 2 "missing .torrent" sp a add "$T/nope.torrent"
expect 2 "garbage magnet" sp a add "magnet:?xt=urn:btih:zzzz"
expect 2 "magnet without hash" sp a add "magnet:?dn=foo"
expect 2 "unknown --set key" sp a --set no_such_setting=1 ls
expect 2 "bad --set bool" sp a --set enable_dht=maybe ls
expect 2 "bad --set int" sp a --set connections_limit=12abc ls
expect 2 "unknown --set key at start" "$SPATE_BIN" --daemon --data-dir "$T/b" --set bogus_key=1
expect 2 "unknown ID" sp a pause 99
expect 2 "malformed ID" sp a pause xyz
expect 2 "short hash prefix" sp a info abc
expect 2 "connect to a malformed peer" sp a connect 1 "not-a-peer"
expect 2 "connect without a peer" sp a connect 1
expect 2 "unknown subcommand" sp a frobnicate
expect 2 "unknown option" sp a ls --frob
expect 2 "second add of the same torrent" sp a add "$T/good.torrent"
expect 1 "second instance on the same data dir" "$SPATE_BIN" --daemon --data-dir "$T/a" \
  "${LOOPBACK_SETS[@]}" --set "listen_interfaces=127.0.0.1:$(free_port)"

# malformed protocol lines straight at the socket
resp=$(printf 'not json\n{"id":1,"cmd":"nope"}\n{"id":2}\n[1,2]\n' |
  timeout 5 $PY -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read())
s.shutdown(socket.SHUT_WR); out = b""
while True:
    d = s.recv(65536)
    if not d: break
    out += d
print(out.decode())' "$T/a/control.sock")
note "$resp"
[ "$(echo "$resp" | grep -c '"error"')" -eq 4 ] || fail "four errors expected for four bad lines"
echo "$resp" | grep -q unknown_command || fail "no unknown_command error"

kill -0 "$a_PID" || fail "the instance died"
after=$(sp a ls --json)
[ "$(echo "$before" | jq -c '[.[] | {id, info_hash}]')" = "$(echo "$after" | jq -c '[.[] | {id, info_hash}]')" ] ||
  fail "the torrent table changed"
echo "$after" | jq -e --arg ih "$ih" '.[0].info_hash == $ih and .[0].state == "paused"' >/dev/null ||
  fail "the good torrent is not there, paused"
note "ok"
