// wasmc_internal.h — declarations shared between the runtime's C files (not part of any ABI).
#ifndef WASMC_INTERNAL_H
#define WASMC_INTERNAL_H
#include "wasmc_runtime.h"
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>

struct wasmc_memory_object {
    wasmc_memory *def;          /* the definition this object governs */
    wasmc_memory own_def;       /* used when the definition does not live in an instance */
    uint8_t *reservation;
    size_t reservation_size;
    uint64_t min_pages;
    uint64_t reserved_pages;    /* pages the reservation covers before its guard (growing past moves it) */
    uint64_t max_pages;         /* the type's maximum, capped by resource limits and the address space */
    int shared;
    int registry_slot;
    pthread_mutex_t lock;
    atomic_long refcount;
    /// Threads in calls that may run code using this memory (wasmc_memory_enter), kept only
    /// for a memory that can move: another thread's code may hold its base. Under `lock`.
    struct wasmc_memory_user { pthread_t thread; unsigned long depth; } *users;
    size_t user_count, user_capacity;
};

/// What this thread is doing with wasm. Touched by the signal handlers, hence plain fields
/// of a thread-local written only by this thread (but `interrupt`, which the interrupters
/// read, and the registry links, which they walk under the registry lock).
typedef struct wasmc_thread_state {
    /// The word generated code's stack check compares against, at a fixed offset from the
    /// thread pointer (wasmc_stack_limit_tls_offset): the outermost call's limit, or
    /// WASMC_INTERRUPT_STACK_LIMIT when an interrupter raised it (atomic: interrupters write
    /// it). On x86-64 it is glibc's TCB word for split-stack limits; elsewhere `check_limit`.
    uintptr_t *limit_word;
    uintptr_t check_limit;
    sigjmp_buf *jump;           /* innermost wasmc_invoke, NULL outside wasm */
    volatile int in_wasm;       /* in wasm code proper (not in a host call) */
    int initialized;
    uintptr_t stack_lo, stack_hi;
    int stack_unknown;          /* stack_hi is a guess: the exnref collector does not run */
    uintptr_t stack_limit;      /* lowest address wasm may ever use on this thread */
    uintptr_t active_limit;     /* the limit of the outermost wasmc_invoke now running */
    void *altstack;
    void *pending_error;
    uint64_t trap_detail;       /* index | 2^32 from trap_index, 0 when none */
    /// Interrupt group of the innermost call's ctx, NULL outside wasm (atomic: interrupters
    /// read it to find the threads to signal).
    const volatile uintptr_t *interrupt;
    /// 1 from when an interrupter sends the signal until its handler starts: one signal at a
    /// time per thread (real-time signals queue; a thread that is not scheduled would else
    /// collect one per resend).
    int interrupt_pending;
    pthread_t thread;
    struct wasmc_thread_state *next, *prev; /* the registry of threads that entered wasm */
} wasmc_thread_state;

/// This thread's state (async-signal-safe once the thread has entered wasm).
wasmc_thread_state *wasmc_thread_state_here(void);

/// The registry of threads that have entered wasm, which interrupters walk: a thread joins
/// it once, before its first call, and leaves it when it exits.
void wasmc_threads_register(wasmc_thread_state *ts);
void wasmc_threads_unregister(wasmc_thread_state *ts);
/// The signal that interrupts wasm code (a real-time one), its handler installed.
int wasmc_interrupt_signal(void);
/// What the interrupter puts in the signal's si_value, so the handler knows it is wasmc's.
const void *wasmc_interrupt_signal_marker(void);
/// True when `pc` lies inside the code of a loaded module (async-signal-safe).
int wasmc_address_in_code(uintptr_t pc);

#define WASMC_PAGE_SIZE 65536ull
#define WASMC_MAX_PAGES 65536ull

/// Current length in bytes; atomic so shared memories never show uncommitted pages.
static inline uint64_t wasmc_memory_length(const wasmc_memory *m) {
    return __atomic_load_n(&m->current_length, __ATOMIC_ACQUIRE);
}

/// True when `addr` lies inside some memory's reservation (async-signal-safe).
int wasmc_address_in_memory(uintptr_t addr);

void wasmc_trap_impl(uint32_t code) __attribute__((noreturn));
void wasmc_trap_index_impl(uint32_t code, uint32_t index) __attribute__((noreturn));
uint32_t wasmc_call_host_impl(wasmc_host_function *fn, wasmc_value *args_results);
void wasmc_rt_memory_fill(wasmc_memory *mem, uint64_t dst, uint32_t value, uint64_t len);
void wasmc_rt_memory_copy(wasmc_memory *dst_mem, uint64_t dst, wasmc_memory *src_mem, uint64_t src, uint64_t len);
void wasmc_rt_memory_init(wasmc_memory *mem, uint64_t dst, const uint8_t *seg, uint32_t seg_len,
                          uint32_t src, uint32_t len);
uint32_t wasmc_rt_table_grow(wasmc_table *t, void *init, uint32_t delta);
void wasmc_rt_table_fill(wasmc_table *t, uint32_t dst, void *value, uint32_t len);
void wasmc_rt_table_copy(wasmc_table *dst_t, uint32_t dst, wasmc_table *src_t, uint32_t src, uint32_t len);
void wasmc_rt_table_init(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t seg_len,
                         uint32_t src, uint32_t len);
uint32_t wasmc_rt_atomic_wait32(wasmc_memory_object *mem, uint64_t addr, uint32_t expected, int64_t timeout_ns);
uint32_t wasmc_rt_atomic_wait64(wasmc_memory_object *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns);
/// Wakes the threads blocked in memory.atomic.wait under interrupt word `word`; they trap.
void wasmc_wake_interrupted_waiters(const volatile uintptr_t *word);
/// The interrupt word of the innermost wasmc_invoke on this thread (NULL outside wasm).
const volatile uintptr_t *wasmc_thread_interrupt_word(void);
/// Unwinds to the innermost wasmc_invoke with WASMC_TRAP_EXCEPTION (the uncaught one is set).
void wasmc_unwind_uncaught(void) __attribute__((noreturn));
void wasmc_exn_enter_impl(wasmc_handler *h);
void wasmc_exn_leave_impl(wasmc_handler *h);
wasmc_exception *wasmc_exn_new_impl(const wasmc_tag *tag, uint32_t count);
void wasmc_exn_throw_impl(wasmc_exception *e) __attribute__((noreturn));
void wasmc_exn_drop_impl(wasmc_exception *e);
void wasmc_exn_keep_impl(wasmc_exception *e);
void wasmc_exn_refs_impl(wasmc_exception *e, uint64_t mask);
void wasmc_exn_store_impl(wasmc_exception **slot, wasmc_exception *v);
wasmc_exception *wasmc_exn_load_impl(wasmc_exception *const *slot);
/// A thread that entered wasm ends: its registry's exceptions that nothing counts are freed,
/// the others become shared.
void wasmc_exn_thread_exit(void);
/// The table element type whose elements hold counted references (wasmc_table.elem_type).
#define WASMC_EXNREF_TYPE 0x69u
/// Throws the thread's uncaught exception (set by a host function) into the calling wasm code.
void wasmc_exn_throw_uncaught(void) __attribute__((noreturn));
/// Makes `h` this thread's innermost handler; returns the previous one (wasmc_invoke: a wasm
/// call starts without handlers and gives the outer call's back when it ends, trap or not).
wasmc_handler *wasmc_exn_swap_innermost(wasmc_handler *h);
uint32_t wasmc_rt_atomic_notify(wasmc_memory_object *mem, uint64_t addr, uint32_t count);

/// A set of address ranges that signal handlers read without locks (memory reservations for
/// the fault handler, module code for the interrupt handler). A slot is free while `lo` is 0.
#define WASMC_MAX_RANGES 16384
typedef struct wasmc_range_set {
    atomic_uintptr_t lo[WASMC_MAX_RANGES];
    atomic_uintptr_t hi[WASMC_MAX_RANGES];
    atomic_int used; /* high-water mark of slots ever used */
} wasmc_range_set;
/// Adds [lo, hi); the slot for wasmc_range_remove, or -1 when the set is full.
int wasmc_range_add(wasmc_range_set *set, uintptr_t lo, uintptr_t hi);
void wasmc_range_remove(wasmc_range_set *set, int slot);
/// Whether `addr` lies in one of the ranges (async-signal-safe).
int wasmc_range_contains(wasmc_range_set *set, uintptr_t addr);

#endif
