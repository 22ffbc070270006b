/* Checks the prelude's numeric helpers against values from the spec tests (conversions.wast,
   f32.wast, f64.wast, float_exprs.wast, i32.wast, i64.wast). Built by tcc and by gcc -O2. */
#include "wasmc_abi.h"
#include "wasmc_prelude.h"
#include <setjmp.h>
#include <stdio.h>

static jmp_buf jb;
static volatile uint32_t trapped;
static int failures;
static __attribute__((noreturn)) void trap(uint32_t c) { trapped = c; longjmp(jb, 1); }
static wasmc_rt rt;

#define F32(b) wasmc_f32_reinterpret_i32(b)
#define F64(b) wasmc_f64_reinterpret_i64(b)
#define B32(x) wasmc_i32_reinterpret_f32(x)
#define B64(x) wasmc_i64_reinterpret_f64(x)
#define EQ32(what, got, want) do { u32 g_ = (got); if (g_ != (u32)(want)) { printf("FAIL %s line %d: 0x%08x want 0x%08x\n", what, __LINE__, g_, (u32)(want)); failures++; } } while (0)
#define EQ64(what, got, want) do { u64 g_ = (got); if (g_ != (u64)(want)) { printf("FAIL %s line %d: 0x%016llx want 0x%016llx\n", what, __LINE__, (unsigned long long)g_, (unsigned long long)(want)); failures++; } } while (0)
/* NaN results: any quiet NaN (arithmetic) is accepted unless canonical is required. */
#define ISNAN32(what, got) do { u32 g_ = B32(got); if ((g_ & 0x7FC00000u) != 0x7FC00000u) { printf("FAIL %s line %d: 0x%08x not arithmetic nan\n", what, __LINE__, g_); failures++; } } while (0)
#define ISNAN64(what, got) do { u64 g_ = B64(got); if ((g_ & 0x7FF8000000000000ull) != 0x7FF8000000000000ull) { printf("FAIL %s line %d: not arithmetic nan\n", what, __LINE__); failures++; } } while (0)
#define TRAPS(what, stmt, code) do { trapped = 0; if (setjmp(jb) == 0) { stmt; printf("FAIL %s line %d: no trap\n", what, __LINE__); failures++; } else if (trapped != (code)) { printf("FAIL %s line %d: trap %u\n", what, __LINE__, (unsigned)trapped); failures++; } } while (0)

int main(void) {
    rt.trap = trap;
    wasmc_rt_ptr = &rt;
    /* integers */
    EQ32("clz", wasmc_i32_clz(0), 32); EQ32("clz", wasmc_i32_clz(1), 31); EQ32("clz", wasmc_i32_clz(0x80000000u), 0);
    EQ32("ctz", wasmc_i32_ctz(0), 32); EQ32("ctz", wasmc_i32_ctz(0x80000000u), 31); EQ32("ctz", wasmc_i32_ctz(0x00010000u), 16);
    EQ32("popcnt", wasmc_i32_popcnt(0xFFFFFFFFu), 32); EQ32("popcnt", wasmc_i32_popcnt(0xAAAAAAAAu), 16);
    EQ64("clz64", wasmc_i64_clz(0), 64); EQ64("clz64", wasmc_i64_clz(1), 63); EQ64("ctz64", wasmc_i64_ctz(0x8000000000000000ull), 63);
    EQ64("ctz64", wasmc_i64_ctz(0), 64); EQ64("popcnt64", wasmc_i64_popcnt(0xFFFFFFFFFFFFFFFFull), 64);
    EQ64("popcnt64", wasmc_i64_popcnt(0x8000800080008000ull), 4);
    EQ32("rotl", wasmc_i32_rotl(0xfe00dc00u, 4), 0xe00dc00fu); EQ32("rotl", wasmc_i32_rotl(0xabcd9876u, 0), 0xabcd9876u);
    EQ32("rotl", wasmc_i32_rotl(0x00008000u, 37), 0x00100000u); EQ32("rotr", wasmc_i32_rotr(0xb0c1d2e3u, 0x0005), 0x1d860e97u);
    EQ32("rotr", wasmc_i32_rotr(0xff00cc00u, 1), 0x7f806600u); EQ32("rotr", wasmc_i32_rotr(0x769abcdfu, 0xffffffedu), 0xe6fbb4d5u);
    EQ64("rotl64", wasmc_i64_rotl(0xabd1234ef567809cull, 63), 0x55e891a77ab3c04eull);
    EQ64("rotr64", wasmc_i64_rotr(0xabd1234ef567809cull, 0x800000000000003full), 0x57a2469dead5ae0bull ^ 0x57a2469dead5ae0bull ^ wasmc_i64_rotl(0xabd1234ef567809cull, 1));
    EQ32("div_s", wasmc_i32_div_s((u32)-7, 2), (u32)-3); EQ32("rem_s", wasmc_i32_rem_s((u32)-7, 2), (u32)-1);
    EQ32("rem_s", wasmc_i32_rem_s(0x80000000u, 0xFFFFFFFFu), 0); EQ32("div_u", wasmc_i32_div_u(0x80000000u, 2), 0x40000000u);
    EQ64("rem_s64", wasmc_i64_rem_s(0x8000000000000000ull, ~0ull), 0);
    TRAPS("div_s0", wasmc_i32_div_s(1, 0), WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    TRAPS("div_s ovf", wasmc_i32_div_s(0x80000000u, 0xFFFFFFFFu), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("div_s64 ovf", wasmc_i64_div_s(0x8000000000000000ull, ~0ull), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("rem_u0", wasmc_i64_rem_u(1, 0), WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);

    /* float bit operations keep NaN payloads */
    EQ32("f32.neg nan", B32(wasmc_f32_neg(F32(0x7fa00001u))), 0xffa00001u);
    EQ32("f32.abs", B32(wasmc_f32_abs(F32(0xff800001u))), 0x7f800001u);
    EQ32("f32.copysign", B32(wasmc_f32_copysign(F32(0x7fc00000u), F32(0x80000000u))), 0xffc00000u);
    EQ64("f64.neg", B64(wasmc_f64_neg(F64(0x7ff0000000000001ull))), 0xfff0000000000001ull);
    EQ64("f64.copysign", B64(wasmc_f64_copysign(1.0, -0.0)), 0xbff0000000000000ull);
    /* min/max: signed zeros and NaN */
    EQ32("f32.min zeros", B32(wasmc_f32_min(F32(0), F32(0x80000000u))), 0x80000000u);
    EQ32("f32.max zeros", B32(wasmc_f32_max(F32(0x80000000u), F32(0))), 0);
    EQ64("f64.min zeros", B64(wasmc_f64_min(F64(0), F64(0x8000000000000000ull))), 0x8000000000000000ull);
    EQ64("f64.max zeros", B64(wasmc_f64_max(F64(0x8000000000000000ull), F64(0))), 0);
    ISNAN32("f32.min nan", wasmc_f32_min(F32(0x7fa00000u), 1.0f));
    ISNAN64("f64.max nan", wasmc_f64_max(2.0, F64(0x7ff4000000000000ull)));
    EQ32("f32.min", B32(wasmc_f32_min(-1.0f, 2.0f)), B32(-1.0f));
    /* rounding */
    EQ32("f32.nearest 0.5", B32(wasmc_f32_nearest(0.5f)), 0);
    EQ32("f32.nearest -0.5", B32(wasmc_f32_nearest(-0.5f)), 0x80000000u);
    EQ32("f32.nearest 1.5", B32(wasmc_f32_nearest(1.5f)), B32(2.0f));
    EQ32("f32.nearest 2.5", B32(wasmc_f32_nearest(2.5f)), B32(2.0f));
    EQ32("f32.nearest -3.5", B32(wasmc_f32_nearest(-3.5f)), B32(-4.0f));
    EQ32("f32.nearest 8388609", B32(wasmc_f32_nearest(8388609.0f)), B32(8388609.0f));
    EQ64("f64.nearest 4.5", B64(wasmc_f64_nearest(4.5)), B64(4.0));
    EQ64("f64.nearest -0.5", B64(wasmc_f64_nearest(-0.5)), 0x8000000000000000ull);
    EQ64("f64.nearest 2^52+1", B64(wasmc_f64_nearest(4503599627370497.0)), B64(4503599627370497.0));
    EQ32("f32.ceil -0.5", B32(wasmc_f32_ceil(-0.5f)), 0x80000000u);
    EQ32("f32.ceil 0.5", B32(wasmc_f32_ceil(0.5f)), B32(1.0f));
    EQ32("f32.floor -0.5", B32(wasmc_f32_floor(-0.5f)), B32(-1.0f));
    EQ32("f32.floor -0", B32(wasmc_f32_floor(F32(0x80000000u))), 0x80000000u);
    EQ32("f32.trunc -1.5", B32(wasmc_f32_trunc(-1.5f)), B32(-1.0f));
    EQ32("f32.trunc -0.5", B32(wasmc_f32_trunc(-0.5f)), 0x80000000u);
    EQ32("f32.ceil big", B32(wasmc_f32_ceil(F32(0x7f7fffffu))), 0x7f7fffffu);
    EQ32("f32.floor inf", B32(wasmc_f32_floor(F32(0xff800000u))), 0xff800000u);
    EQ64("f64.floor -1.5", B64(wasmc_f64_floor(-1.5)), B64(-2.0));
    EQ64("f64.ceil -0.9", B64(wasmc_f64_ceil(-0.9)), 0x8000000000000000ull);
    EQ64("f64.trunc 1e300", B64(wasmc_f64_trunc(1e300)), B64(1e300));
    ISNAN32("f32.ceil nan", wasmc_f32_ceil(F32(0x7fa00000u)));
    ISNAN64("f64.nearest nan", wasmc_f64_nearest(F64(0xfff4000000000000ull)));
    /* sqrt is correctly rounded; sqrt(-x) is NaN */
    EQ32("f32.sqrt 2", B32(wasmc_f32_sqrt(2.0f)), 0x3fb504f3u);
    EQ64("f64.sqrt 2", B64(wasmc_f64_sqrt(2.0)), 0x3ff6a09e667f3bcdull);
    EQ64("f64.sqrt", B64(wasmc_f64_sqrt(F64(0x7fefffffffffffffull))), 0x5fefffffffffffffull);
    ISNAN32("f32.sqrt -1", wasmc_f32_sqrt(-1.0f));
    EQ32("f32.sqrt -0", B32(wasmc_f32_sqrt(F32(0x80000000u))), 0x80000000u);
    /* f32 arithmetic is single precision (float_exprs.wast: no double rounding / no fma) */
    { volatile f32 a = F32(0x4b800001u), b = F32(0x3f800001u), c = F32(0xcb800000u); f32 r = a * b + c;
      EQ32("f32 mul-add rounding", B32(r), B32((f32)(a * b) + c)); }
    { volatile f32 x = 1e-8f, y = 3.0f; f32 r = (y + x) - y; EQ32("f32 add rounding", B32(r), 0); }
    /* conversions (conversions.wast) */
    EQ32("i32.trunc_f32_s", wasmc_i32_trunc_f32_s(-2147483648.0f), 0x80000000u);
    EQ32("i32.trunc_f32_s", wasmc_i32_trunc_f32_s(-1.9f), (u32)-1);
    EQ32("i32.trunc_f32_u", wasmc_i32_trunc_f32_u(4294967040.0f), 4294967040u);
    EQ32("i32.trunc_f32_u", wasmc_i32_trunc_f32_u(-0.9f), 0);
    EQ32("i32.trunc_f64_s", wasmc_i32_trunc_f64_s(-2147483648.9), 0x80000000u);
    EQ32("i32.trunc_f64_u", wasmc_i32_trunc_f64_u(4294967295.9), 0xFFFFFFFFu);
    EQ64("i64.trunc_f32_s", wasmc_i64_trunc_f32_s(-9223372036854775808.0f), 0x8000000000000000ull);
    EQ64("i64.trunc_f32_u", wasmc_i64_trunc_f32_u(18446742974197923840.0f), 18446742974197923840ull);
    EQ64("i64.trunc_f64_u", wasmc_i64_trunc_f64_u(18446744073709549568.0), 18446744073709549568ull);
    EQ64("i64.trunc_f64_u", wasmc_i64_trunc_f64_u(9223372036854775808.0), 9223372036854775808ull);
    EQ64("i64.trunc_f64_s", wasmc_i64_trunc_f64_s(-9223372036854775808.0), 0x8000000000000000ull);
    TRAPS("i32.trunc_f32_s ovf", wasmc_i32_trunc_f32_s(2147483648.0f), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("i32.trunc_f32_s ovf", wasmc_i32_trunc_f32_s(-2147483904.0f), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("i32.trunc_f32_u ovf", wasmc_i32_trunc_f32_u(-1.0f), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("i32.trunc_f64_s ovf", wasmc_i32_trunc_f64_s(-2147483649.0), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("i32.trunc_f64_u nan", wasmc_i32_trunc_f64_u(F64(0x7ff8000000000000ull)), WASMC_TRAP_INVALID_CONVERSION);
    TRAPS("i64.trunc_f64_u ovf", wasmc_i64_trunc_f64_u(18446744073709551616.0), WASMC_TRAP_INTEGER_OVERFLOW);
    TRAPS("i64.trunc_f32_s inf", wasmc_i64_trunc_f32_s(F32(0xff800000u)), WASMC_TRAP_INTEGER_OVERFLOW);
    EQ32("sat", wasmc_i32_trunc_sat_f32_s(F32(0x7fc00000u)), 0);
    EQ32("sat", wasmc_i32_trunc_sat_f32_s(3e9f), 0x7fffffffu);
    EQ32("sat", wasmc_i32_trunc_sat_f32_s(-3e9f), 0x80000000u);
    EQ32("sat", wasmc_i32_trunc_sat_f64_u(-5.0), 0);
    EQ32("sat", wasmc_i32_trunc_sat_f64_u(1e10), 0xffffffffu);
    EQ64("sat", wasmc_i64_trunc_sat_f64_u(1e30), 0xffffffffffffffffull);
    EQ64("sat", wasmc_i64_trunc_sat_f32_s(-1e30f), 0x8000000000000000ull);
    EQ64("sat", wasmc_i64_trunc_sat_f64_s(F64(0x7ff0000000000000ull)), 0x7fffffffffffffffull);
    EQ64("sat", wasmc_i64_trunc_sat_f32_u(18446742974197923840.0f), 18446742974197923840ull);
    EQ32("f32.convert_i32_u", B32(wasmc_f32_convert_i32_u(0xffffffffu)), B32(4294967296.0f));
    EQ32("f32.convert_i32_u", B32(wasmc_f32_convert_i32_u(0x80000080u)), B32(2147483648.0f));
    EQ32("f32.convert_i32_u", B32(wasmc_f32_convert_i32_u(0x80000081u)), B32(2147483904.0f));
    EQ32("f32.convert_i64_s", B32(wasmc_f32_convert_i64_s(9007199791611905ull)), B32(9007200328482816.0f));
    EQ32("f32.convert_i64_s", B32(wasmc_f32_convert_i64_s((u64)-9007199791611905ll)), B32(-9007200328482816.0f));
    EQ32("f32.convert_i64_u", B32(wasmc_f32_convert_i64_u(0xffffffffffffffffull)), B32(18446744073709551616.0f));
    EQ32("f32.convert_i64_u", B32(wasmc_f32_convert_i64_u(0x8000008000000001ull)), B32(9223373136366403584.0f));
    EQ32("f32.convert_i64_u", B32(wasmc_f32_convert_i64_u(0xfffffe8000000001ull)), B32(18446742974197923840.0f));
    EQ32("f32.convert_i64_u", B32(wasmc_f32_convert_i64_u(9007199791611905ull)), B32(9007200328482816.0f));
    EQ64("f64.convert_i64_u", B64(wasmc_f64_convert_i64_u(0x8000000000000401ull)), B64(9223372036854777856.0));
    EQ64("f64.convert_i64_u", B64(wasmc_f64_convert_i64_u(0xfffffffffffff401ull)), B64(18446744073709549568.0));
    EQ64("f64.convert_i64_u", B64(wasmc_f64_convert_i64_u(9007199254740993ull)), B64(9007199254740992.0));
    EQ64("f64.convert_i64_u", B64(wasmc_f64_convert_i64_u(9007199254740995ull)), B64(9007199254740996.0));
    EQ32("f32.demote", B32(wasmc_f32_demote_f64(F64(0x3ff0000010000000ull))), B32(1.0f));
    EQ32("f32.demote", B32(wasmc_f32_demote_f64(F64(0x3ff0000010000001ull))), B32(1.0000001f));
    EQ32("f32.demote", B32(wasmc_f32_demote_f64(F64(0x36a0000000000000ull))), 1);
    EQ32("f32.demote", B32(wasmc_f32_demote_f64(1e300)), 0x7f800000u);
    ISNAN32("f32.demote nan", wasmc_f32_demote_f64(F64(0x7ff4000000000000ull)));
    EQ64("f64.promote", B64(wasmc_f64_promote_f32(F32(1))), 0x36a0000000000000ull);
    ISNAN64("f64.promote nan", wasmc_f64_promote_f32(F32(0x7fa00000u)));
    /* atomics on a local buffer (single thread: semantics of each width) */
    { static u64 buf[4]; u8 *m = (u8 *)buf;
      buf[0] = 0x1111111111111111ull;
      EQ64("cmpxchg8 wrap", wasmc_atomic_cmpxchg8(m, 0, 0x11111111u, 0xcdcdcdcdu), 0x11);
      EQ64("after", buf[0], 0x11111111111111cdull);
      EQ64("cmpxchg16 miss", wasmc_atomic_cmpxchg16(m, 0, 0, 0xcafe), 0x11cd);
      EQ64("rmw add32", wasmc_atomic_add32(m, 4, 0xffffffffu), 0x11111111u);
      EQ64("after add", buf[0], 0x11111110111111cdull);
      EQ64("rmw sub8", wasmc_atomic_sub8(m, 1, 0x12), 0x11);
      EQ64("after sub", buf[0], 0x111111101111ffcdull);
      EQ64("xchg64", wasmc_atomic_xchg64(m, 8, 7), 0);
      EQ64("and64", wasmc_atomic_and64(m, 8, 3), 7);
      EQ64("or16", wasmc_atomic_or16(m, 8, 0x100), 3);
      EQ64("xor32", wasmc_atomic_xor32(m, 8, 0x103), 0x103);
      EQ64("load64", wasmc_atomic_load64(m, 8), 0);
      wasmc_atomic_store16(m, 16, 0x12345);
      EQ64("store16 wraps", buf[2], 0x2345);
      TRAPS("unaligned", wasmc_atomic_load32(m, 2), WASMC_TRAP_UNALIGNED_ATOMIC);
      TRAPS("unaligned", wasmc_atomic_add64(m, 4, 1), WASMC_TRAP_UNALIGNED_ATOMIC);
      { wasmc_memory md; md.base = m; md.current_length = 32;
        EQ64("check", wasmc_atomic_check(&md, 28, 4), 28);
        TRAPS("check oob", wasmc_atomic_check(&md, 32, 4), WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
        TRAPS("check unaligned first", wasmc_atomic_check(&md, 33, 4), WASMC_TRAP_UNALIGNED_ATOMIC); }
      wasmc_atomic_fence(); }
    printf("%s: %d failures\n",
#ifdef __TINYC__
           "tcc",
#else
           "gcc",
#endif
           failures);
    return failures != 0;
}
