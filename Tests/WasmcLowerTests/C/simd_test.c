/* Tests Runtime/prelude/wasmc_simd.h on its own: every operation on edge-case and random
   vectors. Built four ways (SimdOpsTests.swift): tcc, gcc -O2 (vector code), gcc -O2
   -DWASMC_SIMD_PORTABLE (the tcc representation under an optimiser), and -DSIMD_REFERENCE:
   the same program over SIMDe's portable implementation (SIMDE_NO_NATIVE) instead of ours.
   Each build prints one line per operation, "name hash count", the hash taken over every
   result (float NaN lanes as "nan" once the spec's NaN rule is checked); the Swift test
   requires all four to print the same lines. Explicit checks of values read off the spec
   (saturation, NaN, rounding, -0) run in every build, the reference's included, so SIMDe is
   checked too. `simd_test NAME` prints every result of operation NAME instead of its hash. */
#include "wasmc_abi.h"
#include "wasmc_prelude.h"
#include <stdio.h>
#include <string.h>

#ifdef SIMD_REFERENCE
#define SIMDE_NO_NATIVE
#include <simde/wasm/simd128.h>
typedef simde_v128_t V;
#define OP(ours, ref) ref
#else
#include "wasmc_simd.h"
typedef v128 V;
#define OP(ours, ref) wasmc_##ours
#endif

static int failures;
static const char *dump_op; /* print every result of this operation */

/* ---- results: FNV-1a over the printed form ---- */
static u64 hash;
static unsigned long count;
static int dumping; /* the current operation is dump_op */
static void feed(const char *s) {
    if (dumping) fputs(s, stdout);
    while (*s) { hash ^= (u8)*s++; hash *= 0x100000001b3ull; }
}
static void feedf(const char *fmt, unsigned long long x) {
    char buf[64];
    snprintf(buf, sizeof buf, fmt, x);
    if (dumping) fputs(buf, stdout);
    { const char *s = buf; while (*s) { hash ^= (u8)*s++; hash *= 0x100000001b3ull; } }
}
static void begin(const char *name) { hash = 0xcbf29ce484222325ull; count = 0; dumping = dump_op && !strcmp(dump_op, name); }
static void end(const char *name) { if (!dump_op) printf("%s %016llx %lu\n", name, (unsigned long long)hash, count); }

static u32 bits32(f32 x) { u32 b; memcpy(&b, &x, 4); return b; }
static u64 bits64(f64 x) { u64 b; memcpy(&b, &x, 8); return b; }
static f32 f32of(u32 b) { f32 x; memcpy(&x, &b, 4); return x; }
static f64 f64of(u64 b) { f64 x; memcpy(&x, &b, 8); return x; }
static int nan32(u32 b) { return (b & 0x7F800000u) == 0x7F800000u && (b & 0x007FFFFFu); }
static int nan64(u64 b) { return (b & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (b & 0x000FFFFFFFFFFFFFull); }
static int canon32(u32 b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
static int canon64(u64 b) { return (b & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull; }

/* The spec's NaN rule for a float result: a NaN must be quiet, and canonical when every NaN
   among the inputs (IN: 4 f32 lanes or 2 f64 lanes) is canonical. */
static int inputs_canonical(const u8 (*in)[16], int nin, int shape) {
    int k, i;
    for (k = 0; k < nin; k++)
        for (i = 0; i < shape; i++) {
            if (shape == 4) { u32 b; memcpy(&b, in[k] + 4 * i, 4); if (nan32(b) && !canon32(b)) return 0; }
            else { u64 b; memcpy(&b, in[k] + 8 * i, 8); if (nan64(b) && !canon64(b)) return 0; }
        }
    return 1;
}
/* RES: 0 exact bits, 4 f32 lanes, 2 f64 lanes; INSHAPE: the float shape of the inputs. */
static void result(const char *name, const u8 *r, int res, const u8 (*in)[16], int nin, int inshape) {
    int i;
    count++;
    if (res == 0) {
        for (i = 0; i < 16; i++) feedf("%02llx", r[i]);
    } else if (res == 4) {
        for (i = 0; i < 4; i++) {
            u32 b; memcpy(&b, r + 4 * i, 4);
            if (nan32(b)) {
                if (!(b & 0x00400000u) || (inputs_canonical(in, nin, inshape) && !canon32(b))) {
                    printf("FAIL %s: lane %d is 0x%08x, breaks the NaN rule\n", name, i, b);
                    failures++;
                }
                feed(" nan");
            } else feedf(" %08llx", b);
        }
    } else {
        for (i = 0; i < 2; i++) {
            u64 b; memcpy(&b, r + 8 * i, 8);
            if (nan64(b)) {
                if (!(b & 0x0008000000000000ull) || (inputs_canonical(in, nin, inshape) && !canon64(b))) {
                    printf("FAIL %s: lane %d is 0x%016llx, breaks the NaN rule\n", name, i, (unsigned long long)b);
                    failures++;
                }
                feed(" nan");
            } else feedf(" %016llx", b);
        }
    }
    feed("\n");
}
static void scalar(u64 x) { count++; feedf("%llx\n", x); }

/* ---- inputs ---- */
#define NPOOL 64
static u8 pool[NPOOL][16];
static int npool;
static void add_vec(const void *p) { memcpy(pool[npool++], p, 16); }
static void add_u8s(u8 a, u8 b, u8 c, u8 d) { u8 v[16]; int i; for (i = 0; i < 16; i++) v[i] = (i & 3) == 0 ? a : (i & 3) == 1 ? b : (i & 3) == 2 ? c : d; add_vec(v); }
static void add_u16s(u16 a, u16 b, u16 c, u16 d) { u16 v[8] = { a, b, c, d, d, c, b, a }; add_vec(v); }
static void add_u32s(u32 a, u32 b, u32 c, u32 d) { u32 v[4] = { a, b, c, d }; add_vec(v); }
static void add_u64s(u64 a, u64 b) { u64 v[2] = { a, b }; add_vec(v); }
static u64 rng = 0x9E3779B97F4A7C15ull;
static u64 next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* f32 and f64 values at the edges: zeros, infinities, NaNs (canonical, payload, signalling,
   negative), denormals, extremes, halves and values next to rounding and conversion bounds. */
static const u32 f32s[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000,
    0xc0200000, 0x3effffff, 0x4affffff, 0x4b000000, 0xcaffffff, 0x4b800000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f812345, 0xff800001, 0x00000001, 0x807fffff, 0x7f7fffff,
    0x00800000, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0xbf7fffff,
};
static const u64 f64s[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff8000000000000ull, 0x4004000000000000ull,
    0xc004000000000000ull, 0x3fdfffffffffffffull, 0x432fffffffffffffull, 0x4330000000000000ull,
    0xc32fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0xfff8000000000000ull, 0x7ff8000000012345ull, 0x7ff0000000012345ull, 0xfff0000000000001ull,
    0x0000000000000001ull, 0x800fffffffffffffull, 0x7fefffffffffffffull, 0x0010000000000000ull,
    0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000200000ull,
    0x41efffffffe00000ull, 0x41f0000000000000ull, 0xbfefffffffffffffull, 0x47efffffe0000000ull,
    0x3810000000000000ull, 0x36a0000000000000ull,
};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void make_pool(void) {
    int i;
    /* integers: zero, all ones, per-width minima and maxima, mixed lanes */
    add_u8s(0, 0, 0, 0); add_u8s(0xff, 0xff, 0xff, 0xff); add_u8s(0x80, 0x7f, 0x81, 0x7e);
    add_u8s(0x01, 0xfe, 0x00, 0xff); add_u8s(0x80, 0x80, 0x80, 0x80); add_u8s(0x7f, 0x7f, 0x7f, 0x7f);
    add_u16s(0x8000, 0x7fff, 0xffff, 0x0001); add_u16s(0x8000, 0x8000, 0x8000, 0x8000); add_u16s(0x7fff, 0x7ffe, 0x8001, 0x00ff);
    add_u16s(0xff80, 0x0100, 0xff00, 0x007f);
    add_u32s(0x80000000u, 0x7fffffffu, 0xffffffffu, 1); add_u32s(0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u);
    add_u32s(0x7fffffffu, 0xffff8000u, 0x00007fffu, 0x00010000u); add_u32s(0xffff0000u, 0x0000ffffu, 0x12345678u, 0x9abcdef0u);
    add_u64s(0x8000000000000000ull, 0x7fffffffffffffffull); add_u64s(0xffffffffffffffffull, 1);
    add_u64s(0x00000000ffffffffull, 0xffffffff00000000ull);
    { u8 v[16]; for (i = 0; i < 16; i++) v[i] = (u8)i; add_vec(v); for (i = 0; i < 16; i++) v[i] = (u8)(15 - i + 16 * (i & 1)); add_vec(v); }
    { u8 v[16]; for (i = 0; i < 16; i++) v[i] = (u8)(i * 17 + (i > 7 ? 0x80 : 0)); add_vec(v); }
    /* floats, four (two) at a time, then the same values rotated against each other */
    for (i = 0; i + 4 <= COUNT(f32s); i += 4) add_u32s(f32s[i], f32s[i + 1], f32s[i + 2], f32s[i + 3]);
    for (i = 0; i + 4 <= COUNT(f32s); i += 4) add_u32s(f32s[(i + 17) % COUNT(f32s)], f32s[(i + 6) % COUNT(f32s)], f32s[(i + 29) % COUNT(f32s)], f32s[(i + 11) % COUNT(f32s)]);
    for (i = 0; i + 2 <= COUNT(f64s); i += 2) add_u64s(f64s[i], f64s[i + 1]);
    for (i = 0; i + 2 <= COUNT(f64s); i += 4) add_u64s(f64s[(i + 13) % COUNT(f64s)], f64s[(i + 4) % COUNT(f64s)]);
    /* random */
    while (npool < NPOOL) { u64 v[2]; v[0] = next(); v[1] = next(); add_vec(v); }
}

static V vec(const u8 *p) { V v; memcpy(&v, p, 16); return v; }

/* ---- operation runners: every input (pair, triple) from the pool ---- */
#define UN(NAME, REF, RES, INS)                                                                \
    do {                                                                                       \
        int i_;                                                                                \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < npool; i_++) {                                                       \
            V r_ = OP(NAME, REF)(vec(pool[i_]));                                               \
            u8 b_[16];                                                                         \
            memcpy(b_, &r_, 16);                                                               \
            result(#NAME, b_, RES, (const u8(*)[16])pool[i_], 1, INS);                         \
        }                                                                                      \
        end(#NAME);                                                                            \
    } while (0)
#define BIN(NAME, REF, RES, INS)                                                               \
    do {                                                                                       \
        int i_, j_;                                                                            \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < npool; i_++)                                                         \
            for (j_ = 0; j_ < npool; j_++) {                                                   \
                u8 in_[2][16], b_[16];                                                         \
                V r_ = OP(NAME, REF)(vec(pool[i_]), vec(pool[j_]));                            \
                memcpy(in_[0], pool[i_], 16);                                                  \
                memcpy(in_[1], pool[j_], 16);                                                  \
                memcpy(b_, &r_, 16);                                                           \
                result(#NAME, b_, RES, (const u8(*)[16])in_, 2, INS);                          \
            }                                                                                  \
        end(#NAME);                                                                            \
    } while (0)
#define TER(NAME, REF, RES, INS)                                                               \
    do {                                                                                       \
        int i_, j_, k_;                                                                        \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < npool; i_++)                                                         \
            for (j_ = 0; j_ < npool; j_++) {                                                   \
                u8 in_[3][16], b_[16];                                                         \
                V r_;                                                                          \
                k_ = (i_ * 7 + j_ * 3) % npool;                                                \
                r_ = OP(NAME, REF)(vec(pool[i_]), vec(pool[j_]), vec(pool[k_]));               \
                memcpy(in_[0], pool[i_], 16);                                                  \
                memcpy(in_[1], pool[j_], 16);                                                  \
                memcpy(in_[2], pool[k_], 16);                                                  \
                memcpy(b_, &r_, 16);                                                           \
                result(#NAME, b_, RES, (const u8(*)[16])in_, 3, INS);                          \
            }                                                                                  \
        end(#NAME);                                                                            \
    } while (0)
#define TO_SCALAR(NAME, REF)                                                                   \
    do {                                                                                       \
        int i_;                                                                                \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < npool; i_++) scalar((u32)OP(NAME, REF)(vec(pool[i_])));              \
        end(#NAME);                                                                            \
    } while (0)
static const u32 shift_counts[] = { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 0x80000000u, 0xffffffffu };
#define SHIFT(NAME, REF)                                                                       \
    do {                                                                                       \
        int i_, j_;                                                                            \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < npool; i_++)                                                         \
            for (j_ = 0; j_ < COUNT(shift_counts); j_++) {                                     \
                V r_ = OP(NAME, REF)(vec(pool[i_]), shift_counts[j_]);                         \
                u8 b_[16];                                                                     \
                memcpy(b_, &r_, 16);                                                           \
                result(#NAME, b_, 0, 0, 0, 0);                                                 \
            }                                                                                  \
        end(#NAME);                                                                            \
    } while (0)

/* Scalar operands for splat and replace_lane. */
static const u64 scalars[] = { 0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x7fffffff, 0x80000000u,
                               0xffffffffu, 0x123456789abcdef0ull, 0x8000000000000000ull, 0xffffffffffffffffull };
#define SPLAT_I(NAME, REF, T)                                                                  \
    do {                                                                                       \
        int i_;                                                                                \
        begin(#NAME);                                                                          \
        for (i_ = 0; i_ < COUNT(scalars); i_++) {                                              \
            V r_ = OP(NAME, REF)((T)scalars[i_]);                                              \
            u8 b_[16];                                                                         \
            memcpy(b_, &r_, 16);                                                               \
            result(#NAME, b_, 0, 0, 0, 0);                                                     \
        }                                                                                      \
        end(#NAME);                                                                            \
    } while (0)

/* Lane operations need literal lane numbers: L16(X) expands X(lane) for lanes 0..15, etc. */
#define L2(X) X(0) X(1)
#define L4(X) L2(X) X(2) X(3)
#define L8(X) L4(X) X(4) X(5) X(6) X(7)
#define L16(X) L8(X) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

#ifdef SIMD_REFERENCE
/* The relaxed choices (docs/simd.md) over SIMDe's plain operations, and the relaxed dot
   products (not in SIMDe) from their definition: signed bytes, wrapping sums. */
static V ref_f32x4_madd(V a, V b, V c) { return simde_wasm_f32x4_add(simde_wasm_f32x4_mul(a, b), c); }
static V ref_f32x4_nmadd(V a, V b, V c) { return simde_wasm_f32x4_add(simde_wasm_f32x4_neg(simde_wasm_f32x4_mul(a, b)), c); }
static V ref_f64x2_madd(V a, V b, V c) { return simde_wasm_f64x2_add(simde_wasm_f64x2_mul(a, b), c); }
static V ref_f64x2_nmadd(V a, V b, V c) { return simde_wasm_f64x2_add(simde_wasm_f64x2_neg(simde_wasm_f64x2_mul(a, b)), c); }
/* Where SIMDe departs from the spec. SIMDe 0.7.4's portable min/max keep a signalling NaN and do not order -0 below +0, and its
   abs keeps the sign of a NaN; the spec's definitions instead. */
static f32 min32(f32 a, f32 b) {
    if (a != a || b != b) return f32of(0x7fc00000u);
    if (a == b) return f32of(bits32(a) | bits32(b));
    return a < b ? a : b;
}
static f32 max32(f32 a, f32 b) {
    if (a != a || b != b) return f32of(0x7fc00000u);
    if (a == b) return f32of(bits32(a) & bits32(b));
    return a > b ? a : b;
}
static f64 min64(f64 a, f64 b) {
    if (a != a || b != b) return f64of(0x7ff8000000000000ull);
    if (a == b) return f64of(bits64(a) | bits64(b));
    return a < b ? a : b;
}
static f64 max64(f64 a, f64 b) {
    if (a != a || b != b) return f64of(0x7ff8000000000000ull);
    if (a == b) return f64of(bits64(a) & bits64(b));
    return a > b ? a : b;
}
#define REF_LANES(NAME, T, N, FN)                                                              \
    static V NAME(V a, V b) {                                                                  \
        T x[N], y[N];                                                                          \
        int i;                                                                                 \
        memcpy(x, &a, 16); memcpy(y, &b, 16);                                                  \
        for (i = 0; i < (N); i++) x[i] = FN(x[i], y[i]);                                       \
        memcpy(&a, x, 16);                                                                     \
        return a;                                                                              \
    }
REF_LANES(ref_f32x4_min, f32, 4, min32)
REF_LANES(ref_f32x4_max, f32, 4, max32)
REF_LANES(ref_f64x2_min, f64, 2, min64)
REF_LANES(ref_f64x2_max, f64, 2, max64)
static V ref_f32x4_abs(V a) { return simde_wasm_v128_and(a, simde_wasm_i32x4_splat(0x7fffffff)); }
static V ref_f64x2_abs(V a) { return simde_wasm_v128_and(a, simde_wasm_i64x2_splat(0x7fffffffffffffffll)); }
/* Its ceil/floor/trunc return a signalling NaN as it came; the spec wants it quiet. */
static V quiet32(V r) { return simde_wasm_v128_or(r, simde_wasm_v128_and(simde_wasm_f32x4_ne(r, r), simde_wasm_i32x4_splat(0x00400000))); }
static V quiet64(V r) { return simde_wasm_v128_or(r, simde_wasm_v128_and(simde_wasm_f64x2_ne(r, r), simde_wasm_i64x2_splat(0x0008000000000000ll))); }
static V ref_f32x4_ceil(V a) { return quiet32(simde_wasm_f32x4_ceil(a)); }
static V ref_f32x4_floor(V a) { return quiet32(simde_wasm_f32x4_floor(a)); }
static V ref_f32x4_trunc(V a) { return quiet32(simde_wasm_f32x4_trunc(a)); }
static V ref_f64x2_ceil(V a) { return quiet64(simde_wasm_f64x2_ceil(a)); }
static V ref_f64x2_floor(V a) { return quiet64(simde_wasm_f64x2_floor(a)); }
static V ref_f64x2_trunc(V a) { return quiet64(simde_wasm_f64x2_trunc(a)); }
static V ref_relaxed_dot(V a, V b) {
    s8 x[16], y[16];
    u16 r[8];
    int i;
    memcpy(x, &a, 16); memcpy(y, &b, 16);
    for (i = 0; i < 8; i++) r[i] = (u16)(x[2 * i] * y[2 * i] + x[2 * i + 1] * y[2 * i + 1]);
    memcpy(&a, r, 16);
    return a;
}
static V ref_relaxed_dot_add(V a, V b, V c) {
    s8 x[16], y[16];
    s32 z[4];
    u32 r[4];
    int i, k;
    memcpy(x, &a, 16); memcpy(y, &b, 16); memcpy(z, &c, 16);
    for (i = 0; i < 4; i++) {
        s32 sum = 0;
        for (k = 0; k < 4; k++) sum += x[4 * i + k] * y[4 * i + k];
        r[i] = (u32)sum + (u32)z[i];
    }
    memcpy(&a, r, 16);
    return a;
}
#endif

static void run_all(void) {
    int i, j;
    u8 mem[48];
    /* ---- splats ---- */
    SPLAT_I(i8x16_splat, simde_wasm_i8x16_splat, u32);
    SPLAT_I(i16x8_splat, simde_wasm_i16x8_splat, u32);
    SPLAT_I(i32x4_splat, simde_wasm_i32x4_splat, u32);
    SPLAT_I(i64x2_splat, simde_wasm_i64x2_splat, u64);
    begin("f32x4_splat");
    for (i = 0; i < COUNT(f32s); i++) { V r = OP(f32x4_splat, simde_wasm_f32x4_splat)(f32of(f32s[i])); u8 b[16]; memcpy(b, &r, 16); result("f32x4_splat", b, 0, 0, 0, 0); }
    end("f32x4_splat");
    begin("f64x2_splat");
    for (i = 0; i < COUNT(f64s); i++) { V r = OP(f64x2_splat, simde_wasm_f64x2_splat)(f64of(f64s[i])); u8 b[16]; memcpy(b, &r, 16); result("f64x2_splat", b, 0, 0, 0, 0); }
    end("f64x2_splat");

    /* ---- lanes ---- */
#define EXTRACT(NAME, REF, T)                                                                  \
    begin(#NAME);                                                                              \
    for (i = 0; i < npool; i++) { V v = vec(pool[i]); LANES_##NAME(EXTRACT_ONE) }             \
    end(#NAME);
#define EXTRACT_ONE(L) scalar((u64)(EXTRACT_T)CUR_OP(v, L));
#define LANES_i8x16_extract_lane_s L16
#define LANES_i8x16_extract_lane_u L16
#define LANES_i16x8_extract_lane_s L8
#define LANES_i16x8_extract_lane_u L8
#define LANES_i32x4_extract_lane L4
#define LANES_i64x2_extract_lane L2
#define EXTRACT_T u32
#define CUR_OP OP(i8x16_extract_lane_s, (s32)simde_wasm_i8x16_extract_lane)
    EXTRACT(i8x16_extract_lane_s, , u32)
#undef CUR_OP
#define CUR_OP OP(i8x16_extract_lane_u, (u32)simde_wasm_u8x16_extract_lane)
    EXTRACT(i8x16_extract_lane_u, , u32)
#undef CUR_OP
#define CUR_OP OP(i16x8_extract_lane_s, (s32)simde_wasm_i16x8_extract_lane)
    EXTRACT(i16x8_extract_lane_s, , u32)
#undef CUR_OP
#define CUR_OP OP(i16x8_extract_lane_u, (u32)simde_wasm_u16x8_extract_lane)
    EXTRACT(i16x8_extract_lane_u, , u32)
#undef CUR_OP
#define CUR_OP OP(i32x4_extract_lane, (u32)simde_wasm_i32x4_extract_lane)
    EXTRACT(i32x4_extract_lane, , u32)
#undef CUR_OP
#undef EXTRACT_T
#define EXTRACT_T u64
#define CUR_OP OP(i64x2_extract_lane, (u64)simde_wasm_i64x2_extract_lane)
    EXTRACT(i64x2_extract_lane, , u64)
#undef CUR_OP
#define FEXTRACT4(L) scalar(bits32(OP(f32x4_extract_lane, simde_wasm_f32x4_extract_lane)(v, L)));
#define FEXTRACT2(L) scalar(bits64(OP(f64x2_extract_lane, simde_wasm_f64x2_extract_lane)(v, L)));
    begin("f32x4_extract_lane");
    for (i = 0; i < npool; i++) { V v = vec(pool[i]); L4(FEXTRACT4) }
    end("f32x4_extract_lane");
    begin("f64x2_extract_lane");
    for (i = 0; i < npool; i++) { V v = vec(pool[i]); L2(FEXTRACT2) }
    end("f64x2_extract_lane");

#define REPLACE(NAME, REF, LANES, T)                                                           \
    begin(#NAME);                                                                              \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < COUNT(scalars); j++) {                                                 \
            V v = vec(pool[i]);                                                                \
            T x = (T)scalars[j];                                                               \
            LANES(REPLACE_ONE_##NAME)                                                          \
        }                                                                                      \
    end(#NAME);
#define REPLACE_BODY(NAME, REF, L) { V r = OP(NAME, REF)(v, L, x); u8 b[16]; memcpy(b, &r, 16); result(#NAME, b, 0, 0, 0, 0); }
#define REPLACE_ONE_i8x16_replace_lane(L) REPLACE_BODY(i8x16_replace_lane, simde_wasm_i8x16_replace_lane, L)
#define REPLACE_ONE_i16x8_replace_lane(L) REPLACE_BODY(i16x8_replace_lane, simde_wasm_i16x8_replace_lane, L)
#define REPLACE_ONE_i32x4_replace_lane(L) REPLACE_BODY(i32x4_replace_lane, simde_wasm_i32x4_replace_lane, L)
#define REPLACE_ONE_i64x2_replace_lane(L) REPLACE_BODY(i64x2_replace_lane, simde_wasm_i64x2_replace_lane, L)
    REPLACE(i8x16_replace_lane, , L16, s8)
    REPLACE(i16x8_replace_lane, , L8, s16)
    REPLACE(i32x4_replace_lane, , L4, s32)
    REPLACE(i64x2_replace_lane, , L2, s64)
#define FREPLACE4(L) { V r = OP(f32x4_replace_lane, simde_wasm_f32x4_replace_lane)(v, L, f32of(f32s[j])); u8 b[16]; memcpy(b, &r, 16); result("f32x4_replace_lane", b, 0, 0, 0, 0); }
#define FREPLACE2(L) { V r = OP(f64x2_replace_lane, simde_wasm_f64x2_replace_lane)(v, L, f64of(f64s[j])); u8 b[16]; memcpy(b, &r, 16); result("f64x2_replace_lane", b, 0, 0, 0, 0); }
    begin("f32x4_replace_lane");
    for (i = 0; i < npool; i++) for (j = 0; j < COUNT(f32s); j++) { V v = vec(pool[i]); L4(FREPLACE4) }
    end("f32x4_replace_lane");
    begin("f64x2_replace_lane");
    for (i = 0; i < npool; i++) for (j = 0; j < COUNT(f64s); j++) { V v = vec(pool[i]); L2(FREPLACE2) }
    end("f64x2_replace_lane");

    /* ---- shuffles ---- */
#define SHUF(...)                                                                              \
    for (i = 0; i < npool; i++) {                                                              \
        V r = OP(i8x16_shuffle, simde_wasm_i8x16_shuffle)(vec(pool[i]), vec(pool[(i + 5) % npool]), __VA_ARGS__); \
        u8 b[16];                                                                              \
        memcpy(b, &r, 16);                                                                     \
        result("i8x16_shuffle", b, 0, 0, 0, 0);                                                \
    }
    begin("i8x16_shuffle");
    SHUF(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    SHUF(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16)
    SHUF(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
    SHUF(4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7)
    SHUF(15, 0, 31, 16, 7, 8, 23, 24, 1, 1, 1, 1, 30, 2, 17, 9)
    end("i8x16_shuffle");
    {
        static const u8 idx[][16] = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
            { 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
            { 16, 17, 31, 32, 127, 128, 255, 15, 0, 0x80, 0x7f, 0x10, 0x0f, 0xf0, 3, 200 },
        };
        V s[COUNT(idx) + 2];
        int k, n = COUNT(idx);
        for (k = 0; k < n; k++) s[k] = vec(idx[k]);
        begin("i8x16_swizzle");
        for (i = 0; i < npool; i++) {
            for (k = 0; k < n; k++) { V r = OP(i8x16_swizzle, simde_wasm_i8x16_swizzle)(vec(pool[i]), s[k]); u8 b[16]; memcpy(b, &r, 16); result("swizzle", b, 0, 0, 0, 0); }
            for (k = 0; k < npool; k++) { V r = OP(i8x16_swizzle, simde_wasm_i8x16_swizzle)(vec(pool[i]), vec(pool[k])); u8 b[16]; memcpy(b, &r, 16); result("swizzle", b, 0, 0, 0, 0); }
        }
        end("i8x16_swizzle");
        begin("i8x16_relaxed_swizzle");
        for (i = 0; i < npool; i++) {
            for (k = 0; k < n; k++) { V r = OP(i8x16_relaxed_swizzle, simde_wasm_i8x16_swizzle)(vec(pool[i]), s[k]); u8 b[16]; memcpy(b, &r, 16); result("swizzle", b, 0, 0, 0, 0); }
            for (k = 0; k < npool; k++) { V r = OP(i8x16_relaxed_swizzle, simde_wasm_i8x16_swizzle)(vec(pool[i]), vec(pool[k])); u8 b[16]; memcpy(b, &r, 16); result("swizzle", b, 0, 0, 0, 0); }
        }
        end("i8x16_relaxed_swizzle");
    }

    /* ---- loads and stores, at every offset of a 48-byte buffer that leaves room ---- */
#define LOADS(NAME, REF)                                                                       \
    begin(#NAME);                                                                              \
    for (i = 0; i + 2 < npool; i += 2)                                                         \
        for (j = 0; j < 16; j++) {                                                             \
            V r;                                                                               \
            u8 b[16];                                                                          \
            memcpy(mem, pool[i], 16); memcpy(mem + 16, pool[i + 1], 16); memcpy(mem + 32, pool[i + 2], 16); \
            r = OP(NAME, REF)(mem + j);                                                        \
            memcpy(b, &r, 16);                                                                 \
            result(#NAME, b, 0, 0, 0, 0);                                                      \
        }                                                                                      \
    end(#NAME);
    LOADS(v128_load, simde_wasm_v128_load)
    LOADS(v128_load8x8_s, simde_wasm_i16x8_load8x8)
    LOADS(v128_load8x8_u, simde_wasm_u16x8_load8x8)
    LOADS(v128_load16x4_s, simde_wasm_i32x4_load16x4)
    LOADS(v128_load16x4_u, simde_wasm_u32x4_load16x4)
    LOADS(v128_load32x2_s, simde_wasm_i64x2_load32x2)
    LOADS(v128_load32x2_u, simde_wasm_u64x2_load32x2)
    LOADS(v128_load8_splat, simde_wasm_v128_load8_splat)
    LOADS(v128_load16_splat, simde_wasm_v128_load16_splat)
    LOADS(v128_load32_splat, simde_wasm_v128_load32_splat)
    LOADS(v128_load64_splat, simde_wasm_v128_load64_splat)
    LOADS(v128_load32_zero, simde_wasm_v128_load32_zero)
    LOADS(v128_load64_zero, simde_wasm_v128_load64_zero)
#define LOAD_LANE(NAME, REF, LANES)                                                            \
    begin(#NAME);                                                                              \
    for (i = 0; i + 2 < npool; i += 2)                                                         \
        for (j = 0; j < 16; j += 3) {                                                          \
            V v = vec(pool[(i + 7) % npool]);                                                  \
            memcpy(mem, pool[i], 16); memcpy(mem + 16, pool[i + 1], 16);                       \
            LANES(LOAD_LANE_ONE_##NAME)                                                        \
        }                                                                                      \
    end(#NAME);
#define LOAD_LANE_BODY(NAME, REF, L) { V r = OP(NAME, REF)(mem + j, v, L); u8 b[16]; memcpy(b, &r, 16); result(#NAME, b, 0, 0, 0, 0); }
#define LOAD_LANE_ONE_v128_load8_lane(L) LOAD_LANE_BODY(v128_load8_lane, simde_wasm_v128_load8_lane, L)
#define LOAD_LANE_ONE_v128_load16_lane(L) LOAD_LANE_BODY(v128_load16_lane, simde_wasm_v128_load16_lane, L)
#define LOAD_LANE_ONE_v128_load32_lane(L) LOAD_LANE_BODY(v128_load32_lane, simde_wasm_v128_load32_lane, L)
#define LOAD_LANE_ONE_v128_load64_lane(L) LOAD_LANE_BODY(v128_load64_lane, simde_wasm_v128_load64_lane, L)
    LOAD_LANE(v128_load8_lane, , L16)
    LOAD_LANE(v128_load16_lane, , L8)
    LOAD_LANE(v128_load32_lane, , L4)
    LOAD_LANE(v128_load64_lane, , L2)
    begin("v128_store");
    for (i = 0; i < npool; i++)
        for (j = 0; j < 32; j += 5) {
            memset(mem, 0xAA, sizeof mem);
            OP(v128_store, simde_wasm_v128_store)(mem + j, vec(pool[i]));
            result("v128_store", mem, 0, 0, 0, 0); result("v128_store", mem + 16, 0, 0, 0, 0); result("v128_store", mem + 32, 0, 0, 0, 0);
        }
    end("v128_store");
#define STORE_LANE(NAME, REF, LANES)                                                           \
    begin(#NAME);                                                                              \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < 24; j += 7) {                                                          \
            V v = vec(pool[i]);                                                                \
            LANES(STORE_LANE_ONE_##NAME)                                                       \
        }                                                                                      \
    end(#NAME);
#define STORE_LANE_BODY(NAME, REF, L) { memset(mem, 0x55, sizeof mem); OP(NAME, REF)(mem + j, v, L); result(#NAME, mem, 0, 0, 0, 0); result(#NAME, mem + 16, 0, 0, 0, 0); }
#define STORE_LANE_ONE_v128_store8_lane(L) STORE_LANE_BODY(v128_store8_lane, simde_wasm_v128_store8_lane, L)
#define STORE_LANE_ONE_v128_store16_lane(L) STORE_LANE_BODY(v128_store16_lane, simde_wasm_v128_store16_lane, L)
#define STORE_LANE_ONE_v128_store32_lane(L) STORE_LANE_BODY(v128_store32_lane, simde_wasm_v128_store32_lane, L)
#define STORE_LANE_ONE_v128_store64_lane(L) STORE_LANE_BODY(v128_store64_lane, simde_wasm_v128_store64_lane, L)
    STORE_LANE(v128_store8_lane, , L16)
    STORE_LANE(v128_store16_lane, , L8)
    STORE_LANE(v128_store32_lane, , L4)
    STORE_LANE(v128_store64_lane, , L2)
    {
        V c = OP(v128_const(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull), simde_wasm_i64x2_make(0x0706050403020100ll, 0x0f0e0d0c0b0a0908ll));
        u8 b[16];
        begin("v128_const");
        memcpy(b, &c, 16);
        result("v128_const", b, 0, 0, 0, 0);
        end("v128_const");
    }

    /* ---- bitwise ---- */
    UN(v128_not, simde_wasm_v128_not, 0, 0);
    BIN(v128_and, simde_wasm_v128_and, 0, 0);
    BIN(v128_andnot, simde_wasm_v128_andnot, 0, 0);
    BIN(v128_or, simde_wasm_v128_or, 0, 0);
    BIN(v128_xor, simde_wasm_v128_xor, 0, 0);
    TER(v128_bitselect, simde_wasm_v128_bitselect, 0, 0);
    TER(i8x16_relaxed_laneselect, simde_wasm_v128_bitselect, 0, 0);
    TER(i16x8_relaxed_laneselect, simde_wasm_v128_bitselect, 0, 0);
    TER(i32x4_relaxed_laneselect, simde_wasm_v128_bitselect, 0, 0);
    TER(i64x2_relaxed_laneselect, simde_wasm_v128_bitselect, 0, 0);
    TO_SCALAR(v128_any_true, simde_wasm_v128_any_true);
    TO_SCALAR(i8x16_all_true, simde_wasm_i8x16_all_true);
    TO_SCALAR(i16x8_all_true, simde_wasm_i16x8_all_true);
    TO_SCALAR(i32x4_all_true, simde_wasm_i32x4_all_true);
    TO_SCALAR(i64x2_all_true, simde_wasm_i64x2_all_true);
    TO_SCALAR(i8x16_bitmask, simde_wasm_i8x16_bitmask);
    TO_SCALAR(i16x8_bitmask, simde_wasm_i16x8_bitmask);
    TO_SCALAR(i32x4_bitmask, simde_wasm_i32x4_bitmask);
    TO_SCALAR(i64x2_bitmask, simde_wasm_i64x2_bitmask);

    /* ---- integer comparisons ---- */
#define ICMP(S, US)                                                                            \
    BIN(S##_eq, simde_wasm_##S##_eq, 0, 0); BIN(S##_ne, simde_wasm_##S##_ne, 0, 0);            \
    BIN(S##_lt_s, simde_wasm_##S##_lt, 0, 0); BIN(S##_gt_s, simde_wasm_##S##_gt, 0, 0);        \
    BIN(S##_le_s, simde_wasm_##S##_le, 0, 0); BIN(S##_ge_s, simde_wasm_##S##_ge, 0, 0);
#define ICMPU(S, US)                                                                           \
    BIN(S##_lt_u, simde_wasm_##US##_lt, 0, 0); BIN(S##_gt_u, simde_wasm_##US##_gt, 0, 0);      \
    BIN(S##_le_u, simde_wasm_##US##_le, 0, 0); BIN(S##_ge_u, simde_wasm_##US##_ge, 0, 0);
    ICMP(i8x16, u8x16) ICMPU(i8x16, u8x16)
    ICMP(i16x8, u16x8) ICMPU(i16x8, u16x8)
    ICMP(i32x4, u32x4) ICMPU(i32x4, u32x4)
    ICMP(i64x2, u64x2)
#define FCMP(S)                                                                                \
    BIN(S##_eq, simde_wasm_##S##_eq, 0, 0); BIN(S##_ne, simde_wasm_##S##_ne, 0, 0);            \
    BIN(S##_lt, simde_wasm_##S##_lt, 0, 0); BIN(S##_gt, simde_wasm_##S##_gt, 0, 0);            \
    BIN(S##_le, simde_wasm_##S##_le, 0, 0); BIN(S##_ge, simde_wasm_##S##_ge, 0, 0);
    FCMP(f32x4) FCMP(f64x2)

    /* ---- integer arithmetic ---- */
#define IARITH(S, US)                                                                          \
    BIN(S##_add, simde_wasm_##S##_add, 0, 0); BIN(S##_sub, simde_wasm_##S##_sub, 0, 0);        \
    UN(S##_neg, simde_wasm_##S##_neg, 0, 0); UN(S##_abs, simde_wasm_##S##_abs, 0, 0);    \
    SHIFT(S##_shl, simde_wasm_##S##_shl); SHIFT(S##_shr_s, simde_wasm_##S##_shr);              \
    SHIFT(S##_shr_u, simde_wasm_##US##_shr);
    IARITH(i8x16, u8x16) IARITH(i16x8, u16x8) IARITH(i32x4, u32x4) IARITH(i64x2, u64x2)
    BIN(i16x8_mul, simde_wasm_i16x8_mul, 0, 0);
    BIN(i32x4_mul, simde_wasm_i32x4_mul, 0, 0);
    BIN(i64x2_mul, simde_wasm_i64x2_mul, 0, 0);
#define IMINMAX(S, US)                                                                         \
    BIN(S##_min_s, simde_wasm_##S##_min, 0, 0); BIN(S##_max_s, simde_wasm_##S##_max, 0, 0);    \
    BIN(S##_min_u, simde_wasm_##US##_min, 0, 0); BIN(S##_max_u, simde_wasm_##US##_max, 0, 0);
    IMINMAX(i8x16, u8x16) IMINMAX(i16x8, u16x8) IMINMAX(i32x4, u32x4)
    BIN(i8x16_avgr_u, simde_wasm_u8x16_avgr, 0, 0);
    BIN(i16x8_avgr_u, simde_wasm_u16x8_avgr, 0, 0);
    BIN(i8x16_add_sat_s, simde_wasm_i8x16_add_sat, 0, 0);
    BIN(i8x16_add_sat_u, simde_wasm_u8x16_add_sat, 0, 0);
    BIN(i8x16_sub_sat_s, simde_wasm_i8x16_sub_sat, 0, 0);
    BIN(i8x16_sub_sat_u, simde_wasm_u8x16_sub_sat, 0, 0);
    BIN(i16x8_add_sat_s, simde_wasm_i16x8_add_sat, 0, 0);
    BIN(i16x8_add_sat_u, simde_wasm_u16x8_add_sat, 0, 0);
    BIN(i16x8_sub_sat_s, simde_wasm_i16x8_sub_sat, 0, 0);
    BIN(i16x8_sub_sat_u, simde_wasm_u16x8_sub_sat, 0, 0);
    BIN(i16x8_q15mulr_sat_s, simde_wasm_i16x8_q15mulr_sat, 0, 0);
    BIN(i16x8_relaxed_q15mulr_s, simde_wasm_i16x8_q15mulr_sat, 0, 0);
    UN(i8x16_popcnt, simde_wasm_i8x16_popcnt, 0, 0);

    /* ---- narrowing, widening, pairwise, extended multiplication, dot ---- */
    BIN(i8x16_narrow_i16x8_s, simde_wasm_i8x16_narrow_i16x8, 0, 0);
    BIN(i8x16_narrow_i16x8_u, simde_wasm_u8x16_narrow_i16x8, 0, 0);
    BIN(i16x8_narrow_i32x4_s, simde_wasm_i16x8_narrow_i32x4, 0, 0);
    BIN(i16x8_narrow_i32x4_u, simde_wasm_u16x8_narrow_i32x4, 0, 0);
#define EXTEND(S, US, F, UF)                                                                   \
    UN(S##_extend_low_##F##_s, simde_wasm_##S##_extend_low_##F, 0, 0);                         \
    UN(S##_extend_high_##F##_s, simde_wasm_##S##_extend_high_##F, 0, 0);                       \
    UN(S##_extend_low_##F##_u, simde_wasm_##US##_extend_low_##UF, 0, 0);                       \
    UN(S##_extend_high_##F##_u, simde_wasm_##US##_extend_high_##UF, 0, 0);                     \
    BIN(S##_extmul_low_##F##_s, simde_wasm_##S##_extmul_low_##F, 0, 0);                        \
    BIN(S##_extmul_high_##F##_s, simde_wasm_##S##_extmul_high_##F, 0, 0);                      \
    BIN(S##_extmul_low_##F##_u, simde_wasm_##US##_extmul_low_##UF, 0, 0);                      \
    BIN(S##_extmul_high_##F##_u, simde_wasm_##US##_extmul_high_##UF, 0, 0);
    EXTEND(i16x8, u16x8, i8x16, u8x16)
    EXTEND(i32x4, u32x4, i16x8, u16x8)
    EXTEND(i64x2, u64x2, i32x4, u32x4)
    UN(i16x8_extadd_pairwise_i8x16_s, simde_wasm_i16x8_extadd_pairwise_i8x16, 0, 0);
    UN(i16x8_extadd_pairwise_i8x16_u, simde_wasm_u16x8_extadd_pairwise_u8x16, 0, 0);
    UN(i32x4_extadd_pairwise_i16x8_s, simde_wasm_i32x4_extadd_pairwise_i16x8, 0, 0);
    UN(i32x4_extadd_pairwise_i16x8_u, simde_wasm_u32x4_extadd_pairwise_u16x8, 0, 0);
    BIN(i32x4_dot_i16x8_s, simde_wasm_i32x4_dot_i16x8, 0, 0);
    BIN(i16x8_relaxed_dot_i8x16_i7x16_s, ref_relaxed_dot, 0, 0);
    TER(i32x4_relaxed_dot_i8x16_i7x16_add_s, ref_relaxed_dot_add, 0, 0);

    /* ---- float arithmetic ---- */
#define FARITH(S, R)                                                                           \
    BIN(S##_add, simde_wasm_##S##_add, R, R); BIN(S##_sub, simde_wasm_##S##_sub, R, R);        \
    BIN(S##_mul, simde_wasm_##S##_mul, R, R); BIN(S##_div, simde_wasm_##S##_div, R, R);        \
    BIN(S##_min, ref_##S##_min, R, R); BIN(S##_max, ref_##S##_max, R, R);                      \
    BIN(S##_relaxed_min, ref_##S##_min, R, R); BIN(S##_relaxed_max, ref_##S##_max, R, R);      \
    BIN(S##_pmin, simde_wasm_##S##_pmin, 0, 0); BIN(S##_pmax, simde_wasm_##S##_pmax, 0, 0);    \
    UN(S##_abs, ref_##S##_abs, 0, 0); UN(S##_neg, simde_wasm_##S##_neg, 0, 0);          \
    UN(S##_sqrt, simde_wasm_##S##_sqrt, R, R); UN(S##_nearest, simde_wasm_##S##_nearest, R, R); \
    UN(S##_ceil, ref_##S##_ceil, R, R); UN(S##_floor, ref_##S##_floor, R, R);                  \
    UN(S##_trunc, ref_##S##_trunc, R, R);                                                      \
    TER(S##_relaxed_madd, ref_##S##_madd, R, R); TER(S##_relaxed_nmadd, ref_##S##_nmadd, R, R);
    FARITH(f32x4, 4)
    FARITH(f64x2, 2)

    /* ---- conversions ---- */
    UN(i32x4_trunc_sat_f32x4_s, simde_wasm_i32x4_trunc_sat_f32x4, 0, 0);
    UN(i32x4_trunc_sat_f32x4_u, simde_wasm_u32x4_trunc_sat_f32x4, 0, 0);
    UN(i32x4_trunc_sat_f64x2_s_zero, simde_wasm_i32x4_trunc_sat_f64x2_zero, 0, 0);
    UN(i32x4_trunc_sat_f64x2_u_zero, simde_wasm_u32x4_trunc_sat_f64x2_zero, 0, 0);
    UN(i32x4_relaxed_trunc_f32x4_s, simde_wasm_i32x4_trunc_sat_f32x4, 0, 0);
    UN(i32x4_relaxed_trunc_f32x4_u, simde_wasm_u32x4_trunc_sat_f32x4, 0, 0);
    UN(i32x4_relaxed_trunc_f64x2_s_zero, simde_wasm_i32x4_trunc_sat_f64x2_zero, 0, 0);
    UN(i32x4_relaxed_trunc_f64x2_u_zero, simde_wasm_u32x4_trunc_sat_f64x2_zero, 0, 0);
    UN(f32x4_convert_i32x4_s, simde_wasm_f32x4_convert_i32x4, 0, 0);
    UN(f32x4_convert_i32x4_u, simde_wasm_f32x4_convert_u32x4, 0, 0);
    UN(f64x2_convert_low_i32x4_s, simde_wasm_f64x2_convert_low_i32x4, 0, 0);
    UN(f64x2_convert_low_i32x4_u, simde_wasm_f64x2_convert_low_u32x4, 0, 0);
    UN(f32x4_demote_f64x2_zero, simde_wasm_f32x4_demote_f64x2_zero, 4, 2);
    UN(f64x2_promote_low_f32x4, simde_wasm_f64x2_promote_low_f32x4, 2, 4);
}

/* ---- values read off the spec (simd_*.wast and the SIMD proposal's semantics) ---- */
#define NANC 0x7fc00000u /* expect a canonical NaN, either sign */
static V v4(u32 a, u32 b, u32 c, u32 d) { u32 w[4] = { a, b, c, d }; V v; memcpy(&v, w, 16); return v; }
static V v2(u64 a, u64 b) { u64 w[2] = { a, b }; V v; memcpy(&v, w, 16); return v; }
static V v8(u16 a, u16 b, u16 c, u16 d, u16 e, u16 f, u16 g, u16 h) { u16 w[8] = { a, b, c, d, e, f, g, h }; V v; memcpy(&v, w, 16); return v; }
static void want4(const char *what, int line, V got, u32 a, u32 b, u32 c, u32 d) {
    u32 g[4], w[4] = { a, b, c, d };
    int i;
    memcpy(g, &got, 16);
    for (i = 0; i < 4; i++)
        if (w[i] == NANC ? !canon32(g[i]) : g[i] != w[i]) {
            printf("FAIL %s (line %d) lane %d: 0x%08x want 0x%08x\n", what, line, i, g[i], w[i]);
            failures++;
        }
}
static void want2(const char *what, int line, V got, u64 a, u64 b) {
    u64 g[2], w[2] = { a, b };
    int i;
    memcpy(g, &got, 16);
    for (i = 0; i < 2; i++)
        if (w[i] == NANC ? !canon64(g[i]) : g[i] != w[i]) {
            printf("FAIL %s (line %d) lane %d: 0x%016llx want 0x%016llx\n", what, line, i, (unsigned long long)g[i], (unsigned long long)w[i]);
            failures++;
        }
}
#define WANT4(NAME, REF, ARGS, a, b, c, d) want4(#NAME, __LINE__, OP(NAME, REF) ARGS, a, b, c, d)
#define WANT2(NAME, REF, ARGS, a, b) want2(#NAME, __LINE__, OP(NAME, REF) ARGS, a, b)
#define NEG0 0x80000000u
#define INF 0x7f800000u
static void spec_values(void) {
    /* saturating truncation: NaN → 0, out of range → the bound */
    WANT4(i32x4_trunc_sat_f32x4_s, simde_wasm_i32x4_trunc_sat_f32x4, (v4(0x7fc00000, 0x4f32d05e /*3e9*/, 0xcf32d05e, 0xbfc00000 /*-1.5*/)), 0, 0x7fffffff, 0x80000000u, 0xffffffffu);
    WANT4(i32x4_trunc_sat_f32x4_s, simde_wasm_i32x4_trunc_sat_f32x4, (v4(0x4effffff, 0xcf000000, INF, 0xff800000)), 2147483520u, 0x80000000u, 0x7fffffff, 0x80000000u);
    WANT4(i32x4_trunc_sat_f32x4_u, simde_wasm_u32x4_trunc_sat_f32x4, (v4(0xffc00000, 0xbfc00000, 0x4f800000, 0x4f7fffff)), 0, 0, 0xffffffffu, 4294967040u);
    WANT4(i32x4_trunc_sat_f32x4_u, simde_wasm_u32x4_trunc_sat_f32x4, (v4(0xbf7fffff /*-0.99..*/, 0x3fffffff, INF, 0x7f812345)), 0, 1, 0xffffffffu, 0);
    WANT4(i32x4_trunc_sat_f64x2_s_zero, simde_wasm_i32x4_trunc_sat_f64x2_zero, (v2(0x7ff8000000000000ull, 0xc202a05f20000000ull /*-1e10*/)), 0, 0x80000000u, 0, 0);
    WANT4(i32x4_trunc_sat_f64x2_s_zero, simde_wasm_i32x4_trunc_sat_f64x2_zero, (v2(0x41dfffffffc00000ull, 0xc1e0000000200000ull /*-2147483649*/)), 0x7fffffff, 0x80000000u, 0, 0);
    WANT4(i32x4_trunc_sat_f64x2_u_zero, simde_wasm_u32x4_trunc_sat_f64x2_zero, (v2(0x41efffffffe00000ull /*4294967295*/, 0xbfefffffffffffffull)), 0xffffffffu, 0, 0, 0);
    /* min/max: -0 < +0, a NaN operand gives a canonical NaN (canonical inputs) */
    WANT4(f32x4_min, ref_f32x4_min, (v4(0, NEG0, 0x7fc00000, 0x3f800000), v4(NEG0, 0, 0x3f800000, 0xffc00000)), NEG0, NEG0, NANC, NANC);
    WANT4(f32x4_max, ref_f32x4_max, (v4(0, NEG0, 0x7fc00000, 0x3f800000), v4(NEG0, 0, 0x3f800000, 0xffc00000)), 0, 0, NANC, NANC);
    WANT2(f64x2_min, ref_f64x2_min, (v2(0, 0x8000000000000000ull), v2(0x8000000000000000ull, 0)), 0x8000000000000000ull, 0x8000000000000000ull);
    WANT2(f64x2_max, ref_f64x2_max, (v2(0x7ff8000000000000ull, 0x8000000000000000ull), v2(0x3ff0000000000000ull, 0)), NANC, 0);
    /* pmin/pmax: b < a ? b : a — the operand itself, NaN or not */
    WANT4(f32x4_pmin, simde_wasm_f32x4_pmin, (v4(0x7fc12345, 0x3f800000, 0, NEG0), v4(0x3f800000, 0x7f812345, NEG0, 0)), 0x7fc12345, 0x3f800000, 0, NEG0);
    WANT4(f32x4_pmax, simde_wasm_f32x4_pmax, (v4(0x7fc12345, 0x3f800000, 0, NEG0), v4(0x3f800000, 0x7f812345, NEG0, 0)), 0x7fc12345, 0x3f800000, 0, NEG0);
    /* rounding: ties to even, the sign of zero kept */
    WANT4(f32x4_nearest, simde_wasm_f32x4_nearest, (v4(0x40200000 /*2.5*/, 0xbf000000 /*-0.5*/, 0x3effffff, 0x4affffff /*8388607.5*/)), 0x40000000, NEG0, 0, 0x4b000000);
    WANT4(f32x4_ceil, ref_f32x4_ceil, (v4(0xbf000000, 0x3f000000, 0xff800000, 0x00000001)), NEG0, 0x3f800000, 0xff800000, 0x3f800000);
    WANT4(f32x4_floor, ref_f32x4_floor, (v4(NEG0, 0xbf000000, 0x3fc00000, 0x80000001)), NEG0, 0xbf800000, 0x3f800000, 0xbf800000);
    WANT4(f32x4_trunc, ref_f32x4_trunc, (v4(0xbf666666 /*-0.9*/, 0x4b7fffff, 0x7fc00000, 0xc0200000)), NEG0, 0x4b7fffff, NANC, 0xc0000000);
    WANT2(f64x2_nearest, simde_wasm_f64x2_nearest, (v2(0x4004000000000000ull /*2.5*/, 0xbfe0000000000000ull)), 0x4000000000000000ull, 0x8000000000000000ull);
    WANT2(f64x2_ceil, ref_f64x2_ceil, (v2(0xbfe0000000000000ull, 0x432fffffffffffffull /*2^52-0.5*/)), 0x8000000000000000ull, 0x4330000000000000ull);
    WANT2(f64x2_floor, ref_f64x2_floor, (v2(0xbfe0000000000000ull, 0x0000000000000001ull)), 0xbff0000000000000ull, 0);
    WANT2(f64x2_trunc, ref_f64x2_trunc, (v2(0xbfefffffffffffffull, 0x7ff0000000000000ull)), 0x8000000000000000ull, 0x7ff0000000000000ull);
    /* sqrt: -0 stays, a negative gives a canonical NaN */
    WANT4(f32x4_sqrt, simde_wasm_f32x4_sqrt, (v4(NEG0, 0xbf800000, 0x40800000, INF)), NEG0, NANC, 0x40000000, INF);
    /* narrowing saturates from signed input */
    WANT4(i8x16_narrow_i16x8_u, simde_wasm_u8x16_narrow_i16x8, (v8(0xffff, 300, 0x8000, 0x7fff, 255, 0, 1, 0x100), v8(0xff38 /*-200*/, 200, 128, 127, 0xff80, 0xff7f, 0xffff, 2)), 0xff00ff00, 0xff0100ff, 0x7f80c800, 0x02000000);
    WANT4(i8x16_narrow_i16x8_s, simde_wasm_i8x16_narrow_i16x8, (v8(0xffff, 300, 0x8000, 0x7fff, 255, 0, 1, 0x100), v8(0xff38, 200, 128, 127, 0xff80, 0xff7f, 0xffff, 2)), 0x7f807fff, 0x7f01007f, 0x7f7f7f80, 0x02ff8080);
    WANT4(i16x8_narrow_i32x4_s, simde_wasm_i16x8_narrow_i32x4, (v4(0x8000, 0xffff7fff, 0xffffffffu, 0x12345678), v4(0x80000000u, 0x7fffffff, 5, 0xffff8000u)), 0x80007fff, 0x7fffffff, 0x7fff8000, 0x80000005);
    WANT4(i16x8_narrow_i32x4_u, simde_wasm_u16x8_narrow_i32x4, (v4(0x8000, 0xffff7fff, 0xffffffffu, 0x12345678), v4(0x80000000u, 0x7fffffff, 5, 0x10000)), 0x00008000, 0xffff0000, 0xffff0000, 0xffff0005);
    /* q15mulr: only -1 * -1 saturates; rounding adds 2^14 */
    WANT4(i16x8_q15mulr_sat_s, simde_wasm_i16x8_q15mulr_sat, (v8(0x8000, 0x4000, 0x8000, 0xffff, 0x7fff, 1, 0x8000, 0x8001), v8(0x8000, 0x4000, 0x7fff, 0xffff, 0x7fff, 0x4000, 0x0001, 0x8001)), 0x20007fff, 0x00008001, 0x00017ffe, 0x7ffeffff);
    /* abs of the minimum is the minimum; shifts take the count modulo the lane width */
    WANT4(i32x4_abs, simde_wasm_i32x4_abs, (v4(0x80000000u, 0xffffffffu, 5, 0x80000001u)), 0x80000000u, 1, 5, 0x7fffffff);
    WANT4(i8x16_abs, simde_wasm_i8x16_abs, (v4(0x807f01ffu, 0, 0, 0)), 0x807f0101u, 0, 0, 0);
    WANT4(i32x4_shl, simde_wasm_i32x4_shl, (v4(1, 3, 0x80000000u, 7), 33), 2, 6, 0, 14);
    WANT4(i8x16_shr_s, simde_wasm_i8x16_shr, (v4(0x807f4001u, 0, 0, 0), 9), 0xc03f2000u, 0, 0, 0);
    WANT4(i16x8_shr_u, simde_wasm_u16x8_shr, (v4(0x8000ffffu, 0, 0, 0), 31), 0x00010001u, 0, 0, 0);
    WANT2(i64x2_shr_s, simde_wasm_i64x2_shr, (v2(0x8000000000000000ull, 0x4000000000000000ull), 65), 0xc000000000000000ull, 0x2000000000000000ull);
    /* avgr_u rounds up; popcnt */
    WANT4(i8x16_avgr_u, simde_wasm_u8x16_avgr, (v4(0x0000feffu, 0, 0, 0), v4(0x0001ffffu, 0, 0, 0)), 0x0001ffffu, 0, 0, 0);
    WANT4(i16x8_avgr_u, simde_wasm_u16x8_avgr, (v4(0xffff0000u, 0, 0, 0), v4(0xfffe0001u, 0, 0, 0)), 0xffff0001u, 0, 0, 0);
    WANT4(i8x16_popcnt, simde_wasm_i8x16_popcnt, (v4(0xff807f01u, 0x55aa0f00u, 0, 0)), 0x08010701u, 0x04040400u, 0, 0);
    /* dot: -32768 * -32768 * 2 wraps to INT_MIN; extadd and extmul of the extremes */
    WANT4(i32x4_dot_i16x8_s, simde_wasm_i32x4_dot_i16x8, (v4(0x80008000u, 0x7fff7fff, 0x80007fff, 0x00020003), v4(0x80008000u, 0x7fff7fff, 0x7fff8000u, 0x00040005)), 0x80000000u, 0x7ffe0002, 0x80010000u, 23);
    WANT4(i16x8_extadd_pairwise_i8x16_s, simde_wasm_i16x8_extadd_pairwise_i8x16, (v4(0x7f7f8080u, 0x01ff0000, 0, 0)), 0x00feff00u, 0x00000000, 0, 0);
    WANT4(i16x8_extadd_pairwise_i8x16_u, simde_wasm_u16x8_extadd_pairwise_u8x16, (v4(0xffff8080u, 0x01ff0000, 0, 0)), 0x01fe0100u, 0x01000000, 0, 0);
    WANT4(i32x4_extmul_low_i16x8_s, simde_wasm_i32x4_extmul_low_i16x8, (v4(0x7fff8000u, 0, 0, 0), v4(0x80008000u, 0, 0, 0)), 0x40000000, 0xc0008000u, 0, 0);
    WANT2(i64x2_extmul_high_i32x4_u, simde_wasm_u64x2_extmul_high_u32x4, (v4(0, 0, 0xffffffffu, 2), v4(0, 0, 0xffffffffu, 0x80000000u)), 0xfffffffe00000001ull, 0x100000000ull);
    /* conversions */
    WANT4(f32x4_convert_i32x4_u, simde_wasm_f32x4_convert_u32x4, (v4(0xffffffffu, 0x80000001u, 16777217, 0)), 0x4f800000, 0x4f000000, 0x4b800000, 0);
    WANT4(f32x4_convert_i32x4_s, simde_wasm_f32x4_convert_i32x4, (v4(0x80000000u, 0xffffffffu, 16777219, 0x7fffffff)), 0xcf000000u, 0xbf800000u, 0x4b800002, 0x4f000000);
    WANT2(f64x2_convert_low_i32x4_u, simde_wasm_f64x2_convert_low_u32x4, (v4(0xffffffffu, 0x80000000u, 7, 7)), 0x41efffffffe00000ull, 0x41e0000000000000ull);
    WANT2(f64x2_convert_low_i32x4_s, simde_wasm_f64x2_convert_low_i32x4, (v4(0xffffffffu, 0x80000000u, 7, 7)), 0xbff0000000000000ull, 0xc1e0000000000000ull);
    WANT4(f32x4_demote_f64x2_zero, simde_wasm_f32x4_demote_f64x2_zero, (v2(0x7e37e43c8800759cull /*1e300*/, 0x36a0000000000000ull /*2^-149*/)), INF, 1, 0, 0);
    WANT2(f64x2_promote_low_f32x4, simde_wasm_f64x2_promote_low_f32x4, (v4(0x7fc00000, 0x00000001, 9, 9)), NANC, 0x36a0000000000000ull);
    /* bitmask, all_true, any_true */
    if (OP(i8x16_bitmask, simde_wasm_i8x16_bitmask)(v4(0x80008000u, 0xff000001u, 0, 0x80000000u)) != 0x808au) { printf("FAIL i8x16_bitmask\n"); failures++; }
    if (OP(i64x2_all_true, simde_wasm_i64x2_all_true)(v2(1, 0x8000000000000000ull)) != 1) { printf("FAIL i64x2_all_true\n"); failures++; }
    if (OP(i16x8_all_true, simde_wasm_i16x8_all_true)(v4(0x00010001u, 0x00010001u, 0x00010001u, 0x00000001u)) != 0) { printf("FAIL i16x8_all_true\n"); failures++; }
    if (OP(v128_any_true, simde_wasm_v128_any_true)(v4(0, 0, 0, 0x00000100u)) != 1) { printf("FAIL v128_any_true\n"); failures++; }
    /* swizzle: an index of 16 or more selects 0 */
    WANT4(i8x16_swizzle, simde_wasm_i8x16_swizzle, (v4(0x03020100u, 0x07060504u, 0x0b0a0908u, 0x0f0e0d0cu), v4(0x10ff0f00u, 0x80017f20u, 0, 0)), 0x00000f00u, 0x00010000u, 0, 0);
}

#if !defined(SIMD_REFERENCE) && WASMC_SIMD_SCALAR
/* ---- half forms (the tcc tier's wasmc_h_* / wasmc_hg_*, docs/simd.md "Halves"): each half of
   each result equals the same half of the whole operation's result, which the lines above check
   against SIMDe, on every input (pair, triple) of the pool, every shift count, scalar and lane.
   Bits compared exactly (both forms run the same C per lane), except that float lanes
   (half_shape 32 or 64) that are NaN in both are equal: which input NaN an addition passes on
   is the compiler's operand order, and the spec allows either. ---- */
static unsigned long half_checks;
static int half_shape;
static int half_same(u64 got, u64 want) {
    if (got == want) return 1;
    if (half_shape == 64) return nan64(got) && nan64(want);
    if (half_shape == 32)
        return ((u32)got == (u32)want || (nan32((u32)got) && nan32((u32)want))) &&
               ((u32)(got >> 32) == (u32)(want >> 32) || (nan32((u32)(got >> 32)) && nan32((u32)(want >> 32))));
    return 0;
}
static void half_eq(const char *name, int half, u64 got, u64 want, int i, int j) {
    half_checks++;
    if (!half_same(got, want) && failures++ < 20)
        printf("FAIL half form %s (half %d, inputs %d %d): %016llx, whole form %016llx\n", name, half,
               i, j, (unsigned long long)got, (unsigned long long)want);
}
#define H_UN(NAME)                                                                             \
    for (i = 0; i < npool; i++) {                                                              \
        V a = vec(pool[i]), r = wasmc_##NAME(a);                                               \
        half_eq(#NAME, 0, wasmc_h_##NAME(a.lo), r.lo, i, 0);                                   \
        half_eq(#NAME, 1, wasmc_h_##NAME(a.hi), r.hi, i, 0);                                   \
    }
#define H_BIN(NAME)                                                                            \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < npool; j++) {                                                          \
            V a = vec(pool[i]), b = vec(pool[j]), r = wasmc_##NAME(a, b);                      \
            half_eq(#NAME, 0, wasmc_h_##NAME(a.lo, b.lo), r.lo, i, j);                         \
            half_eq(#NAME, 1, wasmc_h_##NAME(a.hi, b.hi), r.hi, i, j);                         \
        }
#define H_TER(NAME)                                                                            \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < npool; j++) {                                                          \
            int k = (i * 7 + j * 3) % npool;                                                   \
            V a = vec(pool[i]), b = vec(pool[j]), c = vec(pool[k]), r = wasmc_##NAME(a, b, c); \
            half_eq(#NAME, 0, wasmc_h_##NAME(a.lo, b.lo, c.lo), r.lo, i, j);                   \
            half_eq(#NAME, 1, wasmc_h_##NAME(a.hi, b.hi, c.hi), r.hi, i, j);                   \
        }
#define H_SHIFT(NAME)                                                                          \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < COUNT(shift_counts); j++) {                                            \
            V a = vec(pool[i]), r = wasmc_##NAME(a, shift_counts[j]);                          \
            half_eq(#NAME, 0, wasmc_h_##NAME(a.lo, shift_counts[j]), r.lo, i, j);              \
            half_eq(#NAME, 1, wasmc_h_##NAME(a.hi, shift_counts[j]), r.hi, i, j);              \
        }
#define H_SPLAT(NAME, T)                                                                       \
    for (i = 0; i < COUNT(scalars); i++) {                                                     \
        V r = wasmc_##NAME((T)scalars[i]);                                                     \
        half_eq(#NAME, 0, wasmc_h_##NAME((T)scalars[i]), r.lo, i, 0);                          \
        half_eq(#NAME, 1, wasmc_h_##NAME((T)scalars[i]), r.hi, i, 0);                          \
    }
/* f64 halves: the wasmc_hg_ form on f64 values, its result's bits. */
#define HG_BIN(NAME)                                                                           \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < npool; j++) {                                                          \
            V a = vec(pool[i]), b = vec(pool[j]), r = wasmc_##NAME(a, b);                      \
            half_eq("hg " #NAME, 0, WASMC_HG_BITS(wasmc_hg_##NAME(WASMC_HG_OF(a.lo), WASMC_HG_OF(b.lo))), r.lo, i, j); \
            half_eq("hg " #NAME, 1, WASMC_HG_BITS(wasmc_hg_##NAME(WASMC_HG_OF(a.hi), WASMC_HG_OF(b.hi))), r.hi, i, j); \
        }
#define HG_TER(NAME)                                                                           \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < npool; j++) {                                                          \
            int k = (i * 7 + j * 3) % npool;                                                   \
            V a = vec(pool[i]), b = vec(pool[j]), c = vec(pool[k]), r = wasmc_##NAME(a, b, c); \
            half_eq("hg " #NAME, 0, WASMC_HG_BITS(wasmc_hg_##NAME(WASMC_HG_OF(a.lo), WASMC_HG_OF(b.lo), WASMC_HG_OF(c.lo))), r.lo, i, j); \
            half_eq("hg " #NAME, 1, WASMC_HG_BITS(wasmc_hg_##NAME(WASMC_HG_OF(a.hi), WASMC_HG_OF(b.hi), WASMC_HG_OF(c.hi))), r.hi, i, j); \
        }
/* Lanes: lane k of N is lane k % (N/2) of half k / (N/2). */
#define H_EXTRACT(NAME, N, BITS)                                                               \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < (N); j++) {                                                            \
            V a = vec(pool[i]);                                                                \
            u64 h = j < (N) / 2 ? a.lo : a.hi;                                                 \
            half_eq(#NAME, j / ((N) / 2), BITS(wasmc_h_##NAME(h, j % ((N) / 2))), BITS(wasmc_##NAME(a, j)), i, j); \
        }
#define H_REPLACE(NAME, N, T)                                                                  \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < (N); j++)                                                              \
            for (k = 0; k < COUNT(scalars); k++) {                                             \
                V a = vec(pool[i]), r = wasmc_##NAME(a, j, (T)scalars[k]);                     \
                u64 lo = j < (N) / 2 ? wasmc_h_##NAME(a.lo, j % ((N) / 2), (T)scalars[k]) : a.lo; \
                u64 hi = j >= (N) / 2 ? wasmc_h_##NAME(a.hi, j % ((N) / 2), (T)scalars[k]) : a.hi; \
                half_eq(#NAME, 0, lo, r.lo, i, j);                                             \
                half_eq(#NAME, 1, hi, r.hi, i, j);                                             \
            }
/* Result half r of an extend from the source half the lowering passes (low for _low, high for _high). */
#define H_EXTEND(NAME, SRC)                                                                    \
    for (i = 0; i < npool; i++) {                                                              \
        V a = vec(pool[i]), r = wasmc_##NAME(a);                                               \
        half_eq(#NAME, 0, wasmc_h_##NAME(a.SRC, 0), r.lo, i, 0);                               \
        half_eq(#NAME, 1, wasmc_h_##NAME(a.SRC, 1), r.hi, i, 0);                               \
    }
#define H_INT(x) ((u64)(x))
#define H_F32(x) ((u64)bits32(x))
#define H_F64(x) bits64(x)
static void check_half_forms(void) {
    int i, j, k;
    H_UN(v128_not) H_BIN(v128_and) H_BIN(v128_andnot) H_BIN(v128_or) H_BIN(v128_xor) H_TER(v128_bitselect)
    H_TER(i8x16_relaxed_laneselect) H_TER(i16x8_relaxed_laneselect) H_TER(i32x4_relaxed_laneselect) H_TER(i64x2_relaxed_laneselect)
    H_BIN(i8x16_add) H_BIN(i16x8_add) H_BIN(i32x4_add) H_BIN(i64x2_add)
    H_BIN(i8x16_sub) H_BIN(i16x8_sub) H_BIN(i32x4_sub) H_BIN(i64x2_sub)
    H_UN(i8x16_neg) H_UN(i16x8_neg) H_UN(i32x4_neg) H_UN(i64x2_neg) H_BIN(i32x4_mul) H_BIN(i64x2_mul)
    H_SHIFT(i8x16_shl) H_SHIFT(i16x8_shl) H_SHIFT(i32x4_shl) H_SHIFT(i64x2_shl)
    H_SHIFT(i8x16_shr_u) H_SHIFT(i16x8_shr_u) H_SHIFT(i32x4_shr_u) H_SHIFT(i64x2_shr_u)
    H_SHIFT(i32x4_shr_s) H_SHIFT(i64x2_shr_s)
    H_BIN(i32x4_eq) H_BIN(i32x4_ne) H_BIN(i64x2_eq) H_BIN(i64x2_ne)
    H_EXTEND(i16x8_extend_low_i8x16_s, lo) H_EXTEND(i16x8_extend_high_i8x16_s, hi)
    H_EXTEND(i16x8_extend_low_i8x16_u, lo) H_EXTEND(i16x8_extend_high_i8x16_u, hi)
    H_EXTEND(i32x4_extend_low_i16x8_s, lo) H_EXTEND(i32x4_extend_high_i16x8_s, hi)
    H_EXTEND(i32x4_extend_low_i16x8_u, lo) H_EXTEND(i32x4_extend_high_i16x8_u, hi)
    H_EXTEND(i64x2_extend_low_i32x4_s, lo) H_EXTEND(i64x2_extend_high_i32x4_s, hi)
    H_EXTEND(i64x2_extend_low_i32x4_u, lo) H_EXTEND(i64x2_extend_high_i32x4_u, hi)
    /* shuffles: a few index patterns (literals), every pair of the pool */
#define H_SHUFFLE(I0, I1, I2, I3, I4, I5, I6, I7, I8, I9, I10, I11, I12, I13, I14, I15)                  \
    for (i = 0; i < npool; i++)                                                                \
        for (j = 0; j < npool; j++) {                                                          \
            V a = vec(pool[i]), b = vec(pool[j]);                                              \
            V r = wasmc_i8x16_shuffle(a, b, I0, I1, I2, I3, I4, I5, I6, I7, I8, I9, I10, I11, I12, I13, I14, I15); \
            half_eq("i8x16_shuffle", 0, wasmc_h_i8x16_shuffle(a.lo, a.hi, b.lo, b.hi, I0, I1, I2, I3, I4, I5, I6, I7), r.lo, i, j); \
            half_eq("i8x16_shuffle", 1, wasmc_h_i8x16_shuffle(a.lo, a.hi, b.lo, b.hi, I8, I9, I10, I11, I12, I13, I14, I15), r.hi, i, j); \
        }
    H_SHUFFLE(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    H_SHUFFLE(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16)
    H_SHUFFLE(1, 5, 9, 13, 0, 0, 0, 0, 16, 17, 18, 19, 8, 25, 10, 27)
    H_SHUFFLE(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31)
    H_SPLAT(i8x16_splat, u32) H_SPLAT(i16x8_splat, u32) H_SPLAT(i32x4_splat, u32) H_SPLAT(i64x2_splat, u64)
    for (k = 0; k < COUNT(f32s); k++) {
        V r = wasmc_f32x4_splat(f32of(f32s[k]));
        half_eq("f32x4_splat", 0, wasmc_h_f32x4_splat(f32of(f32s[k])), r.lo, k, 0);
        half_eq("f32x4_splat", 1, wasmc_h_f32x4_splat(f32of(f32s[k])), r.hi, k, 0);
    }
    for (k = 0; k < COUNT(f64s); k++) {
        V r = wasmc_f64x2_splat(f64of(f64s[k]));
        half_eq("f64x2_splat", 0, wasmc_h_f64x2_splat(f64of(f64s[k])), r.lo, k, 0);
        half_eq("hg f64x2_splat", 1, WASMC_HG_BITS(wasmc_hg_f64x2_splat(f64of(f64s[k]))), r.hi, k, 0);
    }
    H_EXTRACT(i8x16_extract_lane_s, 16, H_INT) H_EXTRACT(i8x16_extract_lane_u, 16, H_INT)
    H_EXTRACT(i16x8_extract_lane_s, 8, H_INT) H_EXTRACT(i16x8_extract_lane_u, 8, H_INT)
    H_EXTRACT(i32x4_extract_lane, 4, H_INT) H_EXTRACT(i64x2_extract_lane, 2, H_INT)
    H_EXTRACT(f32x4_extract_lane, 4, H_F32) H_EXTRACT(f64x2_extract_lane, 2, H_F64)
    H_REPLACE(i8x16_replace_lane, 16, u32) H_REPLACE(i16x8_replace_lane, 8, u32) H_REPLACE(i32x4_replace_lane, 4, u32)
    H_REPLACE(i64x2_replace_lane, 2, u64)
    for (i = 0; i < npool; i++)
        for (j = 0; j < 4; j++)
            for (k = 0; k < COUNT(f32s); k++) {
                V a = vec(pool[i]), r = wasmc_f32x4_replace_lane(a, j, f32of(f32s[k]));
                u64 h = wasmc_h_f32x4_replace_lane(j < 2 ? a.lo : a.hi, j % 2, f32of(f32s[k]));
                half_eq("f32x4_replace_lane", j / 2, h, j < 2 ? r.lo : r.hi, i, j);
            }
    for (i = 0; i < npool; i++)
        for (j = 0; j < 2; j++)
            for (k = 0; k < COUNT(f64s); k++) {
                V a = vec(pool[i]), r = wasmc_f64x2_replace_lane(a, j, f64of(f64s[k]));
                half_eq("f64x2_replace_lane", j, wasmc_h_f64x2_replace_lane(j ? a.hi : a.lo, 0, f64of(f64s[k])), j ? r.hi : r.lo, i, j);
            }
    half_shape = 32;
    H_BIN(f32x4_add) H_BIN(f32x4_sub) H_BIN(f32x4_mul) H_BIN(f32x4_div) H_UN(f32x4_neg) H_UN(f32x4_abs)
    H_BIN(f32x4_min) H_BIN(f32x4_max) H_BIN(f32x4_pmin) H_BIN(f32x4_pmax)
    half_shape = 64;
    H_BIN(f64x2_add) H_BIN(f64x2_sub) H_BIN(f64x2_mul) H_BIN(f64x2_div) H_UN(f64x2_neg) H_UN(f64x2_abs)
    H_BIN(f64x2_min) H_BIN(f64x2_max) H_BIN(f64x2_pmin) H_BIN(f64x2_pmax)
    half_shape = 0;
    H_BIN(f32x4_eq) H_BIN(f32x4_ne) H_BIN(f32x4_lt) H_BIN(f32x4_gt) H_BIN(f32x4_le) H_BIN(f32x4_ge)
    H_BIN(f64x2_eq) H_BIN(f64x2_ne) H_BIN(f64x2_lt) H_BIN(f64x2_gt) H_BIN(f64x2_le) H_BIN(f64x2_ge)
    half_shape = 32;
    H_BIN(f32x4_relaxed_min) H_BIN(f32x4_relaxed_max) H_TER(f32x4_relaxed_madd) H_TER(f32x4_relaxed_nmadd)
    half_shape = 64;
    H_BIN(f64x2_relaxed_min) H_BIN(f64x2_relaxed_max) H_TER(f64x2_relaxed_madd) H_TER(f64x2_relaxed_nmadd)
    HG_BIN(f64x2_add) HG_BIN(f64x2_sub) HG_BIN(f64x2_mul) HG_BIN(f64x2_div) HG_BIN(f64x2_min) HG_BIN(f64x2_max)
    HG_BIN(f64x2_relaxed_min) HG_BIN(f64x2_relaxed_max) HG_TER(f64x2_relaxed_madd) HG_TER(f64x2_relaxed_nmadd)
    printf("half forms: %lu results compared with the whole forms (failures counted below)\n", half_checks);
}
#endif

int main(int argc, char **argv) {
    if (argc > 1) dump_op = argv[1];
    make_pool();
    spec_values();
    run_all();
#if !defined(SIMD_REFERENCE) && WASMC_SIMD_SCALAR
    if (!dump_op) check_half_forms();
#endif
#if defined(SIMD_REFERENCE)
    printf("reference: %d failures\n", failures);
#elif defined(__TINYC__)
    printf("tcc: %d failures\n", failures);
#elif defined(WASMC_SIMD_PORTABLE)
    printf("gcc portable: %d failures\n", failures);
#else
    printf("gcc: %d failures\n", failures);
#endif
    return failures != 0;
}
