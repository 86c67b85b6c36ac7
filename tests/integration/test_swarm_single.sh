#!/usr/bin/env bash
# Two spate daemons on loopback: the seeder has a single 64 MiB file, the
# leecher adds a magnet carrying x.pe=127.0.0.1:PORT; metadata arrives over
# BEP 9, the download completes and the bytes match.
. "$(dirname "$0")/lib.sh"

make_payload "$T/seed/dl" 64 "payload.bin"
ih=$(make_torrent "$T/seed/dl/payload.bin" "$T/payload.torrent" 262144)
[ ${#ih} -eq 40 ] || fail "no info-hash from make_torrent"

sport=$(free_port); lport=$(free_port)
spate_start seed "$sport"
spate_start leech "$lport"

sp seed add --dir "$T/seed/dl" "$T/payload.torrent" || fail "seeder add"
wait_until 60 "seeder verifies its data and seeds" is_complete seed 1

sp leech add "magnet:?xt=urn:btih:$ih&dn=payload.bin&x.pe=127.0.0.1:$sport" || fail "leecher add"
wait_until 30 "metadata arrives on the leecher" \
  bash -c "'$SPATE_BIN' --data-dir '$T/leech' info $ih --json | jq -e '.has_metadata == true'"
wait_until 120 "the leecher completes" is_complete leech "$ih"

json=$(sp leech ls --json)
note "leecher: $json"
echo "$json" | jq -e --arg ih "$ih" '.[0].info_hash == $ih and .[0].state == "seeding" and .[0].progress == 1
  and .[0].total_bytes == 67108864 and .[0].done_bytes == 67108864 and .[0].name == "payload.bin"' \
  >/dev/null || fail "ls --json does not show the completed torrent"
cmp "$T/seed/dl/payload.bin" "$T/leech/dl/payload.bin" || fail "payload differs"
[ "$(sha_tree "$T/seed/dl")" = "$(sha_tree "$T/leech/dl")" ] || fail "sha256 differs"
note "ok: 64 MiB over a magnet with x.pe, bytes identical"
