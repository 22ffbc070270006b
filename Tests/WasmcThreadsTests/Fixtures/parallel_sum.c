// A parallel sum for wasmc's threads tests, built to wasm32 with shared memory (build.sh).
// Every thread runs run(me, n) in its own instance: it fills its stripe of `data`, meets the
// others at a barrier (C11 atomics + wait32/notify), then claims chunks from a shared work
// queue, sums them through a buffer on its own stack, and publishes its partial sum. The
// caller sets each instance's __stack_pointer to stack_top(me) first: instances share one
// memory, so they must not share a stack.
#include <stdatomic.h>
#include <stdint.h>

#define MAX_THREADS 8
#define N (1u << 16)
#define CHUNK 256u
#define STACK 16384

static uint32_t data[N];
static uint64_t partial[MAX_THREADS];
static _Atomic uint32_t next_chunk;
static _Atomic uint64_t total;
static _Atomic uint32_t arrived;
static _Atomic int generation;
static uint8_t stacks[MAX_THREADS][STACK] __attribute__((aligned(16)));

uint32_t stack_top(uint32_t t) { return (uint32_t)(uintptr_t)&stacks[t][STACK]; }

uint32_t value_at(uint32_t i) { return (i * 2654435761u) ^ (i >> 3); }

// The last thread to arrive starts a new generation and wakes everyone waiting on it.
static void barrier(uint32_t n) {
    int gen = atomic_load(&generation);
    if (atomic_fetch_add(&arrived, 1) + 1 == n) {
        atomic_store(&arrived, 0);
        atomic_fetch_add(&generation, 1);
        __builtin_wasm_memory_atomic_notify((int *)&generation, UINT32_MAX);
    } else {
        while (atomic_load(&generation) == gen)
            __builtin_wasm_memory_atomic_wait32((int *)&generation, gen, -1);
    }
}

// Not inlined, so the chunk really goes through a buffer on this thread's stack.
__attribute__((noinline)) static uint64_t sum_buffer(const volatile uint32_t *buf, uint32_t count) {
    uint64_t s = 0;
    for (uint32_t i = 0; i < count; i++) s += buf[i];
    return s;
}

// Returns the total, checked against every thread's partial sum, or 0 when they disagree.
uint64_t run(uint32_t me, uint32_t n) {
    for (uint32_t i = me; i < N; i += n) data[i] = value_at(i);
    barrier(n);
    uint64_t sum = 0;
    volatile uint32_t buf[CHUNK];
    for (;;) {
        uint32_t c = atomic_fetch_add(&next_chunk, CHUNK);
        if (c >= N) break;
        for (uint32_t i = 0; i < CHUNK; i++) buf[i] = data[c + i];
        sum += sum_buffer(buf, CHUNK);
    }
    partial[me] = sum;
    atomic_fetch_add(&total, sum);
    barrier(n);
    uint64_t check = 0;
    for (uint32_t t = 0; t < n; t++) check += partial[t];
    return check == atomic_load(&total) ? check : 0;
}

// Ready for another run (call while no thread is running).
void reset(void) {
    atomic_store(&next_chunk, 0);
    atomic_store(&total, 0);
    for (uint32_t t = 0; t < MAX_THREADS; t++) partial[t] = 0;
}
