// Growers, fillers and readers on one table at once (built with -fsanitize=thread by
// TableStressTests). Readers load size and elements the way generated code does: one aligned
// word load each, written here as relaxed/acquire atomics so ThreadSanitizer judges the
// runtime's side. Rounds alternate a large maximum (elements in a reservation) and a small
// one (elements in the table's own heap block). Exits 0 when every check held.
#include "wasmc_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

void wasmc_trap_impl(uint32_t code) {
    fprintf(stderr, "unexpected trap %u\n", code);
    abort();
}

// Exnref tables count references through the exception runtime (not linked here): this
// stress uses funcref tables only.
void wasmc_exn_store_impl(wasmc_exception **slot, wasmc_exception *v) { (void)slot, (void)v; abort(); }
wasmc_exception *wasmc_exn_load_impl(wasmc_exception *const *slot) { (void)slot; abort(); }
void wasmc_exception_retain(wasmc_exception *e) { (void)e; abort(); }
void wasmc_exception_release(wasmc_exception *e) { (void)e; abort(); }

enum { GROWERS = 3, READERS = 3, FILLERS = 1, GROWS_PER_THREAD = 3000, MAX = GROWERS * GROWS_PER_THREAD + 16,
       SMALL_GROWS_PER_THREAD = 160, SMALL_MAX = GROWERS * SMALL_GROWS_PER_THREAD + 16 /* 3968 bytes */ };

static wasmc_table *table;
static int sentinel[2];
static atomic_int done;
static atomic_int failures;
static unsigned char seen_old[MAX];
static int grows_per_thread, max;

static void *grower(void *arg) {
    (void)arg;
    for (int i = 0; i < grows_per_thread; i++) {
        uint32_t old = wasmc_table_grow_host(table, &sentinel[0], 1);
        if (old == UINT32_MAX || old >= (uint32_t)max) { atomic_fetch_add(&failures, 1); continue; }
        // Each successful grow returns a distinct old size.
        if (__atomic_exchange_n(&seen_old[old], 1, __ATOMIC_RELAXED)) atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

static void *reader(void *arg) {
    (void)arg;
    unsigned long reads = 0;
    while (!atomic_load(&done) || reads < 1000) {
        uint32_t n = wasmc_table_length(table);
        if (n == 0) {
            if (atomic_load(&done)) break; /* every grow failed: counted, reported by main */
            continue;
        }
        void **elements = __atomic_load_n(&table->elements, __ATOMIC_RELAXED);
        for (uint32_t i = n > 64 ? n - 64 : 0; i < n; i++) {
            void *e = __atomic_load_n(&elements[i], __ATOMIC_RELAXED);
            if (e != &sentinel[0] && e != &sentinel[1]) atomic_fetch_add(&failures, 1);
        }
        reads++;
    }
    return NULL;
}

static void *filler(void *arg) {
    (void)arg;
    while (!atomic_load(&done)) {
        uint32_t n = wasmc_table_length(table);
        wasmc_rt_table_fill(table, 0, &sentinel[n & 1], n < 128 ? n : 128);
    }
    return NULL;
}

int main(void) {
    for (int round = 0; round < 20; round++) {
        grows_per_thread = round % 2 ? SMALL_GROWS_PER_THREAD : GROWS_PER_THREAD;
        max = round % 2 ? SMALL_MAX : MAX;
        table = wasmc_table_create(0, max, 0x70, NULL);
        if (!table) { fprintf(stderr, "create failed\n"); return 2; }
        for (int i = 0; i < max; i++) seen_old[i] = 0;
        atomic_store(&done, 0);
        pthread_t g[GROWERS], r[READERS], f[FILLERS];
        for (int i = 0; i < READERS; i++) pthread_create(&r[i], NULL, reader, NULL);
        for (int i = 0; i < FILLERS; i++) pthread_create(&f[i], NULL, filler, NULL);
        for (int i = 0; i < GROWERS; i++) pthread_create(&g[i], NULL, grower, NULL);
        for (int i = 0; i < GROWERS; i++) pthread_join(g[i], NULL);
        atomic_store(&done, 1);
        for (int i = 0; i < READERS; i++) pthread_join(r[i], NULL);
        for (int i = 0; i < FILLERS; i++) pthread_join(f[i], NULL);
        uint32_t size = wasmc_table_length(table);
        if (size != (uint32_t)(GROWERS * grows_per_thread)) {
            fprintf(stderr, "round %d: size %u, expected %d\n", round, size, GROWERS * grows_per_thread);
            return 1;
        }
        // Past the maximum: refused, size unchanged.
        if (wasmc_table_grow_host(table, NULL, max) != UINT32_MAX || wasmc_table_length(table) != size) {
            fprintf(stderr, "round %d: grow past max accepted\n", round);
            return 1;
        }
        wasmc_table_destroy(table);
        if (atomic_load(&failures)) {
            fprintf(stderr, "round %d: %d failed checks\n", round, atomic_load(&failures));
            return 1;
        }
    }
    printf("table stress: 20 rounds (maximum %d and %d), %d growers, %d readers, %d filler: ok\n", MAX, SMALL_MAX, GROWERS, READERS, FILLERS);
    return 0;
}
