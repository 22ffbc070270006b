// Tables: a growable array of references (funcref: wasmc_funcref*, externref: host pointer).
#include "wasmc_internal.h"
#include <stdlib.h>
#include <string.h>

wasmc_table *wasmc_table_create(uint32_t size, uint32_t max, uint32_t elem_type, void *init) {
    if (size > max) return NULL;
    wasmc_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->elements = calloc(size ? size : 1, sizeof(void *));
    if (!t->elements) {
        free(t);
        return NULL;
    }
    for (uint32_t i = 0; i < size; i++) t->elements[i] = init;
    t->size = size;
    t->max = max;
    t->elem_type = elem_type;
    return t;
}

void wasmc_table_destroy(wasmc_table *t) {
    if (!t) return;
    free(t->elements);
    free(t);
}

uint32_t wasmc_rt_table_grow(wasmc_table *t, void *init, uint32_t delta) {
    uint32_t old = t->size;
    uint64_t want = (uint64_t)old + delta;
    if (want > t->max) return UINT32_MAX;
    if (delta == 0) return old;
    void **grown = realloc(t->elements, (size_t)want * sizeof(void *));
    if (!grown) return UINT32_MAX;
    for (uint64_t i = old; i < want; i++) grown[i] = init;
    t->elements = grown;
    t->size = (uint32_t)want;
    return old;
}

void wasmc_rt_table_fill(wasmc_table *t, uint32_t dst, void *value, uint32_t len) {
    if ((uint64_t)dst + len > t->size) wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    for (uint32_t i = 0; i < len; i++) t->elements[dst + i] = value;
}

void wasmc_rt_table_copy(wasmc_table *dst_t, uint32_t dst, wasmc_table *src_t, uint32_t src, uint32_t len) {
    if ((uint64_t)dst + len > dst_t->size || (uint64_t)src + len > src_t->size)
        wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    if (len) memmove(dst_t->elements + dst, src_t->elements + src, (size_t)len * sizeof(void *));
}

void wasmc_rt_table_init(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t seg_len,
                         uint32_t src, uint32_t len) {
    if ((uint64_t)src + len > seg_len || (uint64_t)dst + len > t->size)
        wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    if (len) memcpy(t->elements + dst, seg + src, (size_t)len * sizeof(void *));
}

uint32_t wasmc_table_grow_host(wasmc_table *t, void *init, uint32_t delta) { return wasmc_rt_table_grow(t, init, delta); }
