#!/usr/bin/env bash
# Instructions per SIMD operation under tcc (valgrind callgrind): each line of ops.txt
# ("name|loop body") is compiled with tcc against Runtime/prelude/wasmc_simd.h and, if a commit
# is given, against that commit's header too; prints a markdown table (benchmarks/TCC-SHAPE.md,
# "SIMD under tcc"). Counts include the loop and the body's v128 assignment.
# Usage: benchmarks/simd/ops_tcc.sh [BASELINE_COMMIT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
heads=(now)
mkdir -p "$tmp/now" && cp "$root/Runtime/prelude/wasmc_simd.h" "$tmp/now/"
if [[ $# -ge 1 ]]; then
  heads=(base now)
  mkdir -p "$tmp/base" && git -C "$root" show "$1:Runtime/prelude/wasmc_simd.h" > "$tmp/base/wasmc_simd.h"
fi
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | grep -o "Collected : [0-9]*" | awk '{print $3}'; }
echo "| operation (tcc) | ${heads[*]} |" | sed 's/ base now / baseline | now /'
echo "|---|$(printf -- '---:|%.0s' "${heads[@]}")"
while IFS='|' read -r name step; do
  row="| $name"
  for h in "${heads[@]}"; do
    tcc -I"$tmp/$h" -I"$root/Runtime/include" -I"$root/Runtime/prelude" "-DSTEP=$step" "$here/op.c" -o "$tmp/op" \
      || { row="$row | build failed"; continue; }
    a=$(ir "$tmp/op" 0); b=$(ir "$tmp/op" 100000)
    row="$row | $(( (b - a) / 100000 ))"
  done
  echo "$row |"
done < "$here/ops.txt"
