// wasmc_runtime.h — the C runtime's interface to the Swift library (not seen by generated code).
#ifndef WASMC_RUNTIME_H
#define WASMC_RUNTIME_H
#include "wasmc_abi.h"

/// Text of wasmc_abi.h, of the prelude and of the vector library (wasmc_simd.h),
/// NUL-terminated, for the code generator.
const char *wasmc_abi_header_text(void);
const char *wasmc_prelude_text(void);
const char *wasmc_simd_text(void);

/// The entry table every loaded module gets in its rt slot.
const wasmc_rt *wasmc_runtime_table(void);

/// The host CPU's features (wasmc_cpu_feature bits); detected once.
uint32_t wasmc_cpu_host_features(void);

/// Spec wording of a trap code ("integer divide by zero", ...).
const char *wasmc_trap_message(uint32_t code);

// ---- Entering wasm -------------------------------------------------------------------------

/// The only way into wasm code: calls `array_call(code, ctx, args_results)` under a trap
/// handler for this thread. Returns 0, or the trap code that unwound the call. Nests.
uint32_t wasmc_invoke(void *array_call, void *code, wasmc_instance *ctx, wasmc_value *args_results);
/// wasmc_invoke with a stack budget: when this is the outermost call on the thread and
/// `max_stack_bytes` is not 0, wasm code may use at most that many bytes of native stack below
/// this call ("call stack exhausted" beyond), and never more than the thread's own limit.
/// Nested calls (wasm → host → wasm) keep the outermost call's limit.
uint32_t wasmc_invoke_with_stack(void *array_call, void *code, wasmc_instance *ctx, wasmc_value *args_results,
                                 size_t max_stack_bytes);

/// Offset of the calling thread's stack limit from the thread pointer, the same in every
/// thread; the loader hands it to each module (wasmc_descriptor.stack_limit_offset_slot).
intptr_t wasmc_stack_limit_tls_offset(void);

/// The index passed to the last `trap_index` on this thread, plus 2^32 (0 when none);
/// reading clears it.
uint64_t wasmc_thread_take_trap_detail(void);

/// Whether this thread is currently inside wasmc_invoke (in wasm or in a host call from it).
int wasmc_thread_in_invoke(void);

// ---- Exceptions --------------------------------------------------------------------------

/// The exception that made the last wasmc_invoke on this thread return WASMC_TRAP_EXCEPTION
/// (NULL when none); taking it clears the slot. The host frees it with wasmc_exception_drop.
wasmc_exception *wasmc_thread_take_exception(void);
/// Sets the exception a host function throws: it then returns WASMC_TRAP_EXCEPTION from the
/// host callback, and the calling wasm code gets it thrown at the call.
void wasmc_thread_set_exception(wasmc_exception *e);
/// A new exception of `tag` with a copy of `payload` (NULL when out of memory); bit i of
/// `exnref_mask`: payload[i] is an exnref, which the exception then holds a reference to.
wasmc_exception *wasmc_exception_create(const wasmc_tag *tag, const wasmc_value *payload, uint32_t count,
                                        uint64_t exnref_mask);
/// Frees `e` unless an exnref to it may exist (`kept`).
void wasmc_exception_drop(wasmc_exception *e);
/// A host value (or global, table element) holding `e` begins / ends: counted references
/// (docs/exceptions.md, lifetime). NULL is ignored.
void wasmc_exception_retain(wasmc_exception *e);
void wasmc_exception_release(wasmc_exception *e);
/// Stores `v` into an exnref slot (a global's cell, a table element), counted.
void wasmc_exception_store(wasmc_exception **slot, wasmc_exception *v);
/// Reads an exnref slot that other threads may overwrite (a global's cell, a table element):
/// the result stays allocated while this thread holds it or retains it.
wasmc_exception *wasmc_exception_load(wasmc_exception *const *slot);
/// For tests: `hook` (NULL: none) runs inside every such load, after the slot is read and
/// before the exception is marked, so a test can overwrite the slot and collect meanwhile.
void wasmc_exception_set_load_hook(void (*hook)(void));
/// How many kept exceptions this thread's registry holds (for tests: bounded memory).
size_t wasmc_thread_kept_exceptions(void);
/// Frees this thread's kept exceptions that nothing holds now (normally done as they grow).
void wasmc_thread_collect_exceptions(void);
/// Whether the group of this thread's innermost call is interrupted (for host functions:
/// they return the trap instead of going back into wasm).
int wasmc_thread_interrupted(void);

/// The address range of a loaded module's code, where the interrupt signal may unwind a call
/// (the code holds no lock and allocates nothing: the runtime does that, outside it). Returns
/// a slot for wasmc_code_unregister, or -1 when the registry is full.
int wasmc_code_register(const void *lo, const void *hi);
void wasmc_code_unregister(int slot);
/// wasmc_code_register for the executable segments of the loaded shared object that holds
/// `symbol`; -1 when there is none or the registry is full.
int wasmc_code_register_object(const void *symbol);

// ---- Interruption --------------------------------------------------------------------------

/// A new interrupt group's word (0: not interrupted), which also identifies the group; NULL
/// when out of memory. Release it once no instance of the group is left.
volatile uintptr_t *wasmc_interrupt_group_create(void);
void wasmc_interrupt_group_release(volatile uintptr_t *group);
/// Asks wasm code running in `instances` (the members of interrupt group `group`, whose
/// `interrupt_group` it is) to trap "interrupted": sets the group's word and each instance's
/// `interrupt`, raises the stack limit of each thread running a call of the group so its next
/// function entry traps, wakes their threads blocked in memory.atomic.wait, and signals those
/// (again every millisecond while they still are): one executing the module's own code, a
/// loop included, traps at once; one in the runtime, libc or a host function carries on until
/// it is back in wasm code, and a system call it is blocked in returns EINTR. Any thread; the
/// caller serialises calls for one group. The words stay set, so calls started later trap at
/// their first function entry, until wasmc_interrupt_reset clears them.
void wasmc_interrupt(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count);
void wasmc_interrupt_reset(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count);
int wasmc_interrupt_requested(const volatile uintptr_t *word);

/// The host side's callback for call_host, registered once. Returns 0 or a trap code.
typedef uint32_t (*wasmc_host_callback)(wasmc_host_function *fn, wasmc_value *args_results);
void wasmc_set_host_callback(wasmc_host_callback cb);

/// A per-thread slot where the host keeps an error thrown by a host function until the
/// outermost call rethrows it.
void *wasmc_thread_pending_error(void);
void wasmc_thread_set_pending_error(void *error);

// ---- Memories ------------------------------------------------------------------------------

/// Reserves the whole 32-bit range plus guard (`is64` 0), or for a 64-bit memory `max_pages`
/// plus a 4 GiB guard when that is at most WASMC_RESERVATION64_MAX bytes, else (non-shared
/// only) WASMC_RESERVATION64_INITIAL or `min_pages` if larger, moved to a larger reservation
/// when growth needs it; and commits `min_pages`. `max_pages` is the most pages growing may
/// reach (the type's maximum, capped by resource limits). `def` is where the definition lives
/// (inside an instance, for owned memories) or NULL to keep it inside the object. NULL on
/// failure: `min_pages` over `max_pages` or wasmc_memory_reservable_pages, a shared 64-bit
/// memory whose `max_pages` is over WASMC_RESERVATION64_MAX, a reservation past the
/// address-space budget, or no address space left (wasmc_memory_last_failure says which).
wasmc_memory_object *wasmc_memory_create(uint64_t min_pages, uint64_t max_pages, int shared, int is64,
                                         wasmc_memory *def);
/// Why a wasmc_memory_create on this thread returned NULL (wasmc_memory_last_failure).
enum wasmc_memory_failure_reason {
    WASMC_MEMORY_OK = 0,
    WASMC_MEMORY_FAILED_INVALID,  /* min over max, or a shared 64-bit memory over 1 TiB */
    WASMC_MEMORY_FAILED_BUDGET,   /* the reservation would pass the address-space budget */
    WASMC_MEMORY_FAILED_SYSTEM,   /* mmap/mprotect refused, or the range registry is full */
};
typedef struct wasmc_memory_failure {
    uint32_t reason;              /* enum wasmc_memory_failure_reason */
    uint64_t requested;           /* bytes of address space the reservation needed */
    uint64_t reserved;            /* bytes every memory's reservations held then */
    uint64_t budget;              /* the budget then */
} wasmc_memory_failure;
wasmc_memory_failure wasmc_memory_last_failure(void);

/// The process-wide address-space budget: the reservations of all memories together (each
/// memory's whole reservation, guard pages included, counted when it is made and given back
/// when it is unmapped) stay within it, so that memories declaring large maximums cannot use
/// up the address space the rest of the process needs. Default: half of x86-64's 128 TiB of
/// user address space. A creation or a move that would pass it fails.
uint64_t wasmc_address_budget(void);
void wasmc_set_address_budget(uint64_t bytes);
/// Bytes all memories' reservations hold now.
uint64_t wasmc_address_reserved(void);

/// The most pages a memory can have: 65536 for 32-bit memories; for 64-bit ones
/// WASMC_MEMORY64_MAX_BYTES (the address space every memory shares).
uint64_t wasmc_memory_reservable_pages(int is64);
/// Whether a 64-bit memory with this maximum (in pages, UINT64_MAX for none) may move its
/// base when it grows, so that code must not cache it (the lowering decides the same way).
int wasmc_memory64_base_moves(uint64_t max_pages, int shared);
void wasmc_memory_retain(wasmc_memory_object *mem);
/// Unmaps the reservation when the last reference goes.
void wasmc_memory_release(wasmc_memory_object *mem);
wasmc_memory *wasmc_memory_definition(wasmc_memory_object *mem);
uint64_t wasmc_memory_pages(wasmc_memory_object *mem);
uint64_t wasmc_memory_max_pages(wasmc_memory_object *mem);
int wasmc_memory_is_shared(wasmc_memory_object *mem);
/// Old size in pages, or UINT64_MAX when growing would pass the maximum, or committing or moving
/// the reservation fails.
uint64_t wasmc_memory_grow(wasmc_memory_object *mem, uint64_t delta_pages);
/// Why a grow failed (WASMC_GROW_OK when it did not).
enum wasmc_grow_failure {
    WASMC_GROW_OK = 0,
    WASMC_GROW_OVER_MAXIMUM,       /* past the type's maximum or the resource limit */
    /// The memory's base would have to move (a non-shared 64-bit memory outgrowing its
    /// reservation) while another thread is in a call that may use it (wasmc_memory_enter),
    /// whose code may hold the old base: refused rather than pulling the pages from under it.
    WASMC_GROW_IN_USE,
    WASMC_GROW_NO_ADDRESS_SPACE,   /* the address-space budget, mmap or mprotect refused */
};
/// The host's read (`to_memory` 0) or write of `count` bytes at `offset`: 0, or -1 when out of
/// bounds. Safe while another thread grows the memory, also when that moves it.
int wasmc_memory_host_copy(wasmc_memory_object *mem, uint64_t offset, void *bytes, uint64_t count, int to_memory);
/// Whether the memory may move when it grows (non-shared, its reservation short of its maximum).
int wasmc_memory_can_move(wasmc_memory_object *mem);
/// A call on this thread that may run code using `mem` (a memory that can move) begins / ends:
/// while one is under way, other threads' grows that would move it fail (WASMC_GROW_IN_USE).
/// Nests. enter returns -1 when out of memory (nothing counted).
int wasmc_memory_enter(wasmc_memory_object *mem);
void wasmc_memory_leave(wasmc_memory_object *mem);
/// wasmc_memory_grow, telling why it failed in `*why`.
uint64_t wasmc_memory_grow_why(wasmc_memory_object *mem, uint64_t delta_pages, uint32_t *why);
/// How many threads wait at `addr` (memory.atomic.wait), for the host and tests to observe
/// the wait queue.
uint32_t wasmc_memory_waiter_count(wasmc_memory_object *mem, uint64_t addr);

// ---- Tables --------------------------------------------------------------------------------

/// A table of `size` elements set to `init`. `max` is the most elements growing may reach:
/// the type's maximum capped by the resource limit (the loader's default cap is 10,000,000).
/// NULL when `size` > `max` or allocation fails.
wasmc_table *wasmc_table_create(uint32_t size, uint32_t max, uint32_t elem_type, void *init);
/// Writes an active element segment's `len` references at `dst` (bounds checked by the
/// caller), counted when the table holds exnrefs.
void wasmc_table_init_host(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t len);
void wasmc_table_destroy(wasmc_table *t);
/// table.grow for the host: old size, or UINT32_MAX on failure. Safe while other threads
/// read, set or grow the same table.
uint32_t wasmc_table_grow_host(wasmc_table *t, void *init, uint32_t delta);
/// The current size, read atomically (a grow on another thread publishes it last).
uint32_t wasmc_table_length(const wasmc_table *t);

// ---- WASI host -----------------------------------------------------------------------------

/// openat(dirfd, path, flags) resolved beneath `dirfd` (openat2 RESOLVE_BENEATH): absolute
/// paths, `..` above it and symlinks leaving it fail (EXDEV). -1 with errno on failure
/// (ENOSYS on kernels before 5.6).
int wasmc_open_beneath(int dirfd, const char *path, int flags);

#endif
