#!/usr/bin/env bash
# kill -9 the leecher mid-download and restart it: the database passes
# integrity_check, the torrent comes back from its resume data without a
# full recheck, verified pieces are not downloaded again (counters), and the
# download completes with identical bytes.
. "$(dirname "$0")/lib.sh"

make_payload "$T/seedsrc" 64 "payload.bin"
ih=$(SPATE_TORRENT_V1=1 make_torrent "$T/seedsrc/payload.bin" "$T/p.torrent" 262144)
total=$((64 * 1024 * 1024))
piece=262144

# a throttled seeder (6 MB/s per torrent) so there is a middle to kill in
lt_seed sport "$T/p.torrent" "$T/seedsrc" 6000000

lport=$(free_port)
spate_start leech "$lport" --set spate.resume_interval_s=1
sp leech add --peer "127.0.0.1:$sport" "$T/p.torrent" || fail "add"
half() { [ "$(jfield leech 1 done_bytes)" -ge $((total / 2)) ]; }
wait_until 60 "half of the payload" half
sleep 1.5 # let one resume save land after the halfway mark
done_at_kill=$(jfield leech 1 done_bytes)
kill -KILL "$leech_PID"
wait "$leech_PID" 2>/dev/null
note "killed at $done_at_kill of $total bytes"

[ "$(sqlite3 "$T/leech/spate.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
rm -f "$T/leech/control.sock"

spate_start leech "$lport" --set spate.resume_interval_s=1
wait_until 10 "the torrent is back" bash -c "'$SPATE_BIN' --data-dir '$T/leech' info 1 --json | jq -e '.info_hash == \"$ih\"'"
not_checking() { [ "$(jfield leech 1 state)" != checking ] && [ "$(jfield leech 1 has_metadata)" = true ]; }
wait_until 10 "resume data is loaded" not_checking
resumed=$(jfield leech 1 done_bytes)
note "resumed with $resumed bytes verified"
[ "$resumed" -ge $((total / 4)) ] || fail "resume lost the verified pieces ($resumed bytes)"

wait_until 120 "the download completes" is_complete leech 1
again=$(jfield leech 1 session_downloaded)
note "downloaded after restart: $again bytes (left at restart: $((total - resumed)))"
[ "$again" -le $((total - resumed + 4 * piece)) ] ||
  fail "verified pieces were downloaded again ($again > $((total - resumed)) + slack)"
[ "$again" -lt "$total" ] || fail "the whole torrent was downloaded again"
cmp "$T/seedsrc/payload.bin" "$T/leech/dl/payload.bin" || fail "payload differs"
note "ok"
