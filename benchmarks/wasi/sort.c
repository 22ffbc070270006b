// sort for WASI: N pseudo-random 64-bit keys (N from argv[1]) sorted with libc qsort in a
// malloc'ed array; prints a checksum of the sorted order.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 1000000;
    uint64_t *keys = malloc(n * sizeof *keys);
    if (!keys) { fputs("out of memory\n", stderr); return 1; }
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < n; i++) {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        keys[i] = state;
    }
    qsort(keys, n, sizeof *keys, compare);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum = sum * 31 + (keys[i] >> 17);
    printf("%llu\n", (unsigned long long)sum);
    free(keys);
    return 0;
}
