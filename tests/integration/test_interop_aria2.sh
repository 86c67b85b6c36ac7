#!/usr/bin/env bash
# Interop with a third-party client from Debian (aria2c), on 127.0.0.1 only
# with DHT, LPD and PEX off: spate leeches from aria2c seeding, then spate
# seeds to aria2c leeching.
. "$(dirname "$0")/lib.sh"
command -v aria2c >/dev/null || { echo "aria2c is not installed (make deps)"; exit 77; }

ARIA_OPTS=(--interface=127.0.0.1 --disable-ipv6=true --enable-dht=false --enable-dht6=false
  --bt-enable-lpd=false --enable-peer-exchange=false --check-integrity=true
  --file-allocation=none --summary-interval=0 --console-log-level=warn --bt-stop-timeout=0
  --bt-external-ip=127.0.0.1)

make_payload "$T/aria-seed" 16 "from-aria.bin"
ih1=$(SPATE_TORRENT_V1=1 make_torrent "$T/aria-seed/from-aria.bin" "$T/a.torrent" 65536)
aport=$(free_port)
aria2c "${ARIA_OPTS[@]}" --listen-port="$aport" --dir="$T/aria-seed" --seed-ratio=0.0 \
  --seed-time=10 --stop=300 "$T/a.torrent" >"$T/aria-seed.log" 2>&1 &
PIDS+=($!)
wait_listening "$aport"

sport=$(free_port)
spate_start s "$sport"
sp s add --peer "127.0.0.1:$aport" "$T/a.torrent" || fail "add"
wait_until 120 "spate completes from aria2c" is_complete s 1
cmp "$T/aria-seed/from-aria.bin" "$T/s/dl/from-aria.bin" || fail "bytes from aria2c differ"
note "spate leeched 16 MiB from aria2c"

# spate seeds to aria2c: aria2c leeches and listens; spate connects to it
make_payload "$T/s/dl" 16 "from-spate.bin"
ih2=$(SPATE_TORRENT_V1=1 make_torrent "$T/s/dl/from-spate.bin" "$T/b.torrent" 65536)
sp s add "$T/b.torrent" || fail "add seed"
wait_until 60 "spate seeds" is_complete s 2
bport=$(free_port)
mkdir -p "$T/aria-leech"
aria2c "${ARIA_OPTS[@]}" --listen-port="$bport" --dir="$T/aria-leech" --seed-time=0 \
  --stop=300 "$T/b.torrent" >"$T/aria-leech.log" 2>&1 &
apid=$!
PIDS+=($apid)
wait_listening "$bport"
sp s connect 2 "127.0.0.1:$bport" || fail "connect to aria2c"
for _ in $(seq 1 600); do kill -0 "$apid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$apid" 2>/dev/null && { tail "$T/aria-leech.log"; fail "aria2c did not finish in 120 s"; }
cmp "$T/s/dl/from-spate.bin" "$T/aria-leech/from-spate.bin" || { tail "$T/aria-leech.log"; fail "bytes at aria2c differ"; }
note "aria2c leeched 16 MiB from spate ($ih1 $ih2)"
