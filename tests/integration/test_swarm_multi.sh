#!/usr/bin/env bash
# Multi-file torrent over a magnet between two spate daemons on loopback:
# nested directories, a 0-byte file and non-ASCII names all arrive intact.
. "$(dirname "$0")/lib.sh"

root="$T/seed/dl/Album — 日本語"
mkdir -p "$root/disc 1" "$root/extras/ünïcödé"
head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$root/disc 1/01 – track.flac"
head -c $((5 * 1024 * 1024)) /dev/urandom >"$root/disc 1/02 — café.flac"
head -c 1000 /dev/urandom >"$root/extras/ünïcödé/notes 📝.txt"
: >"$root/extras/empty.nfo"
head -c 123457 /dev/urandom >"$root/cover.jpg"

ih=$(make_torrent "$root" "$T/album.torrent" 65536)
sport=$(free_port); lport=$(free_port)
spate_start seed "$sport"
spate_start leech "$lport"
sp seed add --dir "$T/seed/dl" "$T/album.torrent" || fail "seeder add"
wait_until 60 "seeder seeds" is_complete seed 1

sp leech add "magnet:?xt=urn:btih:$ih&x.pe=127.0.0.1:$sport" || fail "leecher add"
wait_until 120 "the leecher completes" is_complete leech 1
name=$(jfield leech 1 name)
[ "$name" = "Album — 日本語" ] || fail "name is '$name'"
[ -f "$T/leech/dl/Album — 日本語/extras/empty.nfo" ] || fail "the 0-byte file is missing"
[ ! -s "$T/leech/dl/Album — 日本語/extras/empty.nfo" ] || fail "the 0-byte file is not empty"
a=$(sha_tree "$T/seed/dl"); b=$(sha_tree "$T/leech/dl")
[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); fail "trees differ"; }
note "ok: $(echo "$b" | wc -l) files identical"
