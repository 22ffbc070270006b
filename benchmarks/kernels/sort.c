/* sort: quicksort (insertion sort below 16) of 1M pseudo-random 32-bit keys, repeated;
   branchy compares, swaps, recursion. */
#include "bench.h"

#define N 1000000
#define REPS 1
static uint32_t a[N];

static void insertion(uint32_t *v, int n) {
    for (int i = 1; i < n; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static void quicksort(uint32_t *v, int n) {
    while (n > 16) {
        uint32_t p = v[n / 2];
        int i = 0, j = n - 1;
        for (;;) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i >= j) break;
            uint32_t t = v[i]; v[i] = v[j]; v[j] = t;
            i++; j--;
        }
        /* recurse into the smaller half, loop on the larger: bounded stack depth */
        if (j + 1 < n - j - 1) { quicksort(v, j + 1); v += j + 1; n -= j + 1; }
        else { quicksort(v + j + 1, n - j - 1); n = j + 1; }
    }
    insertion(v, n);
}

uint32_t run(void) {
    uint32_t check = 0;
    for (int r = 0; r < REPS; r++) {
        rng_seed(99 + r);
        for (int i = 0; i < N; i++) a[i] = rng_next();
        quicksort(a, N);
        for (int i = 1; i < N; i++)
            if (a[i - 1] > a[i]) return 0;  /* not sorted: a wrong checksum */
        for (int i = 0; i < N; i += 997) check = check * 33 + a[i];
    }
    return check;
}
