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
    return e;
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
    if (!e->kept) free(e);
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

wasmc_exception *wasmc_exception_create(const wasmc_tag *tag, const wasmc_value *payload, uint32_t count) {
    wasmc_exception *e = allocate(tag, count);
    if (!e) return NULL;
    for (uint32_t i = 0; i < count; i++) e->payload[i] = payload[i];
    return e;
}

void wasmc_exception_drop(wasmc_exception *e) {
    if (e && !e->kept) free(e);
}
