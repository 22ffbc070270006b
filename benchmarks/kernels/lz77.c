/* lz77: compress and decompress a 512 KiB synthetic text (hash-chain match finder, byte copies),
   then verify the round trip. */
#include "bench.h"

#define LEN (512 * 1024)
#define REPS 8
#define WINDOW 4096
#define MIN_MATCH 4
#define MAX_MATCH 255
#define HASH_BITS 14

static uint8_t src[LEN], comp[LEN + LEN / 2 + 16], out[LEN];
static int32_t head[1 << HASH_BITS], prev_pos[LEN];

static const char *words[16] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ",
                                "wasm ", "compiler ", "native ", "code ", "memory ", "table ", "stack ", "loop\n"};

static void make_text(void) {
    rng_seed(2024);
    int n = 0;
    while (n < LEN) {
        const char *w = words[rng_next() % 16];
        while (*w && n < LEN) src[n++] = (uint8_t)*w++;
        if ((rng_next() & 31) == 0 && n < LEN) src[n++] = (uint8_t)('A' + rng_next() % 26);
    }
}

static inline uint32_t hash4(const uint8_t *p) {
    uint32_t v = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Format: a literal run is [0, len, bytes...]; a match is [len, offset lo, offset hi]. */
static int compress(void) {
    for (int i = 0; i < (1 << HASH_BITS); i++) head[i] = -1;
    int ip = 0, op = 0, lit_start = 0;
    while (ip + MIN_MATCH <= LEN) {
        uint32_t h = hash4(src + ip);
        int best_len = 0, best_off = 0, cand = head[h], chain = 16;
        while (cand >= 0 && ip - cand <= WINDOW && chain-- > 0) {
            int l = 0;
            while (l < MAX_MATCH && ip + l < LEN && src[cand + l] == src[ip + l]) l++;
            if (l > best_len) { best_len = l; best_off = ip - cand; }
            cand = prev_pos[cand];
        }
        prev_pos[ip] = head[h]; head[h] = ip;
        if (best_len >= MIN_MATCH) {
            while (lit_start < ip) {  /* flush pending literals */
                int n = ip - lit_start > 255 ? 255 : ip - lit_start;
                comp[op++] = 0; comp[op++] = (uint8_t)n;
                for (int k = 0; k < n; k++) comp[op++] = src[lit_start + k];
                lit_start += n;
            }
            comp[op++] = (uint8_t)best_len; comp[op++] = (uint8_t)best_off; comp[op++] = (uint8_t)(best_off >> 8);
            for (int k = 1; k < best_len && ip + k + MIN_MATCH <= LEN; k++) {  /* index skipped positions */
                uint32_t h2 = hash4(src + ip + k);
                prev_pos[ip + k] = head[h2]; head[h2] = ip + k;
            }
            ip += best_len; lit_start = ip;
        } else ip++;
    }
    while (lit_start < LEN) {
        int n = LEN - lit_start > 255 ? 255 : LEN - lit_start;
        comp[op++] = 0; comp[op++] = (uint8_t)n;
        for (int k = 0; k < n; k++) comp[op++] = src[lit_start + k];
        lit_start += n;
    }
    return op;
}

static int decompress(int clen) {
    int ip = 0, op = 0;
    while (ip < clen) {
        int tag = comp[ip++];
        if (tag == 0) {
            int n = comp[ip++];
            for (int k = 0; k < n; k++) out[op++] = comp[ip++];
        } else {
            int off = comp[ip] | comp[ip + 1] << 8;
            ip += 2;
            for (int k = 0; k < tag; k++, op++) out[op] = out[op - off];
        }
    }
    return op;
}

uint32_t run(void) {
    make_text();
    uint32_t check = 0;
    for (int r = 0; r < REPS; r++) {
        src[r * 1000] ^= (uint8_t)r;
        int clen = compress();
        int dlen = decompress(clen);
        if (dlen != LEN) return 1;
        for (int i = 0; i < LEN; i++)
            if (out[i] != src[i]) return 2;
        check = check * 131 + (uint32_t)clen;
    }
    return check;
}
