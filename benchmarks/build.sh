#!/usr/bin/env bash
# Builds the benchmark kernels: C → .wasm with zig cc (committed under wasm/, so running the
# benchmarks needs no wasm toolchain), C → native with gcc -O2 (build/native/, the speed limit),
# and the large generated module (build/, too big to commit).
# Usage: benchmarks/build.sh [wasm|simd|wasi|native|large|all]   (default: all). Needs benchmarks/.venv
# with ziglang for wasm and large (bench.py creates it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="$here/.venv/bin/python"
what="${1:-all}"
KERNELS="nbody sieve sha256 matmul sort crc32 fib lz77"
THREADED="atomic_counter wait_notify"
mkdir -p "$here/wasm" "$here/build/native"

# -g0 and --strip-debug: no DWARF sections, the modules hold code and data only
zigcc() { "$py" -m ziglang cc -g0 -Wl,--strip-debug "$@"; }

if [[ $what == wasm || $what == all ]]; then
  for k in $KERNELS; do
    zigcc -target wasm32-freestanding -O2 -nostdlib -Wl,--no-entry -Wl,--export=run \
      -o "$here/wasm/$k.wasm" "$here/kernels/$k.c"
  done
  for k in $THREADED; do
    [[ -f $here/kernels/threads/$k.c ]] || continue
    # one shared memory, imported, so that several instances (one per thread) can share it;
    # the exports are named in the sources (export_name)
    zigcc -target wasm32-freestanding -mcpu=generic+atomics+bulk_memory -O2 -nostdlib \
      -Wl,--no-entry -Wl,--shared-memory -Wl,--import-memory \
      -Wl,--max-memory=2097152 -o "$here/wasm/$k.wasm" "$here/kernels/threads/$k.c"
  done
fi

if [[ $what == simd || $what == all ]]; then
  # The same kernels with 128-bit SIMD enabled, at -O3 (zig's autovectoriser): simd_kernels.py
  mkdir -p "$here/wasm/simd"
  for k in $KERNELS; do
    zigcc -target wasm32-freestanding -mcpu=generic+simd128 -O3 -nostdlib -Wl,--no-entry -Wl,--export=run \
      -o "$here/wasm/simd/$k.wasm" "$here/kernels/$k.c"
  done
fi

if [[ $what == wasi || $what == all ]]; then
  # WASI programs (bench.py's "WASI programs" table): wasi-libc, run as commands
  for p in sha256sum sort; do
    zigcc -target wasm32-wasi -O2 -s -o "$here/wasi/$p.wasm" "$here/wasi/$p.c"
  done
  zigcc -target wasm32-wasi -O2 -s -o "$here/../examples/wasi/wc.wasm" "$here/../examples/wasi/wc.c"
fi

if [[ $what == native || $what == all ]]; then
  for k in $KERNELS; do
    gcc -O2 -o "$here/build/native/$k" "$here/kernels/$k.c" "$here/kernels/native_main.c" -lm
  done
fi

if [[ $what == large || $what == all ]]; then
  # ≥ 5 MB of code, ≥ 5,000 functions: generated C, compiled once and cached.
  if [[ ! -f $here/build/large.wasm ]]; then
    "$py" "$here/kernels/gen_large.py" > "$here/build/large.c"
    zigcc -target wasm32-freestanding -O1 -nostdlib -Wl,--no-entry -Wl,--export=run \
      -o "$here/build/large.wasm.tmp" "$here/build/large.c"
    mv "$here/build/large.wasm.tmp" "$here/build/large.wasm"
  fi
fi
