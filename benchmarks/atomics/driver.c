/* Built by cc -O2: the C11 runtime function, and the timing (1 and 2 threads on one counter). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
typedef unsigned long long u64;
static u64 c11_add(volatile u64 *p, u64 v) { return atomic_fetch_add_explicit((_Atomic u64 *)p, v, memory_order_seq_cst); }
typedef u64 (*loop_fn)(volatile u64 *, long);
static _Alignas(64) volatile u64 counter;
static loop_fn loop;
static long iters;
static void *worker(void *a) { (void)a; loop(&counter, iters); return NULL; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double run(int threads) {
    pthread_t t[8];
    counter = 0;
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double dt = now() - t0;
    if (counter != (u64)threads * iters) { fprintf(stderr, "wrong total\n"); exit(1); }
    return dt * 1e9 / ((double)threads * iters);
}
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    void *so = dlopen(argc > 1 ? argv[1] : "./tcc_side.so", RTLD_NOW);
    if (!so) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    *(u64 (**)(volatile u64 *, u64))dlsym(so, "runtime_add") = c11_add;
    loop_fn variants[2] = {(loop_fn)dlsym(so, "loop_inline"), (loop_fn)dlsym(so, "loop_runtime")};
    const char *names[2] = {"inline lock xadd (tcc)", "call into C11 runtime"};
    iters = argc > 2 ? atol(argv[2]) : 5000000;
    enum { RUNS = 7 };
    for (int threads = 1; threads <= 2; threads++) {
        double r[2][RUNS];
        for (int k = 0; k < RUNS; k++)       /* interleaved run by run */
            for (int v = 0; v < 2; v++) { loop = variants[v]; r[v][k] = run(threads); }
        for (int v = 0; v < 2; v++) {
            qsort(r[v], RUNS, sizeof(double), cmp);
            printf("%d thread(s)  %-24s median %.2f ns/op  [%.2f-%.2f]\n", threads, names[v], r[v][RUNS / 2], r[v][0], r[v][RUNS - 1]);
        }
    }
    return 0;
}
