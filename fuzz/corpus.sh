#!/bin/sh
# Extracts the binaries of the spec suite's .wast files (modules, malformed and invalid ones
# included) into fuzz/.corpus/ as the decoder fuzzer's seed corpus. Read from the suite, never
# copied into the repository (fuzz/.corpus is ignored by git). `make fuzz-decode` also reads the
# 3.0 suite this way (fuzz/.corpus3: tail calls, exceptions, memory64, multi-memory, relaxed SIMD).
set -e
SPEC=${1:-../shared/spec-testsuite}
OUT=${2:-fuzz/.corpus}
mkdir -p "$OUT"
find "$SPEC" -name '*.wast' | sort | while read -r wast; do
  name=$(echo "$wast" | sed "s|^$SPEC/||; s|/|_|g; s|\.wast$||")
  mkdir -p "$OUT/$name"
  wasm-tools json-from-wast "$wast" --wasm-dir "$OUT/$name" -o "$OUT/$name/commands.json" 2>/dev/null || true
done
echo "corpus: $(find "$OUT" -name '*.wasm' | wc -l) binaries in $OUT"
