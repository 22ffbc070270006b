// The runtime's interruption path under AddressSanitizer and UBSan (make runtime-sanitize): a
// "module" function (in a section of its own, registered as module code) loops calling
// memory.grow; the main thread interrupts it N times (default 2000). Each interruption lands
// in that code (unwound) or in the runtime, maybe under the memory's lock (left alone until
// a resend finds the loop back in its code); at the end the lock is free, every page committed.
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static wasmc_memory_object *mem;
static volatile unsigned long counter;
extern char __start_wasmc_test_code[], __stop_wasmc_test_code[];

__attribute__((section("wasmc_test_code"), noinline)) static void spin(void *code, wasmc_instance *ctx, wasmc_value *args) {
    (void)code; (void)ctx; (void)args;
    for (;;) {
        counter++;
        if (wasmc_memory_grow(mem, 1) == UINT64_MAX) wasmc_memory_grow(mem, 0);
        char *p = (char *)wasmc_memory_definition(mem)->base;
        p[wasmc_memory_pages(mem) * 65536 - 1] = 1;
    }
}

static wasmc_instance ctx;
static volatile int traps, stop;
static void *runner(void *unused) {
    (void)unused;
    for (;;) {
        uint32_t code = wasmc_invoke((void *)spin, NULL, &ctx, NULL);
        if (code != WASMC_TRAP_INTERRUPTED) { fprintf(stderr, "unexpected trap %u\n", code); abort(); }
        __atomic_add_fetch(&traps, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&stop, __ATOMIC_SEQ_CST)) return NULL;
        while (__atomic_load_n(&ctx.interrupt, __ATOMIC_SEQ_CST)) usleep(10);
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2000;
    if (wasmc_code_register(__start_wasmc_test_code, __stop_wasmc_test_code) < 0) abort();
    mem = wasmc_memory_create(1, 200, 0, 0, NULL);
    volatile uintptr_t *group = wasmc_interrupt_group_create();
    ctx.interrupt_group = group;
    wasmc_instance *list[1] = {&ctx};
    pthread_t t;
    pthread_create(&t, NULL, runner, NULL);
    for (int r = 0; r < rounds; r++) {
        unsigned long before = counter;
        while (counter == before) usleep(10);
        wasmc_interrupt(group, list, 1);
        while (__atomic_load_n(&traps, __ATOMIC_SEQ_CST) <= r) usleep(10);
        wasmc_interrupt_reset(group, list, 1);
    }
    // Stop: interrupt once more and tell the runner to end.
    __atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
    unsigned long before = counter;
    while (counter == before) usleep(10);
    wasmc_interrupt(group, list, 1);
    pthread_join(t, NULL);
    if (pthread_mutex_trylock(&mem->lock) != 0) { fprintf(stderr, "memory lock held\n"); return 1; }
    pthread_mutex_unlock(&mem->lock);
    uint64_t pages = wasmc_memory_pages(mem);
    char *p = (char *)wasmc_memory_definition(mem)->base;
    p[pages * 65536 - 1] = 2; /* committed */
    printf("%d interruptions, %d traps, %lu iterations, %llu pages, lock free\n", rounds, traps, counter, (unsigned long long)pages);
    return traps == rounds + 1 ? 0 : 1;
}
