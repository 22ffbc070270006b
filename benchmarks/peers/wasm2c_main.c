/* Driver for wasm2c's output (module named `kernel` with wasm2c -n kernel): instantiates,
   times one call of run() in-process (wall and CPU), prints JSON like native_main.c. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "kernel.h"

int main(void) {
    wasm_rt_init();
    w2c_kernel inst;
    wasm2c_kernel_instantiate(&inst);
    struct timespec a, b, ca, cb;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint32_t c = w2c_kernel_run(&inst);
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    printf("{\"checksum\": %u, \"run_s\": %.9f, \"cpu_s\": %.9f}\n", c, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9,
           (cb.tv_sec - ca.tv_sec) + (cb.tv_nsec - ca.tv_nsec) * 1e-9);
    wasm2c_kernel_free(&inst);
    wasm_rt_free();
    return 0;
}
