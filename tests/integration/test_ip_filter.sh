#!/usr/bin/env bash
# The IP filter on loopback: with 127.0.0.1 blocked (inline CIDR list, then
# a PeerGuardian P2P blocklist file) the leecher gets no byte from the
# seeder and counts the refused peers; lifting the filter at run time (no
# restart) lets the download complete.
. "$(dirname "$0")/lib.sh"

make_payload "$T/seed/dl" 4 "payload.bin"
ih=$(make_torrent "$T/seed/dl/payload.bin" "$T/payload.torrent" 65536)
sport=$(free_port); lport=$(free_port)
spate_start seed "$sport"
sp seed add --dir "$T/seed/dl" "$T/payload.torrent" >/dev/null || fail "seeder add"
wait_until 60 "the seeder seeds" is_complete seed 1

spate_start leech "$lport" --set spate.ip_filter=127.0.0.0/8
native=$(sp leech config get spate.ip_filter --json | jq -r '.[0].native')
[ "$native" = "1 blocked ranges" ] || fail "libtorrent's ip_filter holds '$native'"
sp leech add --peer "127.0.0.1:$sport" "$T/payload.torrent" >/dev/null || fail "leecher add"
blocked() { [ "$(sp leech stats --json | jq -r '.blocked_peers')" -gt 0 ]; }
wait_until 30 "the leecher refuses the blocked seeder" blocked
sleep 2
done_bytes=$(jfield leech 1 done_bytes)
[ "$done_bytes" = 0 ] || fail "$done_bytes bytes came from a blocked peer"
note "ok: inline filter: $(sp leech stats --json | jq -r '.blocked_peers') peers refused, 0 bytes"

# a blocklist file instead: the same range, now from a P2P-format file
printf '# test list\nloopback:127.0.0.0-127.255.255.255\nbad line\n' >"$T/block.p2p"
sp leech config set spate.ip_filter_file "$T/block.p2p" >/dev/null 2>&1 || fail "set the file"
sp leech config set spate.ip_filter "" >/dev/null || fail "clear the inline list"
# the file is parsed on a worker: its ranges reach libtorrent shortly after
file_native() {
  native=$(sp leech config get spate.ip_filter_file --json | jq -r '.[0].native')
  [ "$native" = "1 blocked ranges" ]
}
wait_until 10 "the file's range reaches libtorrent" file_native
sp leech connect 1 "127.0.0.1:$sport" >/dev/null 2>&1
sleep 2
[ "$(jfield leech 1 done_bytes)" = 0 ] || fail "bytes came through the file's filter"

# lifted at run time: the download completes
sp leech config reset spate.ip_filter_file >/dev/null || fail "reset the file"
native=$(sp leech config get spate.ip_filter --json | jq -r '.[0].native')
[ "$native" = "0 blocked ranges" ] || fail "after reset: '$native'"
sp leech connect 1 "127.0.0.1:$sport" >/dev/null || fail "connect"
wait_until 60 "the leecher completes once unblocked" is_complete leech 1
cmp "$T/seed/dl/payload.bin" "$T/leech/dl/payload.bin" || fail "payload differs"
note "ok: blocklist file blocks, lifting the filter without a restart completes the download"
