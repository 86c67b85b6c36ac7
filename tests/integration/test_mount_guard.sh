#!/usr/bin/env bash
# The mount guard: a mount point over spate's own files is refused wherever
# it is set. `config set spate.mount_dir` to the download dir, a dir inside
# it, the data dir, a dir around it, a category's or a torrent's save path
# (also through a symlink or "..") is refused with a message and nothing is
# stored; save paths (add --dir, set ID save_path, a category's) inside the
# mount are refused; `--mount DLDIR`, `--set spate.mount_dir=DLDIR` and a
# `--download-dir` that is a file exit 2; a bad value stored by hand is
# ignored at start with a line in the health log and the default place is
# mounted. spate.fuse_allow_other applies at once both ways (a remount) and
# the mount is read-only at the kernel level.
. "$(dirname "$0")/lib.sh"
if [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ] || [ ! -w /dev/fuse ]; then
  echo "SKIP: /dev/fuse is absent or not usable by $(id -un): the FUSE mount tests cannot run here" >&2
  exit 77
fi
export XDG_RUNTIME_DIR="$T/run" # the default mount place stays under $T
mkdir -p "$T/run"

# mount_field DIR N: field N (6: per-mount options, last: super options) of
# DIR's line in /proc/self/mountinfo
mnt_opts() { awk -v d="$1" '$5 == d {print $6}' /proc/self/mountinfo | tail -1; }
super_opts() { awk -v d="$1" '$5 == d {print $NF}' /proc/self/mountinfo | tail -1; }
has_opt() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }
stored_mount_dir() { sp a config get spate.mount_dir --json | jq -r '.[0].stored'; }
effective_mount_dir() { sp a config get spate.mount_dir --json | jq -r '.[0].effective'; }

make_payload "$T/src" 1 "one.bin"
make_torrent "$T/src/one.bin" "$T/one.torrent" 262144 >/dev/null
make_payload "$T/src" 1 "two.bin"
make_torrent "$T/src/two.bin" "$T/two.torrent" 262144 >/dev/null

port=$(free_port)
M="$T/a/mnt"
spate_start a "$port" --mount "$M"
is_mounted "$M" || fail "not mounted at $M"

# --- refused mount points ------------------------------------------------------
mkdir -p "$T/films" "$T/tsave"
sp a category set films "save_path=$T/films" >/dev/null || fail "category set"
sp a add --paused --dir "$T/tsave" "$T/one.torrent" >/dev/null || fail "add with --dir"
ln -s "$T/a/dl" "$T/dl-link"
refuse() { # refuse DIR WANT: config set spate.mount_dir DIR fails, saying WANT
  local out rc
  out=$(timeout 20 "$SPATE_BIN" --data-dir "$T/a" config set spate.mount_dir "$1" 2>&1); rc=$?
  [ "$rc" -ne 0 ] || fail "spate.mount_dir $1 was accepted"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "spate.mount_dir $1: not one line: $out"
  case "$out" in *"$2"*) ;; *) fail "spate.mount_dir $1: '$out' does not say '$2'" ;; esac
  [ "$(stored_mount_dir)" = null ] || fail "spate.mount_dir $1 was stored: $(stored_mount_dir)"
  [ "$(effective_mount_dir)" = "$M" ] || fail "spate.mount_dir $1 changed the value in effect"
  is_mounted "$M" || fail "spate.mount_dir $1 moved the mount"
}
refuse "$T/a/dl" "is the download directory"
refuse "$T/a/dl/sub" "is inside the download directory"
refuse "$T/a/dl/" "is the download directory"
refuse "$T/dl-link/x" "is inside the download directory"
refuse "$T/films/../a/dl/y" "is inside the download directory"
refuse "$T/a" "is the data directory"
refuse "$T/a/other" "is inside the data directory"
refuse "$T" "would contain the download directory"
refuse "$T/films" "is the save path of category 'films'"
refuse "$T/films/inner" "is inside the save path of category 'films'"
refuse "$T/tsave" "is the save path of torrent 1"
note "ok: mount points over the download dir, the data dir, a category's or a torrent's save path are refused"

# --- a good one moves the mount; save paths inside it are refused ----------------
E="$T/elsewhere"
sp a config set spate.mount_dir "$E" >/dev/null || fail "config set spate.mount_dir $E"
wait_until 10 "the mount moves to $E" is_mounted "$E"
is_mounted "$M" && fail "the old mount point is still mounted"
out=$(sp a add --paused --dir "$E/x" "$T/two.torrent" 2>&1) && fail "add --dir inside the mount succeeded"
case "$out" in *"inside spate's mount"*) ;; *) fail "add --dir inside the mount: $out" ;; esac
[ "$(sp a ls --json | jq length)" = 1 ] || fail "the refused add added a torrent"
out=$(sp a set 1 save_path "$E/y" 2>&1) && fail "set save_path inside the mount succeeded"
case "$out" in *"inside spate's mount"*) ;; *) fail "set save_path inside the mount: $out" ;; esac
[ "$(jfield a 1 save_path)" = "$T/tsave" ] || fail "the refused set changed the save path"
out=$(sp a category set music "save_path=$E/music" 2>&1) && fail "category save path inside the mount succeeded"
case "$out" in *"inside spate's mount"*) ;; *) fail "category save path inside the mount: $out" ;; esac
sp a category ls --json | jq -e 'map(.name) | index("music") == null' >/dev/null ||
  fail "the refused category was stored"
out=$(sp a category set music "save_path=$T" 2>&1) && fail "a category save path around the mount succeeded"
case "$out" in *"contains spate's mount"*) ;; *) fail "category save path around the mount: $out" ;; esac
note "ok: add --dir, set save_path and a category's save path inside (or around) the mount are refused"

# --- allow_other applies at once, both ways; the mount is read-only ----------------
has_opt "$(mnt_opts "$E")" ro || fail "the mount is not ro: $(mnt_opts "$E")"
has_opt "$(super_opts "$E")" allow_other && fail "allow_other without the setting"
sp a config set spate.fuse_allow_other true >/dev/null || fail "config set allow_other true"
wait_until 10 "allow_other appears" sh -c "awk -v d='$E' '\$5 == d {o=\$NF} END {exit !(index(\",\" o \",\", \",allow_other,\"))}' /proc/self/mountinfo"
has_opt "$(mnt_opts "$E")" ro || fail "the remount is not ro"
sp a config set spate.fuse_allow_other false >/dev/null || fail "config set allow_other false"
wait_until 10 "allow_other goes" sh -c "awk -v d='$E' '\$5 == d {o=\$NF} END {exit index(\",\" o \",\", \",allow_other,\")}' /proc/self/mountinfo"
is_mounted "$E" || fail "no mount after allow_other went off"
has_opt "$(mnt_opts "$E")" ro || fail "the remount is not ro"
out=$(touch "$E/new" 2>&1) && fail "touch succeeded on the mount"
case "$out" in *"Read-only file system"*) ;; *) fail "touch on the mount: $out" ;; esac
note "ok: allow_other on and off without a restart ($(super_opts "$E")); mount options $(mnt_opts "$E")"

# --- a bad stored value: ignored at start, logged, the default place mounted -------
kill -TERM "$a_PID"
for _ in $(seq 1 100); do kill -0 "$a_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$a_PID" 2>/dev/null && fail "spate did not stop on SIGTERM"
is_mounted "$E" && fail "still mounted after SIGTERM"
sqlite3 "$T/a/spate.db" "insert or replace into settings(key, value) values ('spate.mount_dir', '$T/a/dl')" ||
  fail "sqlite3 insert"
SPATE_STORED_MOUNT=1 spate_start a "$port"
wait_until 10 "the default place is mounted" is_mounted "$T/run/spate/mnt"
is_mounted "$T/a/dl" && fail "the stored download dir was mounted"
sqlite3 "$T/a/spate.db" "select message from events where level = 'warn'" |
  grep -q "spate.mount_dir ignored.*download directory" ||
  fail "the ignored value is not in the health log: $(sqlite3 "$T/a/spate.db" 'select message from events')"
[ "$(effective_mount_dir)" = "" ] || fail "the bad stored value is in effect: $(effective_mount_dir)"
sp a ls >/dev/null || fail "spate does not answer"
kill -TERM "$a_PID"
for _ in $(seq 1 100); do kill -0 "$a_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$a_PID" 2>/dev/null && fail "spate did not stop on SIGTERM"
note "ok: a stored mount dir over the download dir is ignored at start and logged"

# --- at start: --mount, --set and --download-dir --------------------------------------
start_rc() { # start_rc NAME ARGS...: runs a daemon that must exit at once; prints its rc
  local name=$1; shift
  mkdir -p "$T/$name/dl"
  timeout -k 5 20 "$SPATE_BIN" --daemon --data-dir "$T/$name" "${LOOPBACK_SETS[@]}" \
    --set "listen_interfaces=127.0.0.1:$(free_port)" "$@" >"$T/$name.start" 2>&1
  echo $?
}
rc=$(start_rc b --download-dir "$T/b/dl" --mount "$T/b/dl")
[ "$rc" = 2 ] || fail "--mount DLDIR exited $rc: $(cat "$T/b.start")"
grep -q "is the download directory" "$T/b.start" || fail "--mount DLDIR: $(cat "$T/b.start")"
is_mounted "$T/b/dl" && fail "--mount DLDIR mounted"
rc=$(start_rc b --download-dir "$T/b/dl" --set "spate.mount_dir=$T/b")
[ "$rc" = 2 ] || fail "--set spate.mount_dir=DATADIR exited $rc: $(cat "$T/b.start")"
grep -q "is the data directory" "$T/b.start" || fail "--set spate.mount_dir=DATADIR: $(cat "$T/b.start")"
: >"$T/afile"
rc=$(start_rc c --download-dir "$T/afile" --no-mount)
[ "$rc" = 2 ] || fail "--download-dir FILE exited $rc: $(cat "$T/c.start")"
grep -q "not a directory" "$T/c.start" || fail "--download-dir FILE: $(cat "$T/c.start")"
[ -f "$T/afile" ] && [ ! -s "$T/afile" ] || fail "the file given as --download-dir changed"
note "ok: --mount DLDIR, --set spate.mount_dir=DATADIR and --download-dir FILE exit 2"
