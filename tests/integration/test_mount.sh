#!/usr/bin/env bash
# The FUSE mount on a loopback swarm (a throttled spate seeder, a leecher
# mounting at $T/leech/mnt): the tree (nested dirs, non-ASCII names, a 0-byte
# file, pad files hidden), read-only answers, xattrs, a paused torrent, reads
# from the middle then the start while nothing is downloaded, a whole file
# read while it downloads, 8 concurrent readers, a skipped file fetched by a
# read, removal while reading, and clean unmounts.
. "$(dirname "$0")/lib.sh"
if [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ] || [ ! -w /dev/fuse ]; then
  echo "SKIP: /dev/fuse is absent or not usable by $(id -un): the FUSE mount tests cannot run here" >&2
  exit 77
fi
R="$PY $(dirname "$0")/mntread.py"

# v1+v2 hybrid, so the torrent carries BEP 47 pad files the mount must hide
name="Show — ünï"
root="$T/seed/dl/$name"
mkdir -p "$root/many" "$root/skip"
head -c $((40 * 1024 * 1024 + 12345)) /dev/urandom >"$root/big.bin"
for i in 1 2 3 4 5 6 7 8; do head -c $((1024 * 1024 + i * 4099)) /dev/urandom >"$root/many/f$i.bin"; done
head -c $((3 * 1024 * 1024)) /dev/urandom >"$root/skip/later.bin"
head -c 1000 /dev/urandom >"$root/ファイル 📝.txt"
: >"$root/empty.dat"
make_torrent "$root" "$T/show.torrent" 262144 >/dev/null
make_payload "$T/seed/dl" 64 "second.bin"
ih2=$(make_torrent "$T/seed/dl/second.bin" "$T/second.torrent" 262144)

# throttled seeders (~6 MB/s each), so reads must wait for pieces
lt_seed sport "$T/show.torrent" "$T/seed/dl" 6000000
lt_seed sport2 "$T/second.torrent" "$T/seed/dl" 6000000
lport=$(free_port)

M="$T/leech/mnt"
spate_start leech "$lport" --mount "$M"
is_mounted "$M" || fail "not mounted at $M"
[ -z "$(ls -A "$M")" ] || fail "the empty mount lists $(ls -A "$M")"

# --- the tree, before any byte is downloaded (added paused) --------------------
sp leech add --paused --peer "127.0.0.1:$sport" "$T/show.torrent" >/dev/null || fail "add"
D="$M/$name"
wait_until 10 "the torrent's directory appears" test -d "$D"
(cd "$root" && find . -type f | sort) >"$T/want.list"
(cd "$D" && find . -type f | sort) >"$T/got.list"
diff "$T/want.list" "$T/got.list" || fail "the mounted tree differs from the payload (pad files must be hidden)"
[ "$(stat -c %s "$D/big.bin")" = "$(stat -c %s "$root/big.bin")" ] || fail "big.bin size"
[ "$(stat -c %a "$D/big.bin")" = 444 ] || fail "files must be 0444"
[ "$(stat -c %a "$D/many")" = 555 ] || fail "directories must be 0555"
[ -f "$D/ファイル 📝.txt" ] || fail "the non-ASCII name is missing"
[ -f "$D/empty.dat" ] && [ ! -s "$D/empty.dat" ] || fail "the 0-byte file"
[ -z "$(cat "$D/empty.dat")" ] || fail "reading the 0-byte file"
note "ok: tree of $(wc -l <"$T/got.list") files, sizes and modes"

# --- read-only ----------------------------------------------------------------
erofs() { # erofs DESC CMD...: CMD must fail with EROFS
  local desc=$1 out; shift
  out=$("$@" 2>&1) && fail "$desc succeeded on the mount"
  case "$out" in *"Read-only file system"*) ;; *) fail "$desc: $out (wanted EROFS)" ;; esac
}
erofs "touch" touch "$D/new"
erofs "mkdir" mkdir "$D/newdir"
erofs "rm" rm -f "$D/big.bin"
erofs "rmdir of a subdir" rmdir "$D/many"
erofs "mv" mv "$D/big.bin" "$D/b2"
erofs "truncate" truncate -s 0 "$D/big.bin"
erofs "append" sh -c 'echo x >>"$1"' sh "$D/big.bin"
erofs "setfattr" setfattr -n user.x -v 1 "$D/big.bin"
erofs "rmdir of a torrent dir with spate.fuse_allow_remove off" rmdir "$D"
note "ok: writes, creates, renames, truncates and rmdir get EROFS"

# --- xattrs ---------------------------------------------------------------------
ih=$(jfield leech 1 info_hash)
[ "$(getfattr --absolute-names --only-values -n user.spate.info_hash "$D")" = "$ih" ] || fail "info_hash xattr"
[ "$(getfattr --absolute-names --only-values -n user.spate.info_hash "$D/big.bin")" = "$ih" ] || fail "file info_hash xattr"
[ "$(getfattr --absolute-names --only-values -n user.spate.state "$D")" = paused ] || fail "state xattr should be paused"
pieces=$(getfattr --absolute-names --only-values -n user.spate.pieces "$D/big.bin")
case "$pieces" in 0/16[0-9]) ;; *) fail "pieces xattr of big.bin is '$pieces'" ;; esac
getfattr --absolute-names -d -m '^user\.spate\.' "$D/many/f1.bin" | grep -q 'user.spate.progress="0.0000"' ||
  fail "progress xattr: $(getfattr --absolute-names -d -m - "$D/many/f1.bin")"
note "ok: xattrs ($pieces pieces of big.bin)"

# --- a paused torrent: no resume on read by default ------------------------------
$R errno "$D/big.bin" 0 65536 EIO || fail "a read of a paused torrent's missing piece"
$R errno "$D/big.bin" 0 65536 EAGAIN --nonblock || fail "a non-blocking read of a paused torrent"
[ "$(jfield leech 1 state)" = paused ] || fail "the read resumed the torrent"
wait_until 10 "the health log explains the failed read" \
  sh -c "sqlite3 '$T/leech/spate.db' \"select message from events\" | grep -q 'paused torrent'"
note "ok: paused torrent gives EIO / EAGAIN, logged"

# --- skip a file, then read from the middle first, then the start ----------------
if sp leech priority 1 skip "$(sp leech info 1 --json | jq '.files[] | select(.path | endswith("skip/later.bin")) | .index')" >/dev/null 2>&1; then
  skipped=1
else
  skipped=0; note "(no priority command: the skipped-file read is not exercised)"
fi
sp leech resume 1 >/dev/null || fail "resume"
done_before=$(jfield leech 1 done_bytes)
mid=$((20 * 1024 * 1024 + 4321))
$R cmp "$D/big.bin" "$root/big.bin" "$mid" 65536 || fail "read at the middle"
$R cmp "$D/big.bin" "$root/big.bin" 0 65536 || fail "read at the start"
note "ok: middle then start read with $done_before of $(jfield leech 1 total_bytes) bytes there before"

# --- a whole file while it downloads, and 8 readers at once -------------------------
$R sha "$D/big.bin" >"$T/big.sha" &
seq_pid=$!
for i in 1 2 3 4 5 6 7 8; do $R sha "$D/many/f$i.bin" >"$T/f$i.sha" & eval "r$i=\$!"; done
for i in 1 2 3 4 5 6 7 8; do eval "wait \$r$i" || fail "reader $i failed"; done
for i in 1 2 3 4 5 6 7 8; do
  [ "$(cat "$T/f$i.sha")" = "$(sha256sum <"$root/many/f$i.bin" | cut -d' ' -f1)" ] || fail "f$i.bin differs"
done
wait "$seq_pid" || fail "the sequential reader failed"
[ "$(cat "$T/big.sha")" = "$(sha256sum <"$root/big.bin" | cut -d' ' -f1)" ] || fail "big.bin read through the mount differs"
note "ok: big.bin streamed intact; 8 concurrent readers intact"

if [ "$skipped" = 1 ]; then
  idx=$(sp leech info 1 --json | jq '.files[] | select(.path | endswith("skip/later.bin")) | .index')
  [ "$(sp leech info 1 --json | jq ".files[$idx].priority")" = 0 ] || fail "later.bin is not skipped"
  $R cmp "$D/skip/later.bin" "$root/skip/later.bin" $((2 * 1024 * 1024)) 100000 || fail "read of a skipped file"
  [ "$(sp leech info 1 --json | jq ".files[$idx].priority")" -gt 0 ] || fail "the read did not raise the priority"
  note "ok: a read of a skipped file raised its priority and was served"
fi
wait_until 120 "the leecher completes" is_complete leech 1
[ "$(getfattr --absolute-names --only-values -n user.spate.state "$D")" = seeding ] || fail "state xattr after completion"
[ "$(getfattr --absolute-names --only-values -n user.spate.progress "$D/big.bin")" = "1.0000" ] || fail "progress xattr after completion"

# --- removal while reading ------------------------------------------------------------
# a magnet: its directory appears once the metadata has arrived (BEP 9)
sp leech add "magnet:?xt=urn:btih:$ih2&x.pe=127.0.0.1:$sport2" >/dev/null || fail "add second"
wait_until 30 "second.bin appears with its metadata" test -f "$M/second.bin/second.bin"
[ "$(stat -c %s "$M/second.bin/second.bin")" = $((64 * 1024 * 1024)) ] || fail "magnet file size"
$R until-error "$M/second.bin/second.bin" "$T/started" >"$T/until.out" 2>&1 &
until_pid=$!
wait_until 30 "the reader got its first bytes" test -e "$T/started"
sp leech remove 2 >/dev/null || fail "remove while reading"
wait "$until_pid" || fail "reader during removal: $(cat "$T/until.out")"
wait_until 10 "the removed torrent's directory goes" sh -c "! ls '$M' | grep -qx second.bin"
note "ok: removal while reading: $(cat "$T/until.out"); directory gone"

# --- SIGTERM unmounts; kill -9 leaves a stale mount that the next start cleans ------------
kill -KILL "$leech_PID"
wait "$leech_PID" 2>/dev/null
out=$(stat "$D" 2>&1) && fail "the mount still answers after kill -9"
case "$out" in *"not connected"*) ;; *) fail "after kill -9: $out" ;; esac
spate_start leech "$lport" --mount "$M"
wait_until 20 "the restarted mount shows the torrent" test -f "$D/big.bin"
$R cmp "$D/big.bin" "$root/big.bin" $((30 * 1024 * 1024)) 1000000 || fail "read after restart"
sqlite3 "$T/leech/spate.db" "select message from events" | grep -q "stale mount" ||
  fail "the stale mount cleaning is not in the health log"
kill -TERM "$leech_PID"
for _ in $(seq 1 100); do kill -0 "$leech_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$leech_PID" 2>/dev/null && fail "spate did not exit on SIGTERM"
is_mounted "$M" && fail "the mount is still there after SIGTERM"
note "ok: stale mount after kill -9 cleaned at restart; SIGTERM unmounts"
