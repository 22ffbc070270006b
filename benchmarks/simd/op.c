/* One SIMD operation in a loop, for benchmarks/simd/ops_tcc.sh: STEP is the loop body (-DSTEP=...). */
#include "wasmc_abi.h"
#include "wasmc_prelude.h"
#include "wasmc_simd.h"
#include <stdlib.h>
static u8 mem[64];
volatile u32 sink; /* keeps the results live */
int main(int argc, char **argv) {
    long n = atol(argv[1]), i;
    v128 a = wasmc_i32x4_splat(1), b = wasmc_i32x4_splat(3);
    u32 s = 0;
    for (i = 0; i < n; i++) { STEP; }
    wasmc_v128_store(mem, a);
    sink = mem[0] + s + mem[5];
    return 0;
}
