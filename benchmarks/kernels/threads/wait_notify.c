/* wait_notify: two threads hand a token back and forth over one shared word with
   memory.atomic.wait32 / memory.atomic.notify (a futex ping-pong). Exports: reset(),
   ping(iters) on one thread, pong(iters) on the other, rounds() → completed hand-offs. */
#include <stdint.h>

static int32_t turn;          /* 0: ping's turn, 1: pong's turn */
static volatile uint32_t done;

__attribute__((export_name("reset"))) void reset(void) { __atomic_store_n(&turn, 0, __ATOMIC_SEQ_CST); __atomic_store_n(&done, 0, __ATOMIC_SEQ_CST); }

static void pass(int32_t mine, uint32_t iters, int count) {
    for (uint32_t i = 0; i < iters; i++) {
        while (__atomic_load_n(&turn, __ATOMIC_SEQ_CST) != mine)
            __builtin_wasm_memory_atomic_wait32(&turn, 1 - mine, -1);
        __atomic_store_n(&turn, 1 - mine, __ATOMIC_SEQ_CST);
        __builtin_wasm_memory_atomic_notify(&turn, 1);
        if (count) __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
    }
}

__attribute__((export_name("ping"))) void ping(uint32_t iters) { pass(0, iters, 1); }
__attribute__((export_name("pong"))) void pong(uint32_t iters) { pass(1, iters, 0); }
__attribute__((export_name("rounds"))) uint32_t rounds(void) { return __atomic_load_n(&done, __ATOMIC_SEQ_CST); }
