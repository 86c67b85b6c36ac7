#!/usr/bin/env bash
# Runs the test suite and prints one closing line "N passed, N failed".
#   tests/run.sh [--unit BIN...] [--integration]
# Unit binaries are cmocka programs; integration tests are tests/integration/test_*.sh,
# each run with SPATE_BIN set, on loopback only, bounded in time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
failures=()
mode=
units=()
integration=0
only=${SPATE_TEST_ONLY:-}
for arg in "$@"; do
  case "$arg" in
    --unit) mode=unit ;;
    --integration) integration=1; mode= ;;
    *) [ "$mode" = unit ] && units+=("$arg") ;;
  esac
done

for bin in "${units[@]}"; do
  name=$(basename "$bin")
  out=$("$bin" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)) failed=$((failed + f))
  if [ "$f" -ne 0 ]; then
    failures+=("$name"); printf '%s\n' "$out" | tail -40
    echo "FAIL unit $name ($p passed, $f failed)"
  else
    echo "ok   unit $name ($p tests)"
  fi
done

if [ "$integration" = 1 ]; then
  : "${SPATE_BIN:?SPATE_BIN must point at the spate binary}"
  export SPATE_BIN
  mkdir -p "$here/out"
  for t in "$here"/integration/test_*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    if [ -n "$only" ] && [[ "$name" != *"$only"* ]]; then continue; fi
    log="$here/out/$name.log"
    start=$(date +%s)
    timeout -k 10 "${SPATE_TEST_TIMEOUT:-600}" bash "$t" >"$log" 2>&1; rc=$?
    secs=$(( $(date +%s) - start ))
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1)); echo "ok   $name (${secs}s)"
    elif [ "$rc" -eq 77 ]; then
      skipped=$((skipped + 1)); echo "SKIP $name: $(tail -1 "$log")"
    else
      failed=$((failed + 1)); failures+=("$name")
      echo "FAIL $name (exit $rc, ${secs}s), last lines of $log:"; tail -30 "$log" | sed 's/^/    /'
    fi
  done
fi

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
