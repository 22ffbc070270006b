/* wasmc_prelude.h — included by generated C only (after wasmc_abi.h): short type names,
   numeric helpers with the spec's semantics, memory access types, atomics. Compiled by tcc
   (default tier) and by cc -O2 (-O tier); must be free of undefined behaviour under both and
   need no libc/libm symbol (a loaded .so may only use what libtcc1 provides).
   tcc facts that shape it: no inlining (helpers are real calls, so hot operations are emitted
   as plain C expressions by the lowering instead), no "x" asm constraint and no SSE mnemonics
   in its assembler (sqrt is emitted as bytes), no __builtin_clz/popcount, no C11 atomics. */
#ifndef WASMC_PRELUDE_H
#define WASMC_PRELUDE_H
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;

/* Unaligned, aliasing-safe views of linear memory (wasm allows any alignment). */
typedef u16 __attribute__((aligned(1), may_alias)) wasmc_u16u;
typedef s16 __attribute__((aligned(1), may_alias)) wasmc_s16u;
typedef u32 __attribute__((aligned(1), may_alias)) wasmc_u32u;
typedef s32 __attribute__((aligned(1), may_alias)) wasmc_s32u;
typedef u64 __attribute__((aligned(1), may_alias)) wasmc_u64u;
typedef f32 __attribute__((aligned(1), may_alias)) wasmc_f32u;
typedef f64 __attribute__((aligned(1), may_alias)) wasmc_f64u;

/* Loads for the -O tier: the empty asm makes the value "used", so cc -O2 keeps a load whose
   result is dead and with it the out-of-bounds trap of the guard region. (tcc never drops a
   load that is stored, so the default tier dereferences directly.) */
#if !defined(__TINYC__)
#define WASMC_LOAD(NAME, T, VIEW, CONSTRAINT)                                                  \
    static inline __attribute__((unused)) T wasmc_load_##NAME(const u8 *p) {                   \
        T v = *(const VIEW *)p;                                                                \
        __asm__("" : : CONSTRAINT(v));                                                         \
        return v;                                                                              \
    }
WASMC_LOAD(u8, u8, u8, "r")
WASMC_LOAD(s8, s8, s8, "r")
WASMC_LOAD(u16, u16, wasmc_u16u, "r")
WASMC_LOAD(s16, s16, wasmc_s16u, "r")
WASMC_LOAD(u32, u32, wasmc_u32u, "r")
WASMC_LOAD(s32, s32, wasmc_s32u, "r")
WASMC_LOAD(u64, u64, wasmc_u64u, "r")
#if defined(__x86_64__)
WASMC_LOAD(f32, f32, wasmc_f32u, "x")
WASMC_LOAD(f64, f64, wasmc_f64u, "x")
#else
WASMC_LOAD(f32, f32, wasmc_f32u, "w")
WASMC_LOAD(f64, f64, wasmc_f64u, "w")
#endif
#endif

/* The runtime's entry table; the loader stores it through the descriptor's rt_slot. */
static const wasmc_rt *wasmc_rt_ptr;
/* Where the calling thread's stack limit lies, from the thread pointer (the same offset in
   every thread); the loader stores it through the descriptor's stack_limit_offset_slot. */
static intptr_t wasmc_stack_limit_offset __attribute__((unused)); /* read off x86-64 only */

#define WASMC_FN static inline __attribute__((unused))
#define WASMC_TRAP(code) (wasmc_rt_ptr->trap(code))
/* The limit is the thread's, not the instance's: threads running one instance at once each
   check against their own stack (volatile: an interrupter may raise it meanwhile). On x86-64
   it is glibc's TCB word for split-stack limits, at a fixed offset: one load, as cheap as an
   instance field (docs/lowering.md, the stack check). Interruption: the interrupter raises the
   thread's limit, so the next function entry's check fails and the runtime names the trap
   "interrupted"; code already running is stopped by a signal (wasmc_interrupt.c), so loops
   need nothing. */
#if defined(__x86_64__) && defined(__TINYC__)
/* Under tcc the compare and the call are one asm statement: a limit read into C would go
   through a stack slot (a store and a reload at every function entry). tcc's frames keep the
   stack 16-byte aligned there, and the call never returns. */
static void wasmc_stack_exhausted(void) __attribute__((used, noinline, noreturn));
static void wasmc_stack_exhausted(void) { WASMC_TRAP(WASMC_TRAP_CALL_STACK_EXHAUSTED); }
#define WASMC_CHECK_STACK(FRAME)                                                               \
    __asm__ volatile("cmpq %%fs:0x70, %0\n\tjae 1f\n\tcall wasmc_stack_exhausted\n1:"            \
                     : : "r"((uintptr_t)__builtin_frame_address(0) - (FRAME)))
#else
#if defined(__x86_64__)
#define WASMC_STACK_LIMIT() ({ uintptr_t wasmc_l_;                                             \
    __asm__ volatile("movq %%fs:0x70, %0" : "=r"(wasmc_l_)); wasmc_l_; })
#else
#define WASMC_STACK_LIMIT()                                                                    \
    (*(volatile uintptr_t *)((char *)__builtin_thread_pointer() + wasmc_stack_limit_offset))
#endif
#define WASMC_CHECK_STACK(FRAME)                                                               \
    if ((uintptr_t)__builtin_frame_address(0) < WASMC_STACK_LIMIT() + (FRAME))                \
    WASMC_TRAP(WASMC_TRAP_CALL_STACK_EXHAUSTED)
#endif

/* A .so written by libtcc needs no symbol from the process that loads it (it is linked with
   -nostdlib): what tcc's code generation calls on its own (memmove for struct copies, memset,
   memcpy) is defined here, static, so tcc binds those calls to these (a global definition
   would be exported and reached through text relocations). In-memory code gets libc's by
   address instead, and cc -O2 output links libc's. */
#ifdef WASMC_TCC_SHARED_OBJECT
static void *memmove(void *dst, const void *src, unsigned long n) {
    u8 *d = dst;
    const u8 *s = src;
    if (n == 16) { /* every v128 assignment (wasmc_simd.h): both words read before either is written */
        u64 lo = *(const wasmc_u64u *)s, hi = *(const wasmc_u64u *)(s + 8);
        *(wasmc_u64u *)d = lo;
        *(wasmc_u64u *)(d + 8) = hi;
        return dst;
    }
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}
static void *memcpy(void *dst, const void *src, unsigned long n) { return memmove(dst, src, n); }
static void *memset(void *dst, int c, unsigned long n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}
#endif

/* ---- Optional parts: from here to wasmc:parts-end, each `wasmc:part NAMES [needs NAMES]`
   marker starts a part that defines NAMES (a trailing * matches any name with that stem) and
   uses the parts defining the needed ones, which come before it. libtcc gets only the parts
   defining the helpers the lowering recorded the module's code uses (PreludeUse), and what
   they need (Pipeline.tccSource): each part left out is text tcc does not parse. The -O tier
   and --emit-c get the whole file. ---- */
/* ---- reinterpretation (bit copies: NaN payloads survive) ---- */
/* wasmc:part wasmc_bits32 wasmc_i32_reinterpret_f32 wasmc_f32_reinterpret_i32 */
typedef union { u32 i; f32 f; } wasmc_bits32;
WASMC_FN u32 wasmc_i32_reinterpret_f32(f32 x) { wasmc_bits32 b; b.f = x; return b.i; }
WASMC_FN f32 wasmc_f32_reinterpret_i32(u32 x) { wasmc_bits32 b; b.i = x; return b.f; }
/* wasmc:part wasmc_bits64 wasmc_i64_reinterpret_f64 wasmc_f64_reinterpret_i64 */
typedef union { u64 i; f64 f; } wasmc_bits64;
WASMC_FN u64 wasmc_i64_reinterpret_f64(f64 x) { wasmc_bits64 b; b.f = x; return b.i; }
WASMC_FN f64 wasmc_f64_reinterpret_i64(u64 x) { wasmc_bits64 b; b.i = x; return b.f; }

/* ---- integer bit counts ---- */
/* Without the popcnt instruction gcc's builtin calls libgcc: use the bit trick then. */
/* wasmc:part wasmc_i32_popcnt */
WASMC_FN u32 wasmc_i32_popcnt(u32 x) {
#if defined(__TINYC__) || !defined(__POPCNT__)
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
#else
    return (u32)__builtin_popcount(x);
#endif
}
/* wasmc:part wasmc_i64_popcnt */
WASMC_FN u64 wasmc_i64_popcnt(u64 x) {
#if defined(__TINYC__) || !defined(__POPCNT__)
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (x * 0x0101010101010101ull) >> 56;
#else
    return (u64)__builtin_popcountll(x);
#endif
}
/* wasmc:part wasmc_i32_clz */
WASMC_FN u32 wasmc_i32_clz(u32 x) {
    if (x == 0) return 32;
#if defined(__TINYC__) && defined(__x86_64__)
    u32 r;
    __asm__("bsrl %1, %0" : "=r"(r) : "r"(x));
    return 31 - r;
#elif defined(__TINYC__)
    u32 n = 0;
    while (!(x & 0x80000000u)) { x <<= 1; n++; }
    return n;
#else
    return (u32)__builtin_clz(x);
#endif
}
/* wasmc:part wasmc_i32_ctz */
WASMC_FN u32 wasmc_i32_ctz(u32 x) {
    if (x == 0) return 32;
#if defined(__TINYC__) && defined(__x86_64__)
    u32 r;
    __asm__("bsfl %1, %0" : "=r"(r) : "r"(x));
    return r;
#elif defined(__TINYC__)
    u32 n = 0;
    while (!(x & 1u)) { x >>= 1; n++; }
    return n;
#else
    return (u32)__builtin_ctz(x);
#endif
}
/* wasmc:part wasmc_i64_clz */
WASMC_FN u64 wasmc_i64_clz(u64 x) {
    if (x == 0) return 64;
#if defined(__TINYC__) && defined(__x86_64__)
    u64 r;
    __asm__("bsrq %1, %0" : "=r"(r) : "r"(x));
    return 63 - r;
#elif defined(__TINYC__)
    u64 n = 0;
    while (!(x & 0x8000000000000000ull)) { x <<= 1; n++; }
    return n;
#else
    return (u64)__builtin_clzll(x);
#endif
}
/* wasmc:part wasmc_i64_ctz */
WASMC_FN u64 wasmc_i64_ctz(u64 x) {
    if (x == 0) return 64;
#if defined(__TINYC__) && defined(__x86_64__)
    u64 r;
    __asm__("bsfq %1, %0" : "=r"(r) : "r"(x));
    return r;
#elif defined(__TINYC__)
    u64 n = 0;
    while (!(x & 1u)) { x >>= 1; n++; }
    return n;
#else
    return (u64)__builtin_ctzll(x);
#endif
}
/* Rotations: a zero count gives x | x == x, so no special case (and no shift by width). */
/* wasmc:part wasmc_i32_rotl wasmc_i32_rotr wasmc_i64_rotl wasmc_i64_rotr */
WASMC_FN u32 wasmc_i32_rotl(u32 x, u32 n) { return (x << (n & 31)) | (x >> ((32 - n) & 31)); }
WASMC_FN u32 wasmc_i32_rotr(u32 x, u32 n) { return (x >> (n & 31)) | (x << ((32 - n) & 31)); }
WASMC_FN u64 wasmc_i64_rotl(u64 x, u64 n) { return (x << (n & 63)) | (x >> ((64 - n) & 63)); }
WASMC_FN u64 wasmc_i64_rotr(u64 x, u64 n) { return (x >> (n & 63)) | (x << ((64 - n) & 63)); }

/* ---- trapping division ---- */
/* wasmc:part wasmc_i32_div_s */
WASMC_FN u32 wasmc_i32_div_s(u32 a, u32 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    if (a == 0x80000000u && b == 0xFFFFFFFFu) WASMC_TRAP(WASMC_TRAP_INTEGER_OVERFLOW);
    return (u32)((s32)a / (s32)b);
}
/* wasmc:part wasmc_i32_div_u */
WASMC_FN u32 wasmc_i32_div_u(u32 a, u32 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    return a / b;
}
/* wasmc:part wasmc_i32_rem_s */
WASMC_FN u32 wasmc_i32_rem_s(u32 a, u32 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    if (b == 0xFFFFFFFFu) return 0; /* INT_MIN % -1 is UB in C, 0 in wasm */
    return (u32)((s32)a % (s32)b);
}
/* wasmc:part wasmc_i32_rem_u */
WASMC_FN u32 wasmc_i32_rem_u(u32 a, u32 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    return a % b;
}
/* wasmc:part wasmc_i64_div_s */
WASMC_FN u64 wasmc_i64_div_s(u64 a, u64 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    if (a == 0x8000000000000000ull && b == 0xFFFFFFFFFFFFFFFFull) WASMC_TRAP(WASMC_TRAP_INTEGER_OVERFLOW);
    return (u64)((s64)a / (s64)b);
}
/* wasmc:part wasmc_i64_div_u */
WASMC_FN u64 wasmc_i64_div_u(u64 a, u64 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    return a / b;
}
/* wasmc:part wasmc_i64_rem_s */
WASMC_FN u64 wasmc_i64_rem_s(u64 a, u64 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    if (b == 0xFFFFFFFFFFFFFFFFull) return 0;
    return (u64)((s64)a % (s64)b);
}
/* wasmc:part wasmc_i64_rem_u */
WASMC_FN u64 wasmc_i64_rem_u(u64 a, u64 b) {
    if (b == 0) WASMC_TRAP(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    return a % b;
}

/* ---- float sign operations: pure bit operations ---- */
/* wasmc:part wasmc_f32_abs needs wasmc_bits32 */
WASMC_FN f32 wasmc_f32_abs(f32 x) { return wasmc_f32_reinterpret_i32(wasmc_i32_reinterpret_f32(x) & 0x7FFFFFFFu); }
/* wasmc:part wasmc_f32_neg needs wasmc_bits32 */
WASMC_FN f32 wasmc_f32_neg(f32 x) { return wasmc_f32_reinterpret_i32(wasmc_i32_reinterpret_f32(x) ^ 0x80000000u); }
/* wasmc:part wasmc_f32_copysign needs wasmc_bits32 */
WASMC_FN f32 wasmc_f32_copysign(f32 x, f32 y) {
    return wasmc_f32_reinterpret_i32((wasmc_i32_reinterpret_f32(x) & 0x7FFFFFFFu) |
                                     (wasmc_i32_reinterpret_f32(y) & 0x80000000u));
}
/* wasmc:part wasmc_f64_abs needs wasmc_bits64 */
WASMC_FN f64 wasmc_f64_abs(f64 x) { return wasmc_f64_reinterpret_i64(wasmc_i64_reinterpret_f64(x) & 0x7FFFFFFFFFFFFFFFull); }
/* wasmc:part wasmc_f64_neg needs wasmc_bits64 */
WASMC_FN f64 wasmc_f64_neg(f64 x) { return wasmc_f64_reinterpret_i64(wasmc_i64_reinterpret_f64(x) ^ 0x8000000000000000ull); }
/* wasmc:part wasmc_f64_copysign needs wasmc_bits64 */
WASMC_FN f64 wasmc_f64_copysign(f64 x, f64 y) {
    return wasmc_f64_reinterpret_i64((wasmc_i64_reinterpret_f64(x) & 0x7FFFFFFFFFFFFFFFull) |
                                     (wasmc_i64_reinterpret_f64(y) & 0x8000000000000000ull));
}

/* ---- min/max: NaN in → arithmetic NaN out (a + b quiets), -0 < +0 ---- */
/* wasmc:part wasmc_f32_min needs wasmc_bits32 */
WASMC_FN f32 wasmc_f32_min(f32 a, f32 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_f32_reinterpret_i32(wasmc_i32_reinterpret_f32(a) | wasmc_i32_reinterpret_f32(b));
    return a < b ? a : b;
}
/* wasmc:part wasmc_f32_max needs wasmc_bits32 */
WASMC_FN f32 wasmc_f32_max(f32 a, f32 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_f32_reinterpret_i32(wasmc_i32_reinterpret_f32(a) & wasmc_i32_reinterpret_f32(b));
    return a > b ? a : b;
}
/* wasmc:part wasmc_f64_min needs wasmc_bits64 */
WASMC_FN f64 wasmc_f64_min(f64 a, f64 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_f64_reinterpret_i64(wasmc_i64_reinterpret_f64(a) | wasmc_i64_reinterpret_f64(b));
    return a < b ? a : b;
}
/* wasmc:part wasmc_f64_max needs wasmc_bits64 */
WASMC_FN f64 wasmc_f64_max(f64 a, f64 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_f64_reinterpret_i64(wasmc_i64_reinterpret_f64(a) & wasmc_i64_reinterpret_f64(b));
    return a > b ? a : b;
}

/* ---- rounding: no libm. |x| >= 2^23 (f32) / 2^52 (f64) is already integral; the result
   always carries x's sign (ceil(-0.5) == -0.0). NaN: x + x gives an arithmetic NaN. ---- */
/* wasmc:part wasmc_f32_trunc needs wasmc_f32_abs wasmc_f32_copysign */
WASMC_FN f32 wasmc_f32_trunc(f32 x) {
    if (x != x) return x + x;
    if (!(wasmc_f32_abs(x) < 8388608.0f)) return x;
    return wasmc_f32_copysign((f32)(s32)x, x);
}
/* wasmc:part wasmc_f32_floor needs wasmc_f32_abs wasmc_f32_copysign */
WASMC_FN f32 wasmc_f32_floor(f32 x) {
    f32 r;
    if (x != x) return x + x;
    if (!(wasmc_f32_abs(x) < 8388608.0f)) return x;
    r = (f32)(s32)x;
    if (r > x) r = r - 1.0f;
    return wasmc_f32_copysign(r, x);
}
/* wasmc:part wasmc_f32_ceil needs wasmc_f32_abs wasmc_f32_copysign */
WASMC_FN f32 wasmc_f32_ceil(f32 x) {
    f32 r;
    if (x != x) return x + x;
    if (!(wasmc_f32_abs(x) < 8388608.0f)) return x;
    r = (f32)(s32)x;
    if (r < x) r = r + 1.0f;
    return wasmc_f32_copysign(r, x);
}
/* wasmc:part wasmc_f32_nearest needs wasmc_f32_abs wasmc_f32_copysign */
WASMC_FN f32 wasmc_f32_nearest(f32 x) {
    f32 a;
    if (x != x) return x + x;
    a = wasmc_f32_abs(x);
    if (!(a < 8388608.0f)) return x;
    /* Adding and subtracting 2^23 rounds to an integer, ties to even (default rounding). */
    a = (a + 8388608.0f) - 8388608.0f;
    return wasmc_f32_copysign(a, x);
}
/* wasmc:part wasmc_f64_trunc needs wasmc_f64_abs wasmc_f64_copysign */
WASMC_FN f64 wasmc_f64_trunc(f64 x) {
    if (x != x) return x + x;
    if (!(wasmc_f64_abs(x) < 4503599627370496.0)) return x;
    return wasmc_f64_copysign((f64)(s64)x, x);
}
/* wasmc:part wasmc_f64_floor needs wasmc_f64_abs wasmc_f64_copysign */
WASMC_FN f64 wasmc_f64_floor(f64 x) {
    f64 r;
    if (x != x) return x + x;
    if (!(wasmc_f64_abs(x) < 4503599627370496.0)) return x;
    r = (f64)(s64)x;
    if (r > x) r = r - 1.0;
    return wasmc_f64_copysign(r, x);
}
/* wasmc:part wasmc_f64_ceil needs wasmc_f64_abs wasmc_f64_copysign */
WASMC_FN f64 wasmc_f64_ceil(f64 x) {
    f64 r;
    if (x != x) return x + x;
    if (!(wasmc_f64_abs(x) < 4503599627370496.0)) return x;
    r = (f64)(s64)x;
    if (r < x) r = r + 1.0;
    return wasmc_f64_copysign(r, x);
}
/* wasmc:part wasmc_f64_nearest needs wasmc_f64_abs wasmc_f64_copysign */
WASMC_FN f64 wasmc_f64_nearest(f64 x) {
    f64 a;
    if (x != x) return x + x;
    a = wasmc_f64_abs(x);
    if (!(a < 4503599627370496.0)) return x;
    a = (a + 4503599627370496.0) - 4503599627370496.0;
    return wasmc_f64_copysign(a, x);
}

/* ---- sqrt: the SSE instruction (correctly rounded). tcc's assembler knows neither the
   mnemonics nor "x" constraints, so it gets the bytes with fixed registers (rdi/rsi/xmm0;
   xmm0 is not live across a tcc statement). ---- */
/* wasmc:part wasmc_f32_sqrt */
WASMC_FN f32 wasmc_f32_sqrt(f32 x) {
#if defined(__x86_64__) && defined(__TINYC__)
    f32 r;
    __asm__ __volatile__(".byte 0xf3,0x0f,0x10,0x07, 0xf3,0x0f,0x51,0xc0, 0xf3,0x0f,0x11,0x06"
                         : : "D"(&x), "S"(&r) : "memory");
    return r;
#elif defined(__x86_64__)
    f32 r;
    __asm__("sqrtss %1, %0" : "=x"(r) : "x"(x));
    return r;
#else
    return __builtin_sqrtf(x);
#endif
}
/* wasmc:part wasmc_f64_sqrt */
WASMC_FN f64 wasmc_f64_sqrt(f64 x) {
#if defined(__x86_64__) && defined(__TINYC__)
    f64 r;
    __asm__ __volatile__(".byte 0xf2,0x0f,0x10,0x07, 0xf2,0x0f,0x51,0xc0, 0xf2,0x0f,0x11,0x06"
                         : : "D"(&x), "S"(&r) : "memory");
    return r;
#elif defined(__x86_64__)
    f64 r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
    return r;
#else
    return __builtin_sqrt(x);
#endif
}

/* ---- conversions ---- */
/* Range checks compare against exact powers of two; NaN fails every comparison. */
/* wasmc:part WASMC_TRUNC_CHECK */
#define WASMC_TRUNC_CHECK(x, lo, hi)                                                    \
    do {                                                                                \
        if ((x) != (x)) WASMC_TRAP(WASMC_TRAP_INVALID_CONVERSION);                      \
        if (!((x) > (lo) && (x) < (hi))) WASMC_TRAP(WASMC_TRAP_INTEGER_OVERFLOW);       \
    } while (0)
/* wasmc:part wasmc_i32_trunc_f32_s needs WASMC_TRUNC_CHECK */
WASMC_FN u32 wasmc_i32_trunc_f32_s(f32 x) { WASMC_TRUNC_CHECK(x, -2147483904.0f, 2147483648.0f); return (u32)(s32)x; }
/* wasmc:part wasmc_i32_trunc_f32_u needs WASMC_TRUNC_CHECK */
WASMC_FN u32 wasmc_i32_trunc_f32_u(f32 x) { WASMC_TRUNC_CHECK(x, -1.0f, 4294967296.0f); return (u32)(s64)x; }
/* wasmc:part wasmc_i32_trunc_f64_s needs WASMC_TRUNC_CHECK */
WASMC_FN u32 wasmc_i32_trunc_f64_s(f64 x) { WASMC_TRUNC_CHECK(x, -2147483649.0, 2147483648.0); return (u32)(s32)x; }
/* wasmc:part wasmc_i32_trunc_f64_u needs WASMC_TRUNC_CHECK */
WASMC_FN u32 wasmc_i32_trunc_f64_u(f64 x) { WASMC_TRUNC_CHECK(x, -1.0, 4294967296.0); return (u32)(s64)x; }
/* wasmc:part wasmc_f64_to_u64 */
WASMC_FN u64 wasmc_f64_to_u64(f64 x) { /* x in (-1, 2^64) */
    if (x >= 9223372036854775808.0) return (u64)(s64)(x - 9223372036854775808.0) + 0x8000000000000000ull;
    return (u64)(s64)x;
}
/* wasmc:part wasmc_i64_trunc_f32_s needs WASMC_TRUNC_CHECK */
WASMC_FN u64 wasmc_i64_trunc_f32_s(f32 x) { WASMC_TRUNC_CHECK(x, -9223373136366403584.0f, 9223372036854775808.0f); return (u64)(s64)x; }
/* wasmc:part wasmc_i64_trunc_f32_u needs WASMC_TRUNC_CHECK wasmc_f64_to_u64 */
WASMC_FN u64 wasmc_i64_trunc_f32_u(f32 x) { WASMC_TRUNC_CHECK(x, -1.0f, 18446744073709551616.0f); return wasmc_f64_to_u64((f64)x); }
/* wasmc:part wasmc_i64_trunc_f64_s needs WASMC_TRUNC_CHECK */
WASMC_FN u64 wasmc_i64_trunc_f64_s(f64 x) { WASMC_TRUNC_CHECK(x, -9223372036854777856.0, 9223372036854775808.0); return (u64)(s64)x; }
/* wasmc:part wasmc_i64_trunc_f64_u needs WASMC_TRUNC_CHECK wasmc_f64_to_u64 */
WASMC_FN u64 wasmc_i64_trunc_f64_u(f64 x) { WASMC_TRUNC_CHECK(x, -1.0, 18446744073709551616.0); return wasmc_f64_to_u64(x); }

/* wasmc:part wasmc_i32_trunc_sat_f32_s */
WASMC_FN u32 wasmc_i32_trunc_sat_f32_s(f32 x) {
    if (x != x) return 0;
    if (!(x > -2147483904.0f)) return 0x80000000u;
    if (!(x < 2147483648.0f)) return 0x7FFFFFFFu;
    return (u32)(s32)x;
}
/* wasmc:part wasmc_i32_trunc_sat_f32_u */
WASMC_FN u32 wasmc_i32_trunc_sat_f32_u(f32 x) {
    if (!(x > -1.0f)) return 0; /* NaN too */
    if (!(x < 4294967296.0f)) return 0xFFFFFFFFu;
    return (u32)(s64)x;
}
/* wasmc:part wasmc_i32_trunc_sat_f64_s */
WASMC_FN u32 wasmc_i32_trunc_sat_f64_s(f64 x) {
    if (x != x) return 0;
    if (!(x > -2147483649.0)) return 0x80000000u;
    if (!(x < 2147483648.0)) return 0x7FFFFFFFu;
    return (u32)(s32)x;
}
/* wasmc:part wasmc_i32_trunc_sat_f64_u */
WASMC_FN u32 wasmc_i32_trunc_sat_f64_u(f64 x) {
    if (!(x > -1.0)) return 0;
    if (!(x < 4294967296.0)) return 0xFFFFFFFFu;
    return (u32)(s64)x;
}
/* wasmc:part wasmc_i64_trunc_sat_f32_s */
WASMC_FN u64 wasmc_i64_trunc_sat_f32_s(f32 x) {
    if (x != x) return 0;
    if (!(x > -9223373136366403584.0f)) return 0x8000000000000000ull;
    if (!(x < 9223372036854775808.0f)) return 0x7FFFFFFFFFFFFFFFull;
    return (u64)(s64)x;
}
/* wasmc:part wasmc_i64_trunc_sat_f32_u needs wasmc_f64_to_u64 */
WASMC_FN u64 wasmc_i64_trunc_sat_f32_u(f32 x) {
    if (!(x > -1.0f)) return 0;
    if (!(x < 18446744073709551616.0f)) return 0xFFFFFFFFFFFFFFFFull;
    return wasmc_f64_to_u64((f64)x);
}
/* wasmc:part wasmc_i64_trunc_sat_f64_s */
WASMC_FN u64 wasmc_i64_trunc_sat_f64_s(f64 x) {
    if (x != x) return 0;
    if (!(x > -9223372036854777856.0)) return 0x8000000000000000ull;
    if (!(x < 9223372036854775808.0)) return 0x7FFFFFFFFFFFFFFFull;
    return (u64)(s64)x;
}
/* wasmc:part wasmc_i64_trunc_sat_f64_u needs wasmc_f64_to_u64 */
WASMC_FN u64 wasmc_i64_trunc_sat_f64_u(f64 x) {
    if (!(x > -1.0)) return 0;
    if (!(x < 18446744073709551616.0)) return 0xFFFFFFFFFFFFFFFFull;
    return wasmc_f64_to_u64(x);
}

/* u32 → f32 through a signed 64-bit conversion: one rounding. */
/* wasmc:part wasmc_f32_convert_i32_u */
WASMC_FN f32 wasmc_f32_convert_i32_u(u32 x) { return (f32)(s64)(u64)x; }
/* wasmc:part wasmc_f32_convert_i64_s */
WASMC_FN f32 wasmc_f32_convert_i64_s(u64 x) { return (f32)(s64)x; }
/* u64 ≥ 2^63: halve with the lost bit kept sticky, convert, double: one correct rounding. */
/* wasmc:part wasmc_f32_convert_i64_u */
WASMC_FN f32 wasmc_f32_convert_i64_u(u64 x) {
    f32 r;
    if (!(x >> 63)) return (f32)(s64)x;
    r = (f32)(s64)((x >> 1) | (x & 1));
    return r + r;
}
/* wasmc:part wasmc_f64_convert_i64_u */
WASMC_FN f64 wasmc_f64_convert_i64_u(u64 x) {
    f64 r;
    if (!(x >> 63)) return (f64)(s64)x;
    r = (f64)(s64)((x >> 1) | (x & 1));
    return r + r;
}
/* wasmc:part wasmc_f32_demote_f64 */
WASMC_FN f32 wasmc_f32_demote_f64(f64 x) { return (f32)x; }
/* wasmc:part wasmc_f64_promote_f32 */
WASMC_FN f64 wasmc_f64_promote_f32(f32 x) {
    f64 r = (f64)x;
#if !defined(__TINYC__) && defined(__x86_64__)
    /* An optimising compiler folds demote(promote(x)) to x, which keeps a signalling NaN
       signalling; wasm quiets it (float_exprs.wast no_fold_promote_demote). The empty asm hides
       the value, so both conversions run. tcc folds nothing. */
    __asm__("" : "+x"(r));
#endif
    return r;
}

/* ---- tables and indirect calls ---- */
/* wasmc:part wasmc_table_get */
WASMC_FN void *wasmc_table_get(wasmc_table *t, u32 i) {
    if (i >= t->size) WASMC_TRAP(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    return t->elements[i];
}
/* wasmc:part wasmc_table_get_exn */
/* An exnref table's element: read through the runtime (docs/exceptions.md, lifetime). */
WASMC_FN void *wasmc_table_get_exn(wasmc_table *t, u32 i) {
    if (i >= t->size) WASMC_TRAP(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    return wasmc_rt_ptr->exn_load((wasmc_exception *const *)&t->elements[i]);
}
/* wasmc:part wasmc_table_set wasmc_table_set_exn */
WASMC_FN void wasmc_table_set(wasmc_table *t, u32 i, void *v) {
    if (i >= t->size) WASMC_TRAP(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    t->elements[i] = v;
}
/* An exnref table's element holds a counted reference (docs/exceptions.md, lifetime). */
WASMC_FN void wasmc_table_set_exn(wasmc_table *t, u32 i, void *v) {
    if (i >= t->size) WASMC_TRAP(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    wasmc_rt_ptr->exn_store((wasmc_exception **)&t->elements[i], (wasmc_exception *)v);
}
/* call_indirect's checks, in the spec's order. */
/* wasmc:part wasmc_indirect */
WASMC_FN wasmc_funcref *wasmc_indirect(wasmc_table *t, u32 i, u32 type_id) {
    wasmc_funcref *f;
    if (i >= t->size) WASMC_TRAP(WASMC_TRAP_UNDEFINED_ELEMENT);
    f = (wasmc_funcref *)t->elements[i];
    if (!f) wasmc_rt_ptr->trap_index(WASMC_TRAP_UNINITIALIZED_ELEMENT, i); /* "uninitialized element 2" */
    if (f->type_id != type_id) WASMC_TRAP(WASMC_TRAP_INDIRECT_CALL_TYPE);
    return f;
}
/* wasmc:part wasmc_drop_data */
WASMC_FN void wasmc_drop_data(const u8 **seg, u32 *size) { *seg = 0; *size = 0; }
/* wasmc:part wasmc_drop_elem */
WASMC_FN void wasmc_drop_elem(void ***seg, u32 *size) { *seg = 0; *size = 0; }

/* ---- memory size (current_length of a shared memory is written atomically; an aligned
   8-byte load is atomic on x86-64) ---- */
/* wasmc:part wasmc_memory_length */
WASMC_FN u64 wasmc_memory_length(wasmc_memory *m) { return *(volatile u64 *)&m->current_length; }

/* wasmc:part wasmc_bound64 wasmc_bound64_full wasmc_ea64 wasmc_ea64_atomic WASMC_BOUND64 */
/* ---- memory64: a 64-bit address cannot be covered by guard pages, so it is checked against
   the current length (`len`, read at each access: another thread or a call may grow the
   memory). One compare when the static offset plus the access size fits the guard after the
   reservation (WASMC_GUARD64): an address at most `len` then ends in the guard at the latest,
   and the fault handler turns that into the trap. ---- */
#define WASMC_BOUND64(a, len) ({                                                              \
        u64 wasmc_a_ = (a);                                                                    \
        if (wasmc_a_ > (len)) WASMC_TRAP(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);                     \
        wasmc_a_; })
/* A larger offset: the whole access checked, `end` = offset + size (UINT64_MAX when that sum
   overflows: the access is out of bounds whatever the address). */
WASMC_FN u64 wasmc_bound64_full(u64 a, u64 len, u64 end) {
    if (end > len || a > len - end) WASMC_TRAP(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    return a;
}
/* The effective address of an atomic access (checked for alignment by the atomic itself):
   a + off must not wrap (the spec's 65-bit sum), and the access must fit the current length. */
WASMC_FN u64 wasmc_ea64(u64 a, u64 off, u64 bytes, u64 len) {
    u64 ea = a + off;
    if (ea < a || ea > len || bytes > len - ea) WASMC_TRAP(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    return ea;
}
/* An atomic access: alignment first, as on 32-bit memories (the runtime's atomics check it
   before the guard pages can fault) and as Wasmtime orders it; the low bits of the 65-bit sum
   are those of the wrapped one. */
WASMC_FN u64 wasmc_ea64_atomic(u64 a, u64 off, u64 bytes, u64 len) {
    if ((a + off) & (bytes - 1)) WASMC_TRAP(WASMC_TRAP_UNALIGNED_ATOMIC);
    return wasmc_ea64(a, off, bytes, len);
}

/* wasmc:part wasmc_table_index64 wasmc_table_grow64 */
/* table64: tables hold at most 2^32-1 elements, so an index or length beyond 32 bits is past
   any table's end: saturated, the 32-bit runtime's own check traps (or grow fails). */
WASMC_FN u32 wasmc_table_index64(u64 i) { return i > 0xFFFFFFFFull ? 0xFFFFFFFFu : (u32)i; }
WASMC_FN u64 wasmc_table_grow64(u32 old) { return old == 0xFFFFFFFFu ? ~0ull : (u64)old; }

/* wasmc:part wasmc_atomic_* needs wasmc_memory_length */
/* ---- atomics: sequentially consistent on x86-64 (lock-prefixed RMW, xchg stores, plain
   loads). Alignment is checked first on the effective address, then the access itself
   faults into the guard region when out of bounds. ---- */
#define WASMC_ALIGNED(ea, n) do { if ((ea) & ((n) - 1)) WASMC_TRAP(WASMC_TRAP_UNALIGNED_ATOMIC); } while (0)
#define WASMC_CAS(N, T, SUF, RC)                                                               \
    WASMC_FN T wasmc_cas##N(volatile T *p, T e, T d) {                                         \
        __asm__ __volatile__("lock cmpxchg" SUF " %2, %1" : "+a"(e), "+m"(*p) : RC(d) : "memory", "cc"); \
        return e;                                                                              \
    }                                                                                          \
    WASMC_FN T wasmc_xchg##N(volatile T *p, T v) {                                             \
        __asm__ __volatile__("xchg" SUF " %0, %1" : "+" RC(v), "+m"(*p) : : "memory");         \
        return v;                                                                              \
    }
WASMC_CAS(8, u8, "b", "q")
WASMC_CAS(16, u16, "w", "r")
WASMC_CAS(32, u32, "l", "r")
WASMC_CAS(64, u64, "q", "r")

/* One family per width; values travel as u64, wrapped to the access width (cmpxchg's
   expected value too, as the threads proposal says). */
#define WASMC_ATOMICS(N, T, BYTES)                                                             \
    WASMC_FN u64 wasmc_atomic_load##N(u8 *m, u64 ea) {                                         \
        WASMC_ALIGNED(ea, BYTES);                                                              \
        return *(volatile T *)(m + ea);                                                        \
    }                                                                                          \
    WASMC_FN void wasmc_atomic_store##N(u8 *m, u64 ea, u64 v) {                                \
        WASMC_ALIGNED(ea, BYTES);                                                              \
        wasmc_xchg##N((volatile T *)(m + ea), (T)v);                                           \
    }                                                                                          \
    WASMC_FN u64 wasmc_atomic_xchg##N(u8 *m, u64 ea, u64 v) {                                  \
        WASMC_ALIGNED(ea, BYTES);                                                              \
        return wasmc_xchg##N((volatile T *)(m + ea), (T)v);                                    \
    }                                                                                          \
    WASMC_FN u64 wasmc_atomic_cmpxchg##N(u8 *m, u64 ea, u64 e, u64 d) {                        \
        volatile T *p;                                                                         \
        WASMC_ALIGNED(ea, BYTES);                                                              \
        p = (volatile T *)(m + ea);                                                            \
        return wasmc_cas##N(p, (T)e, (T)d);                                                    \
    }                                                                                          \
    WASMC_ATOMIC_RMW(N, T, BYTES, and, &)                                                      \
    WASMC_ATOMIC_RMW(N, T, BYTES, or, |)                                                       \
    WASMC_ATOMIC_RMW(N, T, BYTES, xor, ^)
#define WASMC_ATOMIC_RMW(N, T, BYTES, NAME, OP)                                                \
    WASMC_FN u64 wasmc_atomic_##NAME##N(u8 *m, u64 ea, u64 v) {                                \
        volatile T *p;                                                                         \
        T old, seen;                                                                           \
        WASMC_ALIGNED(ea, BYTES);                                                              \
        p = (volatile T *)(m + ea);                                                            \
        old = *p;                                                                              \
        for (;;) {                                                                             \
            seen = wasmc_cas##N(p, old, (T)(old OP (T)v));                                     \
            if (seen == old) return old;                                                       \
            old = seen;                                                                        \
        }                                                                                      \
    }
/* add and sub are one `lock xadd` (sub adds the negation), written as statement expressions:
   tcc does not inline, and a call around the locked instruction cost the atomic-counter
   benchmark about a third of its time. */
#define WASMC_ATOMIC_XADD_(T, BYTES, SUF, RC, m, ea, v, NEG) ({                                        \
        u64 wasmc_ea_ = (ea);                                                                  \
        T wasmc_x_ = (T)(NEG(T)(v));                                                           \
        WASMC_ALIGNED(wasmc_ea_, BYTES);                                                       \
        __asm__ __volatile__("lock xadd" SUF " %0, %1"                                         \
                             : "+" RC(wasmc_x_), "+m"(*(volatile T *)((m) + wasmc_ea_)) : : "memory", "cc"); \
        (u64)wasmc_x_; })
#define wasmc_atomic_add8(m, ea, v) WASMC_ATOMIC_XADD_(u8, 1, "b", "q", m, ea, v, )
#define wasmc_atomic_add16(m, ea, v) WASMC_ATOMIC_XADD_(u16, 2, "w", "r", m, ea, v, )
#define wasmc_atomic_add32(m, ea, v) WASMC_ATOMIC_XADD_(u32, 4, "l", "r", m, ea, v, )
#define wasmc_atomic_add64(m, ea, v) WASMC_ATOMIC_XADD_(u64, 8, "q", "r", m, ea, v, )
#define wasmc_atomic_sub8(m, ea, v) WASMC_ATOMIC_XADD_(u8, 1, "b", "q", m, ea, v, 0u -)
#define wasmc_atomic_sub16(m, ea, v) WASMC_ATOMIC_XADD_(u16, 2, "w", "r", m, ea, v, 0u -)
#define wasmc_atomic_sub32(m, ea, v) WASMC_ATOMIC_XADD_(u32, 4, "l", "r", m, ea, v, 0u -)
#define wasmc_atomic_sub64(m, ea, v) WASMC_ATOMIC_XADD_(u64, 8, "q", "r", m, ea, v, 0u -)
/* An RMW whose old value the wasm drops (`atomic_fetch_add` loops, flag updates) is one locked
   instruction with a memory destination: no result to store, and no cmpxchg loop for and/or/xor.
   OP is add, sub, and, or or xor; N the width in bits. */
#define WASMC_ATOMIC8_T u8
#define WASMC_ATOMIC8_S "b"
#define WASMC_ATOMIC8_RC "iq"
#define WASMC_ATOMIC16_T u16
#define WASMC_ATOMIC16_S "w"
#define WASMC_ATOMIC16_RC "ir"
#define WASMC_ATOMIC32_T u32
#define WASMC_ATOMIC32_S "l"
#define WASMC_ATOMIC32_RC "ir"
#define WASMC_ATOMIC64_T u64
#define WASMC_ATOMIC64_S "q"
#define WASMC_ATOMIC64_RC "r"
#define wasmc_atomic_rmw_void(OP, N, m, ea, v) do {                                            \
        u64 wasmc_ea_ = (ea);                                                                  \
        WASMC_ATOMIC##N##_T wasmc_x_ = (WASMC_ATOMIC##N##_T)(v);                                       \
        WASMC_ALIGNED(wasmc_ea_, N / 8);                                                       \
        __asm__ __volatile__("lock " #OP WASMC_ATOMIC##N##_S " %1, %0"                             \
                             : "+m"(*(volatile WASMC_ATOMIC##N##_T *)((m) + wasmc_ea_))            \
                             : WASMC_ATOMIC##N##_RC(wasmc_x_) : "memory", "cc");                   \
    } while (0)
/* The same at a constant effective address the lowering found aligned and below 2^31 (a global
   variable's address, as compilers emit them). tcc spills every asm input to a stack slot and
   reloads it; a store right before a locked instruction makes it wait for the store buffer. Here
   the base comes straight from m's own slot and the address is a displacement:
   `movq m, %rax; lock addl $1, EA(%rax)`. */
#if defined(__TINYC__) && defined(__x86_64__)
#define wasmc_atomic_rmw_void_k(OP, N, m, ea, v)                                               \
    __asm__ __volatile__("movq %0, %%rax\n\tlock " #OP WASMC_ATOMIC##N##_S " %2, %c1(%%rax)"       \
                         : : "m"(m), "i"(ea), WASMC_ATOMIC##N##_RC((WASMC_ATOMIC##N##_T)(v)) : "rax", "memory", "cc")
#else
#define wasmc_atomic_rmw_void_k(OP, N, m, ea, v)                                               \
    __asm__ __volatile__("lock " #OP WASMC_ATOMIC##N##_S " %1, %0"                                 \
                         : "+m"(*(volatile WASMC_ATOMIC##N##_T *)((m) + (ea)))                     \
                         : WASMC_ATOMIC##N##_RC((WASMC_ATOMIC##N##_T)(v)) : "memory", "cc")
#endif
WASMC_ATOMICS(8, u8, 1)
WASMC_ATOMICS(16, u16, 2)
WASMC_ATOMICS(32, u32, 4)
WASMC_ATOMICS(64, u64, 8)

WASMC_FN void wasmc_atomic_fence(void) { __asm__ __volatile__("mfence" : : : "memory"); }
/* wait/notify: alignment, then bounds against the current length, then the runtime. */
WASMC_FN u64 wasmc_atomic_check(wasmc_memory *m, u64 ea, u64 bytes) {
    WASMC_ALIGNED(ea, bytes);
    if (ea + bytes > wasmc_memory_length(m)) WASMC_TRAP(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    return ea;
}
/* ---- exceptions (try_table) ---- */
/* wasmc:part wasmc_try */
/* setjmp for a try_table: saves the callee-saved registers, the stack pointer after its return
   and its return address in the handler; the runtime's wasmc_exn_jump (a throw) restores them
   and returns 1 from here. Ours, not libc's: a compiled module calls no libc function, and the
   handler's layout is the ABI's. returns_twice tells cc -O2 what setjmp is; the locals a
   try_table body writes are volatile in the generated C (docs/exceptions.md). Hidden and
   identical in every module, so a second copy of the symbol does no harm. */
#if defined(__x86_64__)
__attribute__((visibility("hidden"), returns_twice)) int wasmc_try(wasmc_handler *h);
__asm__(".text\n"
        ".globl wasmc_try\n"
        ".hidden wasmc_try\n"
        ".type wasmc_try, @function\n"
        "wasmc_try:\n"
        "  movq %rbx, 0(%rdi)\n"
        "  movq %rbp, 8(%rdi)\n"
        "  movq %r12, 16(%rdi)\n"
        "  movq %r13, 24(%rdi)\n"
        "  movq %r14, 32(%rdi)\n"
        "  movq %r15, 40(%rdi)\n"
        "  leaq 8(%rsp), %rdx\n"
        "  movq %rdx, 48(%rdi)\n"
        "  movq (%rsp), %rdx\n"
        "  movq %rdx, 56(%rdi)\n"
        "  xorl %eax, %eax\n"
        "  ret\n"
        ".size wasmc_try, .-wasmc_try\n");
#endif
/* wasmc:parts-end */
#endif
