#!/usr/bin/env bash
# A full disk is a clear, recoverable error (issue 10). The leecher's
# download directory is an 8 MiB tmpfs and the torrent is 24 MiB: the
# download stops with an error that says "No space left on device" and names
# the file, the health log has that error once (the repeats are counted, not
# logged), and once the tmpfs is enlarged `spate resume ID` clears the error
# and the upload-only state, so the download completes with the right bytes.
# A second leecher shows the timer retry (spate.disk_full_retry_s) does the
# same without a resume.
# Needs root (mount); exits 77 (skip) without it.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to mount a tmpfs"; exit 77; }
D="$T/leech/dl"
mkdir -p "$D"
mount -t tmpfs -o size=8m tmpfs "$D" 2>/dev/null || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
# lib.sh's cleanup unmounts anything under $T (lazily) after stopping spate

make_payload "$T/seed/dl" 24 "payload.bin"
ih=$(make_torrent "$T/seed/dl/payload.bin" "$T/payload.torrent" 262144)
lt_seed sport "$T/payload.torrent" "$T/seed/dl"

lport=$(free_port)
spate_start leech "$lport" ${SPATE_DISK_FULL_SETS:-}
sp leech add --peer "127.0.0.1:$sport" "$T/payload.torrent" >/dev/null || fail "leecher add"

has_error() { sp leech ls --json | jq -e '.[0].error != null and .[0].error != ""' >/dev/null; }
wait_until 120 "the leecher reports the full disk" has_error
sleep 2 # let the in-flight writes fail too: their repeats must not flood the log
json=$(sp leech ls --json)
note "leecher: $(echo "$json" | jq -c '.[0] | {state, error, progress, peers}')"
err=$(echo "$json" | jq -r '.[0].error')
echo "$err" | grep -qi "no space left on device" || fail "the error is '$err', not 'No space left on device'"
case "$err" in *"$D/payload.bin"*) ;; *) fail "the error '$err' does not name $D/payload.bin" ;; esac

events() { sqlite3 "$T/leech/spate.db" "select level || ' ' || message from events"; }
n=$(events | grep -ci "no space left on device")
[ "$n" -eq 1 ] || { events | tail -n 20 >&2; fail "the health log has the error $n times, not once"; }
note "ok: the error names the cause and the file, logged once"

# space is back: a resume clears the error and the download completes
mount -o remount,size=64m "$D" || fail "cannot enlarge the tmpfs"
sp leech resume "$ih" >/dev/null || fail "resume"
wait_until 120 "the leecher completes after the resume" is_complete leech "$ih"
[ "$(jfield leech "$ih" error)" = null ] || [ -z "$(jfield leech "$ih" error)" ] ||
  fail "the error is still there: $(jfield leech "$ih" error)"
[ "$(sha256sum <"$D/payload.bin")" = "$(sha256sum <"$T/seed/dl/payload.bin")" ] ||
  fail "the downloaded file differs from the seeder's"
events | grep -Eqi "reported [0-9]+ times" || { events | tail -n 20 >&2; fail "the health log has no count of the repeats"; }
note "ok: after the disk is enlarged a resume completes the download, sha256 matches"

# the timer retry: the same without `spate resume`
D2="$T/leech2/dl"
mkdir -p "$D2"
mount -t tmpfs -o size=8m tmpfs "$D2" || fail "cannot mount the second tmpfs"
spate_start leech2 "$(free_port)" --set spate.disk_full_retry_s=1
sp leech2 add --peer "127.0.0.1:$sport" "$T/payload.torrent" >/dev/null || fail "leech2 add"
has_error2() { sp leech2 ls --json | jq -e '(.[0].error // "") | test("no space left on device"; "i")' >/dev/null; }
wait_until 120 "the second leecher reports the full disk" has_error2
mount -o remount,size=64m "$D2" || fail "cannot enlarge the second tmpfs"
wait_until 120 "the timer retry completes the download" is_complete leech2 "$ih"
[ "$(sha256sum <"$D2/payload.bin")" = "$(sha256sum <"$T/seed/dl/payload.bin")" ] ||
  fail "the second leecher's file differs from the seeder's"
note "ok: the timer retry completes the download once space is back"

# a restart: libtorrent's upload mode travels in the resume data; spate
# leaves it at start, so the torrent downloads again without a resume
D3="$T/leech3/dl"
mkdir -p "$D3"
mount -t tmpfs -o size=8m tmpfs "$D3" || fail "cannot mount the third tmpfs"
p3=$(free_port)
spate_start leech3 "$p3" --set spate.disk_full_retry_s=0
sp leech3 add --peer "127.0.0.1:$sport" "$T/payload.torrent" >/dev/null || fail "leech3 add"
has_error3() { sp leech3 ls --json | jq -e '(.[0].error // "") != ""' >/dev/null; }
wait_until 120 "the third leecher reports the full disk" has_error3
sp leech3 quit >/dev/null 2>&1
for _ in $(seq 1 150); do kill -0 "$leech3_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$leech3_PID" 2>/dev/null && fail "the third leecher did not quit"
mount -o remount,size=64m "$D3" || fail "cannot enlarge the third tmpfs"
spate_start leech3 "$p3" --set spate.disk_full_retry_s=0
sp leech3 connect "$ih" "127.0.0.1:$sport" >/dev/null 2>&1 || true # the seeder may not have reconnected yet
wait_until 120 "the restarted leecher completes" is_complete leech3 "$ih"
[ "$(sha256sum <"$D3/payload.bin")" = "$(sha256sum <"$T/seed/dl/payload.bin")" ] ||
  fail "the third leecher's file differs from the seeder's"
note "ok: after a restart the torrent downloads again"
