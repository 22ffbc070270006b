// Lock-free sets of address ranges, read by the signal handlers (wasmc_trap.c).
#include "wasmc_internal.h"

int wasmc_range_add(wasmc_range_set *set, uintptr_t lo, uintptr_t hi) {
    for (int i = 0; i < WASMC_MAX_RANGES; i++) {
        uintptr_t expected = 0;
        // Claim the slot through `hi`, publish it through `lo` (readers test `lo` first).
        if (atomic_load(&set->lo[i]) == 0 && atomic_compare_exchange_strong(&set->hi[i], &expected, hi)) {
            atomic_store(&set->lo[i], lo);
            int used = atomic_load(&set->used);
            while (used < i + 1 && !atomic_compare_exchange_weak(&set->used, &used, i + 1)) {}
            return i;
        }
    }
    return -1;
}

void wasmc_range_remove(wasmc_range_set *set, int slot) {
    if (slot < 0 || slot >= WASMC_MAX_RANGES) return;
    atomic_store(&set->lo[slot], 0);
    atomic_store(&set->hi[slot], 0);
}

int wasmc_range_contains(wasmc_range_set *set, uintptr_t addr) {
    int used = atomic_load(&set->used);
    for (int i = 0; i < used; i++) {
        uintptr_t lo = atomic_load(&set->lo[i]);
        if (lo && addr >= lo && addr < atomic_load(&set->hi[i])) return 1;
    }
    return 0;
}
