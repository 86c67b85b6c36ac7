#!/usr/bin/env bash
# The tree stays clang-format clean (.clang-format at the root).
cd "$(dirname "$0")/../.." || exit 1
command -v clang-format >/dev/null || { echo "clang-format is not installed (make deps)"; exit 77; }
make --no-print-directory format-check
