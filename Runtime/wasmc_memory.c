// Linear memories: a reservation per memory (8 GiB for 32-bit memories, the maximum plus a
// 4 GiB guard for 64-bit ones up to WASMC_RESERVATION64_MAX), growth by committing pages, and a
// registry of reservations the fault handler can read. A non-shared 64-bit memory whose
// maximum is beyond that cap moves to a larger reservation when it outgrows its own.
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/// 2^32 addresses plus a 32-bit static offset reach below base + 8 GiB; one more page of guard.
#define WASMC_RESERVATION (8ull * 1024 * 1024 * 1024 + WASMC_PAGE_SIZE)

// ---- Registry (read by the signal handler: lock-free) --------------------------------------

static wasmc_range_set reservations;

int wasmc_address_in_memory(uintptr_t addr) { return wasmc_range_contains(&reservations, addr); }

// ---- Address-space budget ------------------------------------------------------------------

/// Bytes of address space all reservations together may take: half of x86-64's 128 TiB of user
/// address space, so that memories declaring large maximums cannot starve the heap, thread
/// stacks and libraries of the process (wasmc_set_address_budget changes it).
static _Atomic uint64_t address_budget = WASMC_MEMORY64_MAX_BYTES / 2;
static _Atomic uint64_t address_reserved;

uint64_t wasmc_address_budget(void) { return atomic_load(&address_budget); }
uint64_t wasmc_address_reserved(void) { return atomic_load(&address_reserved); }
void wasmc_set_address_budget(uint64_t bytes) { atomic_store(&address_budget, bytes); }

/// Why this thread's last wasmc_memory_create failed, for the host's error message.
static __thread wasmc_memory_failure last_failure;

wasmc_memory_failure wasmc_memory_last_failure(void) { return last_failure; }

static void fail(uint32_t reason, uint64_t requested) {
    last_failure.reason = reason;
    last_failure.requested = requested;
    last_failure.reserved = atomic_load(&address_reserved);
    last_failure.budget = atomic_load(&address_budget);
}

/// Counts `bytes` against the budget: 0, or -1 (nothing counted) when they do not fit.
static int budget_take(uint64_t bytes) {
    uint64_t now = atomic_load(&address_reserved);
    do {
        uint64_t budget = atomic_load(&address_budget);
        if (bytes > budget || now > budget - bytes) return -1;
    } while (!atomic_compare_exchange_weak(&address_reserved, &now, now + bytes));
    return 0;
}

static void budget_give(uint64_t bytes) { atomic_fetch_sub(&address_reserved, bytes); }

// ---- Memory objects ------------------------------------------------------------------------

uint64_t wasmc_memory_reservable_pages(int is64) {
    return is64 ? WASMC_MEMORY64_MAX_BYTES / WASMC_PAGE_SIZE : WASMC_MAX_PAGES;
}

int wasmc_memory64_base_moves(uint64_t max_pages, int shared) {
    return !shared && max_pages > WASMC_RESERVATION64_MAX / WASMC_PAGE_SIZE;
}

/// Bytes mapped for a reservation of `pages` usable pages: a 64-bit memory's pages plus the
/// guard its bounds check leaves offsets to (and a page, as for 32-bit memories).
static size_t reservation_bytes(uint64_t pages) { return pages * WASMC_PAGE_SIZE + WASMC_GUARD64 + WASMC_PAGE_SIZE; }

static void *reserve(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/// reserve() within the budget: NULL (nothing counted) when over it or when mmap fails.
static void *reserve_counted(size_t bytes) {
    if (budget_take(bytes) != 0) return NULL;
    void *p = reserve(bytes);
    if (!p) budget_give(bytes);
    return p;
}

wasmc_memory_object *wasmc_memory_create(uint64_t min_pages, uint64_t max_pages, int shared, int is64,
                                         wasmc_memory *def) {
    uint64_t reservable = wasmc_memory_reservable_pages(is64);
    if (max_pages > reservable) max_pages = reservable;
    last_failure.reason = WASMC_MEMORY_FAILED_INVALID;
    if (min_pages > max_pages) return NULL;
    // A shared memory's base can never move (docs/threads.md): it must fit whole.
    if (is64 && shared && max_pages > WASMC_RESERVATION64_MAX / WASMC_PAGE_SIZE) return NULL;
    uint64_t reserved_pages = max_pages;
    if (is64 && wasmc_memory64_base_moves(max_pages, shared)) {
        uint64_t initial = WASMC_RESERVATION64_INITIAL / WASMC_PAGE_SIZE;
        reserved_pages = min_pages > initial ? min_pages : initial;
    }
    size_t reservation = is64 ? reservation_bytes(reserved_pages) : WASMC_RESERVATION;
    if (budget_take(reservation) != 0) {
        fail(WASMC_MEMORY_FAILED_BUDGET, reservation);
        return NULL;
    }
    fail(WASMC_MEMORY_FAILED_SYSTEM, reservation);
    wasmc_memory_object *mem = calloc(1, sizeof *mem);
    uint8_t *base = mem ? reserve(reservation) : NULL;
    uint64_t bytes = min_pages * WASMC_PAGE_SIZE;
    if (base && bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, reservation);
        base = NULL;
    }
    if (base) {
        mem->registry_slot = wasmc_range_add(&reservations, (uintptr_t)base, (uintptr_t)base + reservation);
        if (mem->registry_slot < 0) {
            munmap(base, reservation);
            base = NULL;
        }
    }
    if (!base) {
        free(mem);
        budget_give(reservation);
        return NULL;
    }
    last_failure.reason = WASMC_MEMORY_OK;
    mem->reservation = base;
    mem->reservation_size = reservation;
    mem->reserved_pages = is64 ? reserved_pages : WASMC_MAX_PAGES;
    mem->min_pages = min_pages;
    mem->max_pages = max_pages;
    mem->shared = shared;
    pthread_mutex_init(&mem->lock, NULL);
    atomic_init(&mem->refcount, 1);
    mem->def = def ? def : &mem->own_def;
    mem->def->base = base;
    __atomic_store_n(&mem->def->current_length, bytes, __ATOMIC_RELEASE);
    return mem;
}

void wasmc_memory_retain(wasmc_memory_object *mem) { atomic_fetch_add(&mem->refcount, 1); }

void wasmc_memory_release(wasmc_memory_object *mem) {
    if (atomic_fetch_sub(&mem->refcount, 1) != 1) return;
    wasmc_range_remove(&reservations, mem->registry_slot);
    munmap(mem->reservation, mem->reservation_size);
    budget_give(mem->reservation_size);
    free(mem->users);
    pthread_mutex_destroy(&mem->lock);
    free(mem);
}

wasmc_memory *wasmc_memory_definition(wasmc_memory_object *mem) { return mem->def; }
uint64_t wasmc_memory_pages(wasmc_memory_object *mem) { return wasmc_memory_length(mem->def) / WASMC_PAGE_SIZE; }
uint64_t wasmc_memory_max_pages(wasmc_memory_object *mem) { return mem->max_pages; }
int wasmc_memory_is_shared(wasmc_memory_object *mem) { return mem->shared; }

/// Moves a memory that outgrew its reservation into one for at least `pages` (twice the old
/// one when that fits, so n growths move O(log n) times): the committed pages' mappings move
/// (mremap, no copy) to the start of the new reservation. WASMC_GROW_OK on success; on
/// failure nothing changed. Caller holds the lock; only non-shared memories move, and their code reads `base`
/// again after each call and grow, which is right for the thread that grows. Code of another
/// thread may hold the old base: a move is refused (WASMC_GROW_IN_USE) while another thread is
/// in a call that may use the memory (wasmc_memory_enter; entering waits for the lock a move
/// holds).
/// Whether a thread other than the caller is in a call that may run code using `mem`.
static int used_by_other_threads(wasmc_memory_object *mem) {
    pthread_t self = pthread_self();
    for (size_t i = 0; i < mem->user_count; i++)
        if (mem->users[i].depth && !pthread_equal(mem->users[i].thread, self)) return 1;
    return 0;
}

static uint32_t move_to_larger(wasmc_memory_object *mem, uint64_t pages, uint64_t old_bytes);
static uint32_t move_reservation(wasmc_memory_object *mem, uint64_t pages, uint64_t old_bytes) {
    return used_by_other_threads(mem) ? WASMC_GROW_IN_USE : move_to_larger(mem, pages, old_bytes);
}

static uint32_t move_to_larger(wasmc_memory_object *mem, uint64_t pages, uint64_t old_bytes) {
    uint64_t want = mem->reserved_pages * 2 > pages ? mem->reserved_pages * 2 : pages;
    if (want > mem->max_pages) want = mem->max_pages;
    size_t size = reservation_bytes(want);
    // The new reservation counts against the budget until the old one is gone: a move past
    // the budget fails, as memory.grow may.
    uint8_t *base = reserve_counted(size);
    if (!base && want > pages) base = reserve_counted(size = reservation_bytes(want = pages));
    if (!base) return WASMC_GROW_NO_ADDRESS_SPACE;
    int slot = wasmc_range_add(&reservations, (uintptr_t)base, (uintptr_t)base + size);
    if (slot < 0 || (old_bytes && mremap(mem->reservation, old_bytes, old_bytes, MREMAP_MAYMOVE | MREMAP_FIXED,
                                         base) == MAP_FAILED)) {
        wasmc_range_remove(&reservations, slot);
        munmap(base, size);
        budget_give(size);
        return WASMC_GROW_NO_ADDRESS_SPACE;
    }
    wasmc_range_remove(&reservations, mem->registry_slot);
    // The committed part left the old reservation with the move; the rest is unmapped here.
    munmap(mem->reservation + old_bytes, mem->reservation_size - old_bytes);
    budget_give(mem->reservation_size);
    mem->registry_slot = slot;
    mem->reservation = base;
    mem->reservation_size = size;
    mem->reserved_pages = want;
    mem->def->base = base;
    return WASMC_GROW_OK;
}

int wasmc_memory_can_move(wasmc_memory_object *mem) { return !mem->shared && mem->reserved_pages < mem->max_pages; }

int wasmc_memory_enter(wasmc_memory_object *mem) {
    pthread_t self = pthread_self();
    pthread_mutex_lock(&mem->lock);
    struct wasmc_memory_user *free_slot = NULL;
    for (size_t i = 0; i < mem->user_count; i++) {
        struct wasmc_memory_user *u = &mem->users[i];
        if (u->depth && pthread_equal(u->thread, self)) {
            u->depth++;
            pthread_mutex_unlock(&mem->lock);
            return 0;
        }
        if (!u->depth && !free_slot) free_slot = u;
    }
    if (!free_slot && mem->user_count == mem->user_capacity) {
        size_t capacity = mem->user_capacity ? mem->user_capacity * 2 : 4;
        struct wasmc_memory_user *users = realloc(mem->users, capacity * sizeof *users);
        if (!users) {
            pthread_mutex_unlock(&mem->lock);
            return -1;
        }
        mem->users = users;
        mem->user_capacity = capacity;
    }
    if (!free_slot) free_slot = &mem->users[mem->user_count++];
    free_slot->thread = self;
    free_slot->depth = 1;
    pthread_mutex_unlock(&mem->lock);
    return 0;
}

void wasmc_memory_leave(wasmc_memory_object *mem) {
    pthread_t self = pthread_self();
    pthread_mutex_lock(&mem->lock);
    for (size_t i = 0; i < mem->user_count; i++)
        if (mem->users[i].depth && pthread_equal(mem->users[i].thread, self)) {
            mem->users[i].depth--;
            break;
        }
    pthread_mutex_unlock(&mem->lock);
}

uint64_t wasmc_memory_grow(wasmc_memory_object *mem, uint64_t delta) {
    uint32_t why;
    return wasmc_memory_grow_why(mem, delta, &why);
}

uint64_t wasmc_memory_grow_why(wasmc_memory_object *mem, uint64_t delta, uint32_t *why) {
    // Growers serialize on the lock, so each sees a distinct old size; readers see the new
    // length only after its pages are accessible.
    pthread_mutex_lock(&mem->lock);
    uint64_t old_bytes = wasmc_memory_length(mem->def);
    uint64_t old_pages = old_bytes / WASMC_PAGE_SIZE;
    uint64_t result = UINT64_MAX;
    *why = WASMC_GROW_OVER_MAXIMUM;
    if (delta <= mem->max_pages && old_pages + delta <= mem->max_pages) {
        *why = old_pages + delta <= mem->reserved_pages ? WASMC_GROW_OK
                                                        : move_reservation(mem, old_pages + delta, old_bytes);
    }
    if (*why == WASMC_GROW_OK) {
        uint64_t new_bytes = (old_pages + delta) * WASMC_PAGE_SIZE;
        if (delta == 0 ||
            mprotect(mem->reservation + old_bytes, new_bytes - old_bytes, PROT_READ | PROT_WRITE) == 0) {
            __atomic_store_n(&mem->def->current_length, new_bytes, __ATOMIC_RELEASE);
            result = old_pages;
        } else {
            *why = WASMC_GROW_NO_ADDRESS_SPACE;
        }
    }
    pthread_mutex_unlock(&mem->lock);
    return result;
}

int wasmc_memory_host_copy(wasmc_memory_object *mem, uint64_t offset, void *bytes, uint64_t count, int to_memory) {
    // A memory that can move is read under its lock, which moves hold; others need no lock.
    int moves = !mem->shared && mem->reserved_pages < mem->max_pages;
    if (moves) pthread_mutex_lock(&mem->lock);
    uint64_t length = wasmc_memory_length(mem->def);
    int ok = offset <= length && count <= length - offset;
    if (ok && count) {
        if (to_memory) memcpy(mem->def->base + offset, bytes, count);
        else memcpy(bytes, mem->def->base + offset, count);
    }
    if (moves) pthread_mutex_unlock(&mem->lock);
    return ok ? 0 : -1;
}

// ---- Bulk memory (64-bit operands: 32-bit memories' widen) ----------------------------------

/// [at, at + n) lies inside a memory of `length` bytes (no overflow for any operands).
static int in_bounds(uint64_t at, uint64_t n, uint64_t length) { return at <= length && n <= length - at; }

void wasmc_rt_memory_fill(wasmc_memory *mem, uint64_t dst, uint32_t value, uint64_t len) {
    if (!in_bounds(dst, len, wasmc_memory_length(mem))) wasmc_trap_impl(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    memset(mem->base + dst, (int)(value & 0xFF), len);
}

void wasmc_rt_memory_copy(wasmc_memory *dst_mem, uint64_t dst, wasmc_memory *src_mem, uint64_t src, uint64_t len) {
    if (!in_bounds(dst, len, wasmc_memory_length(dst_mem)) || !in_bounds(src, len, wasmc_memory_length(src_mem)))
        wasmc_trap_impl(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    memmove(dst_mem->base + dst, src_mem->base + src, len);
}

void wasmc_rt_memory_init(wasmc_memory *mem, uint64_t dst, const uint8_t *seg, uint32_t seg_len,
                          uint32_t src, uint32_t len) {
    if ((uint64_t)src + len > seg_len || !in_bounds(dst, len, wasmc_memory_length(mem)))
        wasmc_trap_impl(WASMC_TRAP_MEMORY_OUT_OF_BOUNDS);
    if (len) memcpy(mem->base + dst, seg + src, len);
}
