/* crc32: table-driven CRC-32 (IEEE) over a 1 MiB buffer, repeated (byte loads, table lookups). */
#include "bench.h"

#define LEN (1 << 20)
#define REPS 20
static uint8_t buf[LEN];
static uint32_t table[256];

uint32_t run(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    rng_seed(4242);
    for (int i = 0; i < LEN; i++) buf[i] = (uint8_t)rng_next();
    uint32_t crc = 0;
    for (int r = 0; r < REPS; r++) {
        uint32_t c = ~crc;
        for (int i = 0; i < LEN; i++) c = table[(c ^ buf[i]) & 0xFF] ^ (c >> 8);
        crc = ~c;
        buf[r] ^= (uint8_t)crc;
    }
    return crc;
}
