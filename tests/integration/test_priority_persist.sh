#!/usr/bin/env bash
# File priorities set just before a clean shutdown survive the restart:
# libtorrent applies them on its disk thread after the call returns, so the
# resume data must be saved once they are in effect (file_prio_alert), not
# only when they were asked for.
. "$(dirname "$0")/lib.sh"

root="$T/src/set"
mkdir -p "$root"
for i in 1 2 3 4; do head -c $((100000 + i)) /dev/urandom >"$root/f$i.bin"; done
SPATE_TORRENT_V1=1 make_torrent "$root" "$T/set.torrent" 16384 >/dev/null
port=$(free_port)

prios() { sp a info 1 --json | jq -c '[.files[] | select(.pad | not) | .priority]'; }
for round in 1 2 3; do
  spate_start a "$port"
  [ "$round" = 1 ] && { sp a add --paused "$T/set.torrent" >/dev/null || fail "add"; }
  case $round in
    1) sp a priority 1 skip 1 >/dev/null && sp a priority 1 high 3 >/dev/null || fail "priority"
       want='[4,0,4,7]' ;;
    2) sp a priority 1 low all >/dev/null || fail "priority all"
       want='[1,1,1,1]' ;;
    3) break ;;
  esac
  # quit at once: the priorities may not even be in effect yet
  sp a quit >/dev/null || fail "quit"
  for _ in $(seq 1 150); do kill -0 "$a_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$a_PID" 2>/dev/null && fail "spate did not quit"
  spate_start a "$port"
  got=$(prios)
  [ "$got" = "$want" ] || fail "round $round: priorities $got after restart, wanted $want"
  note "ok: round $round: $got survived a restart"
  sp a quit >/dev/null
  for _ in $(seq 1 150); do kill -0 "$a_PID" 2>/dev/null || break; sleep 0.1; done
done
