/* Native driver (gcc -O2, tcc): times one call of run() in-process and prints JSON. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
uint32_t run(void);
int main(void) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint32_t c = run();
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("{\"checksum\": %u, \"run_s\": %.9f}\n", c, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9);
    return 0;
}
