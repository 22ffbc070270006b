// libtcc, linked in-process (Debian's libtcc-dev ships libtcc.a).
#include <libtcc.h>
#include <stdlib.h>
#include <string.h>

// The libc functions code compiled by tcc may call without naming them (tcc emits memmove
// for struct copies, memset to zero-initialise, memcpy; libtcc1.a's va_list helpers call
// abort), for a state without the libc link step (-nostdlib: tcc then resolves no symbol
// through the process's own libc).
static inline void wasmc_tcc_add_libc_symbols(TCCState *s) {
    tcc_add_symbol(s, "memmove", (const void *)memmove);
    tcc_add_symbol(s, "memset", (const void *)memset);
    tcc_add_symbol(s, "memcpy", (const void *)memcpy);
    tcc_add_symbol(s, "abort", (const void *)abort);
}

// tcc (Debian's 0.9.27 snapshot of 2020-08-14) leaves the labels of a function it abandons at a
// C error on its process-wide label stacks; their memory goes with that compile, and the next
// function to end walks them (label_pop -> put_extern_sym: a crash). tccgen_finish resets the
// other symbol stacks but not these two, so every compile starts by emptying them.
struct Sym;
extern struct Sym *global_label_stack, *local_label_stack;
static inline void wasmc_tcc_forget_labels(void) {
    global_label_stack = NULL;
    local_label_stack = NULL;
}
