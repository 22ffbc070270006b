/* Shared by every kernel: freestanding (no libc), so the same file builds to wasm32 and native.
   Each kernel defines `uint32_t run(void)`, returns a checksum, and resets its own state so that
   repeated calls give the same answer. */
#include <stdint.h>
#include <stddef.h>

/* Deterministic pseudo-random numbers (xorshift32), the same on every target. */
static uint32_t rng_state;
static inline void rng_seed(uint32_t s) { rng_state = s ? s : 1; }
static inline uint32_t rng_next(void) {
    uint32_t x = rng_state;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return rng_state = x;
}
