# lib.sh — helpers for integration tests: real spate processes on loopback.
#
# Every instance listens on 127.0.0.1 only, with DHT, LSD, UPnP and NAT-PMP
# off. Every process started here is recorded and stopped by its PID on exit.
# Every wait is bounded in time.
set -u
: "${SPATE_BIN:?SPATE_BIN must point at the spate binary}"
PY=/usr/bin/python3 # Debian's python, where python3-libtorrent is importable
T=$(mktemp -d /tmp/spate-test.XXXXXX)
PIDS=()

# Options every test instance gets: loopback only, no discovery, fast timers.
LOOPBACK_SETS=(--set enable_dht=false --set enable_lsd=false --set enable_upnp=false
  --set enable_natpmp=false --set spate.status_interval_ms=200)

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  # mounts left under $T (a failed test, a killed instance): detach them
  local mp
  for mp in $(awk -v t="$T/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo); do
    umount -l "$mp" 2>/dev/null || fusermount3 -u -z "$mp" 2>/dev/null
  done
  [ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}

# is_mounted DIR: DIR is a mount point now.
is_mounted() { awk -v d="$1" '$5 == d {f=1} END {exit !f}' /proc/self/mountinfo; }
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# free_port: prints a TCP port free on 127.0.0.1 right now.
free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# spate_start NAME PORT [extra args...]: starts a daemon with its own data
# dir $T/NAME, download dir $T/NAME/dl, listening on 127.0.0.1:PORT.
# Sets ${NAME}_PID. Waits (bounded) until its socket answers. Instances do
# not mount unless the extra args include --mount DIR (or, with
# SPATE_STORED_MOUNT=1, as their stored settings say).
spate_start() {
  local name=$1 port=$2; shift 2
  local mount=(--no-mount) a
  [ -n "${SPATE_STORED_MOUNT:-}" ] && mount=()
  for a in "$@"; do [ "$a" = --mount ] && mount=(); done
  mkdir -p "$T/$name/dl"
  "$SPATE_BIN" --daemon --data-dir "$T/$name" --download-dir "$T/$name/dl" \
    "${LOOPBACK_SETS[@]}" --set "listen_interfaces=127.0.0.1:$port" ${mount[@]+"${mount[@]}"} "$@" \
    >>"$T/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  printf -v "${name}_PID" '%s' "$pid"
  for _ in $(seq 1 100); do
    if sp "$name" ls >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$T/$name.log" >&2; fail "$name exited at start"; }
    sleep 0.1
  done
  cat "$T/$name.log" >&2
  fail "$name did not answer on its socket within 10 s"
}

# lt_seed VAR TORRENT SAVE_PATH [UPLOAD_LIMIT]: a python3-libtorrent seeder
# (lt_seeder.py) of TORRENT on 127.0.0.1, throttled per torrent to
# UPLOAD_LIMIT bytes/s (libtorrent does not apply a session's limits to
# peers on the local network); sets VAR to its port once it seeds. Call it
# directly, not inside $(...).
lt_seed() {
  local var=$1 torrent=$2 save=$3 limit=${4:-0} port out
  port=$(free_port); out="$T/lt_seed.$port.out"
  $PY "$(dirname "${BASH_SOURCE[0]}")/lt_seeder.py" "$torrent" "$save" "$port" \
    --upload-limit "$limit" --max-seconds 900 >"$out" 2>&1 &
  PIDS+=($!)
  wait_until 180 "the seeder of $(basename "$torrent") is ready" grep -q ready "$out"
  printf -v "$var" '%s' "$port"
}

# sp NAME ARGS...: runs a CLI subcommand against instance NAME.
sp() {
  local name=$1; shift
  "$SPATE_BIN" --data-dir "$T/$name" "$@"
}

# wait_until TIMEOUT_S DESC CMD...: polls CMD every 0.2 s until it succeeds.
wait_until() {
  local timeout=$1 desc=$2; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "timed out after ${timeout}s waiting for: $desc"
}

# wait_listening PORT: waits (bounded, 30 s) until something listens on
# 127.0.0.1:PORT, so a connect to a third-party peer is not wasted (a failed
# attempt costs libtorrent's reconnect back-off).
wait_listening() {
  local port=$1
  listening() { ss -Htln "sport = :$port" | grep -q LISTEN; }
  wait_until 30 "a listener on port $port" listening
}

# jfield NAME ID FIELD: prints one field of `spate info ID --json`.
jfield() { sp "$1" info "$2" --json | jq -r ".$3"; }

# is_complete NAME ID: the torrent is seeding with progress 1.
is_complete() {
  sp "$1" info "$2" --json | jq -e '.state == "seeding" and .progress == 1' >/dev/null
}

# make_payload DIR SIZE_MIB NAME: a file of random bytes.
make_payload() {
  mkdir -p "$1"
  head -c "$(( $2 * 1024 * 1024 ))" /dev/urandom >"$1/$3"
}

# make_torrent PATH OUT.torrent [PIECE_BYTES]: creates a .torrent of PATH
# (file or directory) with libtorrent's create_torrent (v1+v2 hybrid by
# default; SPATE_TORRENT_V1=1 for v1 only, SPATE_TORRENT_V2=1 for v2 only;
# SPATE_TORRENT_TRACKER=URL adds an announce URL) and prints its v1
# info-hash (the truncated v2 hash for v2-only torrents).
make_torrent() {
  $PY - "$1" "$2" "${3:-0}" "${SPATE_TORRENT_V1:-0}" "${SPATE_TORRENT_TRACKER:-}" "${SPATE_TORRENT_V2:-0}" <<'PYEOF'
import os, sys, libtorrent as lt
path, out, piece, v1only = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
tracker, v2only = sys.argv[5], sys.argv[6] == "1"
fs = lt.file_storage()
lt.add_files(fs, path)
flags = lt.create_torrent.v1_only if v1only else (lt.create_torrent.v2_only if v2only else 0)
ct = lt.create_torrent(fs, piece, flags=flags)
ct.set_creator("spate tests")
if tracker:
    ct.add_tracker(tracker)
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
data = lt.bencode(ct.generate())
open(out, "wb").write(data)
ti = lt.torrent_info(out)
ih = ti.info_hashes()
print(str(ih.v1) if ih.has_v1() else str(ih.v2)[:40])
PYEOF
}

# sha_tree DIR: sha256 of every file under DIR, sorted by relative path.
sha_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
