// Tables: references in storage sized for the table's maximum, so `elements` never moves and
// readers on other threads never see freed memory. Growth takes the table's lock, makes the
// pages it needs accessible, writes the new elements and then publishes the size with a
// release store. A table that cannot grow, or whose maximum fits in a page, keeps its elements
// in the heap block of its object (no system call per instance); others get a reservation.
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/// The runtime's table object; the ABI record comes first, so a `wasmc_table *` handed to
/// generated code and a `wasmc_table_object *` are the same address.
typedef struct wasmc_table_object {
    wasmc_table def;
    size_t reservation_size;    /* 0: the elements are `inline_elements` */
    size_t committed;           /* bytes from the start that are readable and writable */
    pthread_mutex_t lock;
    void *inline_elements[];
} wasmc_table_object;

/// Up to this many bytes of elements for the maximum, a table's elements are allocated with it.
#define WASMC_TABLE_INLINE_BYTES 4096

static size_t page_round(size_t bytes) { return (bytes + 4095) & ~(size_t)4095; }

/// Makes the first `bytes` of the reservation usable (callers hold the lock, or own the table).
static int commit(wasmc_table_object *t, size_t bytes) {
    if (bytes <= t->committed) return 0; /* always so for elements allocated with the object */
    bytes = page_round(bytes);
    if (mprotect((char *)t->def.elements + t->committed, bytes - t->committed, PROT_READ | PROT_WRITE) != 0) return -1;
    t->committed = bytes;
    return 0;
}

wasmc_table *wasmc_table_create(uint32_t size, uint32_t max, uint32_t elem_type, void *init) {
    if (size > max) return NULL;
    size_t max_bytes = (size_t)max * sizeof(void *);
    void **elements;
    wasmc_table_object *t;
    if (size == max || max_bytes <= WASMC_TABLE_INLINE_BYTES) {
        t = calloc(1, sizeof *t + max_bytes);
        if (!t) return NULL;
        elements = t->inline_elements;
        t->def.elements = elements;
        t->committed = max_bytes;
    } else {
        t = calloc(1, sizeof *t);
        if (!t) return NULL;
        // Address space for the maximum, inaccessible (and so not charged as memory) until a
        // size needs it, as memories do.
        size_t reserve = page_round(max_bytes);
        elements = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (elements == MAP_FAILED) {
            free(t);
            return NULL;
        }
        t->def.elements = elements;
        t->reservation_size = reserve;
        if (commit(t, (size_t)size * sizeof(void *)) != 0) {
            munmap(elements, reserve);
            free(t);
            return NULL;
        }
    }
    if (init)
        for (uint32_t i = 0; i < size; i++) elements[i] = init;
    if (elem_type == WASMC_EXNREF_TYPE)
        for (uint32_t i = 0; i < size; i++) wasmc_exception_retain(init);
    pthread_mutex_init(&t->lock, NULL);
    t->def.max = max;
    t->def.elem_type = elem_type;
    __atomic_store_n(&t->def.size, size, __ATOMIC_RELEASE);
    return &t->def;
}

void wasmc_table_destroy(wasmc_table *table) {
    if (!table) return;
    wasmc_table_object *t = (wasmc_table_object *)table;
    if (t->def.elem_type == WASMC_EXNREF_TYPE)
        for (uint32_t i = 0; i < t->def.size; i++) wasmc_exception_release(t->def.elements[i]);
    if (t->reservation_size) munmap(t->def.elements, t->reservation_size);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

uint32_t wasmc_table_length(const wasmc_table *t) { return __atomic_load_n(&t->size, __ATOMIC_ACQUIRE); }

uint32_t wasmc_rt_table_grow(wasmc_table *table, void *init, uint32_t delta) {
    wasmc_table_object *t = (wasmc_table_object *)table;
    pthread_mutex_lock(&t->lock);
    uint32_t old = t->def.size; /* only growers write it, and they hold the lock */
    uint64_t want = (uint64_t)old + delta;
    uint32_t result = UINT32_MAX;
    if (want <= t->def.max && commit(t, (size_t)want * sizeof(void *)) == 0) {
        // Elements past the published size are seen by no reader until the store below.
        for (uint64_t i = old; i < want; i++) __atomic_store_n(&t->def.elements[i], init, __ATOMIC_RELAXED);
        if (t->def.elem_type == WASMC_EXNREF_TYPE)
            for (uint64_t i = old; i < want; i++) wasmc_exception_retain(init);
        __atomic_store_n(&t->def.size, (uint32_t)want, __ATOMIC_RELEASE);
        result = old;
    }
    pthread_mutex_unlock(&t->lock);
    return result;
}

// Bulk operations check against one snapshot of the size: a concurrent grow only adds
// elements, so a range in bounds then stays in bounds.
void wasmc_rt_table_fill(wasmc_table *t, uint32_t dst, void *value, uint32_t len) {
    if ((uint64_t)dst + len > wasmc_table_length(t)) wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    if (t->elem_type == WASMC_EXNREF_TYPE) {
        for (uint32_t i = 0; i < len; i++) wasmc_exn_store_impl((wasmc_exception **)&t->elements[dst + i], value);
        return;
    }
    for (uint32_t i = 0; i < len; i++) __atomic_store_n(&t->elements[dst + i], value, __ATOMIC_RELAXED);
}

/// Copies exnref elements one by one, counted, in the order that reads each source before
/// it is overwritten (as memmove).
static void store_exnrefs(void **dst, void *const *src, uint32_t len) {
    if (dst <= src) {
        for (uint32_t i = 0; i < len; i++)
            wasmc_exn_store_impl((wasmc_exception **)&dst[i], wasmc_exn_load_impl((wasmc_exception *const *)&src[i]));
    } else {
        for (uint32_t i = len; i-- > 0;)
            wasmc_exn_store_impl((wasmc_exception **)&dst[i], wasmc_exn_load_impl((wasmc_exception *const *)&src[i]));
    }
}

void wasmc_rt_table_copy(wasmc_table *dst_t, uint32_t dst, wasmc_table *src_t, uint32_t src, uint32_t len) {
    if ((uint64_t)dst + len > wasmc_table_length(dst_t) || (uint64_t)src + len > wasmc_table_length(src_t))
        wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    if (dst_t->elem_type == WASMC_EXNREF_TYPE) store_exnrefs(dst_t->elements + dst, src_t->elements + src, len);
    else if (len) memmove(dst_t->elements + dst, src_t->elements + src, (size_t)len * sizeof(void *));
}

void wasmc_rt_table_init(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t seg_len,
                         uint32_t src, uint32_t len) {
    if ((uint64_t)src + len > seg_len || (uint64_t)dst + len > wasmc_table_length(t))
        wasmc_trap_impl(WASMC_TRAP_TABLE_OUT_OF_BOUNDS);
    if (t->elem_type == WASMC_EXNREF_TYPE) store_exnrefs(t->elements + dst, seg + src, len);
    else if (len) memcpy(t->elements + dst, seg + src, (size_t)len * sizeof(void *));
}

uint32_t wasmc_table_grow_host(wasmc_table *t, void *init, uint32_t delta) { return wasmc_rt_table_grow(t, init, delta); }

void wasmc_table_init_host(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t len) {
    wasmc_rt_table_init(t, dst, seg, len, 0, len);
}
