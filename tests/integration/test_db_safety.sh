#!/usr/bin/env bash
# spate's state stays private and recoverable:
# 1. started under umask 000 in an existing 0755 data dir, spate.db, its
#    -wal and -shm, the lock and the socket are 0600, and the open data dir
#    gets a warning in the health log;
# 2. a database with damaged pages is refused at start (exit 1, one line
#    naming the file and `spate db restore`); `spate db restore` (refused
#    while spate runs) puts the backup back and spate starts with its
#    torrents;
# 3. a peer given with `add --peer` is kept with the torrent: the leecher is
#    restarted with no tracker and no DHT and still completes from it.
. "$(dirname "$0")/lib.sh"

mode() { stat -c %a "$1"; }

# ---- 1. modes ---------------------------------------------------------------
mkdir -p "$T/m"
chmod 0755 "$T/m"
mport=$(free_port)
old_umask=$(umask)
umask 000
spate_start m "$mport"
sp m config set spate.theme light >/dev/null || fail "config set"
for f in spate.db spate.db-wal spate.db-shm spate.lock control.sock; do
  [ -e "$T/m/$f" ] || fail "$f is missing"
  [ "$(mode "$T/m/$f")" = 600 ] || fail "$f is $(mode "$T/m/$f"), not 600"
done
dir_warned() {
  sqlite3 "$T/m/spate.db" "SELECT message FROM events WHERE level = 'warn'" |
    grep -q "data directory $T/m is readable"
}
wait_until 10 "a warning about the open data dir" dir_warned
kill -TERM "$m_PID"
wait "$m_PID" 2>/dev/null
# a data dir spate creates is 0700, whatever the umask
"$SPATE_BIN" --daemon --no-mount --data-dir "$T/nd/data" --download-dir "$T/nd/dl" \
  "${LOOPBACK_SETS[@]}" --set "listen_interfaces=127.0.0.1:$mport" >"$T/nd.log" 2>&1 &
nd_pid=$!
PIDS+=("$nd_pid")
umask "$old_umask"
wait_until 10 "the new instance answers" "$SPATE_BIN" --data-dir "$T/nd/data" ls
[ "$(mode "$T/nd/data")" = 700 ] || fail "a created data dir is $(mode "$T/nd/data")"
kill -TERM "$nd_pid"
wait "$nd_pid" 2>/dev/null
note "modes ok"

# ---- 2. damaged database, backups, restore ---------------------------------
make_payload "$T/src" 1 "small.bin"
ih=$(SPATE_TORRENT_V1=1 make_torrent "$T/src/small.bin" "$T/small.torrent")
rport=$(free_port)
spate_start r "$rport"
sp r add --paused "$T/small.torrent" >/dev/null || fail "add"
kill -TERM "$r_PID"
wait "$r_PID" 2>/dev/null
# the start-up backup (made when the newest is a day old) now holds the torrent
rm -rf "$T/r/backups"
spate_start r "$rport"
has_backup() { ls "$T/r/backups"/spate-*.db >/dev/null 2>&1; }
wait_until 30 "a backup at start" has_backup
[ "$(mode "$(ls "$T/r/backups"/spate-*.db | head -1)")" = 600 ] || fail "backup mode"
sp r db restore >"$T/restore.busy" 2>&1 && fail "restore ran while spate runs"
grep -q "running" "$T/restore.busy" || fail "restore refusal: $(cat "$T/restore.busy")"
kill -TERM "$r_PID"
wait "$r_PID" 2>/dev/null

# many pages (events) then garbage over pages in the middle of the file
sqlite3 "$T/r/spate.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 3000) INSERT INTO events (time, level, message) SELECT i, 'info',
  printf('%.600c', 'x') FROM n; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
$PY - "$T/r/spate.db" <<'PYEOF'
import os, sys
p = sys.argv[1]; pages = os.path.getsize(p) // 4096
with open(p, "r+b") as f:
    for pg in range(pages // 2, pages // 2 + 4):
        f.seek(pg * 4096); f.write(b"\x5a" * 512)
PYEOF
rc=0
timeout 30 "$SPATE_BIN" --daemon --no-mount --data-dir "$T/r" --download-dir "$T/r/dl" \
  "${LOOPBACK_SETS[@]}" --set "listen_interfaces=127.0.0.1:$rport" >"$T/r.corrupt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a damaged db: exit $rc, not 1 ($(cat "$T/r.corrupt"))"
[ "$(wc -l <"$T/r.corrupt")" = 1 ] || fail "not one line: $(cat "$T/r.corrupt")"
grep -q "$T/r/spate.db" "$T/r.corrupt" || fail "message without the file: $(cat "$T/r.corrupt")"
grep -q "spate db restore" "$T/r.corrupt" || fail "message without the way out: $(cat "$T/r.corrupt")"
note "refused: $(cat "$T/r.corrupt")"

sp r db backups | grep -q "backups/spate-" || fail "db backups lists nothing"
sp r db restore >"$T/restore.out" 2>&1 || fail "db restore: $(cat "$T/restore.out")"
note "$(cat "$T/restore.out")"
ls "$T/r"/spate.db.corrupt-* >/dev/null 2>&1 || fail "the damaged db was not kept"
spate_start r "$rport"
sp r ls --json | jq -e --arg ih "$ih" 'map(.info_hash) | index($ih) != null' >/dev/null ||
  fail "the restored db lacks the torrent"
[ "$(mode "$T/r/spate.db")" = 600 ] || fail "restored db mode"
kill -TERM "$r_PID"
wait "$r_PID" 2>/dev/null
note "restore ok"

# ---- 3. add --peer survives a restart -------------------------------------
# The seeder is not up yet when the peer is given, so the failed peer is not
# in libtorrent's resume data (it keeps only peers that worked): after the
# restart, with no tracker and no DHT, the stored peer is the only way to it.
make_payload "$T/seedsrc" 8 "payload.bin"
SPATE_TORRENT_V1=1 make_torrent "$T/seedsrc/payload.bin" "$T/p.torrent" 262144 >/dev/null
sport=$(free_port)
lport=$(free_port)
spate_start leech "$lport"
sp leech add --peer "127.0.0.1:$sport" "$T/p.torrent" >/dev/null || fail "add --peer"
downloading() { [ "$(jfield leech 1 state)" = downloading ]; }
wait_until 30 "the torrent is downloading (and has tried its peer)" downloading
sleep 2
kill -TERM "$leech_PID"
wait "$leech_PID" 2>/dev/null
$PY "$(dirname "$0")/lt_seeder.py" "$T/p.torrent" "$T/seedsrc" "$sport" --max-seconds 300 \
  >"$T/seed.out" 2>&1 &
PIDS+=($!)
wait_until 60 "the seeder is ready" grep -q ready "$T/seed.out"
wait_listening "$sport"
spate_start leech "$lport"
is_complete_now() { is_complete leech 1; }
wait_until 60 "the download completes from the stored peer" is_complete_now
cmp "$T/seedsrc/payload.bin" "$T/leech/dl/payload.bin" || fail "payload differs"
# `spate connect` keeps its peer too (once)
sp leech connect 1 "127.0.0.1:$mport" || fail "connect"
sp leech connect 1 "127.0.0.1:$mport" || fail "connect again"
peers=$(sqlite3 "$T/leech/spate.db" "SELECT peers FROM torrents")
[ "$peers" = "127.0.0.1:$sport,127.0.0.1:$mport" ] || fail "stored peers: $peers"
note "ok"
