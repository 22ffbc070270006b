// memory.atomic.wait/notify: a parking lot keyed by (memory, address). Waiters queue FIFO in
// a bucket under its lock; the value is compared under that same lock, so a notify that
// follows a store can never miss a waiter that saw the old value. Each waiter sleeps on a futex
// word of its own, outside the lock: a woken waiter returns without taking the bucket lock again
// (a condition variable would make it re-acquire the lock its notifier may still hold).
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef struct waiter {
    struct waiter *next;
    wasmc_memory_object *mem;
    uint64_t addr;
    const volatile uintptr_t *interrupt; /* the waiting call's interrupt word */
    uint32_t woken;  /* futex word: 0 asleep, 1 woken by a notify, 2 by an interruption
                        (written under the bucket lock) */
} waiter;

/* Sleeps while *word == 0, until the absolute CLOCK_MONOTONIC deadline (NULL: none). A wake
   for a waiter that has already returned lands on a stale stack address: FUTEX_WAKE writes
   nothing, and every sleeper here re-checks its word, so that is at most a spurious wake-up. */
static int futex_sleep(uint32_t *word, const struct timespec *deadline) {
    return (int)syscall(SYS_futex, word, FUTEX_WAIT_BITSET_PRIVATE, 0, deadline, NULL, FUTEX_BITSET_MATCH_ANY);
}

static void futex_wake_one(uint32_t *word) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

typedef struct bucket {
    pthread_mutex_t lock;
    waiter *head, *tail;
} bucket;

#define NUM_BUCKETS 256
static bucket buckets[NUM_BUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void init_buckets(void) {
    for (int i = 0; i < NUM_BUCKETS; i++) pthread_mutex_init(&buckets[i].lock, NULL);
}

static bucket *bucket_for(wasmc_memory_object *mem, uint64_t addr) {
    pthread_once(&buckets_once, init_buckets);
    uint64_t h = ((uint64_t)(uintptr_t)mem >> 4) * 0x9E3779B97F4A7C15ull ^ (addr * 0xC2B2AE3D27D4EB4Full);
    return &buckets[(h >> 32) % NUM_BUCKETS];
}

static void unlink_waiter(bucket *b, waiter *w) {
    waiter *prev = NULL;
    for (waiter *it = b->head; it; prev = it, it = it->next) {
        if (it != w) continue;
        if (prev) prev->next = it->next; else b->head = it->next;
        if (b->tail == it) b->tail = prev;
        return;
    }
}

/// Checks alignment, bounds and sharedness in the spec's order; traps on failure.
static void check_wait_address(wasmc_memory_object *mem, uint64_t addr, uint64_t size, int is_wait) {
    if (addr & (size - 1)) wasmc_trap_impl(WASMC_TRAP_UNALIGNED_ATOMIC);
    if (addr + size > wasmc_memory_length(mem->def)) wasmc_trap_impl(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    if (is_wait && !mem->shared) wasmc_trap_impl(WASMC_TRAP_EXPECTED_SHARED_MEMORY);
}

static uint32_t wait_on(wasmc_memory_object *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns, int wide) {
    check_wait_address(mem, addr, wide ? 8 : 4, 1);
    bucket *b = bucket_for(mem, addr);
    pthread_mutex_lock(&b->lock);
    uint8_t *p = mem->def->base + addr;
    uint64_t current = wide ? __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST)
                            : __atomic_load_n((uint32_t *)p, __ATOMIC_SEQ_CST);
    if (current != expected) {
        pthread_mutex_unlock(&b->lock);
        return 1;
    }
    // Checked under the bucket lock: an interrupter sets the word before it scans the
    // buckets, so it either finds this waiter queued or this check sees the word.
    const volatile uintptr_t *interrupt = wasmc_thread_interrupt_word();
    if (interrupt && __atomic_load_n(interrupt, __ATOMIC_SEQ_CST)) {
        pthread_mutex_unlock(&b->lock);
        wasmc_trap_impl(WASMC_TRAP_INTERRUPTED);
    }
    waiter w = {.mem = mem, .addr = addr, .interrupt = interrupt};
    if (b->tail) b->tail->next = &w; else b->head = &w;
    b->tail = &w;
    pthread_mutex_unlock(&b->lock);

    struct timespec deadline;
    if (timeout_ns >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ns / 1000000000;
        deadline.tv_nsec += timeout_ns % 1000000000;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
    }
    while (!__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE)) {
        if (futex_sleep(&w.woken, timeout_ns >= 0 ? &deadline : NULL) != 0 && errno == ETIMEDOUT) {
            /* Timed out, unless a notify dequeued us meanwhile (then it counted us: woken). */
            pthread_mutex_lock(&b->lock);
            uint32_t woken = __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE);
            if (!woken) unlink_waiter(b, &w);
            pthread_mutex_unlock(&b->lock);
            if (woken == 2) wasmc_trap_impl(WASMC_TRAP_INTERRUPTED);
            return woken ? 0 : 2;
        }
    }
    if (w.woken == 2) wasmc_trap_impl(WASMC_TRAP_INTERRUPTED);
    return 0;
}

void wasmc_wake_interrupted_waiters(const volatile uintptr_t *word) {
    pthread_once(&buckets_once, init_buckets);
    for (int i = 0; i < NUM_BUCKETS; i++) {
        bucket *b = &buckets[i];
        pthread_mutex_lock(&b->lock);
        waiter *prev = NULL, *w = b->head;
        while (w) {
            waiter *next = w->next;
            if (w->interrupt == word) {
                if (prev) prev->next = next; else b->head = next;
                if (b->tail == w) b->tail = prev;
                __atomic_store_n(&w->woken, 2, __ATOMIC_RELEASE);
                futex_wake_one(&w->woken);
            } else {
                prev = w;
            }
            w = next;
        }
        pthread_mutex_unlock(&b->lock);
    }
}

uint32_t wasmc_rt_atomic_wait32(wasmc_memory_object *mem, uint64_t addr, uint32_t expected, int64_t timeout_ns) {
    return wait_on(mem, addr, expected, timeout_ns, 0);
}

uint32_t wasmc_rt_atomic_wait64(wasmc_memory_object *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns) {
    return wait_on(mem, addr, expected, timeout_ns, 1);
}

uint32_t wasmc_rt_atomic_notify(wasmc_memory_object *mem, uint64_t addr, uint32_t count) {
    check_wait_address(mem, addr, 4, 0);
    if (!mem->shared || count == 0) return 0;
    bucket *b = bucket_for(mem, addr);
    pthread_mutex_lock(&b->lock);
    uint32_t woken = 0;
    waiter *prev = NULL, *w = b->head;
    while (w && woken < count) {
        waiter *next = w->next;
        if (w->mem == mem && w->addr == addr) {
            if (prev) prev->next = next; else b->head = next;
            if (b->tail == w) b->tail = prev;
            __atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE);
            futex_wake_one(&w->woken);
            woken++;
        } else {
            prev = w;
        }
        w = next;
    }
    pthread_mutex_unlock(&b->lock);
    return woken;
}

uint32_t wasmc_memory_waiter_count(wasmc_memory_object *mem, uint64_t addr) {
    bucket *b = bucket_for(mem, addr);
    pthread_mutex_lock(&b->lock);
    uint32_t n = 0;
    for (waiter *w = b->head; w; w = w->next) n += w->mem == mem && w->addr == addr;
    pthread_mutex_unlock(&b->lock);
    return n;
}
