#!/usr/bin/env bash
# spate's own start-up messages (src/main.c) echo what the user typed:
# paths and --set values. Control characters in them must not reach the
# terminal (an escape sequence would recolour it, retitle it, or forge a
# line): each message is one line with them replaced by '?', and the exit
# code is unchanged. No instance is left running: every case fails early.
. "$(dirname "$0")/lib.sh"

esc=$'\e'
expect_clean() { # expect_clean CODE DESC CMD...
  local code=$1 desc=$2; shift 2
  local out rc
  out=$("$@" 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq "$code" ] || fail "$desc: exit $rc, wanted $code ($out)"
  [ -n "$out" ] || fail "$desc: no message"
  case "$out" in *"$esc"*) fail "$desc: an escape character reached stderr: $(printf '%q' "$out")" ;; esac
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$desc: wanted one line, got: $out"
  note "$desc -> $rc: $out"
}

# a --set value is checked before anything starts
expect_clean 2 "bad --set int with an escape" \
  "$SPATE_BIN" --daemon --data-dir "$T/a" --set "connections_limit=12${esc}[2Jabc"
expect_clean 2 "bad --set bool with a newline" \
  "$SPATE_BIN" --daemon --data-dir "$T/a" --set "enable_dht=maybe
spate: forged line"
# a data dir that cannot be created (its parent is a file)
: >"$T/file"
expect_clean 1 "data dir under a file" \
  "$SPATE_BIN" --daemon --data-dir "$T/file/${esc}]0;title${esc}\\x" --no-mount
# a download dir that is a file
: >"$T/dl${esc}[31m"
expect_clean 2 "download dir is a file" \
  "$SPATE_BIN" --daemon --data-dir "$T/b" --download-dir "$T/dl${esc}[31m" --no-mount
