// Entering wasm and leaving it by trap: per-thread jump buffers, stack limits, the
// SIGSEGV/SIGBUS handler that turns guard-page faults into "out of bounds memory access" and
// the handler of the interrupt signal (wasmc_interrupt.c sends it).
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

// initial-exec: the state lies in the static TLS block, at one offset from the thread pointer
// in every thread, which generated code uses to read `check_limit` (but on x86-64).
static __thread wasmc_thread_state thread_state __attribute__((tls_model("initial-exec")));

wasmc_thread_state *wasmc_thread_state_here(void) { return &thread_state; }

#if defined(__x86_64__)
#ifndef __GLIBC__
#error "wasmc: the stack check uses glibc's x86-64 TCB word for split-stack limits (%fs:0x70)"
#endif
/// tcbhead_t.__private_ss: reserved by glibc for gcc's -fsplit-stack, which keeps the
/// thread's stack limit there; nothing else in a wasmc process uses it.
#define WASMC_TCB_LIMIT_OFFSET 0x70
static uintptr_t thread_pointer(void) {
    uintptr_t tp;
    __asm__("movq %%fs:0, %0" : "=r"(tp)); /* the TCB's self pointer: the thread pointer */
    return tp;
}
#else
static uintptr_t thread_pointer(void) { return (uintptr_t)__builtin_thread_pointer(); }
#endif

intptr_t wasmc_stack_limit_tls_offset(void) {
#ifdef WASMC_TCB_LIMIT_OFFSET
    return WASMC_TCB_LIMIT_OFFSET;
#else
    return (intptr_t)((uintptr_t)&thread_state.check_limit - thread_pointer());
#endif
}

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
    [WASMC_TRAP_NULL_EXCEPTION_REFERENCE] = "null exception reference",
    [WASMC_TRAP_EXCEPTION] = "uncaught exception",
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

static struct sigaction previous_interrupt;
static int interrupt_signal;
/// Marks the interrupt signals wasmc sends (si_value), to tell them from others of that number.
static const char interrupt_marker = 0;

static uintptr_t interrupted_pc(void *uctx) {
    const ucontext_t *uc = uctx;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
#error "wasmc: the interrupt handler needs the interrupted PC of this architecture"
#endif
}

/// Unwinds the innermost call as a trap when the thread is executing a module's own code (no
/// lock held, nothing allocated there), and its call's group is interrupted. Anywhere else
/// (the runtime, a host function, libc) it returns: the next function entry in wasm traps,
/// and the interrupter sends the signal again until the call has ended.
static void interrupt_handler(int sig, siginfo_t *info, void *uctx) {
    if (info->si_code != SI_QUEUE || info->si_pid != getpid() || info->si_value.sival_ptr != &interrupt_marker) {
        if (previous_interrupt.sa_flags & SA_SIGINFO) previous_interrupt.sa_sigaction(sig, info, uctx);
        else if (previous_interrupt.sa_handler != SIG_DFL && previous_interrupt.sa_handler != SIG_IGN)
            previous_interrupt.sa_handler(sig);
        return;
    }
    wasmc_thread_state *ts = &thread_state;
    __atomic_store_n(&ts->interrupt_pending, 0, __ATOMIC_RELAXED);
    const volatile uintptr_t *word = __atomic_load_n(&ts->interrupt, __ATOMIC_RELAXED);
    if (!ts->jump || !ts->in_wasm || !word || !__atomic_load_n(word, __ATOMIC_RELAXED)) return;
    if (!wasmc_address_in_code(interrupted_pc(uctx))) return;
    ts->trap_detail = 0;
    // The signal is blocked while its handler runs, and siglongjmp here restores no mask.
    sigset_t self;
    sigemptyset(&self);
    sigaddset(&self, sig);
    pthread_sigmask(SIG_UNBLOCK, &self, NULL);
    siglongjmp(*ts->jump, WASMC_TRAP_INTERRUPTED);
}

/// Real-time signals count up from SIGRTMIN in most programs that use them; wasmc takes one
/// near the top of the range.
#define WASMC_INTERRUPT_SIGNAL_FROM_TOP 3

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
    // Without SA_RESTART: a host call blocked in a system call returns EINTR. Without
    // SA_NODEFER: handlers never nest (the handler unblocks the signal when it unwinds).
    interrupt_signal = SIGRTMAX - WASMC_INTERRUPT_SIGNAL_FROM_TOP;
    sa.sa_sigaction = interrupt_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(interrupt_signal, &sa, &previous_interrupt);
}

int wasmc_interrupt_signal(void) {
    pthread_once(&handlers_once, install_handlers);
    return interrupt_signal;
}

const void *wasmc_interrupt_signal_marker(void) { return &interrupt_marker; }

static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void thread_exit(void *state) {
    wasmc_thread_state *ts = state;
    wasmc_threads_unregister(ts);
    wasmc_exn_thread_exit();
    stack_t ss;
    if (ts->altstack && sigaltstack(NULL, &ss) == 0 && ss.ss_sp == ts->altstack) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
    }
    free(ts->altstack);
    ts->altstack = NULL;
    ts->initialized = 0; /* a later destructor that enters wasm sets the thread up again */
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
        // Unknown bounds: assume 512 KiB below the current frame (and never scan it for
        // exnrefs: frames of later calls may lie above `here`).
        ts->stack_hi = here;
        ts->stack_unknown = 1;
        ts->stack_lo = here - 512 * 1024;
    }
    size_t size = ts->stack_hi - ts->stack_lo;
    // Room for host calls and the runtime below the deepest wasm frame.
    size_t margin = size / 8;
    if (margin < 128 * 1024) margin = 128 * 1024;
    if (margin > 1024 * 1024) margin = 1024 * 1024;
    if (margin > size / 2) margin = size / 2;
    ts->stack_limit = ts->stack_lo + margin;
    ts->limit_word = (uintptr_t *)(thread_pointer() + (uintptr_t)wasmc_stack_limit_tls_offset());

    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
        void *mem = malloc(WASMC_ALTSTACK_SIZE);
        if (mem) {
            stack_t ns = {.ss_sp = mem, .ss_size = WASMC_ALTSTACK_SIZE, .ss_flags = 0};
            if (sigaltstack(&ns, NULL) == 0) {
                ts->altstack = mem;
            } else {
                free(mem);
            }
        }
    }
    // Interrupters find this thread in the registry; the key's destructor takes it out.
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, interrupt_signal);
    pthread_sigmask(SIG_UNBLOCK, &interrupt, NULL);
    wasmc_threads_register(ts);
    pthread_setspecific(thread_key, ts);
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
    // A wasm call starts with no try_table handler: an exception it does not catch returns here.
    wasmc_handler *volatile outer_handler = wasmc_exn_swap_innermost(NULL);
    int trap = sigsetjmp(buf, 0);
    if (trap == 0) {
        ts->jump = &buf;
        // One limit per call chain: nested calls (wasm → host → wasm) on this thread share
        // the outermost call's, in whatever instance their code runs. A pending interruption
        // request keeps the limit raised, so the first function entry traps. The fence pairs
        // with the interrupter's (word, fence, then the thread records): either it sees this
        // call's group and raises this thread's limit, or this thread sees its word.
        __atomic_store_n(&ts->interrupt, ctx->interrupt_group, __ATOMIC_RELAXED);
        __atomic_store_n(ts->limit_word, ts->active_limit, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (__atomic_load_n(&ctx->interrupt, __ATOMIC_RELAXED))
            __atomic_store_n(ts->limit_word, WASMC_INTERRUPT_STACK_LIMIT, __ATOMIC_RELAXED);
        ts->in_wasm = 1;
        ((wasmc_array_call_fn)array_call)(code, ctx, args_results);
    }
    ts->in_wasm = outer_in_wasm;
    ts->jump = outer;
    __atomic_store_n(&ts->interrupt, outer_interrupt, __ATOMIC_RELAXED);
    if (outer) {
        // Back in the outer call (a host function returns to its wasm caller): its limit, or
        // the raised one if its group was interrupted meanwhile (same pairing as above).
        __atomic_store_n(ts->limit_word, ts->active_limit, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (outer_interrupt && __atomic_load_n(outer_interrupt, __ATOMIC_RELAXED))
            __atomic_store_n(ts->limit_word, WASMC_INTERRUPT_STACK_LIMIT, __ATOMIC_RELAXED);
    }
    wasmc_exn_swap_innermost(outer_handler);
    return (uint32_t)trap;
}

static void trap_with(uint32_t code, uint64_t detail) __attribute__((noreturn));

void wasmc_trap_impl(uint32_t code) {
    // A function entry's stack check failed because an interrupter raised this thread's limit.
    wasmc_thread_state *ts = &thread_state;
    if (code == WASMC_TRAP_CALL_STACK_EXHAUSTED && ts->limit_word &&
        (__atomic_load_n(ts->limit_word, __ATOMIC_RELAXED) == WASMC_INTERRUPT_STACK_LIMIT || wasmc_thread_interrupted()))
        code = WASMC_TRAP_INTERRUPTED;
    // A host function threw a wasm exception (its adapter traps with the code it returned).
    if (code == WASMC_TRAP_EXCEPTION && thread_state.jump) wasmc_exn_throw_uncaught();
    trap_with(code, 0);
}

void wasmc_unwind_uncaught(void) { trap_with(WASMC_TRAP_EXCEPTION, 0); }

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

const volatile uintptr_t *wasmc_thread_interrupt_word(void) { return __atomic_load_n(&thread_state.interrupt, __ATOMIC_RELAXED); }

int wasmc_thread_interrupted(void) {
    const volatile uintptr_t *word = wasmc_thread_interrupt_word();
    return word && __atomic_load_n(word, __ATOMIC_SEQ_CST) != 0;
}

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
    // Interrupted meanwhile (a loop calling the host, a blocking call that returned EINTR):
    // the trap now, rather than at the caller's next function entry.
    if (result == 0 && wasmc_thread_interrupted()) return WASMC_TRAP_INTERRUPTED;
    return result;
}

void *wasmc_thread_pending_error(void) { return thread_state.pending_error; }
void wasmc_thread_set_pending_error(void *error) { thread_state.pending_error = error; }
