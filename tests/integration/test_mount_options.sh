#!/usr/bin/env bash
# The mount's settings and edge cases: a v2-only torrent read while paused
# with spate.fuse_resume_paused=true resumes it; rmdir of a torrent's
# directory with spate.fuse_allow_remove=true gives EBUSY while a file is
# open and removes the torrent once it is closed; a file over 4 GiB (sparse,
# random bytes at its end) is read at its tail without downloading the rest.
. "$(dirname "$0")/lib.sh"
if [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ] || [ ! -w /dev/fuse ]; then
  echo "SKIP: /dev/fuse is absent or not usable by $(id -un): the FUSE mount tests cannot run here" >&2
  exit 77
fi
R="$PY $(dirname "$0")/mntread.py"

make_payload "$T/seed/dl" 24 "clip.bin"
SPATE_TORRENT_V2=1 make_torrent "$T/seed/dl/clip.bin" "$T/clip.torrent" 262144 >/dev/null
big="$T/seed/dl/huge.img"
truncate -s $((5 * 1024 * 1024 * 1024)) "$big"
head -c 1048576 /dev/urandom | dd of="$big" bs=1M seek=$((5 * 1024 - 1)) conv=notrunc status=none
SPATE_TORRENT_V1=1 make_torrent "$big" "$T/huge.torrent" $((4 * 1024 * 1024)) >/dev/null

# throttled seeders (~6 MB/s each)
lt_seed sport "$T/clip.torrent" "$T/seed/dl" 6000000
lt_seed sport2 "$T/huge.torrent" "$T/seed/dl" 6000000
lport=$(free_port)

M="$T/leech/mnt"
spate_start leech "$lport" --mount "$M" --set spate.fuse_resume_paused=true \
  --set spate.fuse_allow_remove=true --set spate.fuse_readahead_bytes=1048576
[ "$(sp leech ls --json | jq length)" = 0 ] || fail "leecher not empty"

# --- v2-only torrent, paused: the read resumes it ----------------------------------
sp leech add --paused --peer "127.0.0.1:$sport" "$T/clip.torrent" >/dev/null || fail "add clip"
wait_until 10 "clip appears" test -f "$M/clip.bin/clip.bin"
[ "$(jfield leech 1 state)" = paused ] || fail "clip should start paused"
$R cmp "$M/clip.bin/clip.bin" "$T/seed/dl/clip.bin" $((12 * 1024 * 1024)) 131072 ||
  fail "read of a paused torrent with spate.fuse_resume_paused=true"
[ "$(jfield leech 1 state)" != paused ] || fail "the read did not resume the torrent"
sqlite3 "$T/leech/spate.db" "select message from events" | grep -q "resumed the torrent" ||
  fail "the resume is not in the health log"
note "ok: v2-only torrent resumed by a read"

# --- rmdir removes the torrent, not while a file is open -----------------------------
$R hold "$M/clip.bin/clip.bin" 60 "$T/held" &
hold_pid=$!
PIDS+=("$hold_pid")
wait_until 10 "the file is held open" test -e "$T/held"
out=$(rmdir "$M/clip.bin" 2>&1) && fail "rmdir succeeded while a file was open"
case "$out" in *"busy"*) ;; *) fail "rmdir with an open file: $out (wanted EBUSY)" ;; esac
kill "$hold_pid"; wait "$hold_pid" 2>/dev/null
rmdir "$M/clip.bin" || fail "rmdir of the torrent's directory"
[ "$(sp leech ls --json | jq length)" = 0 ] || fail "rmdir did not remove the torrent"
[ ! -e "$M/clip.bin" ] || fail "the directory is still there"
[ -f "$T/leech/dl/clip.bin" ] || fail "rmdir must keep the downloaded data"
note "ok: rmdir gives EBUSY with an open file, then removes the torrent (data kept)"

# --- a 5 GiB file: the tail is read without the rest -----------------------------------
sp leech add --peer "127.0.0.1:$sport2" --paused "$T/huge.torrent" >/dev/null || fail "add huge"
wait_until 10 "huge.img appears" test -f "$M/huge.img/huge.img"
[ "$(stat -c %s "$M/huge.img/huge.img")" = $((5 * 1024 * 1024 * 1024)) ] || fail "size over 4 GiB"
off=$((5 * 1024 * 1024 * 1024 - 700000))
$R cmp "$M/huge.img/huge.img" "$big" "$off" 600000 || fail "read past 4 GiB"
done_b=$(sp leech ls --json | jq '.[0].done_bytes')
[ "$done_b" -lt $((256 * 1024 * 1024)) ] || fail "reading the tail downloaded $done_b bytes"
note "ok: read at $off of a 5 GiB file with $done_b bytes downloaded"

# --- no peer has the data: timeout -> EIO, non-blocking -> EAGAIN ---------------------------
make_payload "$T/nobody" 2 "orphan.bin"
make_torrent "$T/nobody/orphan.bin" "$T/orphan.torrent" 262144 >/dev/null
sp leech config set spate.fuse_read_timeout_s 2 >/dev/null || fail "config set timeout"
sp leech add "$T/orphan.torrent" >/dev/null || fail "add orphan"
wait_until 10 "orphan.bin appears" test -f "$M/orphan.bin/orphan.bin"
$R errno "$M/orphan.bin/orphan.bin" 0 4096 EAGAIN --nonblock || fail "non-blocking read of a missing piece"
t0=$(date +%s%N)
$R errno "$M/orphan.bin/orphan.bin" 1000000 4096 EIO || fail "a read nobody can serve must end in EIO"
waited=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$waited" -ge 1500 ] && [ "$waited" -lt 20000 ] || fail "the read waited ${waited} ms with a 2 s timeout"
sqlite3 "$T/leech/spate.db" "select message from events" | grep -q "timed out waiting for pieces" ||
  fail "the timeout is not in the health log"
note "ok: no peer: EAGAIN when non-blocking, EIO after ${waited} ms (spate.fuse_read_timeout_s=2, set at run time)"

# --- the stored settings move, remove and restore the mount -------------------------------
M2="$T/elsewhere"
sp leech config set spate.mount_dir "$M2" >/dev/null || fail "config set spate.mount_dir"
wait_until 10 "the mount moves" is_mounted "$M2"
is_mounted "$M" && fail "the old mount point is still mounted"
[ -f "$M2/huge.img/huge.img" ] || fail "the moved mount lacks the torrent"
sp leech config set spate.mount false >/dev/null || fail "config set spate.mount false"
wait_until 10 "the mount goes" sh -c "! awk -v d='$M2' '\$5 == d {f=1} END {exit !f}' /proc/self/mountinfo"
kill -TERM "$leech_PID"
for _ in $(seq 1 100); do kill -0 "$leech_PID" 2>/dev/null || break; sleep 0.1; done
SPATE_STORED_MOUNT=1 spate_start leech "$lport"
is_mounted "$M2" && fail "spate.mount=false was not kept across a restart"
sp leech config reset spate.mount >/dev/null || fail "config reset"
wait_until 10 "the mount comes back at the stored dir" is_mounted "$M2"
note "ok: spate.mount_dir moves the mount, spate.mount=false removes it (kept across restarts), reset restores it"
