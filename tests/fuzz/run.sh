#!/bin/sh
# run.sh SECONDS BIN... — runs each libFuzzer target for SECONDS, one at a
# time, over its checked-in seed corpus tests/fuzz/corpus/<name>/, and
# prints executions and findings per target (used by `make fuzz` and
# `make fuzz-short`).
#
# Nothing is written into the tree: new inputs go to a temp dir given as the
# first corpus dir (the checked-in one is read only), crash artifacts to
# another temp dir (printed, hex, on failure). Each target runs in a new
# network namespace whose only interface is loopback (`unshare -n`; the
# engine targets refuse to start otherwise), with TMPDIR in the temp dir.
# The temp dirs live in /dev/shm when it is writable (the engine targets'
# store then writes to memory), else in $TMPDIR or /tmp.
# Exit status: 0 if no target found anything, 1 otherwise.
set -u
secs=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
netns=""
if unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
    netns=yes
else
    echo "fuzz: unshare -n is not available; the engine targets will refuse to run" >&2
fi
root=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ]; then root=/dev/shm; fi
fail=0
summary=""
for bin in "$@"; do
    name=$(basename "$bin" | sed 's/^fuzz_//')
    tmp=$(mktemp -d "$root/spate-fuzz-$name-XXXXXX")
    mkdir "$tmp/new" "$tmp/art" "$tmp/tmp"
    log="$tmp/log"
    set -- "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$tmp/art/" "$tmp/new" "$here/corpus/$name"
    if [ -n "$netns" ]; then
        TMPDIR="$tmp/tmp" unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@" >"$log" 2>&1
    else
        TMPDIR="$tmp/tmp" "$@" >"$log" 2>&1
    fi
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    arts=$(ls "$tmp/art" 2>/dev/null | wc -l)
    if [ "$rc" -ne 0 ] || [ "$arts" -ne 0 ]; then
        fail=1
        line="$name: FAILED (exit $rc) after ${execs:-?} executions, $arts finding(s)"
        echo "--- $name: last lines of the log ($log)"
        tail -n 60 "$log"
        for a in "$tmp"/art/*; do
            [ -f "$a" ] || continue
            echo "--- $name: artifact $a ($(wc -c <"$a") bytes), hex:"
            od -A d -t x1z -v "$a" | head -n 40
        done
        echo "--- $name: kept in $tmp"
    else
        line="$name: ${execs:-?} executions in ${secs}s, coverage ${cov:-?} edges, 0 findings"
        rm -rf "$tmp"
    fi
    echo "fuzz: $line"
    summary="$summary$line
"
done
printf '%s' "--- fuzz summary
$summary"
exit $fail
