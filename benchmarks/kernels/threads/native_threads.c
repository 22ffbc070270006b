#define _GNU_SOURCE
/* Native reference for the threaded workloads (gcc -O2 -pthread): the same algorithms with
   C11-style atomics and a Linux futex for wait/notify.
   Usage: native_threads counter|pingpong THREADS ITERS → one JSON line like wasmc-bench's. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint32_t counter;
static int32_t turn;
static uint32_t done;
static uint32_t iters;
static pthread_barrier_t barrier;

/* Worker i runs on the i-th CPU this process may use (mod their count), as in every engine's
   driver: two threads on one CPU would take turns instead of contending. */
static void pin(pthread_t thread, int i) {
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) == 0) return;
    int k = i % CPU_COUNT(&allowed), cpu = 0;
    for (;; cpu++) if (CPU_ISSET(cpu, &allowed) && k-- == 0) break;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_setaffinity_np(thread, sizeof one, &one);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *worker(void *arg) {
    (void)arg;
    pthread_barrier_wait(&barrier);
    for (uint32_t i = 0; i < iters; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *pass(void *arg) {
    int32_t mine = (int32_t)(intptr_t)arg;
    pthread_barrier_wait(&barrier);
    for (uint32_t i = 0; i < iters; i++) {
        while (__atomic_load_n(&turn, __ATOMIC_SEQ_CST) != mine)
            syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, 1 - mine, NULL, NULL, 0);
        __atomic_store_n(&turn, 1 - mine, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        if (mine == 0) __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s counter|pingpong THREADS ITERS\n", argv[0]); return 2; }
    int pingpong = strcmp(argv[1], "pingpong") == 0;
    int n = pingpong ? 2 : atoi(argv[2]);
    iters = (uint32_t)strtoul(argv[3], NULL, 10);
    pthread_t t[64];
    if (n < 1 || n > 64) return 2;
    pthread_barrier_init(&barrier, NULL, n + 1);
    for (int i = 0; i < n; i++) {
        pthread_create(&t[i], NULL, pingpong ? pass : worker, (void *)(intptr_t)i);
        pin(t[i], i);
    }
    usleep(50000);
    double t0 = now();
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    double dt = now() - t0;
    uint64_t ops = pingpong ? 2ull * iters : (uint64_t)iters * n;
    int ok = pingpong ? done == iters : counter == (uint64_t)iters * n;
    printf("{\"workload\": \"%s\", \"threads\": %d, \"run_s\": %.9f, \"ns_per_op\": %.3f, \"ok\": %s}\n",
           argv[1], n, dt, dt * 1e9 / ops, ok ? "true" : "false");
    return ok ? 0 : 1;
}
