/* wasmc_simd.h — the 128-bit vector operations (wasm SIMD and relaxed SIMD) for generated C,
   included after wasmc_prelude.h when a module uses v128. Same text for both tiers:
   - libtcc (__TINYC__): no vector types, no inlining. v128 is two u64 halves; operations are
     plain C on lanes (common ones are statement-expression macros working on the 64-bit halves,
     "SIMD within a register", so no call is made).
   - cc -O2: v128 is a GCC vector; common operations are vector-extension expressions (SSE code).
   WASMC_SIMD_PORTABLE forces the tcc representation under gcc too (the header's own tests).
   Every name is `wasmc_` + the instruction name with '.' → '_' (docs/simd.md); every argument
   is evaluated exactly once; scalars travel as u32/u64/f32/f64. Like the prelude, no libc/libm
   symbol is used. Float results follow the spec's NaN rules: arithmetic on x86 keeps or
   quiets an input NaN and makes the canonical NaN itself. */
#ifndef WASMC_SIMD_H
#define WASMC_SIMD_H

#if defined(__TINYC__) || defined(WASMC_SIMD_PORTABLE)
#define WASMC_SIMD_SCALAR 1
/* Two u64 halves, little-endian: lo holds lanes 0.., hi the rest. Passed in two registers. */
typedef struct { u64 lo, hi; } v128;
#define WASMC_V128(LO, HI) ((v128){ (LO), (HI) })
#define WASMC_V128_LO(v) ((v).lo)
#define WASMC_V128_HI(v) ((v).hi)
#else
#define WASMC_SIMD_SCALAR 0
/* 8-byte alignment: a v128 may sit in 8-aligned storage (globals, frames of other code). */
typedef u64 v128 __attribute__((vector_size(16), aligned(8), may_alias));
typedef u8 wasmc_u8x16 __attribute__((vector_size(16), may_alias));
typedef s8 wasmc_s8x16 __attribute__((vector_size(16), may_alias));
typedef u16 wasmc_u16x8 __attribute__((vector_size(16), may_alias));
typedef s16 wasmc_s16x8 __attribute__((vector_size(16), may_alias));
typedef u32 wasmc_u32x4 __attribute__((vector_size(16), may_alias));
typedef s32 wasmc_s32x4 __attribute__((vector_size(16), may_alias));
typedef u64 wasmc_u64x2 __attribute__((vector_size(16), may_alias));
typedef s64 wasmc_s64x2 __attribute__((vector_size(16), may_alias));
typedef f32 wasmc_f32x4 __attribute__((vector_size(16), may_alias));
typedef f64 wasmc_f64x2 __attribute__((vector_size(16), may_alias));
typedef u64 wasmc_v128u __attribute__((vector_size(16), aligned(1), may_alias));
#define WASMC_V128(LO, HI) ((v128){ (LO), (HI) })
#define WASMC_V128_LO(v) ((v)[0])
#define WASMC_V128_HI(v) ((v)[1])
#endif

/* The lanes of a vector, for the operations written lane by lane. */
typedef union {
    v128 v;
    u8 b[16];
    s8 sb[16];
    u16 h[8];
    s16 sh[8];
    u32 w[4];
    s32 sw[4];
    u64 d[2];
    s64 sd[2];
    f32 f[4];
    f64 g[2];
} __attribute__((may_alias)) wasmc_lanes;
/* A vector's lanes in place. Not a copy: under tcc every struct assignment is a memmove call. */
#define WASMC_L(v) ((wasmc_lanes *)&(v))
/* The operands and result of a lane-wise definition (parameters a_, b_, c_, local r_),
   addressed from the frame: tcc would spill and reload pointer variables. */
#define WASMC_X WASMC_L(a_)
#define WASMC_Y WASMC_L(b_)
#define WASMC_Z WASMC_L(c_)
#define WASMC_R WASMC_L(r_)

#define WASMC_SIMD_FN static inline __attribute__((unused))

/* Lane-wise code is written out, not looped: S runs once per lane with i a constant (an
   enumerator), so tcc, which neither unrolls nor folds loop indices, emits fixed offsets. */
#define WASMC_SIMD_LANE_(K, S) { enum { i = K }; S }
#define WASMC_SIMD_EACH2(S) WASMC_SIMD_LANE_(0, S) WASMC_SIMD_LANE_(1, S)
#define WASMC_SIMD_EACH4(S) WASMC_SIMD_EACH2(S) WASMC_SIMD_LANE_(2, S) WASMC_SIMD_LANE_(3, S)
#define WASMC_SIMD_EACH8(S) WASMC_SIMD_EACH4(S) WASMC_SIMD_LANE_(4, S) WASMC_SIMD_LANE_(5, S) WASMC_SIMD_LANE_(6, S) WASMC_SIMD_LANE_(7, S)
#define WASMC_SIMD_EACH16(S)                                                                   \
    WASMC_SIMD_EACH8(S) WASMC_SIMD_LANE_(8, S) WASMC_SIMD_LANE_(9, S) WASMC_SIMD_LANE_(10, S) WASMC_SIMD_LANE_(11, S) \
    WASMC_SIMD_LANE_(12, S) WASMC_SIMD_LANE_(13, S) WASMC_SIMD_LANE_(14, S) WASMC_SIMD_LANE_(15, S)
#define WASMC_SIMD_EACH(N, S) WASMC_SIMD_EACH##N(S)

/* ---- lane-wise definitions: NAME(a) / NAME(a, b) / NAME(a, b, c) with N lanes; the
   expression reads lanes WASMC_X->F[i], WASMC_Y->F[i], WASMC_Z->F[i] and is stored in r.R[i]. ---- */
#define WASMC_SIMD_UNARY(NAME, R, N, EXPR)                                                     \
    WASMC_SIMD_FN v128 NAME(v128 a_) {                                                         \
        v128 r_;                                                                               \
        WASMC_SIMD_EACH(N, WASMC_R->R[i] = (EXPR);)                                                  \
        return r_;                                                                             \
    }
#define WASMC_SIMD_BINARY(NAME, R, N, EXPR)                                                    \
    WASMC_SIMD_FN v128 NAME(v128 a_, v128 b_) {                                                \
        v128 r_;                                                                               \
        WASMC_SIMD_EACH(N, WASMC_R->R[i] = (EXPR);)                                                  \
        return r_;                                                                             \
    }
#define WASMC_SIMD_TERNARY(NAME, R, N, EXPR)                                                   \
    WASMC_SIMD_FN v128 NAME(v128 a_, v128 b_, v128 c_) {                                       \
        v128 r_;                                                                               \
        WASMC_SIMD_EACH(N, WASMC_R->R[i] = (EXPR);)                                                  \
        return r_;                                                                             \
    }
/* Shifts: the count is taken modulo the lane width. */
#define WASMC_SIMD_SHIFT(NAME, R, N, BITS, EXPR)                                               \
    WASMC_SIMD_FN v128 NAME(v128 a_, u32 n_) {                                                 \
        v128 r_;                                                                               \
        u32 n = n_ & ((BITS) - 1);                                                             \
        WASMC_SIMD_EACH(N, WASMC_R->R[i] = (EXPR);)                                                  \
        return r_;                                                                             \
    }

/* ---- scalar lane helpers ---- */
WASMC_SIMD_FN u32 wasmc_simd_f32_bits(f32 x) { wasmc_lanes l; l.f[0] = x; return l.w[0]; }
WASMC_SIMD_FN f32 wasmc_simd_f32_of(u32 x) { wasmc_lanes l; l.w[0] = x; return l.f[0]; }
WASMC_SIMD_FN u64 wasmc_simd_f64_bits(f64 x) { wasmc_lanes l; l.g[0] = x; return l.d[0]; }
WASMC_SIMD_FN f64 wasmc_simd_f64_of(u64 x) { wasmc_lanes l; l.d[0] = x; return l.g[0]; }
WASMC_SIMD_FN s32 wasmc_simd_clamp(s32 x, s32 lo, s32 hi) { return x < lo ? lo : x > hi ? hi : x; }

/* min/max: a NaN operand gives a NaN (a + b: canonical in, canonical out); -0 < +0. */
WASMC_SIMD_FN f32 wasmc_simd_f32_min(f32 a, f32 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_simd_f32_of(wasmc_simd_f32_bits(a) | wasmc_simd_f32_bits(b));
    return a < b ? a : b;
}
WASMC_SIMD_FN f32 wasmc_simd_f32_max(f32 a, f32 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_simd_f32_of(wasmc_simd_f32_bits(a) & wasmc_simd_f32_bits(b));
    return a > b ? a : b;
}
WASMC_SIMD_FN f64 wasmc_simd_f64_min(f64 a, f64 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_simd_f64_of(wasmc_simd_f64_bits(a) | wasmc_simd_f64_bits(b));
    return a < b ? a : b;
}
WASMC_SIMD_FN f64 wasmc_simd_f64_max(f64 a, f64 b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasmc_simd_f64_of(wasmc_simd_f64_bits(a) & wasmc_simd_f64_bits(b));
    return a > b ? a : b;
}

/* Rounding without libm. MODE: 0 nearest (ties to even), 1 ceil, 2 floor, 3 trunc. A value
   of magnitude >= 2^23 (f32) / 2^52 (f64) is already integral; the result keeps x's sign
   (ceil(-0.5) == -0.0); a NaN is quieted by x + x. */
WASMC_SIMD_FN f32 wasmc_simd_f32_round(f32 x, int mode) {
    u32 sign = wasmc_simd_f32_bits(x) & 0x80000000u;
    f32 a = wasmc_simd_f32_of(wasmc_simd_f32_bits(x) & 0x7FFFFFFFu), r;
    if (x != x) return x + x;
    if (!(a < 8388608.0f)) return x;
    if (mode == 0) {
        r = (a + 8388608.0f) - 8388608.0f; /* the FPU rounds to even */
    } else {
        r = (f32)(s32)a; /* toward zero */
        if (mode == 1 && !sign && r < a) r = r + 1.0f;
        if (mode == 2 && sign && r < a) r = r + 1.0f;
    }
    return wasmc_simd_f32_of(wasmc_simd_f32_bits(r) | sign);
}
WASMC_SIMD_FN f64 wasmc_simd_f64_round(f64 x, int mode) {
    u64 sign = wasmc_simd_f64_bits(x) & 0x8000000000000000ull;
    f64 a = wasmc_simd_f64_of(wasmc_simd_f64_bits(x) & 0x7FFFFFFFFFFFFFFFull), r;
    if (x != x) return x + x;
    if (!(a < 4503599627370496.0)) return x;
    if (mode == 0) {
        r = (a + 4503599627370496.0) - 4503599627370496.0;
    } else {
        r = (f64)(s64)a;
        if (mode == 1 && !sign && r < a) r = r + 1.0;
        if (mode == 2 && sign && r < a) r = r + 1.0;
    }
    return wasmc_simd_f64_of(wasmc_simd_f64_bits(r) | sign);
}

/* Saturating float → integer (NaN → 0). The bounds are exact powers of two. */
WASMC_SIMD_FN u32 wasmc_simd_sat_s32(f64 x) {
    if (x != x) return 0;
    if (!(x > -2147483649.0)) return 0x80000000u;
    if (!(x < 2147483648.0)) return 0x7FFFFFFFu;
    return (u32)(s32)x;
}
WASMC_SIMD_FN u32 wasmc_simd_sat_u32(f64 x) {
    if (!(x > -1.0)) return 0;
    if (!(x < 4294967296.0)) return 0xFFFFFFFFu;
    return (u32)(s64)x;
}

/* ---- constants, splats, lanes ---- */
#define wasmc_v128_const(LO, HI) WASMC_V128((u64)(LO), (u64)(HI))

#if WASMC_SIMD_SCALAR
WASMC_SIMD_FN v128 wasmc_i8x16_splat(u32 x) { u64 s = (u64)(u8)x * 0x0101010101010101ull; return WASMC_V128(s, s); }
WASMC_SIMD_FN v128 wasmc_i16x8_splat(u32 x) { u64 s = (u64)(u16)x * 0x0001000100010001ull; return WASMC_V128(s, s); }
WASMC_SIMD_FN v128 wasmc_i32x4_splat(u32 x) { u64 s = (u64)x * 0x0000000100000001ull; return WASMC_V128(s, s); }
WASMC_SIMD_FN v128 wasmc_i64x2_splat(u64 x) { return WASMC_V128(x, x); }
WASMC_SIMD_FN v128 wasmc_f32x4_splat(f32 x) { return wasmc_i32x4_splat(wasmc_simd_f32_bits(x)); }
WASMC_SIMD_FN v128 wasmc_f64x2_splat(f64 x) { u64 s = wasmc_simd_f64_bits(x); return WASMC_V128(s, s); }
#else
WASMC_SIMD_FN v128 wasmc_i8x16_splat(u32 x) { u8 b = (u8)x; return (v128)(wasmc_u8x16){ b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b }; }
WASMC_SIMD_FN v128 wasmc_i16x8_splat(u32 x) { u16 h = (u16)x; return (v128)(wasmc_u16x8){ h, h, h, h, h, h, h, h }; }
WASMC_SIMD_FN v128 wasmc_i32x4_splat(u32 x) { return (v128)(wasmc_u32x4){ x, x, x, x }; }
WASMC_SIMD_FN v128 wasmc_i64x2_splat(u64 x) { return (v128){ x, x }; }
WASMC_SIMD_FN v128 wasmc_f32x4_splat(f32 x) { return (v128)(wasmc_f32x4){ x, x, x, x }; }
WASMC_SIMD_FN v128 wasmc_f64x2_splat(f64 x) { return (v128)(wasmc_f64x2){ x, x }; }
#endif

#if WASMC_SIMD_SCALAR
WASMC_SIMD_FN u32 wasmc_i8x16_extract_lane_s(v128 v, u32 lane) { return (u32)(s32)WASMC_L(v)->sb[lane & 15]; }
WASMC_SIMD_FN u32 wasmc_i8x16_extract_lane_u(v128 v, u32 lane) { return WASMC_L(v)->b[lane & 15]; }
WASMC_SIMD_FN u32 wasmc_i16x8_extract_lane_s(v128 v, u32 lane) { return (u32)(s32)WASMC_L(v)->sh[lane & 7]; }
WASMC_SIMD_FN u32 wasmc_i16x8_extract_lane_u(v128 v, u32 lane) { return WASMC_L(v)->h[lane & 7]; }
WASMC_SIMD_FN u32 wasmc_i32x4_extract_lane(v128 v, u32 lane) { return WASMC_L(v)->w[lane & 3]; }
WASMC_SIMD_FN u64 wasmc_i64x2_extract_lane(v128 v, u32 lane) { return WASMC_L(v)->d[lane & 1]; }
WASMC_SIMD_FN f32 wasmc_f32x4_extract_lane(v128 v, u32 lane) { return WASMC_L(v)->f[lane & 3]; }
WASMC_SIMD_FN f64 wasmc_f64x2_extract_lane(v128 v, u32 lane) { return WASMC_L(v)->g[lane & 1]; }

WASMC_SIMD_FN v128 wasmc_i8x16_replace_lane(v128 v, u32 lane, u32 x) { WASMC_L(v)->b[lane & 15] = (u8)x; return v; }
WASMC_SIMD_FN v128 wasmc_i16x8_replace_lane(v128 v, u32 lane, u32 x) { WASMC_L(v)->h[lane & 7] = (u16)x; return v; }
WASMC_SIMD_FN v128 wasmc_i32x4_replace_lane(v128 v, u32 lane, u32 x) { WASMC_L(v)->w[lane & 3] = x; return v; }
WASMC_SIMD_FN v128 wasmc_i64x2_replace_lane(v128 v, u32 lane, u64 x) { WASMC_L(v)->d[lane & 1] = x; return v; }
WASMC_SIMD_FN v128 wasmc_f32x4_replace_lane(v128 v, u32 lane, f32 x) { WASMC_L(v)->f[lane & 3] = x; return v; }
WASMC_SIMD_FN v128 wasmc_f64x2_replace_lane(v128 v, u32 lane, f64 x) { WASMC_L(v)->g[lane & 1] = x; return v; }
#else
WASMC_SIMD_FN u32 wasmc_i8x16_extract_lane_s(v128 v, u32 lane) { return (u32)(s32)((wasmc_s8x16)v)[lane & 15]; }
WASMC_SIMD_FN u32 wasmc_i8x16_extract_lane_u(v128 v, u32 lane) { return ((wasmc_u8x16)v)[lane & 15]; }
WASMC_SIMD_FN u32 wasmc_i16x8_extract_lane_s(v128 v, u32 lane) { return (u32)(s32)((wasmc_s16x8)v)[lane & 7]; }
WASMC_SIMD_FN u32 wasmc_i16x8_extract_lane_u(v128 v, u32 lane) { return ((wasmc_u16x8)v)[lane & 7]; }
WASMC_SIMD_FN u32 wasmc_i32x4_extract_lane(v128 v, u32 lane) { return ((wasmc_u32x4)v)[lane & 3]; }
WASMC_SIMD_FN u64 wasmc_i64x2_extract_lane(v128 v, u32 lane) { return v[lane & 1]; }
WASMC_SIMD_FN f32 wasmc_f32x4_extract_lane(v128 v, u32 lane) { return ((wasmc_f32x4)v)[lane & 3]; }
WASMC_SIMD_FN f64 wasmc_f64x2_extract_lane(v128 v, u32 lane) { return ((wasmc_f64x2)v)[lane & 1]; }
#define WASMC_SIMD_VREPLACE(S, T, X, MASK)                                                     \
    WASMC_SIMD_FN v128 wasmc_##S##_replace_lane(v128 v, u32 lane, X x) { T t = (T)v; t[lane & (MASK)] = x; return (v128)t; }
WASMC_SIMD_VREPLACE(i8x16, wasmc_u8x16, u32, 15)
WASMC_SIMD_VREPLACE(i16x8, wasmc_u16x8, u32, 7)
WASMC_SIMD_VREPLACE(i32x4, wasmc_u32x4, u32, 3)
WASMC_SIMD_VREPLACE(i64x2, wasmc_u64x2, u64, 1)
WASMC_SIMD_VREPLACE(f32x4, wasmc_f32x4, f32, 3)
WASMC_SIMD_VREPLACE(f64x2, wasmc_f64x2, f64, 1)
#endif

/* ---- shuffles ---- */
WASMC_SIMD_FN v128 wasmc_simd_shuffle(v128 a_, v128 b_, const u8 *idx) {
    v128 r_;
    u8 t[32]; /* a's bytes then b's: an index of 16..31 reads b */
    wasmc_lanes *ab = (wasmc_lanes *)t;
    ab[0].d[0] = WASMC_X->d[0];
    ab[0].d[1] = WASMC_X->d[1];
    ab[1].d[0] = WASMC_Y->d[0];
    ab[1].d[1] = WASMC_Y->d[1];
    WASMC_SIMD_EACH(16, WASMC_R->b[i] = t[idx[i]];)
    return r_;
}
#if WASMC_SIMD_SCALAR
#define wasmc_i8x16_shuffle(a, b, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15) \
    ({                                                                                         \
        static const u8 wasmc_idx_[16] = { i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15 }; \
        wasmc_simd_shuffle((a), (b), wasmc_idx_);                                              \
    })
#else
/* Constant indices: gcc picks the instructions (pshufd, punpck, palignr ...). */
#define wasmc_i8x16_shuffle(a, b, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15) \
    ((v128)__builtin_shuffle((wasmc_u8x16)(a), (wasmc_u8x16)(b),                               \
                             (wasmc_u8x16){ i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15 }))
#endif
WASMC_SIMD_BINARY(wasmc_i8x16_swizzle, b, 16, WASMC_Y->b[i] < 16 ? WASMC_X->b[WASMC_Y->b[i]] : 0)
/* Relaxed: the deterministic choice is the plain swizzle (index >= 16 gives 0). */
#define wasmc_i8x16_relaxed_swizzle(a, b) wasmc_i8x16_swizzle(a, b)

/* Scalar reads of memory: under cc -O2 the prelude's loads, which a dead result cannot drop
   (the guard-region trap stays). */
#if defined(__TINYC__)
#define WASMC_SIMD_READ8(p) (*(const u8 *)(p))
#define WASMC_SIMD_READ16(p) (*(const wasmc_u16u *)(p))
#define WASMC_SIMD_READ32(p) (*(const wasmc_u32u *)(p))
#define WASMC_SIMD_READ64(p) (*(const wasmc_u64u *)(p))
#else
#define WASMC_SIMD_READ8(p) wasmc_load_u8(p)
#define WASMC_SIMD_READ16(p) wasmc_load_u16(p)
#define WASMC_SIMD_READ32(p) wasmc_load_u32(p)
#define WASMC_SIMD_READ64(p) wasmc_load_u64(p)
#endif

/* ---- loads and stores (p: the effective address in linear memory; any alignment) ---- */
#if defined(__TINYC__)
/* An lvalue, not a call: passed on to an operation it is two plain loads. */
#define wasmc_v128_load(p) (*(const v128 *)(p))
WASMC_SIMD_FN void wasmc_v128_store(u8 *p, v128 v) { *(wasmc_u64u *)p = v.lo; *(wasmc_u64u *)(p + 8) = v.hi; }
#elif WASMC_SIMD_SCALAR
WASMC_SIMD_FN v128 wasmc_v128_load(const u8 *p) { v128 r; r.lo = WASMC_SIMD_READ64(p); r.hi = WASMC_SIMD_READ64(p + 8); return r; }
WASMC_SIMD_FN void wasmc_v128_store(u8 *p, v128 v) { *(wasmc_u64u *)p = v.lo; *(wasmc_u64u *)(p + 8) = v.hi; }
#endif
#if WASMC_SIMD_SCALAR
#define wasmc_v128_load_split wasmc_v128_load
/* Extending loads: the low 8 bytes, widened lane by lane. */
#define WASMC_SIMD_LOAD_EXTEND(NAME, R, N, F)                                                  \
    WASMC_SIMD_FN v128 NAME(const u8 *p) {                                                     \
        v128 r_;                                                                               \
        wasmc_lanes x;                                                                         \
        x.d[0] = WASMC_SIMD_READ64(p);                                                         \
        WASMC_SIMD_EACH(N, WASMC_R->R[i] = x.F[i];)                                                  \
        return r_;                                                                             \
    }
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load8x8_s, sh, 8, sb)
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load8x8_u, h, 8, b)
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load16x4_s, sw, 4, sh)
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load16x4_u, w, 4, h)
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load32x2_s, sd, 2, sw)
WASMC_SIMD_LOAD_EXTEND(wasmc_v128_load32x2_u, d, 2, w)
WASMC_SIMD_FN v128 wasmc_v128_load8_splat(const u8 *p) { return wasmc_i8x16_splat(WASMC_SIMD_READ8(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load16_splat(const u8 *p) { return wasmc_i16x8_splat(WASMC_SIMD_READ16(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load32_splat(const u8 *p) { return wasmc_i32x4_splat(WASMC_SIMD_READ32(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load64_splat(const u8 *p) { return wasmc_i64x2_splat(WASMC_SIMD_READ64(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load32_zero(const u8 *p) { return WASMC_V128(WASMC_SIMD_READ32(p), 0); }
WASMC_SIMD_FN v128 wasmc_v128_load64_zero(const u8 *p) { return WASMC_V128(WASMC_SIMD_READ64(p), 0); }
WASMC_SIMD_FN v128 wasmc_v128_load8_lane(const u8 *p, v128 v, u32 lane) { return wasmc_i8x16_replace_lane(v, lane, WASMC_SIMD_READ8(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load16_lane(const u8 *p, v128 v, u32 lane) { return wasmc_i16x8_replace_lane(v, lane, WASMC_SIMD_READ16(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load32_lane(const u8 *p, v128 v, u32 lane) { return wasmc_i32x4_replace_lane(v, lane, WASMC_SIMD_READ32(p)); }
WASMC_SIMD_FN v128 wasmc_v128_load64_lane(const u8 *p, v128 v, u32 lane) { return wasmc_i64x2_replace_lane(v, lane, WASMC_SIMD_READ64(p)); }
#else
/* Each load is plain C, so gcc folds it into the instruction that builds the vector (movdqu,
   movddup, pmovzx, pinsr, broadcast). The empty volatile asm then keeps a load whose value is
   dead, and with it the guard-region trap: it takes the built vector as an in-out register
   operand. (Taken as an input only, the loaded vector had to sit in a register for the asm,
   and gcc loaded it a second time as the memory operand of the instruction using it.) */
#if defined(__x86_64__)
#define WASMC_SIMD_KEEP(v) __asm__ __volatile__("" : "+x"(v))
#else
#define WASMC_SIMD_KEEP(v) __asm__ __volatile__("" : "+w"(v))
#endif
#define WASMC_SIMD_LOADV(NAME, EXPR)                                                           \
    WASMC_SIMD_FN v128 NAME(const u8 *p) { v128 r_ = (v128)(EXPR); WASMC_SIMD_KEEP(r_); return r_; }
#define WASMC_SIMD_LOAD_LANE(NAME, S, T)                                                       \
    WASMC_SIMD_FN v128 NAME(const u8 *p, v128 v, u32 lane) {                                   \
        v128 r_ = wasmc_##S##_replace_lane(v, lane, *(const T *)p);                            \
        WASMC_SIMD_KEEP(r_);                                                                   \
        return r_;                                                                             \
    }
/* The low 8 bytes as a half-width vector, widened by one conversion (pmovsx/pmovzx). */
typedef s8 wasmc_s8x8u __attribute__((vector_size(8), aligned(1), may_alias));
typedef u8 wasmc_u8x8u __attribute__((vector_size(8), aligned(1), may_alias));
typedef s16 wasmc_s16x4u __attribute__((vector_size(8), aligned(1), may_alias));
typedef u16 wasmc_u16x4u __attribute__((vector_size(8), aligned(1), may_alias));
typedef s32 wasmc_s32x2u __attribute__((vector_size(8), aligned(1), may_alias));
typedef u32 wasmc_u32x2u __attribute__((vector_size(8), aligned(1), may_alias));
WASMC_SIMD_LOADV(wasmc_v128_load, *(const wasmc_v128u *)p)
/* v128.load of bytes just written by narrower stores (the lowering decides, RecentStores.swift):
   two 8-byte loads, each forwarded from its store, where one 16-byte load would wait for the
   stores to reach the cache. The asm keeps gcc from merging the halves into one load. */
WASMC_SIMD_FN v128 wasmc_v128_load_split(const u8 *p) {
    f64 lo = *(const wasmc_f64u *)p, hi = *(const wasmc_f64u *)(p + 8);
    WASMC_SIMD_KEEP(lo);
    v128 r_ = (v128)(wasmc_f64x2){ lo, hi };
    WASMC_SIMD_KEEP(r_);
    return r_;
}
WASMC_SIMD_FN void wasmc_v128_store(u8 *p, v128 v) { *(wasmc_v128u *)p = (wasmc_v128u)v; }
WASMC_SIMD_LOADV(wasmc_v128_load8x8_s, __builtin_convertvector(*(const wasmc_s8x8u *)p, wasmc_s16x8))
WASMC_SIMD_LOADV(wasmc_v128_load8x8_u, __builtin_convertvector(*(const wasmc_u8x8u *)p, wasmc_u16x8))
WASMC_SIMD_LOADV(wasmc_v128_load16x4_s, __builtin_convertvector(*(const wasmc_s16x4u *)p, wasmc_s32x4))
WASMC_SIMD_LOADV(wasmc_v128_load16x4_u, __builtin_convertvector(*(const wasmc_u16x4u *)p, wasmc_u32x4))
WASMC_SIMD_LOADV(wasmc_v128_load32x2_s, __builtin_convertvector(*(const wasmc_s32x2u *)p, wasmc_s64x2))
WASMC_SIMD_LOADV(wasmc_v128_load32x2_u, __builtin_convertvector(*(const wasmc_u32x2u *)p, wasmc_u64x2))
WASMC_SIMD_LOADV(wasmc_v128_load8_splat, wasmc_i8x16_splat(*p))
WASMC_SIMD_LOADV(wasmc_v128_load16_splat, wasmc_i16x8_splat(*(const wasmc_u16u *)p))
WASMC_SIMD_LOADV(wasmc_v128_load32_splat, wasmc_i32x4_splat(*(const wasmc_u32u *)p))
WASMC_SIMD_LOADV(wasmc_v128_load64_splat, wasmc_i64x2_splat(*(const wasmc_u64u *)p))
WASMC_SIMD_LOADV(wasmc_v128_load32_zero, ((wasmc_u32x4){ *(const wasmc_u32u *)p, 0, 0, 0 }))
WASMC_SIMD_LOADV(wasmc_v128_load64_zero, ((wasmc_u64x2){ *(const wasmc_u64u *)p, 0 }))
WASMC_SIMD_LOAD_LANE(wasmc_v128_load8_lane, i8x16, u8)
WASMC_SIMD_LOAD_LANE(wasmc_v128_load16_lane, i16x8, wasmc_u16u)
WASMC_SIMD_LOAD_LANE(wasmc_v128_load32_lane, i32x4, wasmc_u32u)
WASMC_SIMD_LOAD_LANE(wasmc_v128_load64_lane, i64x2, wasmc_u64u)
#endif
WASMC_SIMD_FN void wasmc_v128_store8_lane(u8 *p, v128 v, u32 lane) { *p = (u8)wasmc_i8x16_extract_lane_u(v, lane); }
WASMC_SIMD_FN void wasmc_v128_store16_lane(u8 *p, v128 v, u32 lane) { *(wasmc_u16u *)p = (u16)wasmc_i16x8_extract_lane_u(v, lane); }
WASMC_SIMD_FN void wasmc_v128_store32_lane(u8 *p, v128 v, u32 lane) { *(wasmc_u32u *)p = wasmc_i32x4_extract_lane(v, lane); }
WASMC_SIMD_FN void wasmc_v128_store64_lane(u8 *p, v128 v, u32 lane) { *(wasmc_u64u *)p = wasmc_i64x2_extract_lane(v, lane); }

/* ---- bitwise ---- */
#if WASMC_SIMD_SCALAR
/* An operation applied to both 64-bit halves. */
#define WASMC_SIMD_HALVES1(NAME, E)                                                            \
    WASMC_SIMD_FN v128 NAME(v128 a) { v128 r; r.lo = E(a.lo); r.hi = E(a.hi); return r; }
#define WASMC_SIMD_HALVES2(NAME, E)                                                            \
    WASMC_SIMD_FN v128 NAME(v128 a, v128 b) { v128 r; r.lo = E(a.lo, b.lo); r.hi = E(a.hi, b.hi); return r; }
#define WASMC_SIMD_NOT_(x) (~(x))
#define WASMC_SIMD_AND_(x, y) ((x) & (y))
#define WASMC_SIMD_ANDNOT_(x, y) ((x) & ~(y))
#define WASMC_SIMD_OR_(x, y) ((x) | (y))
#define WASMC_SIMD_XOR_(x, y) ((x) ^ (y))
WASMC_SIMD_HALVES1(wasmc_v128_not, WASMC_SIMD_NOT_)
WASMC_SIMD_HALVES2(wasmc_v128_and, WASMC_SIMD_AND_)
WASMC_SIMD_HALVES2(wasmc_v128_andnot, WASMC_SIMD_ANDNOT_)
WASMC_SIMD_HALVES2(wasmc_v128_or, WASMC_SIMD_OR_)
WASMC_SIMD_HALVES2(wasmc_v128_xor, WASMC_SIMD_XOR_)
WASMC_SIMD_FN v128 wasmc_v128_bitselect(v128 a, v128 b, v128 m) {
    v128 r;
    r.lo = (a.lo & m.lo) | (b.lo & ~m.lo);
    r.hi = (a.hi & m.hi) | (b.hi & ~m.hi);
    return r;
}
#else
WASMC_SIMD_FN v128 wasmc_v128_not(v128 a) { return ~a; }
WASMC_SIMD_FN v128 wasmc_v128_and(v128 a, v128 b) { return a & b; }
WASMC_SIMD_FN v128 wasmc_v128_andnot(v128 a, v128 b) { return a & ~b; }
WASMC_SIMD_FN v128 wasmc_v128_or(v128 a, v128 b) { return a | b; }
WASMC_SIMD_FN v128 wasmc_v128_xor(v128 a, v128 b) { return a ^ b; }
WASMC_SIMD_FN v128 wasmc_v128_bitselect(v128 a, v128 b, v128 m) { return (a & m) | (b & ~m); }
#endif
WASMC_SIMD_FN u32 wasmc_v128_any_true(v128 a) { return (WASMC_V128_LO(a) | WASMC_V128_HI(a)) != 0; }
/* Relaxed: the deterministic choice is bitselect. */
#define wasmc_i8x16_relaxed_laneselect(a, b, m) wasmc_v128_bitselect(a, b, m)
#define wasmc_i16x8_relaxed_laneselect(a, b, m) wasmc_v128_bitselect(a, b, m)
#define wasmc_i32x4_relaxed_laneselect(a, b, m) wasmc_v128_bitselect(a, b, m)
#define wasmc_i64x2_relaxed_laneselect(a, b, m) wasmc_v128_bitselect(a, b, m)

/* ---- all_true, bitmask ---- */
#define WASMC_SIMD_ALL_TRUE_BITMASK(S, F, SF, N, BITS)                                         \
    WASMC_SIMD_FN u32 wasmc_##S##_all_true(v128 a_) {                                          \
        u32 all = 1;                                                                           \
        WASMC_SIMD_EACH(N, all &= WASMC_X->F[i] != 0;)                                               \
        return all;                                                                            \
    }                                                                                          \
    WASMC_SIMD_FN u32 wasmc_##S##_bitmask(v128 a_) {                                           \
        u32 m = 0;                                                                             \
        WASMC_SIMD_EACH(N, m |= (u32)(WASMC_X->F[i] >> ((BITS) - 1)) << i;)                          \
        return m;                                                                              \
    }
WASMC_SIMD_ALL_TRUE_BITMASK(i8x16, b, sb, 16, 8)
WASMC_SIMD_ALL_TRUE_BITMASK(i16x8, h, sh, 8, 16)
WASMC_SIMD_ALL_TRUE_BITMASK(i32x4, w, sw, 4, 32)
WASMC_SIMD_ALL_TRUE_BITMASK(i64x2, d, sd, 2, 64)

/* ---- integer comparisons: all-ones lanes where true ---- */
#define WASMC_SIMD_ICMP(S, U, SG, N)                                                           \
    WASMC_SIMD_BINARY(wasmc_##S##_eq, U, N, WASMC_X->U[i] == WASMC_Y->U[i] ? -1 : 0)                        \
    WASMC_SIMD_BINARY(wasmc_##S##_ne, U, N, WASMC_X->U[i] != WASMC_Y->U[i] ? -1 : 0)                        \
    WASMC_SIMD_BINARY(wasmc_##S##_lt_s, U, N, WASMC_X->SG[i] < WASMC_Y->SG[i] ? -1 : 0)                     \
    WASMC_SIMD_BINARY(wasmc_##S##_gt_s, U, N, WASMC_X->SG[i] > WASMC_Y->SG[i] ? -1 : 0)                     \
    WASMC_SIMD_BINARY(wasmc_##S##_le_s, U, N, WASMC_X->SG[i] <= WASMC_Y->SG[i] ? -1 : 0)                    \
    WASMC_SIMD_BINARY(wasmc_##S##_ge_s, U, N, WASMC_X->SG[i] >= WASMC_Y->SG[i] ? -1 : 0)
#define WASMC_SIMD_ICMP_U(S, U, N)                                                             \
    WASMC_SIMD_BINARY(wasmc_##S##_lt_u, U, N, WASMC_X->U[i] < WASMC_Y->U[i] ? -1 : 0)                       \
    WASMC_SIMD_BINARY(wasmc_##S##_gt_u, U, N, WASMC_X->U[i] > WASMC_Y->U[i] ? -1 : 0)                       \
    WASMC_SIMD_BINARY(wasmc_##S##_le_u, U, N, WASMC_X->U[i] <= WASMC_Y->U[i] ? -1 : 0)                      \
    WASMC_SIMD_BINARY(wasmc_##S##_ge_u, U, N, WASMC_X->U[i] >= WASMC_Y->U[i] ? -1 : 0)
#if WASMC_SIMD_SCALAR
WASMC_SIMD_ICMP(i8x16, b, sb, 16)
WASMC_SIMD_ICMP_U(i8x16, b, 16)
WASMC_SIMD_ICMP(i16x8, h, sh, 8)
WASMC_SIMD_ICMP_U(i16x8, h, 8)
WASMC_SIMD_ICMP(i32x4, w, sw, 4)
WASMC_SIMD_ICMP_U(i32x4, w, 4)
WASMC_SIMD_ICMP(i64x2, d, sd, 2)
#else
/* A vector comparison gives -1 or 0 per lane, as wasm wants. */
#define WASMC_SIMD_VCMP(NAME, T, OP) WASMC_SIMD_FN v128 NAME(v128 a, v128 b) { return (v128)((T)a OP (T)b); }
#define WASMC_SIMD_VICMP(S, ST, UT)                                                            \
    WASMC_SIMD_VCMP(wasmc_##S##_eq, ST, ==) WASMC_SIMD_VCMP(wasmc_##S##_ne, ST, !=)            \
    WASMC_SIMD_VCMP(wasmc_##S##_lt_s, ST, <) WASMC_SIMD_VCMP(wasmc_##S##_gt_s, ST, >)          \
    WASMC_SIMD_VCMP(wasmc_##S##_le_s, ST, <=) WASMC_SIMD_VCMP(wasmc_##S##_ge_s, ST, >=)
#define WASMC_SIMD_VICMP_U(S, UT)                                                              \
    WASMC_SIMD_VCMP(wasmc_##S##_lt_u, UT, <) WASMC_SIMD_VCMP(wasmc_##S##_gt_u, UT, >)          \
    WASMC_SIMD_VCMP(wasmc_##S##_le_u, UT, <=) WASMC_SIMD_VCMP(wasmc_##S##_ge_u, UT, >=)
WASMC_SIMD_VICMP(i8x16, wasmc_s8x16, wasmc_u8x16)
WASMC_SIMD_VICMP_U(i8x16, wasmc_u8x16)
WASMC_SIMD_VICMP(i16x8, wasmc_s16x8, wasmc_u16x8)
WASMC_SIMD_VICMP_U(i16x8, wasmc_u16x8)
WASMC_SIMD_VICMP(i32x4, wasmc_s32x4, wasmc_u32x4)
WASMC_SIMD_VICMP_U(i32x4, wasmc_u32x4)
WASMC_SIMD_VICMP(i64x2, wasmc_s64x2, wasmc_u64x2)
#endif

/* ---- float comparisons (ordered, except ne) ---- */
#define WASMC_SIMD_FCMP(S, F, U, N)                                                            \
    WASMC_SIMD_BINARY(wasmc_##S##_eq, U, N, WASMC_X->F[i] == WASMC_Y->F[i] ? -1 : 0)                        \
    WASMC_SIMD_BINARY(wasmc_##S##_ne, U, N, WASMC_X->F[i] != WASMC_Y->F[i] ? -1 : 0)                        \
    WASMC_SIMD_BINARY(wasmc_##S##_lt, U, N, WASMC_X->F[i] < WASMC_Y->F[i] ? -1 : 0)                         \
    WASMC_SIMD_BINARY(wasmc_##S##_gt, U, N, WASMC_X->F[i] > WASMC_Y->F[i] ? -1 : 0)                         \
    WASMC_SIMD_BINARY(wasmc_##S##_le, U, N, WASMC_X->F[i] <= WASMC_Y->F[i] ? -1 : 0)                        \
    WASMC_SIMD_BINARY(wasmc_##S##_ge, U, N, WASMC_X->F[i] >= WASMC_Y->F[i] ? -1 : 0)
#if WASMC_SIMD_SCALAR
WASMC_SIMD_FCMP(f32x4, f, w, 4)
WASMC_SIMD_FCMP(f64x2, g, d, 2)
#else
#define WASMC_SIMD_VFCMP(S, T)                                                                 \
    WASMC_SIMD_VCMP(wasmc_##S##_eq, T, ==) WASMC_SIMD_VCMP(wasmc_##S##_ne, T, !=)              \
    WASMC_SIMD_VCMP(wasmc_##S##_lt, T, <) WASMC_SIMD_VCMP(wasmc_##S##_gt, T, >)                \
    WASMC_SIMD_VCMP(wasmc_##S##_le, T, <=) WASMC_SIMD_VCMP(wasmc_##S##_ge, T, >=)
WASMC_SIMD_VFCMP(f32x4, wasmc_f32x4)
WASMC_SIMD_VFCMP(f64x2, wasmc_f64x2)
#endif

/* ---- integer arithmetic (wrapping on unsigned lanes: no signed overflow in C) ---- */
#define WASMC_SIMD_IARITH(S, U, SG, N, UT, BITS)                                               \
    WASMC_SIMD_UNARY(wasmc_##S##_abs, U, N, WASMC_X->SG[i] < 0 ? (UT)(0u - WASMC_X->U[i]) : WASMC_X->U[i])
WASMC_SIMD_IARITH(i8x16, b, sb, 16, u8, 8)
WASMC_SIMD_IARITH(i16x8, h, sh, 8, u16, 16)
WASMC_SIMD_IARITH(i32x4, w, sw, 4, u32, 32)
WASMC_SIMD_IARITH(i64x2, d, sd, 2, u64, 64)
#if WASMC_SIMD_SCALAR
/* SWAR ("SIMD within a register") on the 64-bit halves: H marks each lane's top bit. Adding
   the lanes without their top bits cannot carry into the next lane; xor puts the top bits
   back. Subtraction borrows from a top bit set beforehand. */
#define WASMC_H8 0x8080808080808080ull
#define WASMC_H16 0x8000800080008000ull
#define WASMC_H32 0x8000000080000000ull
#define WASMC_SWAR_ADD(x, y, H) ((((x) & ~(H)) + ((y) & ~(H))) ^ (((x) ^ (y)) & (H)))
#define WASMC_SWAR_SUB(x, y, H) ((((x) | (H)) - ((y) & ~(H))) ^ (((x) ^ ~(y)) & (H)))
#define WASMC_SWAR_ADD8(x, y) WASMC_SWAR_ADD(x, y, WASMC_H8)
#define WASMC_SWAR_ADD16(x, y) WASMC_SWAR_ADD(x, y, WASMC_H16)
#define WASMC_SWAR_ADD32(x, y) WASMC_SWAR_ADD(x, y, WASMC_H32)
#define WASMC_SWAR_ADD64(x, y) ((x) + (y))
#define WASMC_SWAR_SUB8(x, y) WASMC_SWAR_SUB(x, y, WASMC_H8)
#define WASMC_SWAR_SUB16(x, y) WASMC_SWAR_SUB(x, y, WASMC_H16)
#define WASMC_SWAR_SUB32(x, y) WASMC_SWAR_SUB(x, y, WASMC_H32)
#define WASMC_SWAR_SUB64(x, y) ((x) - (y))
#define WASMC_SWAR_NEG8(x) WASMC_SWAR_SUB8(0, x)
#define WASMC_SWAR_NEG16(x) WASMC_SWAR_SUB16(0, x)
#define WASMC_SWAR_NEG32(x) WASMC_SWAR_SUB32(0, x)
#define WASMC_SWAR_NEG64(x) (0 - (x))
WASMC_SIMD_HALVES2(wasmc_i8x16_add, WASMC_SWAR_ADD8)
WASMC_SIMD_HALVES2(wasmc_i16x8_add, WASMC_SWAR_ADD16)
WASMC_SIMD_HALVES2(wasmc_i32x4_add, WASMC_SWAR_ADD32)
WASMC_SIMD_HALVES2(wasmc_i64x2_add, WASMC_SWAR_ADD64)
WASMC_SIMD_HALVES2(wasmc_i8x16_sub, WASMC_SWAR_SUB8)
WASMC_SIMD_HALVES2(wasmc_i16x8_sub, WASMC_SWAR_SUB16)
WASMC_SIMD_HALVES2(wasmc_i32x4_sub, WASMC_SWAR_SUB32)
WASMC_SIMD_HALVES2(wasmc_i64x2_sub, WASMC_SWAR_SUB64)
WASMC_SIMD_HALVES1(wasmc_i8x16_neg, WASMC_SWAR_NEG8)
WASMC_SIMD_HALVES1(wasmc_i16x8_neg, WASMC_SWAR_NEG16)
WASMC_SIMD_HALVES1(wasmc_i32x4_neg, WASMC_SWAR_NEG32)
WASMC_SIMD_HALVES1(wasmc_i64x2_neg, WASMC_SWAR_NEG64)
/* Shifts on the halves: bits crossing into a neighbouring lane are masked off (M: every
   lane's mask shifted as its value). An arithmetic shift is a logical one of the value with
   its sign bit flipped, minus the flipped bit's shifted weight. REP replicates a lane. */
#define WASMC_SIMD_SWAR_SHIFTS(S, BITS, LANE, H, REP)                                          \
    WASMC_SIMD_FN v128 wasmc_##S##_shl(v128 a, u32 n) {                                        \
        v128 r;                                                                                \
        u64 m;                                                                                 \
        n &= (BITS) - 1;                                                                       \
        m = (u64)(LANE)((LANE)~(LANE)0 << n) * (REP);                                          \
        r.lo = (a.lo << n) & m;                                                                \
        r.hi = (a.hi << n) & m;                                                                \
        return r;                                                                              \
    }                                                                                          \
    WASMC_SIMD_FN v128 wasmc_##S##_shr_u(v128 a, u32 n) {                                      \
        v128 r;                                                                                \
        u64 m;                                                                                 \
        n &= (BITS) - 1;                                                                       \
        m = (u64)(LANE)((LANE)~(LANE)0 >> n) * (REP);                                          \
        r.lo = (a.lo >> n) & m;                                                                \
        r.hi = (a.hi >> n) & m;                                                                \
        return r;                                                                              \
    }                                                                                          \
    WASMC_SIMD_FN v128 wasmc_##S##_shr_s(v128 a, u32 n) {                                      \
        v128 r;                                                                                \
        u64 m, bias;                                                                           \
        n &= (BITS) - 1;                                                                       \
        m = (u64)(LANE)((LANE)~(LANE)0 >> n) * (REP);                                          \
        bias = ((H) >> n) & m;                                                                 \
        r.lo = WASMC_SWAR_SUB(((a.lo ^ (H)) >> n) & m, bias, H);                               \
        r.hi = WASMC_SWAR_SUB(((a.hi ^ (H)) >> n) & m, bias, H);                               \
        return r;                                                                              \
    }
WASMC_SIMD_SWAR_SHIFTS(i8x16, 8, u8, WASMC_H8, 0x0101010101010101ull)
WASMC_SIMD_SWAR_SHIFTS(i16x8, 16, u16, WASMC_H16, 0x0001000100010001ull)
WASMC_SIMD_SWAR_SHIFTS(i32x4, 32, u32, WASMC_H32, 0x0000000100000001ull)
WASMC_SIMD_FN v128 wasmc_i64x2_shl(v128 a, u32 n) { v128 r; n &= 63; r.lo = a.lo << n; r.hi = a.hi << n; return r; }
WASMC_SIMD_FN v128 wasmc_i64x2_shr_u(v128 a, u32 n) { v128 r; n &= 63; r.lo = a.lo >> n; r.hi = a.hi >> n; return r; }
WASMC_SIMD_FN v128 wasmc_i64x2_shr_s(v128 a, u32 n) { v128 r; n &= 63; r.lo = (u64)((s64)a.lo >> n); r.hi = (u64)((s64)a.hi >> n); return r; }
WASMC_SIMD_BINARY(wasmc_i16x8_mul, h, 8, (u16)((u32)WASMC_X->h[i] * WASMC_Y->h[i]))
WASMC_SIMD_BINARY(wasmc_i32x4_mul, w, 4, WASMC_X->w[i] * WASMC_Y->w[i])
WASMC_SIMD_FN v128 wasmc_i64x2_mul(v128 a, v128 b) { v128 r; r.lo = a.lo * b.lo; r.hi = a.hi * b.hi; return r; }
#else
#define WASMC_SIMD_VBIN(NAME, T, OP) WASMC_SIMD_FN v128 NAME(v128 a, v128 b) { return (v128)((T)a OP (T)b); }
#define WASMC_SIMD_VIARITH(S, UT, ST, BITS)                                                    \
    WASMC_SIMD_VBIN(wasmc_##S##_add, UT, +)                                                    \
    WASMC_SIMD_VBIN(wasmc_##S##_sub, UT, -)                                                    \
    WASMC_SIMD_FN v128 wasmc_##S##_neg(v128 a) { return (v128)(-(UT)a); }                      \
    WASMC_SIMD_FN v128 wasmc_##S##_shl(v128 a, u32 n) { return (v128)((UT)a << (n & ((BITS) - 1))); } \
    WASMC_SIMD_FN v128 wasmc_##S##_shr_u(v128 a, u32 n) { return (v128)((UT)a >> (n & ((BITS) - 1))); } \
    WASMC_SIMD_FN v128 wasmc_##S##_shr_s(v128 a, u32 n) { return (v128)((ST)a >> (n & ((BITS) - 1))); }
WASMC_SIMD_VIARITH(i8x16, wasmc_u8x16, wasmc_s8x16, 8)
WASMC_SIMD_VIARITH(i16x8, wasmc_u16x8, wasmc_s16x8, 16)
WASMC_SIMD_VIARITH(i32x4, wasmc_u32x4, wasmc_s32x4, 32)
WASMC_SIMD_VIARITH(i64x2, wasmc_u64x2, wasmc_s64x2, 64)
WASMC_SIMD_VBIN(wasmc_i16x8_mul, wasmc_u16x8, *)
WASMC_SIMD_VBIN(wasmc_i32x4_mul, wasmc_u32x4, *)
WASMC_SIMD_VBIN(wasmc_i64x2_mul, wasmc_u64x2, *)
#endif

#define WASMC_SIMD_MINMAX_AVG(S, U, SG, N)                                                     \
    WASMC_SIMD_BINARY(wasmc_##S##_min_s, SG, N, WASMC_X->SG[i] < WASMC_Y->SG[i] ? WASMC_X->SG[i] : WASMC_Y->SG[i])        \
    WASMC_SIMD_BINARY(wasmc_##S##_max_s, SG, N, WASMC_X->SG[i] > WASMC_Y->SG[i] ? WASMC_X->SG[i] : WASMC_Y->SG[i])        \
    WASMC_SIMD_BINARY(wasmc_##S##_min_u, U, N, WASMC_X->U[i] < WASMC_Y->U[i] ? WASMC_X->U[i] : WASMC_Y->U[i])             \
    WASMC_SIMD_BINARY(wasmc_##S##_max_u, U, N, WASMC_X->U[i] > WASMC_Y->U[i] ? WASMC_X->U[i] : WASMC_Y->U[i])
#if WASMC_SIMD_SCALAR
WASMC_SIMD_MINMAX_AVG(i8x16, b, sb, 16)
WASMC_SIMD_MINMAX_AVG(i16x8, h, sh, 8)
WASMC_SIMD_MINMAX_AVG(i32x4, w, sw, 4)
#else
/* Select by a comparison mask (C has no vector ?:). */
#define WASMC_SIMD_VSEL(NAME, T, OP)                                                           \
    WASMC_SIMD_FN v128 NAME(v128 a, v128 b) { v128 m = (v128)((T)a OP (T)b); return (a & m) | (b & ~m); }
#define WASMC_SIMD_VMINMAX(S, ST, UT)                                                          \
    WASMC_SIMD_VSEL(wasmc_##S##_min_s, ST, <) WASMC_SIMD_VSEL(wasmc_##S##_max_s, ST, >)        \
    WASMC_SIMD_VSEL(wasmc_##S##_min_u, UT, <) WASMC_SIMD_VSEL(wasmc_##S##_max_u, UT, >)
WASMC_SIMD_VMINMAX(i8x16, wasmc_s8x16, wasmc_u8x16)
WASMC_SIMD_VMINMAX(i16x8, wasmc_s16x8, wasmc_u16x8)
WASMC_SIMD_VMINMAX(i32x4, wasmc_s32x4, wasmc_u32x4)
#endif
WASMC_SIMD_BINARY(wasmc_i8x16_avgr_u, b, 16, (u8)(((u32)WASMC_X->b[i] + WASMC_Y->b[i] + 1) >> 1))
WASMC_SIMD_BINARY(wasmc_i16x8_avgr_u, h, 8, (u16)(((u32)WASMC_X->h[i] + WASMC_Y->h[i] + 1) >> 1))

/* Saturating arithmetic: exact in int, then clamped. */
WASMC_SIMD_BINARY(wasmc_i8x16_add_sat_s, sb, 16, (s8)wasmc_simd_clamp((s32)WASMC_X->sb[i] + WASMC_Y->sb[i], -128, 127))
WASMC_SIMD_BINARY(wasmc_i8x16_add_sat_u, b, 16, (u8)wasmc_simd_clamp((s32)WASMC_X->b[i] + WASMC_Y->b[i], 0, 255))
WASMC_SIMD_BINARY(wasmc_i8x16_sub_sat_s, sb, 16, (s8)wasmc_simd_clamp((s32)WASMC_X->sb[i] - WASMC_Y->sb[i], -128, 127))
WASMC_SIMD_BINARY(wasmc_i8x16_sub_sat_u, b, 16, (u8)wasmc_simd_clamp((s32)WASMC_X->b[i] - WASMC_Y->b[i], 0, 255))
WASMC_SIMD_BINARY(wasmc_i16x8_add_sat_s, sh, 8, (s16)wasmc_simd_clamp((s32)WASMC_X->sh[i] + WASMC_Y->sh[i], -32768, 32767))
WASMC_SIMD_BINARY(wasmc_i16x8_add_sat_u, h, 8, (u16)wasmc_simd_clamp((s32)WASMC_X->h[i] + WASMC_Y->h[i], 0, 65535))
WASMC_SIMD_BINARY(wasmc_i16x8_sub_sat_s, sh, 8, (s16)wasmc_simd_clamp((s32)WASMC_X->sh[i] - WASMC_Y->sh[i], -32768, 32767))
WASMC_SIMD_BINARY(wasmc_i16x8_sub_sat_u, h, 8, (u16)wasmc_simd_clamp((s32)WASMC_X->h[i] - WASMC_Y->h[i], 0, 65535))
/* (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows. */
WASMC_SIMD_BINARY(wasmc_i16x8_q15mulr_sat_s, sh, 8, (s16)wasmc_simd_clamp(((s32)WASMC_X->sh[i] * WASMC_Y->sh[i] + 0x4000) >> 15, -32768, 32767))
/* Relaxed: the deterministic choice is q15mulr_sat_s. */
#define wasmc_i16x8_relaxed_q15mulr_s(a, b) wasmc_i16x8_q15mulr_sat_s(a, b)

WASMC_SIMD_UNARY(wasmc_i8x16_popcnt, b, 16,
                 (u8)(((WASMC_X->b[i] & 1) + ((WASMC_X->b[i] >> 1) & 1) + ((WASMC_X->b[i] >> 2) & 1) + ((WASMC_X->b[i] >> 3) & 1) +
                       ((WASMC_X->b[i] >> 4) & 1) + ((WASMC_X->b[i] >> 5) & 1) + ((WASMC_X->b[i] >> 6) & 1) + (WASMC_X->b[i] >> 7))))

/* ---- narrowing (signed input, saturated), widening, pairwise, extended multiplication ---- */
WASMC_SIMD_BINARY(wasmc_i8x16_narrow_i16x8_s, sb, 16, (s8)wasmc_simd_clamp(i < 8 ? WASMC_X->sh[i] : WASMC_Y->sh[i - 8], -128, 127))
WASMC_SIMD_BINARY(wasmc_i8x16_narrow_i16x8_u, b, 16, (u8)wasmc_simd_clamp(i < 8 ? WASMC_X->sh[i] : WASMC_Y->sh[i - 8], 0, 255))
WASMC_SIMD_FN s32 wasmc_simd_clamp16(s32 x, int is_signed) { return is_signed ? wasmc_simd_clamp(x, -32768, 32767) : wasmc_simd_clamp(x, 0, 65535); }
WASMC_SIMD_BINARY(wasmc_i16x8_narrow_i32x4_s, sh, 8, (s16)wasmc_simd_clamp16(i < 4 ? WASMC_X->sw[i] : WASMC_Y->sw[i - 4], 1))
WASMC_SIMD_BINARY(wasmc_i16x8_narrow_i32x4_u, h, 8, (u16)wasmc_simd_clamp16(i < 4 ? WASMC_X->sw[i] : WASMC_Y->sw[i - 4], 0))

#define WASMC_SIMD_EXTEND(S, FROM, R, N, SF, UF)                                               \
    WASMC_SIMD_UNARY(wasmc_##S##_extend_low_##FROM##_s, R, N, WASMC_X->SF[i])                         \
    WASMC_SIMD_UNARY(wasmc_##S##_extend_high_##FROM##_s, R, N, WASMC_X->SF[i + (N)])                  \
    WASMC_SIMD_UNARY(wasmc_##S##_extend_low_##FROM##_u, R, N, WASMC_X->UF[i])                         \
    WASMC_SIMD_UNARY(wasmc_##S##_extend_high_##FROM##_u, R, N, WASMC_X->UF[i + (N)])
#if WASMC_SIMD_SCALAR || !(defined(__clang__) || __GNUC__ >= 12)
WASMC_SIMD_EXTEND(i16x8, i8x16, sh, 8, sb, b)
WASMC_SIMD_EXTEND(i32x4, i16x8, sw, 4, sh, h)
WASMC_SIMD_EXTEND(i64x2, i32x4, sd, 2, sw, w)
#else
/* Half a vector (__builtin_shufflevector), converted lane by lane to the wider type. */
typedef s8 wasmc_s8x8 __attribute__((vector_size(8)));
typedef u8 wasmc_u8x8 __attribute__((vector_size(8)));
typedef s16 wasmc_s16x4 __attribute__((vector_size(8)));
typedef u16 wasmc_u16x4 __attribute__((vector_size(8)));
#define WASMC_SIMD_VEXT(NAME, FROM, TO, ...)                                                   \
    WASMC_SIMD_FN v128 NAME(v128 a) { return (v128)__builtin_convertvector(__builtin_shufflevector((FROM)a, (FROM)a, __VA_ARGS__), TO); }
WASMC_SIMD_VEXT(wasmc_i16x8_extend_low_i8x16_s, wasmc_s8x16, wasmc_s16x8, 0, 1, 2, 3, 4, 5, 6, 7)
WASMC_SIMD_VEXT(wasmc_i16x8_extend_high_i8x16_s, wasmc_s8x16, wasmc_s16x8, 8, 9, 10, 11, 12, 13, 14, 15)
WASMC_SIMD_VEXT(wasmc_i16x8_extend_low_i8x16_u, wasmc_u8x16, wasmc_u16x8, 0, 1, 2, 3, 4, 5, 6, 7)
WASMC_SIMD_VEXT(wasmc_i16x8_extend_high_i8x16_u, wasmc_u8x16, wasmc_u16x8, 8, 9, 10, 11, 12, 13, 14, 15)
WASMC_SIMD_VEXT(wasmc_i32x4_extend_low_i16x8_s, wasmc_s16x8, wasmc_s32x4, 0, 1, 2, 3)
WASMC_SIMD_VEXT(wasmc_i32x4_extend_high_i16x8_s, wasmc_s16x8, wasmc_s32x4, 4, 5, 6, 7)
WASMC_SIMD_VEXT(wasmc_i32x4_extend_low_i16x8_u, wasmc_u16x8, wasmc_u32x4, 0, 1, 2, 3)
WASMC_SIMD_VEXT(wasmc_i32x4_extend_high_i16x8_u, wasmc_u16x8, wasmc_u32x4, 4, 5, 6, 7)
/* 32 → 64 bits: each lane interleaved with its sign (x >> 31) or zero, one punpck[lh]dq
   (pmovzxdq where the level has it). The half-vector form above crashes gcc 12 (internal
   compiler error in veclower2, tree_vec_extract) on the low half of a vector built lane by
   lane and live across wasmc_try (Tests/WasmcTests/SimdOptimizeICETests.swift), and gcc 12
   compiles it lane by lane through general registers anyway. */
WASMC_SIMD_FN v128 wasmc_i64x2_extend_low_i32x4_s(v128 a) { wasmc_s32x4 x = (wasmc_s32x4)a; return (v128)__builtin_shufflevector(x, x >> 31, 0, 4, 1, 5); }
WASMC_SIMD_FN v128 wasmc_i64x2_extend_high_i32x4_s(v128 a) { wasmc_s32x4 x = (wasmc_s32x4)a; return (v128)__builtin_shufflevector(x, x >> 31, 2, 6, 3, 7); }
WASMC_SIMD_FN v128 wasmc_i64x2_extend_low_i32x4_u(v128 a) { return (v128)__builtin_shufflevector((wasmc_u32x4)a, (wasmc_u32x4){ 0, 0, 0, 0 }, 0, 4, 1, 5); }
WASMC_SIMD_FN v128 wasmc_i64x2_extend_high_i32x4_u(v128 a) { return (v128)__builtin_shufflevector((wasmc_u32x4)a, (wasmc_u32x4){ 0, 0, 0, 0 }, 2, 6, 3, 7); }
#endif

WASMC_SIMD_UNARY(wasmc_i16x8_extadd_pairwise_i8x16_s, sh, 8, (s16)(WASMC_X->sb[2 * i] + WASMC_X->sb[2 * i + 1]))
WASMC_SIMD_UNARY(wasmc_i16x8_extadd_pairwise_i8x16_u, h, 8, (u16)(WASMC_X->b[2 * i] + WASMC_X->b[2 * i + 1]))
WASMC_SIMD_UNARY(wasmc_i32x4_extadd_pairwise_i16x8_s, sw, 4, (s32)WASMC_X->sh[2 * i] + WASMC_X->sh[2 * i + 1])
WASMC_SIMD_UNARY(wasmc_i32x4_extadd_pairwise_i16x8_u, w, 4, (u32)WASMC_X->h[2 * i] + WASMC_X->h[2 * i + 1])

/* Products are formed in the unsigned type of the result width: they wrap, never overflow. */
#define WASMC_SIMD_EXTMUL(S, FROM, R, N, RT, SF, UF)                                           \
    WASMC_SIMD_BINARY(wasmc_##S##_extmul_low_##FROM##_s, R, N, (RT)WASMC_X->SF[i] * (RT)WASMC_Y->SF[i])      \
    WASMC_SIMD_BINARY(wasmc_##S##_extmul_high_##FROM##_s, R, N, (RT)WASMC_X->SF[i + (N)] * (RT)WASMC_Y->SF[i + (N)]) \
    WASMC_SIMD_BINARY(wasmc_##S##_extmul_low_##FROM##_u, R, N, (RT)WASMC_X->UF[i] * (RT)WASMC_Y->UF[i])      \
    WASMC_SIMD_BINARY(wasmc_##S##_extmul_high_##FROM##_u, R, N, (RT)WASMC_X->UF[i + (N)] * (RT)WASMC_Y->UF[i + (N)])
WASMC_SIMD_EXTMUL(i16x8, i8x16, h, 8, u32, sb, b)
WASMC_SIMD_EXTMUL(i32x4, i16x8, w, 4, u32, sh, h)
WASMC_SIMD_EXTMUL(i64x2, i32x4, d, 2, u64, sw, w)

/* i32x4.dot: the sum of two products wraps (only -32768 * -32768 * 2 does). */
WASMC_SIMD_BINARY(wasmc_i32x4_dot_i16x8_s, w, 4,
                  (u32)((s32)WASMC_X->sh[2 * i] * WASMC_Y->sh[2 * i]) + (u32)((s32)WASMC_X->sh[2 * i + 1] * WASMC_Y->sh[2 * i + 1]))
/* Relaxed dot products: the deterministic choice reads both operands as signed bytes and
   wraps (the spec's "signed * signed" result; the i7 range of the second operand makes every
   choice agree). */
WASMC_SIMD_BINARY(wasmc_i16x8_relaxed_dot_i8x16_i7x16_s, h, 8,
                  (u16)((u32)((s32)WASMC_X->sb[2 * i] * WASMC_Y->sb[2 * i]) + (u32)((s32)WASMC_X->sb[2 * i + 1] * WASMC_Y->sb[2 * i + 1])))
WASMC_SIMD_TERNARY(wasmc_i32x4_relaxed_dot_i8x16_i7x16_add_s, w, 4,
                   (u32)((s32)WASMC_X->sb[4 * i] * WASMC_Y->sb[4 * i]) + (u32)((s32)WASMC_X->sb[4 * i + 1] * WASMC_Y->sb[4 * i + 1]) +
                       (u32)((s32)WASMC_X->sb[4 * i + 2] * WASMC_Y->sb[4 * i + 2]) + (u32)((s32)WASMC_X->sb[4 * i + 3] * WASMC_Y->sb[4 * i + 3]) + WASMC_Z->w[i])

/* ---- float arithmetic ---- */
#define WASMC_SIMD_FARITH(S, F, U, N, FT, SIGN)                                                \
    WASMC_SIMD_BINARY(wasmc_##S##_min, F, N, wasmc_simd_##FT##_min(WASMC_X->F[i], WASMC_Y->F[i]))            \
    WASMC_SIMD_BINARY(wasmc_##S##_max, F, N, wasmc_simd_##FT##_max(WASMC_X->F[i], WASMC_Y->F[i]))            \
    WASMC_SIMD_BINARY(wasmc_##S##_pmin, F, N, WASMC_Y->F[i] < WASMC_X->F[i] ? WASMC_Y->F[i] : WASMC_X->F[i])               \
    WASMC_SIMD_BINARY(wasmc_##S##_pmax, F, N, WASMC_X->F[i] < WASMC_Y->F[i] ? WASMC_Y->F[i] : WASMC_X->F[i])               \
    WASMC_SIMD_UNARY(wasmc_##S##_abs, U, N, WASMC_X->U[i] & ~(SIGN))                                  \
    WASMC_SIMD_UNARY(wasmc_##S##_neg, U, N, WASMC_X->U[i] ^ (SIGN))                                   \
    WASMC_SIMD_UNARY(wasmc_##S##_nearest, F, N, wasmc_simd_##FT##_round(WASMC_X->F[i], 0))            \
    WASMC_SIMD_UNARY(wasmc_##S##_ceil, F, N, wasmc_simd_##FT##_round(WASMC_X->F[i], 1))               \
    WASMC_SIMD_UNARY(wasmc_##S##_floor, F, N, wasmc_simd_##FT##_round(WASMC_X->F[i], 2))              \
    WASMC_SIMD_UNARY(wasmc_##S##_trunc, F, N, wasmc_simd_##FT##_round(WASMC_X->F[i], 3))
WASMC_SIMD_FARITH(f32x4, f, w, 4, f32, 0x80000000u)
WASMC_SIMD_FARITH(f64x2, g, d, 2, f64, 0x8000000000000000ull)
#if WASMC_SIMD_SCALAR
/* Written out lane by lane (tcc does not unroll), each lane addressed from the frame: no
   pointer variables for tcc to spill and reload. */
#define WASMC_SIMD_F4(NAME, OP)                                                                \
    WASMC_SIMD_FN v128 NAME(v128 a, v128 b) {                                                  \
        v128 r;                                                                                \
        WASMC_L(r)->f[0] = WASMC_L(a)->f[0] OP WASMC_L(b)->f[0];                               \
        WASMC_L(r)->f[1] = WASMC_L(a)->f[1] OP WASMC_L(b)->f[1];                               \
        WASMC_L(r)->f[2] = WASMC_L(a)->f[2] OP WASMC_L(b)->f[2];                               \
        WASMC_L(r)->f[3] = WASMC_L(a)->f[3] OP WASMC_L(b)->f[3];                               \
        return r;                                                                              \
    }
#define WASMC_SIMD_F2(NAME, OP)                                                                \
    WASMC_SIMD_FN v128 NAME(v128 a, v128 b) {                                                  \
        v128 r;                                                                                \
        WASMC_L(r)->g[0] = WASMC_L(a)->g[0] OP WASMC_L(b)->g[0];                               \
        WASMC_L(r)->g[1] = WASMC_L(a)->g[1] OP WASMC_L(b)->g[1];                               \
        return r;                                                                              \
    }
#else
#define WASMC_SIMD_F4(NAME, OP) WASMC_SIMD_VBIN(NAME, wasmc_f32x4, OP)
#define WASMC_SIMD_F2(NAME, OP) WASMC_SIMD_VBIN(NAME, wasmc_f64x2, OP)
#endif
WASMC_SIMD_F4(wasmc_f32x4_add, +)
WASMC_SIMD_F4(wasmc_f32x4_sub, -)
WASMC_SIMD_F4(wasmc_f32x4_mul, *)
WASMC_SIMD_F4(wasmc_f32x4_div, /)
WASMC_SIMD_F2(wasmc_f64x2_add, +)
WASMC_SIMD_F2(wasmc_f64x2_sub, -)
WASMC_SIMD_F2(wasmc_f64x2_mul, *)
WASMC_SIMD_F2(wasmc_f64x2_div, /)

/* Relaxed min/max: the deterministic choice is the plain min/max. Relaxed madd/nmadd: an
   unfused multiply then add (x86-64 without FMA does the same in one tier as in the other). */
#define wasmc_f32x4_relaxed_min(a, b) wasmc_f32x4_min(a, b)
#define wasmc_f32x4_relaxed_max(a, b) wasmc_f32x4_max(a, b)
#define wasmc_f64x2_relaxed_min(a, b) wasmc_f64x2_min(a, b)
#define wasmc_f64x2_relaxed_max(a, b) wasmc_f64x2_max(a, b)
WASMC_SIMD_TERNARY(wasmc_f32x4_relaxed_madd, f, 4, WASMC_X->f[i] * WASMC_Y->f[i] + WASMC_Z->f[i])
WASMC_SIMD_TERNARY(wasmc_f32x4_relaxed_nmadd, f, 4, -(WASMC_X->f[i] * WASMC_Y->f[i]) + WASMC_Z->f[i])
WASMC_SIMD_TERNARY(wasmc_f64x2_relaxed_madd, g, 2, WASMC_X->g[i] * WASMC_Y->g[i] + WASMC_Z->g[i])
WASMC_SIMD_TERNARY(wasmc_f64x2_relaxed_nmadd, g, 2, -(WASMC_X->g[i] * WASMC_Y->g[i]) + WASMC_Z->g[i])

/* sqrt: the SSE instruction on the whole vector (correctly rounded). tcc's assembler knows no
   SSE mnemonics, so it gets the bytes (movups (%rdi),%xmm0; sqrtps %xmm0,%xmm0;
   movups %xmm0,(%rsi); the pd forms for f64x2). */
#if defined(__x86_64__) && defined(__TINYC__)
WASMC_SIMD_FN v128 wasmc_f32x4_sqrt(v128 a) {
    v128 r;
    __asm__ __volatile__(".byte 0x0f,0x10,0x07, 0x0f,0x51,0xc0, 0x0f,0x11,0x06" : : "D"(&a), "S"(&r) : "memory");
    return r;
}
WASMC_SIMD_FN v128 wasmc_f64x2_sqrt(v128 a) {
    v128 r;
    __asm__ __volatile__(".byte 0x66,0x0f,0x10,0x07, 0x66,0x0f,0x51,0xc0, 0x66,0x0f,0x11,0x06" : : "D"(&a), "S"(&r) : "memory");
    return r;
}
#elif defined(__x86_64__) && WASMC_SIMD_SCALAR
WASMC_SIMD_UNARY(wasmc_f32x4_sqrt, f, 4, ({ f32 s_; __asm__("sqrtss %1, %0" : "=x"(s_) : "x"(WASMC_X->f[i])); s_; }))
WASMC_SIMD_UNARY(wasmc_f64x2_sqrt, g, 2, ({ f64 s_; __asm__("sqrtsd %1, %0" : "=x"(s_) : "x"(WASMC_X->g[i])); s_; }))
#elif defined(__x86_64__)
WASMC_SIMD_FN v128 wasmc_f32x4_sqrt(v128 a) {
    return (v128)__builtin_ia32_sqrtps((wasmc_f32x4)a);
}
WASMC_SIMD_FN v128 wasmc_f64x2_sqrt(v128 a) {
    return (v128)__builtin_ia32_sqrtpd((wasmc_f64x2)a);
}
#else
WASMC_SIMD_UNARY(wasmc_f32x4_sqrt, f, 4, __builtin_sqrtf(WASMC_X->f[i]))
WASMC_SIMD_UNARY(wasmc_f64x2_sqrt, g, 2, __builtin_sqrt(WASMC_X->g[i]))
#endif

/* ---- conversions ---- */
WASMC_SIMD_UNARY(wasmc_i32x4_trunc_sat_f32x4_s, w, 4, wasmc_simd_sat_s32(WASMC_X->f[i]))
WASMC_SIMD_UNARY(wasmc_i32x4_trunc_sat_f32x4_u, w, 4, wasmc_simd_sat_u32(WASMC_X->f[i]))
WASMC_SIMD_UNARY(wasmc_i32x4_trunc_sat_f64x2_s_zero, w, 4, i < 2 ? wasmc_simd_sat_s32(WASMC_X->g[i]) : 0)
WASMC_SIMD_UNARY(wasmc_i32x4_trunc_sat_f64x2_u_zero, w, 4, i < 2 ? wasmc_simd_sat_u32(WASMC_X->g[i]) : 0)
/* Relaxed truncations: the deterministic choice is the saturating one. */
#define wasmc_i32x4_relaxed_trunc_f32x4_s(a) wasmc_i32x4_trunc_sat_f32x4_s(a)
#define wasmc_i32x4_relaxed_trunc_f32x4_u(a) wasmc_i32x4_trunc_sat_f32x4_u(a)
#define wasmc_i32x4_relaxed_trunc_f64x2_s_zero(a) wasmc_i32x4_trunc_sat_f64x2_s_zero(a)
#define wasmc_i32x4_relaxed_trunc_f64x2_u_zero(a) wasmc_i32x4_trunc_sat_f64x2_u_zero(a)
WASMC_SIMD_UNARY(wasmc_f32x4_convert_i32x4_s, f, 4, (f32)WASMC_X->sw[i])
/* Through a signed 64-bit conversion: one rounding. */
WASMC_SIMD_UNARY(wasmc_f32x4_convert_i32x4_u, f, 4, (f32)(s64)WASMC_X->w[i])
WASMC_SIMD_UNARY(wasmc_f64x2_convert_low_i32x4_s, g, 2, (f64)WASMC_X->sw[i])
WASMC_SIMD_UNARY(wasmc_f64x2_convert_low_i32x4_u, g, 2, (f64)WASMC_X->w[i])
WASMC_SIMD_UNARY(wasmc_f32x4_demote_f64x2_zero, f, 4, i < 2 ? (f32)WASMC_X->g[i] : 0.0f)
WASMC_SIMD_UNARY(wasmc_f64x2_promote_low_f32x4, g, 2, (f64)WASMC_X->f[i])

#if WASMC_SIMD_SCALAR
/* ---- half forms (tcc tier, docs/simd.md "Halves"): the lowering keeps a v128 value as its two
   u64 halves and computes a lane-independent operation (OpcodeInfo.halves) once per half:
   wasmc_h_<name>(a, b, ...) is one half of wasmc_<name> from the same half of each vector
   operand, scalars passed as to the whole form. Macros: an operand used twice is bound once in
   a statement expression (scalar variables cost tcc nothing like a v128 struct's memmove). ---- */
typedef union {
    u64 d;
    u32 w[2];
    u16 h[4];
    u8 b[8];
    s32 sw[2];
    s16 sh[4];
    s8 sb[8];
    f32 f[2];
    f64 g;
} wasmc_half;
#define wasmc_h_v128_not(a) (~(u64)(a))
#define wasmc_h_v128_and(a, b) ((u64)(a) & (u64)(b))
#define wasmc_h_v128_andnot(a, b) ((u64)(a) & ~(u64)(b))
#define wasmc_h_v128_or(a, b) ((u64)(a) | (u64)(b))
#define wasmc_h_v128_xor(a, b) ((u64)(a) ^ (u64)(b))
#define wasmc_h_v128_bitselect(a, b, m) ({ u64 a_ = (a), b_ = (b), m_ = (m); (a_ & m_) | (b_ & ~m_); })
#define wasmc_h_i8x16_relaxed_laneselect(a, b, m) wasmc_h_v128_bitselect(a, b, m)
#define wasmc_h_i16x8_relaxed_laneselect(a, b, m) wasmc_h_v128_bitselect(a, b, m)
#define wasmc_h_i32x4_relaxed_laneselect(a, b, m) wasmc_h_v128_bitselect(a, b, m)
#define wasmc_h_i64x2_relaxed_laneselect(a, b, m) wasmc_h_v128_bitselect(a, b, m)

#define WASMC_H_SWAR2(a, b, E) ({ u64 a_ = (a), b_ = (b); E(a_, b_); })
#define wasmc_h_i8x16_add(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_ADD8)
#define wasmc_h_i16x8_add(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_ADD16)
#define wasmc_h_i32x4_add(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_ADD32)
#define wasmc_h_i64x2_add(a, b) ((u64)(a) + (u64)(b))
#define wasmc_h_i8x16_sub(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_SUB8)
#define wasmc_h_i16x8_sub(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_SUB16)
#define wasmc_h_i32x4_sub(a, b) WASMC_H_SWAR2(a, b, WASMC_SWAR_SUB32)
#define wasmc_h_i64x2_sub(a, b) ((u64)(a) - (u64)(b))
#define wasmc_h_i8x16_neg(a) ({ u64 b_ = (a); WASMC_SWAR_NEG8(b_); })
#define wasmc_h_i16x8_neg(a) ({ u64 b_ = (a); WASMC_SWAR_NEG16(b_); })
#define wasmc_h_i32x4_neg(a) ({ u64 b_ = (a); WASMC_SWAR_NEG32(b_); })
#define wasmc_h_i64x2_neg(a) (0 - (u64)(a))
#define wasmc_h_i32x4_mul(a, b) ({ u64 a_ = (a), b_ = (b); (u64)((u32)a_ * (u32)b_) | (u64)((u32)(a_ >> 32) * (u32)(b_ >> 32)) << 32; })
#define wasmc_h_i64x2_mul(a, b) ((u64)(a) * (u64)(b))
/* Shifts: as the whole forms, with the lane mask M of the shifted lanes. */
#define WASMC_H_SHIFT(a, n, BITS, LANE, REP, OP)                                               \
    ({ u64 a_ = (a); u32 n_ = (u32)(n) & ((BITS) - 1); (a_ OP n_) & ((u64)(LANE)((LANE)~(LANE)0 OP n_) * (REP)); })
#define wasmc_h_i8x16_shl(a, n) WASMC_H_SHIFT(a, n, 8, u8, 0x0101010101010101ull, <<)
#define wasmc_h_i16x8_shl(a, n) WASMC_H_SHIFT(a, n, 16, u16, 0x0001000100010001ull, <<)
#define wasmc_h_i32x4_shl(a, n) WASMC_H_SHIFT(a, n, 32, u32, 0x0000000100000001ull, <<)
#define wasmc_h_i64x2_shl(a, n) ((u64)(a) << ((u32)(n) & 63))
#define wasmc_h_i8x16_shr_u(a, n) WASMC_H_SHIFT(a, n, 8, u8, 0x0101010101010101ull, >>)
#define wasmc_h_i16x8_shr_u(a, n) WASMC_H_SHIFT(a, n, 16, u16, 0x0001000100010001ull, >>)
#define wasmc_h_i32x4_shr_u(a, n) WASMC_H_SHIFT(a, n, 32, u32, 0x0000000100000001ull, >>)
#define wasmc_h_i64x2_shr_u(a, n) ((u64)(a) >> ((u32)(n) & 63))
#define wasmc_h_i32x4_shr_s(a, n)                                                              \
    ({ u64 a_ = (a); u32 n_ = (u32)(n) & 31; (u64)(u32)((s32)(u32)a_ >> n_) | (u64)(u32)((s32)(u32)(a_ >> 32) >> n_) << 32; })
#define wasmc_h_i64x2_shr_s(a, n) ((u64)((s64)(u64)(a) >> ((u32)(n) & 63)))
#define wasmc_h_i32x4_eq(a, b) ({ u64 a_ = (a), b_ = (b); (u64)-(u32)((u32)a_ == (u32)b_) | (u64)-(u32)((a_ >> 32) == (b_ >> 32)) << 32; })
#define wasmc_h_i32x4_ne(a, b) (~wasmc_h_i32x4_eq(a, b))
#define wasmc_h_i64x2_eq(a, b) ((u64)-(s64)((u64)(a) == (u64)(b)))
#define wasmc_h_i64x2_ne(a, b) ((u64)-(s64)((u64)(a) != (u64)(b)))

#define wasmc_h_i8x16_splat(x) ((u64)(u8)(x) * 0x0101010101010101ull)
#define wasmc_h_i16x8_splat(x) ((u64)(u16)(x) * 0x0001000100010001ull)
#define wasmc_h_i32x4_splat(x) ((u64)(u32)(x) * 0x0000000100000001ull)
#define wasmc_h_i64x2_splat(x) ((u64)(x))
#define wasmc_h_f32x4_splat(x) ({ wasmc_half s_; s_.f[0] = (x); s_.f[1] = s_.f[0]; s_.d; })
#define wasmc_h_f64x2_splat(x) ({ wasmc_half s_; s_.g = (x); s_.d; })

/* Lanes: `k` is the lane within the half (the lowering picks the half). A replaced half still
   evaluates v: its read may be what traps. */
#define wasmc_h_i8x16_extract_lane_s(v, k) ((u32)(s32)(s8)(u8)((u64)(v) >> (8 * (k))))
#define wasmc_h_i8x16_extract_lane_u(v, k) ((u32)(u8)((u64)(v) >> (8 * (k))))
#define wasmc_h_i16x8_extract_lane_s(v, k) ((u32)(s32)(s16)(u16)((u64)(v) >> (16 * (k))))
#define wasmc_h_i16x8_extract_lane_u(v, k) ((u32)(u16)((u64)(v) >> (16 * (k))))
#define wasmc_h_i32x4_extract_lane(v, k) ((u32)((u64)(v) >> (32 * (k))))
#define wasmc_h_i64x2_extract_lane(v, k) ((u64)(v))
#define wasmc_h_f32x4_extract_lane(v, k) ({ wasmc_half s_; s_.d = (v); s_.f[k]; })
#define wasmc_h_f64x2_extract_lane(v, k) ({ wasmc_half s_; s_.d = (v); s_.g; })
#define WASMC_H_REPLACE(v, k, x, F, T) ({ wasmc_half s_; s_.d = (v); s_.F[k] = (T)(x); s_.d; })
/* Integer lanes with masks: a narrow store into wasmc_half read back whole misses store-to-load
   forwarding (as the extends below). */
#define WASMC_H_REPLACE_INT(v, k, x, T, BITS)                                                  \
    ({ u64 v_ = (v); T x_ = (T)(x);                                                            \
       (v_ & ~((u64)(T)-1 << ((BITS) * (k)))) | (u64)x_ << ((BITS) * (k)); })
#define wasmc_h_i8x16_replace_lane(v, k, x) WASMC_H_REPLACE_INT(v, k, x, u8, 8)
#define wasmc_h_i16x8_replace_lane(v, k, x) WASMC_H_REPLACE_INT(v, k, x, u16, 16)
#define wasmc_h_i32x4_replace_lane(v, k, x) WASMC_H_REPLACE_INT(v, k, x, u32, 32)
#define wasmc_h_i64x2_replace_lane(v, k, x) ({ wasmc_half s_; s_.d = (v); s_.d = (u64)(x); s_.d; })
#define wasmc_h_f32x4_replace_lane(v, k, x) WASMC_H_REPLACE(v, k, x, f, f32)
#define wasmc_h_f64x2_replace_lane(v, k, x) ({ wasmc_half s_; s_.d = (v); s_.g = (x); s_.d; })

/* Floats: the lanes of a half through wasmc_half, the same C per lane as the whole forms. */
#define WASMC_H_F2(a, b, E) ({ wasmc_half x_, y_; x_.d = (a); y_.d = (b); x_.f[0] = E(x_.f[0], y_.f[0]); x_.f[1] = E(x_.f[1], y_.f[1]); x_.d; })
#define WASMC_H_G2(a, b, E) ({ wasmc_half x_, y_; x_.d = (a); y_.d = (b); x_.g = E(x_.g, y_.g); x_.d; })
#define WASMC_H_ADD(x, y) ((x) + (y))
#define WASMC_H_SUB(x, y) ((x) - (y))
#define WASMC_H_MUL(x, y) ((x) * (y))
#define WASMC_H_DIV(x, y) ((x) / (y))
#define WASMC_H_PMIN(x, y) ((y) < (x) ? (y) : (x))
#define WASMC_H_PMAX(x, y) ((x) < (y) ? (y) : (x))
#define wasmc_h_f32x4_add(a, b) WASMC_H_F2(a, b, WASMC_H_ADD)
#define wasmc_h_f32x4_sub(a, b) WASMC_H_F2(a, b, WASMC_H_SUB)
#define wasmc_h_f32x4_mul(a, b) WASMC_H_F2(a, b, WASMC_H_MUL)
#define wasmc_h_f32x4_div(a, b) WASMC_H_F2(a, b, WASMC_H_DIV)
#define wasmc_h_f32x4_min(a, b) WASMC_H_F2(a, b, wasmc_simd_f32_min)
#define wasmc_h_f32x4_max(a, b) WASMC_H_F2(a, b, wasmc_simd_f32_max)
#define wasmc_h_f32x4_pmin(a, b) WASMC_H_F2(a, b, WASMC_H_PMIN)
#define wasmc_h_f32x4_pmax(a, b) WASMC_H_F2(a, b, WASMC_H_PMAX)
#define wasmc_h_f64x2_add(a, b) WASMC_H_G2(a, b, WASMC_H_ADD)
#define wasmc_h_f64x2_sub(a, b) WASMC_H_G2(a, b, WASMC_H_SUB)
#define wasmc_h_f64x2_mul(a, b) WASMC_H_G2(a, b, WASMC_H_MUL)
#define wasmc_h_f64x2_div(a, b) WASMC_H_G2(a, b, WASMC_H_DIV)
#define wasmc_h_f64x2_min(a, b) WASMC_H_G2(a, b, wasmc_simd_f64_min)
#define wasmc_h_f64x2_max(a, b) WASMC_H_G2(a, b, wasmc_simd_f64_max)
#define wasmc_h_f64x2_pmin(a, b) WASMC_H_G2(a, b, WASMC_H_PMIN)
#define wasmc_h_f64x2_pmax(a, b) WASMC_H_G2(a, b, WASMC_H_PMAX)
#define wasmc_h_f32x4_relaxed_min(a, b) wasmc_h_f32x4_min(a, b)
#define wasmc_h_f32x4_relaxed_max(a, b) wasmc_h_f32x4_max(a, b)
#define wasmc_h_f64x2_relaxed_min(a, b) wasmc_h_f64x2_min(a, b)
#define wasmc_h_f64x2_relaxed_max(a, b) wasmc_h_f64x2_max(a, b)
#define wasmc_h_f32x4_neg(a) ((u64)(a) ^ 0x8000000080000000ull)
#define wasmc_h_f32x4_abs(a) ((u64)(a) & 0x7FFFFFFF7FFFFFFFull)
#define wasmc_h_f64x2_neg(a) ((u64)(a) ^ 0x8000000000000000ull)
#define wasmc_h_f64x2_abs(a) ((u64)(a) & 0x7FFFFFFFFFFFFFFFull)
/* Comparisons: all-ones lanes where true. */
#define WASMC_H_FCMP2(a, b, OP) ({ wasmc_half x_, y_; x_.d = (a); y_.d = (b); (u64)-(u32)(x_.f[0] OP y_.f[0]) | (u64)-(u32)(x_.f[1] OP y_.f[1]) << 32; })
#define WASMC_H_GCMP2(a, b, OP) ({ wasmc_half x_, y_; x_.d = (a); y_.d = (b); (u64)-(s64)(x_.g OP y_.g); })
#define wasmc_h_f32x4_eq(a, b) WASMC_H_FCMP2(a, b, ==)
#define wasmc_h_f32x4_ne(a, b) WASMC_H_FCMP2(a, b, !=)
#define wasmc_h_f32x4_lt(a, b) WASMC_H_FCMP2(a, b, <)
#define wasmc_h_f32x4_gt(a, b) WASMC_H_FCMP2(a, b, >)
#define wasmc_h_f32x4_le(a, b) WASMC_H_FCMP2(a, b, <=)
#define wasmc_h_f32x4_ge(a, b) WASMC_H_FCMP2(a, b, >=)
#define wasmc_h_f64x2_eq(a, b) WASMC_H_GCMP2(a, b, ==)
#define wasmc_h_f64x2_ne(a, b) WASMC_H_GCMP2(a, b, !=)
#define wasmc_h_f64x2_lt(a, b) WASMC_H_GCMP2(a, b, <)
#define wasmc_h_f64x2_gt(a, b) WASMC_H_GCMP2(a, b, >)
#define wasmc_h_f64x2_le(a, b) WASMC_H_GCMP2(a, b, <=)
#define wasmc_h_f64x2_ge(a, b) WASMC_H_GCMP2(a, b, >=)
/* Extends (OpcodeInfo.halves .fromLow/.fromHigh): result half h from the source half the
   lowering passes (the low one for _low, the high one for _high); h a literal 0 or 1. */
/* With shifts, not through wasmc_half: tcc keeps a union in memory, and lanes stored narrow then
   read back as one u64 miss store-to-load forwarding (benchmarks/TCC-SHAPE.md). F is the source
   lane type, T the widened one. */
#define WASMC_H_EXT8(v, k, F, T)                                                               \
    ({ u64 x_ = (u64)(v) >> (32 * (k));                                                        \
       (u64)(u16)(T)(F)x_ | (u64)(u16)(T)(F)(x_ >> 8) << 16 | (u64)(u16)(T)(F)(x_ >> 16) << 32 | \
       (u64)(u16)(T)(F)(x_ >> 24) << 48; })
#define WASMC_H_EXT16(v, k, F, T)                                                              \
    ({ u64 x_ = (u64)(v) >> (32 * (k)); (u64)(u32)(T)(F)x_ | (u64)(u32)(T)(F)(x_ >> 16) << 32; })
#define WASMC_H_EXT32(v, k, F, T) ((u64)(T)(F)((u64)(v) >> (32 * (k))))
#define wasmc_h_i16x8_extend_low_i8x16_s(v, r) WASMC_H_EXT8(v, r, s8, s16)
#define wasmc_h_i16x8_extend_high_i8x16_s(v, r) WASMC_H_EXT8(v, r, s8, s16)
#define wasmc_h_i16x8_extend_low_i8x16_u(v, r) WASMC_H_EXT8(v, r, u8, u16)
#define wasmc_h_i16x8_extend_high_i8x16_u(v, r) WASMC_H_EXT8(v, r, u8, u16)
#define wasmc_h_i32x4_extend_low_i16x8_s(v, r) WASMC_H_EXT16(v, r, s16, s32)
#define wasmc_h_i32x4_extend_high_i16x8_s(v, r) WASMC_H_EXT16(v, r, s16, s32)
#define wasmc_h_i32x4_extend_low_i16x8_u(v, r) WASMC_H_EXT16(v, r, u16, u32)
#define wasmc_h_i32x4_extend_high_i16x8_u(v, r) WASMC_H_EXT16(v, r, u16, u32)
#define wasmc_h_i64x2_extend_low_i32x4_s(v, r) WASMC_H_EXT32(v, r, s32, s64)
#define wasmc_h_i64x2_extend_high_i32x4_s(v, r) WASMC_H_EXT32(v, r, s32, s64)
#define wasmc_h_i64x2_extend_low_i32x4_u(v, r) WASMC_H_EXT32(v, r, u32, u64)
#define wasmc_h_i64x2_extend_high_i32x4_u(v, r) WASMC_H_EXT32(v, r, u32, u64)

/* Shuffle (OpcodeInfo.halves .shuffle): one half of the result from the operands' halves
   a0 a1 b0 b1 and that half's 8 literal indices (< 32): byte j is byte i & 7 of half i >> 3. */
#define WASMC_H_SHUF(i, j) ((((i) < 8 ? a0_ : (i) < 16 ? a1_ : (i) < 24 ? b0_ : b1_) >> (8 * ((i) & 7)) & 0xff) << (8 * (j)))
#define wasmc_h_i8x16_shuffle(a0, a1, b0, b1, i0, i1, i2, i3, i4, i5, i6, i7)                  \
    ({ u64 a0_ = (a0), a1_ = (a1), b0_ = (b0), b1_ = (b1);                                     \
       WASMC_H_SHUF(i0, 0) | WASMC_H_SHUF(i1, 1) | WASMC_H_SHUF(i2, 2) | WASMC_H_SHUF(i3, 3) | \
       WASMC_H_SHUF(i4, 4) | WASMC_H_SHUF(i5, 5) | WASMC_H_SHUF(i6, 6) | WASMC_H_SHUF(i7, 7); })

/* f64 lanes (OpcodeInfo.halves .lanewiseF64): a half as an f64 value; the lowering converts
   with WASMC_HG_BITS/WASMC_HG_OF only where a u64 half meets an f64 one. */
#define WASMC_HG_BITS(x) ({ wasmc_half g_; g_.g = (x); g_.d; })
#define WASMC_HG_OF(x) ({ wasmc_half g_; g_.d = (x); g_.g; })
#define wasmc_hg_f64x2_add(a, b) ((f64)(a) + (f64)(b))
#define wasmc_hg_f64x2_sub(a, b) ((f64)(a) - (f64)(b))
#define wasmc_hg_f64x2_mul(a, b) ((f64)(a) * (f64)(b))
#define wasmc_hg_f64x2_div(a, b) ((f64)(a) / (f64)(b))
#define wasmc_hg_f64x2_min(a, b) wasmc_simd_f64_min(a, b)
#define wasmc_hg_f64x2_max(a, b) wasmc_simd_f64_max(a, b)
#define wasmc_hg_f64x2_relaxed_min(a, b) wasmc_simd_f64_min(a, b)
#define wasmc_hg_f64x2_relaxed_max(a, b) wasmc_simd_f64_max(a, b)
#define wasmc_hg_f64x2_relaxed_madd(a, b, c) ((f64)(a) * (f64)(b) + (f64)(c))
#define wasmc_hg_f64x2_relaxed_nmadd(a, b, c) (-((f64)(a) * (f64)(b)) + (f64)(c))
#define wasmc_hg_f64x2_splat(x) ((f64)(x))
/* Relaxed madd/nmadd: unfused, as the whole forms. */
#define wasmc_h_f32x4_relaxed_madd(a, b, c)                                                    \
    ({ wasmc_half x_, y_, z_; x_.d = (a); y_.d = (b); z_.d = (c);                              \
       x_.f[0] = x_.f[0] * y_.f[0] + z_.f[0]; x_.f[1] = x_.f[1] * y_.f[1] + z_.f[1]; x_.d; })
#define wasmc_h_f32x4_relaxed_nmadd(a, b, c)                                                   \
    ({ wasmc_half x_, y_, z_; x_.d = (a); y_.d = (b); z_.d = (c);                              \
       x_.f[0] = -(x_.f[0] * y_.f[0]) + z_.f[0]; x_.f[1] = -(x_.f[1] * y_.f[1]) + z_.f[1]; x_.d; })
#define wasmc_h_f64x2_relaxed_madd(a, b, c)                                                    \
    ({ wasmc_half x_, y_, z_; x_.d = (a); y_.d = (b); z_.d = (c); x_.g = x_.g * y_.g + z_.g; x_.d; })
#define wasmc_h_f64x2_relaxed_nmadd(a, b, c)                                                   \
    ({ wasmc_half x_, y_, z_; x_.d = (a); y_.d = (b); z_.d = (c); x_.g = -(x_.g * y_.g) + z_.g; x_.d; })
#endif

#endif
