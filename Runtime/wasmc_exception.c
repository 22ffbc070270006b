// Wasm exceptions (3.0 exception handling): each thread's chain of try_table handlers, the
// exception objects exnrefs point at, and the jump that lands a throw in its handler.
// Design and lifetime rules: docs/exceptions.md.
#include "wasmc_internal.h"
#include <stdlib.h>

/// The innermost try_table handler of this thread's current wasm call (NULL: none, a throw
/// goes to wasmc_invoke), and an exception that left wasm uncaught, for the host to take.
static __thread wasmc_handler *innermost;
static __thread wasmc_exception *uncaught;

/// Restores the registers wasmc_try saved in `h` and returns 1 from that wasmc_try
/// (x86-64 System V: the callee-saved registers, the stack pointer after its return, and
/// its return address). The generated code's wasmc_try (prelude) saves them in this order.
void wasmc_exn_jump(wasmc_handler *h) __attribute__((noreturn));
#if defined(__x86_64__)
__asm__(".text\n"
        ".p2align 4\n"
        ".globl wasmc_exn_jump\n"
        ".hidden wasmc_exn_jump\n"
        ".type wasmc_exn_jump, @function\n"
        "wasmc_exn_jump:\n"
        "  movq 0(%rdi), %rbx\n"
        "  movq 8(%rdi), %rbp\n"
        "  movq 16(%rdi), %r12\n"
        "  movq 24(%rdi), %r13\n"
        "  movq 32(%rdi), %r14\n"
        "  movq 40(%rdi), %r15\n"
        "  movq 48(%rdi), %rsp\n"
        "  movl $1, %eax\n"
        "  jmpq *56(%rdi)\n"
        ".size wasmc_exn_jump, .-wasmc_exn_jump\n");
#else
#error "wasmc exceptions: wasmc_exn_jump is written for x86-64 only"
#endif

void wasmc_exn_enter_impl(wasmc_handler *h) {
    h->prev = innermost;
    innermost = h;
}

void wasmc_exn_leave_impl(wasmc_handler *h) { innermost = h->prev; }

/// A new exception of `tag` with room for `count` payload values; NULL when out of memory.
static wasmc_exception *allocate(const wasmc_tag *tag, uint32_t count) {
    wasmc_exception *e = malloc(sizeof(wasmc_exception) + (size_t)count * sizeof(wasmc_value));
    if (!e) return NULL;
    e->tag = tag;
    e->count = count;
    e->kept = 0;
    e->refs = 0;
    e->shared = 0;
    e->exnref_mask = 0;
    e->home = NULL;
    return e;
}

// ---- Lifetime of kept exceptions (deferred reference counting) ----------------------------
//
// References from heap slots (globals, table elements, payloads, host values) are counted;
// references from the stack (locals, temporaries, handlers, registers) are not, so the
// generated code moves exnrefs through C expressions at no cost. A kept exception with no
// counted reference may still be on its home thread's stack: the collector frees it only
// when no word from the stack pointer to the top of that thread's stack (and no callee-saved
// register, spilled first) points into it. Exnrefs reach another thread only through heap
// slots or host values; an exception counted or kept off its home thread becomes `shared` and
// is never freed (a leak, never a use after free).
//
// A read of a counted slot (exnref global.get, table.get, table.copy's sources, the host's
// reads) goes through `load`, which marks a foreign exception shared before the reader holds
// it uncounted. Between the reader's load of the slot and that mark, the home thread may
// overwrite the slot and collect: `readers` counts the loads in progress, and a collector
// that sees one in progress frees nothing in that round (it reads `readers` after the counts,
// the reader announces itself before reading the slot; all sequentially consistent), so an
// exception is freed only once every load that could have seen it has marked it.

/// Loads of counted slots in progress, over all threads.
static unsigned long readers;

/// This thread's kept exceptions (its registry; their `home`) and when to look at them next.
typedef struct registry {
    wasmc_exception **items;
    size_t count, cap;
    size_t limit;       /* collect when count reaches it */
    uint64_t collections;
} registry;
static __thread registry kept_here;

#define WASMC_EXN_MIN_LIMIT 1024u

static void release(wasmc_exception *e);

/// Frees `e` (no reference to it remains) and releases the exceptions its payload holds.
static void destroy(wasmc_exception *e) {
    uint64_t mask = e->exnref_mask;
    for (uint32_t i = 0; mask && i < e->count && i < WASMC_EXN_MASK_BITS; i++, mask >>= 1)
        if (mask & 1) release((wasmc_exception *)e->payload[i].ref);
    free(e);
}

/// A counted reference ends. Off the home thread the exception becomes shared; on it, a count
/// reaching 0 leaves it to the collector (it is in this thread's registry).
static void release(wasmc_exception *e) {
    if (!e) return;
    if (e->home != &kept_here) __atomic_store_n(&e->shared, 1u, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&e->refs, 1u, __ATOMIC_SEQ_CST);
}

static void collect(void);

void wasmc_exn_keep_impl(wasmc_exception *e) {
    if (!e) return;
    if (e->kept) {
        if (e->home != &kept_here) __atomic_store_n(&e->shared, 1u, __ATOMIC_RELAXED);
        return;
    }
    registry *r = &kept_here;
    if (r->count >= r->limit) collect();
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : WASMC_EXN_MIN_LIMIT;
        wasmc_exception **items = realloc(r->items, cap * sizeof *items);
        if (!items) {
            // No room to track it: it is never freed (a leak, never a use after free).
            e->kept = 1;
            e->shared = 1;
            return;
        }
        r->items = items;
        r->cap = cap;
    }
    r->items[r->count++] = e;
    e->kept = 1;
    e->home = r;
}

static void retain(wasmc_exception *e) {
    if (!e) return;
    if (!e->kept) wasmc_exn_keep_impl(e);
    else if (e->home != &kept_here) __atomic_store_n(&e->shared, 1u, __ATOMIC_RELAXED);
    __atomic_add_fetch(&e->refs, 1u, __ATOMIC_RELAXED);
}

void wasmc_exn_refs_impl(wasmc_exception *e, uint64_t mask) {
    e->exnref_mask = mask;
    for (uint32_t i = 0; mask && i < e->count && i < WASMC_EXN_MASK_BITS; i++, mask >>= 1)
        if (mask & 1) retain((wasmc_exception *)e->payload[i].ref);
}

void wasmc_exn_store_impl(wasmc_exception **slot, wasmc_exception *v) {
    retain(v);
    wasmc_exception *old = __atomic_exchange_n(slot, v, __ATOMIC_SEQ_CST);
    release(old);
}

/// Tests only: runs between a load's read of the slot and its mark, to force the interleaving
/// the `readers` protocol closes.
static void (*load_hook)(void);

/// The exnref in a counted slot, safe to hold uncounted on this thread's stack: one of this
/// thread's (its collector runs only here) or, from another home, marked shared first.
wasmc_exception *wasmc_exn_load_impl(wasmc_exception *const *slot) {
    __atomic_add_fetch(&readers, 1ul, __ATOMIC_SEQ_CST);
    wasmc_exception *e = __atomic_load_n(slot, __ATOMIC_SEQ_CST);
    void (*hook)(void) = __atomic_load_n(&load_hook, __ATOMIC_RELAXED);
    if (hook) hook();
    if (e && e->home != &kept_here) __atomic_store_n(&e->shared, 1u, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&readers, 1ul, __ATOMIC_RELEASE);
    return e;
}

/// Sorts addresses (ascending): quicksort, insertion sort for short runs; no callbacks.
static void sort_addresses(uintptr_t *v, size_t n) {
    while (n > 16) {
        uintptr_t p = v[n / 2];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i >= j) break;
            uintptr_t t = v[i]; v[i] = v[j]; v[j] = t;
            i++; j--;
        }
        // [0, j] <= p <= [j+1, n): recurse into the smaller side, loop on the larger.
        size_t left = j + 1;
        if (left < n - left) { sort_addresses(v, left); v += left; n -= left; }
        else { sort_addresses(v + left, n - left); n = left; }
    }
    for (size_t i = 1; i < n; i++) {
        uintptr_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

static size_t exception_size(const wasmc_exception *e) {
    return sizeof *e + (size_t)e->count * sizeof(wasmc_value);
}

/// Copies the words of [lo, lo + n words) of this thread's stack; reads other frames' bytes,
/// which AddressSanitizer would report as overflows.
__attribute__((no_sanitize_address, noinline))
static void copy_stack(uintptr_t *out, const uintptr_t *lo, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = ((const volatile uintptr_t *)lo)[i];
}

/// Frees the registry's exceptions not marked live this round (kept == 2) that nothing counts
/// and no other thread shares; keeps the rest, unmarked. Returns whether a freed one held
/// exnrefs (their counts dropped: another round may free more).
static int free_unmarked(registry *r) {
    int again = 0;
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        wasmc_exception *e = r->items[i];
        if (e->kept == 1 && __atomic_load_n(&e->refs, __ATOMIC_SEQ_CST) == 0 &&
            !__atomic_load_n(&e->shared, __ATOMIC_SEQ_CST)) {
            if (e->exnref_mask) again = 1;
            destroy(e);
        } else {
            e->kept = 1;
            r->items[kept++] = e;
        }
    }
    r->count = kept;
    return again;
}

/// One round: of the registry's exceptions with no counted reference (not shared), frees
/// those no word of `words` points into. Returns whether one freed held exnrefs (their counts
/// dropped: another round may free more).
static int sweep(registry *r, const uintptr_t *words, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < r->count; i++) {
        wasmc_exception *e = r->items[i];
        if (__atomic_load_n(&e->refs, __ATOMIC_RELAXED) == 0 && !__atomic_load_n(&e->shared, __ATOMIC_RELAXED)) c++;
    }
    if (!c) return 0;
    uintptr_t *cand = malloc(c * sizeof *cand);
    if (!cand) return 0;
    c = 0;
    for (size_t i = 0; i < r->count; i++) {
        wasmc_exception *e = r->items[i];
        if (__atomic_load_n(&e->refs, __ATOMIC_RELAXED) == 0 && !__atomic_load_n(&e->shared, __ATOMIC_RELAXED))
            cand[c++] = (uintptr_t)e;
    }
    // The candidates by address; a stack word pointing into one (interior pointers too: cc -O2
    // may keep the address of a payload value) marks it live (kept = 2 for this round).
    sort_addresses(cand, c);
    uintptr_t lo = cand[0], hi = cand[c - 1] + exception_size((wasmc_exception *)cand[c - 1]);
    for (size_t i = 0; i < n; i++) {
        uintptr_t w = words[i];
        if (w < lo || w >= hi) continue;
        size_t a = 0, b = c;  // the last candidate at or below w
        while (b - a > 1) {
            size_t m = a + (b - a) / 2;
            if (cand[m] <= w) a = m; else b = m;
        }
        wasmc_exception *e = (wasmc_exception *)cand[a];
        if (w < cand[a] + exception_size(e)) e->kept = 2;
    }
    free(cand);
    // A load in progress on another thread may have read a candidate from a slot that has
    // since been overwritten and not marked it yet: free nothing this round (the next one
    // comes when the registry has doubled).
    if (__atomic_load_n(&readers, __ATOMIC_SEQ_CST) != 0) {
        for (size_t i = 0; i < r->count; i++) r->items[i]->kept = 1;
        return 0;
    }
    return free_unmarked(r);
}

/// Frees this thread's kept exceptions that nothing holds: no counted reference, not shared,
/// and no word of the stack (callee-saved registers spilled onto it first) pointing into it.
__attribute__((noinline))
static void collect(void) {
    registry *r = &kept_here;
    wasmc_thread_state *ts = wasmc_thread_state_here();
    r->limit = r->count * 2 > WASMC_EXN_MIN_LIMIT ? r->count * 2 : WASMC_EXN_MIN_LIMIT;
    if (!ts->initialized || !ts->stack_hi || ts->stack_unknown) return;
    // The callers' values kept in callee-saved registers, onto this frame (scanned below).
    volatile uintptr_t regs[6];
#if defined(__x86_64__)
    __asm__ volatile("movq %%rbx, 0(%0)\n movq %%rbp, 8(%0)\n movq %%r12, 16(%0)\n"
                     "movq %%r13, 24(%0)\n movq %%r14, 32(%0)\n movq %%r15, 40(%0)\n"
                     : : "r"(regs) : "memory");
#endif
    // Only on the thread's own stack, whose top is known (not on a stack the host switched to).
    uintptr_t lo = (uintptr_t)regs & ~(uintptr_t)7;
    if (lo < ts->stack_lo || lo >= ts->stack_hi) return;
    size_t n = (ts->stack_hi - lo) / sizeof(uintptr_t);
    uintptr_t *words = malloc((n + 1) * sizeof *words);
    if (!words) return;
    copy_stack(words, (const uintptr_t *)lo, n);
    words[n++] = (uintptr_t)uncaught;
    // Freeing one releases its payload's exceptions, which may then go in another round.
    while (sweep(r, words, n)) {}
    free(words);
    r->collections++;
    r->limit = r->count * 2 > WASMC_EXN_MIN_LIMIT ? r->count * 2 : WASMC_EXN_MIN_LIMIT;
}

wasmc_exception *wasmc_exn_new_impl(const wasmc_tag *tag, uint32_t count) {
    wasmc_exception *e = allocate(tag, count);
    if (!e) wasmc_trap_impl(WASMC_TRAP_HOST_ERROR);
    return e;
}

void wasmc_exn_throw_impl(wasmc_exception *e) {
    if (!e) wasmc_trap_impl(WASMC_TRAP_NULL_EXCEPTION_REFERENCE);
    wasmc_handler *h = innermost;
    if (!h) {
        uncaught = e;
        wasmc_unwind_uncaught();
    }
    innermost = h->prev;
    h->exception = e;
    wasmc_exn_jump(h);
}

void wasmc_exn_drop_impl(wasmc_exception *e) {
    if (!e->kept) destroy(e);
}

void wasmc_exn_throw_uncaught(void) {
    wasmc_exception *e = uncaught;
    uncaught = NULL;
    if (!e) wasmc_trap_impl(WASMC_TRAP_HOST_ERROR);
    wasmc_exn_throw_impl(e);
}

wasmc_handler *wasmc_exn_swap_innermost(wasmc_handler *h) {
    wasmc_handler *old = innermost;
    innermost = h;
    return old;
}

wasmc_exception *wasmc_thread_take_exception(void) {
    wasmc_exception *e = uncaught;
    uncaught = NULL;
    return e;
}

void wasmc_thread_set_exception(wasmc_exception *e) { uncaught = e; }

wasmc_exception *wasmc_exception_create(const wasmc_tag *tag, const wasmc_value *payload, uint32_t count,
                                        uint64_t exnref_mask) {
    wasmc_exception *e = allocate(tag, count);
    if (!e) return NULL;
    for (uint32_t i = 0; i < count; i++) e->payload[i] = payload[i];
    wasmc_exn_refs_impl(e, exnref_mask);
    return e;
}

void wasmc_exception_drop(wasmc_exception *e) {
    if (e && !e->kept) destroy(e);
}

void wasmc_exception_retain(wasmc_exception *e) { retain(e); }

void wasmc_exception_release(wasmc_exception *e) { release(e); }

void wasmc_exception_store(wasmc_exception **slot, wasmc_exception *v) { wasmc_exn_store_impl(slot, v); }

wasmc_exception *wasmc_exception_load(wasmc_exception *const *slot) { return wasmc_exn_load_impl(slot); }

void wasmc_exception_set_load_hook(void (*hook)(void)) { __atomic_store_n(&load_hook, hook, __ATOMIC_RELAXED); }

size_t wasmc_thread_kept_exceptions(void) { return kept_here.count; }

void wasmc_thread_collect_exceptions(void) { collect(); }

void wasmc_exn_thread_exit(void) {
    registry *r = &kept_here;
    // No wasm frame is left on this thread: what nothing counts goes now; the rest (held by a
    // global, table, payload or host value) becomes shared, freed by no thread.
    // A load in progress elsewhere may be about to mark one: then none is freed (all shared).
    if (__atomic_load_n(&readers, __ATOMIC_SEQ_CST) == 0) {
        int again;
        do {
            // The thread's uncaught exception, if kept here, is still to be taken: live.
            if (uncaught && uncaught->home == r) uncaught->kept = 2;
            again = free_unmarked(r);
        } while (again);
    }
    for (size_t i = 0; i < r->count; i++) __atomic_store_n(&r->items[i]->shared, 1u, __ATOMIC_RELAXED);
    free(r->items);
    *r = (registry){0};
}
