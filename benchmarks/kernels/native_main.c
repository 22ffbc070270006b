/* Native driver (gcc -O2, tcc): times one call of run() in-process (wall and CPU) and prints JSON. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
uint32_t run(void);
int main(void) {
    struct timespec a, b, ca, cb;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint32_t c = run();
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    printf("{\"checksum\": %u, \"run_s\": %.9f, \"cpu_s\": %.9f}\n", c, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9,
           (cb.tv_sec - ca.tv_sec) + (cb.tv_nsec - ca.tv_nsec) * 1e-9);
    return 0;
}
