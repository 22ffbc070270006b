#!/bin/sh
# Rebuilds parallel_sum.wasm (committed, so the tests need no zig). Needs `pip install ziglang`.
set -e
cd "$(dirname "$0")"
python3 -m ziglang cc -target wasm32-freestanding -mcpu=generic+atomics+bulk_memory -O2 -g0 -nostdlib -Wl,--strip-debug \
    -Wl,--no-entry -Wl,--import-memory -Wl,--shared-memory -Wl,--max-memory=2097152 \
    -Wl,--export=run -Wl,--export=reset -Wl,--export=stack_top -Wl,--export=value_at \
    -Wl,--export=__stack_pointer \
    -o parallel_sum.wasm parallel_sum.c
