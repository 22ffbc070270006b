/* atomic_counter: N threads (one instance each, one shared memory) add 1 to one counter with a
   sequentially consistent atomic RMW; the cache line moves between cores on every operation.
   Exports: reset(), worker(iters) (run on each thread), total() → the counter. */
#include <stdint.h>

static volatile uint32_t counter;

__attribute__((export_name("reset"))) void reset(void) { __atomic_store_n(&counter, 0, __ATOMIC_SEQ_CST); }

__attribute__((export_name("worker"))) void worker(uint32_t iters) {
    for (uint32_t i = 0; i < iters; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
}

__attribute__((export_name("total"))) uint32_t total(void) { return __atomic_load_n(&counter, __ATOMIC_SEQ_CST); }
