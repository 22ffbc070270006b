#!/usr/bin/env bash
# Builds the wasi-threads suite's 15th program, which ships as C only
# (../shared/wasi-testsuite/wasi-threads/thread_spawn-simple.c and wasi_thread_spawn.S, Apache 2.0),
# into wasi-threads/thread_spawn-simple.wasm (committed; `make wasi-test` runs it). Needs zig
# from PyPI: python3 -m venv /tmp/zig && /tmp/zig/bin/pip install ziglang; ZIG_PY=/tmp/zig/bin/python3.
# zig's wasi-libc is the single-threaded one, so the test's `__wasi_thread_spawn` is declared
# here (the import wasi thread-spawn); only the main thread calls into libc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
suite="${WASI_SUITE:-$here/../../../shared/wasi-testsuite}/wasi-threads"
py="${ZIG_PY:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
zigcc() { "$py" -m ziglang cc -target wasm32-wasi -mcpu=generic+atomics+bulk_memory -O2 "$@"; }
printf '%s\n' '#include <stdint.h>' \
  'int32_t __wasi_thread_spawn(void *start_arg) __attribute__((import_module("wasi"), import_name("thread-spawn")));' \
  > "$tmp/spawn.h"
zigcc -include "$tmp/spawn.h" -c -o "$tmp/test.o" "$suite/thread_spawn-simple.c"
zigcc -c -o "$tmp/start.o" "$suite/wasi_thread_spawn.S"
zigcc -s -Wl,--shared-memory,--import-memory,--export-memory,--max-memory=67108864 \
  -o "$here/wasi-threads/thread_spawn-simple.wasm" "$tmp/test.o" "$tmp/start.o"
