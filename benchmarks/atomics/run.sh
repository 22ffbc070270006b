#!/usr/bin/env bash
# Atomic add from tcc-built code: inline asm vs a call into the C11 runtime (issue 4 asks to
# measure both). Prints medians of 7 interleaved runs, 1 and 2 threads on one counter.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
tcc -shared -o "$tmp/tcc_side.so" tcc_side.c
cc -O2 -std=c11 -pthread -o "$tmp/driver" driver.c -ldl
"$tmp/driver" "$tmp/tcc_side.so" "${1:-5000000}"
rm -rf "$tmp"
