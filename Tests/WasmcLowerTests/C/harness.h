/* Test harness for generated C: included after the generated translation unit, it stands in
   for the runtime and the loader (a stub wasmc_rt whose traps longjmp back to the test, a
   plain heap buffer as memory 0, one funcref table) so functions can be called directly. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf test_jmp;
static volatile uint32_t test_trap_code;
static int test_failures;
#define TEST_MEM_CAP (16u * 65536u)

static __attribute__((noreturn)) void test_trap(uint32_t code) { test_trap_code = code; longjmp(test_jmp, 1); }
static __attribute__((noreturn)) void test_trap_index(uint32_t code, uint32_t index) { (void)index; test_trap(code); }
static wasmc_memory *test_mem;
static uint32_t test_grow(wasmc_memory_object *m, uint32_t d) {
    uint64_t old = test_mem->current_length >> 16;
    (void)m;
    if (old + d > TEST_MEM_CAP / 65536u) return 0xFFFFFFFFu;
    test_mem->current_length = (old + d) << 16;
    return (uint32_t)old;
}
static void test_fill(wasmc_memory *m, uint32_t d, uint32_t v, uint32_t n) {
    if ((uint64_t)d + n > m->current_length) test_trap(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    memset(m->base + d, (int)v, n);
}
static void test_copy(wasmc_memory *dm, uint32_t d, wasmc_memory *sm, uint32_t s, uint32_t n) {
    if ((uint64_t)d + n > dm->current_length || (uint64_t)s + n > sm->current_length) test_trap(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    memmove(dm->base + d, sm->base + s, n);
}
static void test_init(wasmc_memory *m, uint32_t d, const uint8_t *seg, uint32_t len, uint32_t s, uint32_t n) {
    if ((uint64_t)d + n > m->current_length || (uint64_t)s + n > len) test_trap(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    if (n) memcpy(m->base + d, seg + s, n);
}
static uint32_t test_table_grow(wasmc_table *t, void *init, uint32_t d) { (void)t; (void)init; (void)d; return 0xFFFFFFFFu; }
static void test_table_fill(wasmc_table *t, uint32_t d, void *v, uint32_t n) {
    if ((uint64_t)d + n > t->size) test_trap(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    while (n--) t->elements[d++] = v;
}
static uint32_t test_host(wasmc_host_function *fn, wasmc_value *v) { (void)fn; v[0].i32 = v[0].i32 * 2u; return 0; }
static const wasmc_rt test_rt = {
    WASMC_ABI_VERSION, 0, test_trap, test_grow, test_fill, test_copy, test_init,
    test_table_grow, test_table_fill, 0, 0, 0, 0, 0, test_host, test_trap_index,
};

static wasmc_module_instance test_inst;
/* The stack limit generated code reads: this thread's (x86-64: glibc's TCB word for
   split-stack limits, as the runtime keeps it). */
static void test_set_stack_limit(uintptr_t limit) { __asm__ volatile("movq %0, %%fs:0x70" : : "r"(limit)); }
static wasmc_table test_table;
static void *test_elements[8];
static wasmc_host_function test_host_fn;

/* Lays out an instance as the loader would: memory 0 owned, table 0 with `n` own functions. */
static wasmc_instance *test_setup(uint32_t pages) {
    const wasmc_descriptor *d = &wasmc_module_descriptor;
    uint32_t i;
    *d->rt_slot = &test_rt;
    test_mem = (wasmc_memory *)((char *)&test_inst + d->off_owned_memories);
    test_mem->base = (uint8_t *)calloc(1, TEST_MEM_CAP);
    test_mem->current_length = (uint64_t)pages << 16;
    ((wasmc_memory **)((char *)&test_inst + d->off_memories))[0] = test_mem;
    test_table.elements = test_elements;
    test_table.size = 8;
    ((wasmc_table **)((char *)&test_inst + d->off_tables))[0] = &test_table;
    for (i = 0; i < d->num_types; i++) ((uint32_t *)((char *)&test_inst + d->off_type_ids))[i] = 100 + i;
    test_host_fn.host = 0;
    return &test_inst.h;
}
/* Fills funcs[index] for a defined function of module type `type`. */
static void test_func(uint32_t index, uint32_t defined, uint32_t type) {
    wasmc_funcref *f = &((wasmc_funcref *)((char *)&test_inst + wasmc_module_descriptor.off_funcs))[index];
    f->type_id = 100 + type;
    f->code = wasmc_module_descriptor.function_code[defined];
    f->ctx = &test_inst.h;
    f->array_call = (void *)wasmc_module_descriptor.type_array_call[type];
}
static void test_import_host(uint32_t index, uint32_t type) {
    wasmc_funcref *f = &((wasmc_funcref *)((char *)&test_inst + wasmc_module_descriptor.off_funcs))[index];
    f->type_id = 100 + type;
    f->code = wasmc_module_descriptor.type_host_adapter[type];
    f->ctx = (wasmc_instance *)&test_host_fn;
}

#define CHECK(name, T, FMT, expr, expected)                                              \
    do {                                                                                 \
        if (setjmp(test_jmp) == 0) {                                                     \
            T got_ = (expr);                                                             \
            if (got_ != (T)(expected)) {                                                 \
                printf("FAIL %s: got " FMT " want " FMT "\n", name, got_, (T)(expected)); \
                test_failures++;                                                         \
            }                                                                            \
        } else {                                                                         \
            printf("FAIL %s: trapped %u\n", name, (unsigned)test_trap_code);            \
            test_failures++;                                                             \
        }                                                                                \
    } while (0)
#define CHECK_U32(name, expr, expected) CHECK(name, uint32_t, "%u", expr, expected)
#define CHECK_U64(name, expr, expected) CHECK(name, unsigned long long, "%llu", expr, expected)
#define CHECK_TRAP(name, stmt, code)                                                     \
    do {                                                                                 \
        test_trap_code = 0;                                                              \
        if (setjmp(test_jmp) == 0) {                                                     \
            stmt;                                                                        \
            printf("FAIL %s: no trap\n", name);                                          \
            test_failures++;                                                             \
        } else if (test_trap_code != (code)) {                                           \
            printf("FAIL %s: trap %u want %u\n", name, (unsigned)test_trap_code, (unsigned)(code)); \
            test_failures++;                                                             \
        }                                                                                \
    } while (0)
