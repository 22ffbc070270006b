// Entering wasm and leaving it by trap: per-thread jump buffers, stack limits and the
// SIGSEGV/SIGBUS handler that turns guard-page faults into "out of bounds memory access".
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// What this thread is doing with wasm. Touched by the signal handler, hence plain fields
/// of a thread-local written only by this thread.
typedef struct wasmc_thread_state {
    sigjmp_buf *jump;           /* innermost wasmc_invoke, NULL outside wasm */
    volatile int in_wasm;       /* in wasm code proper (not in a host call) */
    int initialized;
    uintptr_t stack_lo, stack_hi;
    uintptr_t stack_limit;      /* lowest address wasm may ever use on this thread */
    uintptr_t active_limit;     /* the limit of the outermost wasmc_invoke now running */
    void *altstack;
    void *pending_error;
    uint64_t trap_detail;       /* index | 2^32 from trap_index, 0 when none */
    const volatile uintptr_t *interrupt; /* interrupt group of the innermost call's ctx */
} wasmc_thread_state;

static __thread wasmc_thread_state thread_state;

static const char *const trap_messages[WASMC_TRAP_COUNT] = {
    [WASMC_TRAP_NONE] = "",
    [WASMC_TRAP_UNREACHABLE] = "unreachable",
    [WASMC_TRAP_MEMORY_OUT_OF_BOUNDS] = "out of bounds memory access",
    [WASMC_TRAP_TABLE_OUT_OF_BOUNDS] = "out of bounds table access",
    [WASMC_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [WASMC_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [WASMC_TRAP_INDIRECT_CALL_TYPE] = "indirect call type mismatch",
    [WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO] = "integer divide by zero",
    [WASMC_TRAP_INTEGER_OVERFLOW] = "integer overflow",
    [WASMC_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [WASMC_TRAP_CALL_STACK_EXHAUSTED] = "call stack exhausted",
    [WASMC_TRAP_UNALIGNED_ATOMIC] = "unaligned atomic",
    [WASMC_TRAP_EXPECTED_SHARED_MEMORY] = "expected shared memory",
    [WASMC_TRAP_HOST_ERROR] = "host function error",
    [WASMC_TRAP_INTERRUPTED] = "interrupted",
    [WASMC_TRAP_NULL_REFERENCE] = "null reference",
    [WASMC_TRAP_NULL_FUNCTION_REFERENCE] = "null function reference",
};

const char *wasmc_trap_message(uint32_t code) {
    return code < WASMC_TRAP_COUNT ? trap_messages[code] : "unknown trap";
}

// ---- Signals -------------------------------------------------------------------------------

static struct sigaction previous_segv, previous_bus;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
#define WASMC_ALTSTACK_SIZE (64 * 1024)

static void forward_signal(int sig, siginfo_t *info, void *uctx) {
    struct sigaction *prev = sig == SIGSEGV ? &previous_segv : &previous_bus;
    // si_code <= 0: sent by kill/raise, not a fault; nothing re-executes after the handler.
    int sent = info->si_code <= 0;
    if (prev->sa_flags & SA_SIGINFO) {
        prev->sa_sigaction(sig, info, uctx);
    } else if (prev->sa_handler == SIG_IGN && sent) {
        return; /* the host ignores it, and wasmc's handler stays for wasm's faults */
    } else if (prev->sa_handler == SIG_DFL || prev->sa_handler == SIG_IGN) {
        // The default action: for a fault, returning re-executes the faulting access (a fault
        // cannot be ignored); a sent signal is raised again.
        signal(sig, SIG_DFL);
        if (sent) raise(sig);
    } else {
        prev->sa_handler(sig);
    }
}

static void fault_handler(int sig, siginfo_t *info, void *uctx) {
    wasmc_thread_state *ts = &thread_state;
    if (ts->jump && ts->in_wasm) {
        ts->trap_detail = 0;
        uintptr_t addr = (uintptr_t)info->si_addr;
        if (wasmc_address_in_memory(addr)) siglongjmp(*ts->jump, WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
        // A fault just below the usable stack is wasm recursion that got past its checks.
        if (ts->stack_lo && addr < ts->stack_limit && addr + 1024 * 1024 >= ts->stack_lo)
            siglongjmp(*ts->jump, WASMC_TRAP_CALL_STACK_EXHAUSTED);
    }
    forward_signal(sig, info, uctx);
}

static void install_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    // SA_NODEFER: we leave the handler by siglongjmp without restoring the mask (the mask is
    // not saved per call: that would cost a syscall on every entry into wasm).
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);
}

static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void thread_exit(void *altstack) {
    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && ss.ss_sp == altstack) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
    }
    free(altstack);
}

static void make_key(void) { pthread_key_create(&thread_key, thread_exit); }

/// Stack bounds, limit and alternate signal stack, once per thread.
static void thread_init(wasmc_thread_state *ts) {
    pthread_once(&handlers_once, install_handlers);
    pthread_once(&key_once, make_key);
    pthread_attr_t attr;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr = NULL;
        size_t size = 0;
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
        ts->stack_lo = (uintptr_t)addr;
        ts->stack_hi = (uintptr_t)addr + size;
    }
    if (!ts->stack_lo || here < ts->stack_lo || here > ts->stack_hi) {
        // Unknown bounds: assume 512 KiB below the current frame.
        ts->stack_hi = here;
        ts->stack_lo = here - 512 * 1024;
    }
    size_t size = ts->stack_hi - ts->stack_lo;
    // Room for host calls and the runtime below the deepest wasm frame.
    size_t margin = size / 8;
    if (margin < 128 * 1024) margin = 128 * 1024;
    if (margin > 1024 * 1024) margin = 1024 * 1024;
    if (margin > size / 2) margin = size / 2;
    ts->stack_limit = ts->stack_lo + margin;

    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
        void *mem = malloc(WASMC_ALTSTACK_SIZE);
        if (mem) {
            stack_t ns = {.ss_sp = mem, .ss_size = WASMC_ALTSTACK_SIZE, .ss_flags = 0};
            if (sigaltstack(&ns, NULL) == 0) {
                ts->altstack = mem;
                pthread_setspecific(thread_key, mem);
            } else {
                free(mem);
            }
        }
    }
    ts->initialized = 1;
}

// ---- Entry and trap ------------------------------------------------------------------------

uint32_t wasmc_invoke(void *array_call, void *code, wasmc_instance *ctx, wasmc_value *args_results) {
    return wasmc_invoke_with_stack(array_call, code, ctx, args_results, 0);
}

uint32_t wasmc_invoke_with_stack(void *array_call, void *code, wasmc_instance *ctx, wasmc_value *args_results,
                                 size_t max_stack_bytes) {
    wasmc_thread_state *ts = &thread_state;
    if (!ts->initialized) thread_init(ts);
    if (!ts->jump) {
        // Outermost entry on this thread: wasm may use `max_stack_bytes` below this frame,
        // never more than the thread's own limit allows.
        uintptr_t limit = ts->stack_limit;
        uintptr_t here = (uintptr_t)__builtin_frame_address(0);
        if (max_stack_bytes && here > max_stack_bytes && here - max_stack_bytes > limit) limit = here - max_stack_bytes;
        ts->active_limit = limit;
    }
    sigjmp_buf buf;
    sigjmp_buf *volatile outer = ts->jump;
    volatile int outer_in_wasm = ts->in_wasm;
    const volatile uintptr_t *volatile outer_interrupt = ts->interrupt;
    int trap = sigsetjmp(buf, 0);
    if (trap == 0) {
        ts->jump = &buf;
        ts->interrupt = ctx->interrupt_group;
        // One limit per call chain: nested calls (wasm → host → wasm) on this thread share
        // the outermost call's. A pending interruption request keeps the limit raised, so
        // the first function entry traps.
        // Stored, then the word read again, both sequentially consistent: an interrupter
        // (word, then limit) that this store overwrote has set the word before the re-read.
        __atomic_store_n(&ctx->stack_limit, ts->active_limit, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&ctx->interrupt, __ATOMIC_SEQ_CST))
            __atomic_store_n(&ctx->stack_limit, WASMC_INTERRUPT_STACK_LIMIT, __ATOMIC_SEQ_CST);
        ts->in_wasm = 1;
        ((wasmc_array_call_fn)array_call)(code, ctx, args_results);
    }
    ts->in_wasm = outer_in_wasm;
    ts->jump = outer;
    ts->interrupt = outer_interrupt;
    return (uint32_t)trap;
}

static void trap_with(uint32_t code, uint64_t detail) __attribute__((noreturn));

void wasmc_trap_impl(uint32_t code) { trap_with(code, 0); }

void wasmc_trap_index_impl(uint32_t code, uint32_t index) { trap_with(code, (uint64_t)index | (1ull << 32)); }

static void trap_with(uint32_t code, uint64_t detail) {
    wasmc_thread_state *ts = &thread_state;
    ts->trap_detail = detail;
    if (!ts->jump) {
        fprintf(stderr, "wasmc: trap (%s) outside of wasmc_invoke\n", wasmc_trap_message(code));
        abort();
    }
    siglongjmp(*ts->jump, code == 0 ? WASMC_TRAP_UNREACHABLE : (int)code);
}

uint64_t wasmc_thread_take_trap_detail(void) {
    uint64_t d = thread_state.trap_detail;
    thread_state.trap_detail = 0;
    return d;
}

int wasmc_thread_in_invoke(void) { return thread_state.jump != NULL; }

const volatile uintptr_t *wasmc_thread_interrupt_word(void) { return thread_state.interrupt; }

// ---- Interruption --------------------------------------------------------------------------

void wasmc_interrupt(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count) {
    __atomic_store_n(group, 1, __ATOMIC_SEQ_CST);
    // Loops poll each instance's word; raising the limits makes the next function entry trap
    // too. A call chain may copy a stale limit into a callee meanwhile: its loops still poll
    // the word, and its stack check, when it fires, reports "interrupted".
    for (size_t i = 0; i < count; i++) {
        __atomic_store_n(&instances[i]->interrupt, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&instances[i]->stack_limit, WASMC_INTERRUPT_STACK_LIMIT, __ATOMIC_RELAXED);
    }
    wasmc_wake_interrupted_waiters(group);
}

void wasmc_interrupt_reset(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count) {
    __atomic_store_n(group, 0, __ATOMIC_SEQ_CST);
    for (size_t i = 0; i < count; i++) __atomic_store_n(&instances[i]->interrupt, 0, __ATOMIC_SEQ_CST);
}

int wasmc_interrupt_requested(const volatile uintptr_t *word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST) != 0; }

// ---- Host calls ----------------------------------------------------------------------------

static _Atomic(wasmc_host_callback) host_callback;

void wasmc_set_host_callback(wasmc_host_callback cb) { atomic_store(&host_callback, cb); }

uint32_t wasmc_call_host_impl(wasmc_host_function *fn, wasmc_value *args_results) {
    wasmc_host_callback cb = atomic_load(&host_callback);
    if (!cb) return WASMC_TRAP_HOST_ERROR;
    wasmc_thread_state *ts = &thread_state;
    int was_in_wasm = ts->in_wasm;
    // Faults in host code are the host's, not wasm traps.
    ts->in_wasm = 0;
    uint32_t result = cb(fn, args_results);
    ts->in_wasm = was_in_wasm;
    return result;
}

void *wasmc_thread_pending_error(void) { return thread_state.pending_error; }
void wasmc_thread_set_pending_error(void *error) { thread_state.pending_error = error; }
