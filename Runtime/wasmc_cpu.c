// The host CPU's instruction-set features, in the bits of wasmc_abi.h's wasmc_cpu_feature, for
// the loader's check of a module's cpu_features and for choosing the -O tier's -march.
#include "wasmc_runtime.h"

#if defined(__x86_64__)
#include <cpuid.h>

/// CPUID leaves 1, 7 and 0x80000001; AVX and its successors count only when the operating
/// system saves the YMM registers (OSXSAVE, and XCR0 bits 1-2), as the psABI levels require.
static uint32_t detect(void) {
    unsigned a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & bit_SSE3) f |= WASMC_CPU_SSE3;
    if (c & bit_SSSE3) f |= WASMC_CPU_SSSE3;
    if (c & bit_SSE4_1) f |= WASMC_CPU_SSE4_1;
    if (c & bit_SSE4_2) f |= WASMC_CPU_SSE4_2;
    if (c & bit_POPCNT) f |= WASMC_CPU_POPCNT;
    if (c & bit_CMPXCHG16B) f |= WASMC_CPU_CX16;
    if (c & bit_MOVBE) f |= WASMC_CPU_MOVBE;
    if (c & bit_XSAVE) f |= WASMC_CPU_XSAVE;
    int ymm = 0;
    if ((c & bit_OSXSAVE) && (c & bit_AVX)) {
        unsigned lo, hi;
        __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        ymm = (lo & 6u) == 6u;
    }
    if (ymm) {
        f |= WASMC_CPU_AVX;
        if (c & bit_FMA) f |= WASMC_CPU_FMA;
        if (c & bit_F16C) f |= WASMC_CPU_F16C;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (ymm && (b & bit_AVX2)) f |= WASMC_CPU_AVX2;
        if (b & bit_BMI) f |= WASMC_CPU_BMI1;
        if (b & bit_BMI2) f |= WASMC_CPU_BMI2;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        if (c & bit_LAHF_LM) f |= WASMC_CPU_LAHF_SAHF;
        if (c & bit_LZCNT) f |= WASMC_CPU_LZCNT;
    }
    return f;
}
#else
static uint32_t detect(void) { return 0; }
#endif

/* Called once: CPUFeatures.host (a Swift static) keeps the result. */
uint32_t wasmc_cpu_host_features(void) { return detect(); }
