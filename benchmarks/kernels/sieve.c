/* sieve: Eratosthenes over 4M numbers, repeated; byte loads and stores, tight loops. */
#include "bench.h"

#define N 4000000
#define REPS 6
static uint8_t composite[N + 1];

uint32_t run(void) {
    uint32_t check = 0;
    for (int r = 0; r < REPS; r++) {
        for (uint32_t i = 0; i <= N; i++) composite[i] = 0;
        uint32_t count = 0, sum = 0;
        for (uint32_t i = 2; i <= N; i++) {
            if (composite[i]) continue;
            count++; sum += i;
            for (uint32_t j = i * 2; j <= N; j += i) composite[j] = 1;
        }
        check = check * 31 + count + sum;
    }
    return check;
}
