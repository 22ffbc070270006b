// wasmc_abi.h — the one declaration of the ABI between generated code, the C runtime and the
// Swift loader: value representation, memory/table/function-reference records, the common
// instance header, the runtime entry table and the module descriptor.
//
// Generated C includes this file (its text is embedded in the runtime, see wasmc_abi_text.c),
// Swift sees it through the WasmcRuntime module; so both sides take offsets from one place.
// Per-module parts of an instance are declared by the generated code as a struct that starts
// with `wasmc_instance`; the descriptor reports their offsets (offsetof), so the loader never
// computes a layout of its own.
#ifndef WASMC_ABI_H
#define WASMC_ABI_H

#include <stdint.h>
#include <stddef.h>

#define WASMC_DESCRIPTOR_MAGIC 0x434D5357u /* "WSMC" */
/// Bump on any change to this file that alters a layout or a signature.
#define WASMC_ABI_VERSION 11u
/// Name of the descriptor symbol every compiled module exports.
#define WASMC_DESCRIPTOR_SYMBOL "wasmc_module_descriptor"

/// x86-64 instruction-set features beyond the baseline (SSE2) that compiled code may use:
/// those of the psABI levels x86-64-v2 and -v3, one bit each. A module records the ones its C
/// compiler targeted (WASMC_CPU_FEATURES, from the compiler's own predefined macros, so it is
/// whatever `-march` the code was really built for), and the loader refuses it on a CPU
/// lacking any (ABI 10).
enum wasmc_cpu_feature {
    WASMC_CPU_SSE3 = 1u << 0, WASMC_CPU_SSSE3 = 1u << 1, WASMC_CPU_SSE4_1 = 1u << 2,
    WASMC_CPU_SSE4_2 = 1u << 3, WASMC_CPU_POPCNT = 1u << 4, WASMC_CPU_CX16 = 1u << 5,
    WASMC_CPU_LAHF_SAHF = 1u << 6,
    WASMC_CPU_AVX = 1u << 7, WASMC_CPU_AVX2 = 1u << 8, WASMC_CPU_BMI1 = 1u << 9,
    WASMC_CPU_BMI2 = 1u << 10, WASMC_CPU_FMA = 1u << 11, WASMC_CPU_LZCNT = 1u << 12,
    WASMC_CPU_MOVBE = 1u << 13, WASMC_CPU_F16C = 1u << 14, WASMC_CPU_XSAVE = 1u << 15,
};
#ifdef __SSE3__
#define WASMC_CPU_USES_SSE3 WASMC_CPU_SSE3
#else
#define WASMC_CPU_USES_SSE3 0u
#endif
#ifdef __SSSE3__
#define WASMC_CPU_USES_SSSE3 WASMC_CPU_SSSE3
#else
#define WASMC_CPU_USES_SSSE3 0u
#endif
#ifdef __SSE4_1__
#define WASMC_CPU_USES_SSE4_1 WASMC_CPU_SSE4_1
#else
#define WASMC_CPU_USES_SSE4_1 0u
#endif
#ifdef __SSE4_2__
#define WASMC_CPU_USES_SSE4_2 WASMC_CPU_SSE4_2
#else
#define WASMC_CPU_USES_SSE4_2 0u
#endif
#ifdef __POPCNT__
#define WASMC_CPU_USES_POPCNT WASMC_CPU_POPCNT
#else
#define WASMC_CPU_USES_POPCNT 0u
#endif
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
#define WASMC_CPU_USES_CX16 WASMC_CPU_CX16
#else
#define WASMC_CPU_USES_CX16 0u
#endif
#ifdef __LAHF_SAHF__
#define WASMC_CPU_USES_LAHF_SAHF WASMC_CPU_LAHF_SAHF
#else
#define WASMC_CPU_USES_LAHF_SAHF 0u
#endif
#ifdef __AVX__
#define WASMC_CPU_USES_AVX WASMC_CPU_AVX
#else
#define WASMC_CPU_USES_AVX 0u
#endif
#ifdef __AVX2__
#define WASMC_CPU_USES_AVX2 WASMC_CPU_AVX2
#else
#define WASMC_CPU_USES_AVX2 0u
#endif
#ifdef __BMI__
#define WASMC_CPU_USES_BMI1 WASMC_CPU_BMI1
#else
#define WASMC_CPU_USES_BMI1 0u
#endif
#ifdef __BMI2__
#define WASMC_CPU_USES_BMI2 WASMC_CPU_BMI2
#else
#define WASMC_CPU_USES_BMI2 0u
#endif
#ifdef __FMA__
#define WASMC_CPU_USES_FMA WASMC_CPU_FMA
#else
#define WASMC_CPU_USES_FMA 0u
#endif
#ifdef __LZCNT__
#define WASMC_CPU_USES_LZCNT WASMC_CPU_LZCNT
#else
#define WASMC_CPU_USES_LZCNT 0u
#endif
#ifdef __MOVBE__
#define WASMC_CPU_USES_MOVBE WASMC_CPU_MOVBE
#else
#define WASMC_CPU_USES_MOVBE 0u
#endif
#ifdef __F16C__
#define WASMC_CPU_USES_F16C WASMC_CPU_F16C
#else
#define WASMC_CPU_USES_F16C 0u
#endif
#ifdef __XSAVE__
#define WASMC_CPU_USES_XSAVE WASMC_CPU_XSAVE
#else
#define WASMC_CPU_USES_XSAVE 0u
#endif
/// The features the code being compiled may use (the descriptor's cpu_features).
#define WASMC_CPU_FEATURES (WASMC_CPU_USES_SSE3 | WASMC_CPU_USES_SSSE3 | WASMC_CPU_USES_SSE4_1 | \
    WASMC_CPU_USES_SSE4_2 | WASMC_CPU_USES_POPCNT | WASMC_CPU_USES_CX16 | WASMC_CPU_USES_LAHF_SAHF | \
    WASMC_CPU_USES_AVX | WASMC_CPU_USES_AVX2 | WASMC_CPU_USES_BMI1 | WASMC_CPU_USES_BMI2 | \
    WASMC_CPU_USES_FMA | WASMC_CPU_USES_LZCNT | WASMC_CPU_USES_MOVBE | WASMC_CPU_USES_F16C | \
    WASMC_CPU_USES_XSAVE)

/// One wasm value in the uniform (array-call) convention: i32 in i32, i64 in i64, f32/f64 by
/// value, references as pointers (funcref: wasmc_funcref*, externref: opaque host pointer),
/// v128 as its 16 bytes in memory order (added in ABI version 5).
typedef union wasmc_value {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    void *ref;
    uint8_t v128[16];
} wasmc_value;

/// A memory definition. 32-bit memories reserve the whole addressable range plus guard (8 GiB);
/// 64-bit ones their maximum plus a 4 GiB guard, which their explicit bounds check relies on,
/// when the maximum is at most WASMC_RESERVATION64_MAX. There `base` never moves and code
/// caches it. A non-shared 64-bit memory with a larger maximum (or none) starts with a smaller
/// reservation and moves to a larger one when growing past it: code reads its `base` at each
/// access (wasmc_memory64_base_moves). Growing raises `current_length` (bytes). For shared
/// memories `current_length` is read and written atomically.
/// Inaccessible bytes after a 64-bit memory's reservation: an access whose address passed the
/// check `addr <= current_length` and whose static offset plus size is at most this faults
/// there (FunctionLowerer.guard64 is the lowering's copy of it).
#define WASMC_GUARD64 (4ull << 30)
/// The largest maximum a 64-bit memory reserves whole, so that its base never moves: 1 TiB
/// (ExprTree.reservation64Max is the lowering's copy). Every memory shares the process's
/// 128 TiB of address space; a shared 64-bit memory must fit under it (it can never move).
#define WASMC_RESERVATION64_MAX (1ull << 40)
/// What a 64-bit memory whose base moves reserves at first (or its minimum, if larger).
#define WASMC_RESERVATION64_INITIAL (16ull << 30)
/// The most bytes a 64-bit memory can reach: x86-64's 128 TiB of user address space.
#define WASMC_MEMORY64_MAX_BYTES (1ull << 47)

typedef struct wasmc_memory {
    uint8_t *base;
    uint64_t current_length;
} wasmc_memory;

/// Runtime object behind every memory (limits, shared flag, lock, reservation). Opaque to
/// generated code, which passes it to the runtime for grow/fill/copy/init/wait/notify.
typedef struct wasmc_memory_object wasmc_memory_object;

typedef struct wasmc_instance wasmc_instance;

/// A function reference. `code` has the native signature of the function's type:
///   R code(wasmc_instance *ctx, P0, P1, ...)
/// (several results: returns the module's generated tuple struct for that type).
/// For host functions `ctx` points at a `wasmc_host_function` instead of an instance.
typedef struct wasmc_funcref {
    uint32_t type_id;         /* process-wide canonical signature id */
    uint32_t reserved;
    void *code;
    wasmc_instance *ctx;
    void *array_call;         /* wasmc_array_call_fn for this signature */
    void *tail;               /* wasmc_tail_fn of a function that makes tail calls, else NULL (ABI 4) */
} wasmc_funcref;

/// Tail calls (docs/tail-calls.md). A function that makes tail calls to other functions has a
/// second entry, `tail`, run by a trampoline loop: it reads its arguments from `args` and
/// either returns, with its results in `args` and `entry` NULL, or leaves the next call in
/// `entry`, `code`, `ctx` and `args` for the loop to make. For a function without one, `entry`
/// is the caller module's per-signature adapter, which calls `code` the ordinary way.
#define WASMC_TAIL_SLOTS 32
typedef struct wasmc_tail_call {
    void *entry;
    void *code;
    wasmc_instance *ctx;
    wasmc_value args[WASMC_TAIL_SLOTS];
} wasmc_tail_call;
typedef void (*wasmc_tail_fn)(wasmc_instance *ctx, wasmc_tail_call *tc);

/// Uniform entry: arguments in args_results[0..n), results written to args_results[0..m).
typedef void (*wasmc_array_call_fn)(void *code, wasmc_instance *ctx, wasmc_value *args_results);

/// A table of references. `elements` points at a reservation for `max` elements and never
/// moves; growing writes the new elements, then raises `size` (atomically: shared tables).
typedef struct wasmc_table {
    void **elements;
    uint32_t size;
    uint32_t max;             /* most elements growing may reach: type's maximum, capped by the resource limit */
    uint32_t elem_type;       /* ValueType byte: 0x70 funcref, 0x6F externref, 0x69 exnref (counted, ABI 7) */
    uint32_t reserved;
} wasmc_table;

/// Common header of every instance. Must stay the first member of the generated
/// `wasmc_module_instance` struct. A host function record starts with the same three fields,
/// so the runtime can read the interruption fields of any ctx it enters.
///
/// The stack limit is not here: several threads may run one instance at once, each on its own
/// stack. It is the calling thread's (a thread-local of the runtime, read by generated code at
/// `wasmc_stack_limit_offset` from the thread pointer; ABI 11), set by the outermost
/// wasmc_invoke, so a call into another instance needs no hand-over.
struct wasmc_instance {
    void *host;               /* Swift-side owner (unretained), for host calls and errors */
    /// Nonzero asks running code to trap "interrupted"; written only by interrupters (the
    /// running code never does), in every instance of one interrupt group at once. The
    /// interrupter also raises the stack limit of each thread running a call of the group to
    /// WASMC_INTERRUPT_STACK_LIMIT, so its next function entry's stack check fails and reads
    /// this word to name the trap; code already running (a loop) is stopped by the interrupt
    /// signal, so generated code never polls.
    volatile uintptr_t interrupt;
    /// The group's own word (set while interrupted), which also identifies the group: threads
    /// blocked in memory.atomic.wait under it are woken by an interruption. NULL: no group.
    const volatile uintptr_t *interrupt_group;
};

/// A stack limit above every stack address: the function-entry stack check always fails.
#define WASMC_INTERRUPT_STACK_LIMIT ((uintptr_t)1 << 63)

/// What a host function's funcref ctx points at.
typedef struct wasmc_host_function {
    void *host;               /* Swift-side function object (unretained) */
    volatile uintptr_t interrupt;        /* always 0: nothing reads it */
    const volatile uintptr_t *interrupt_group; /* the importing instance's */
    uint32_t type_id;
    uint32_t reserved;
} wasmc_host_function;

/// An exception tag instance (Wasm 3.0). Its address is its identity: a defined tag is new
/// per instance, an imported one is the exporter's. `type_id` is the process-wide canonical id
/// of its function type (checked when imported); `param_count` the payload's length.
typedef struct wasmc_tag {
    uint32_t type_id;
    uint32_t param_count;
} wasmc_tag;

/// A thrown exception, what an exnref points at; its tag and payload never change after the
/// throw. Allocated by the runtime (rt->exn_new). One no exnref was ever made to is freed by
/// the catch that ends it (`catch`/`catch_all`, or the host taking it). Once an exnref to it may
/// exist (catch_ref, catch_all_ref) it is `kept`: it joins the registry of its `home` thread,
/// which frees it when no global, table, payload or host value holds it (`refs`, counted) and
/// no word of that thread's stack points into it (deferred reference counting,
/// docs/exceptions.md). Touched off its home thread it becomes `shared`: never freed.
typedef struct wasmc_exception {
    const wasmc_tag *tag;
    uint32_t count;
    uint32_t kept;
    /// References from heap slots: exnref globals and table elements, the payloads of other
    /// exceptions, host values (ABI 7).
    uint32_t refs;
    uint32_t shared;
    /// Bit i: payload[i] is an exnref, holding one of `refs` of what it points at (ABI 7).
    uint64_t exnref_mask;
    void *home;
    wasmc_value payload[];
} wasmc_exception;

/// A tag's exnref payload values must be among its first WASMC_EXN_MASK_BITS (exnref_mask).
#define WASMC_EXN_MASK_BITS 64u

/// A try_table's handler, in the frame of the function running it: the registers its
/// wasmc_try saved (x86-64: rbx rbp r12-r15 rsp rip), the next outer handler of this thread,
/// and the exception a throw hands it.
typedef struct wasmc_handler {
    uint64_t regs[8];
    struct wasmc_handler *prev;
    wasmc_exception *exception;
} wasmc_handler;

/// Trap codes; wasmc_trap_message() maps them to the spec's wording.
enum wasmc_trap_code {
    WASMC_TRAP_NONE = 0,
    WASMC_TRAP_UNREACHABLE,            /* "unreachable" */
    WASMC_TRAP_MEMORY_OUT_OF_BOUNDS,   /* "out of bounds memory access" */
    WASMC_TRAP_TABLE_OUT_OF_BOUNDS,    /* "out of bounds table access" */
    WASMC_TRAP_UNDEFINED_ELEMENT,      /* "undefined element" */
    WASMC_TRAP_UNINITIALIZED_ELEMENT,  /* "uninitialized element" */
    WASMC_TRAP_INDIRECT_CALL_TYPE,     /* "indirect call type mismatch" */
    WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO, /* "integer divide by zero" */
    WASMC_TRAP_INTEGER_OVERFLOW,       /* "integer overflow" */
    WASMC_TRAP_INVALID_CONVERSION,     /* "invalid conversion to integer" */
    WASMC_TRAP_CALL_STACK_EXHAUSTED,   /* "call stack exhausted" */
    WASMC_TRAP_UNALIGNED_ATOMIC,       /* "unaligned atomic" */
    WASMC_TRAP_EXPECTED_SHARED_MEMORY, /* "expected shared memory" */
    WASMC_TRAP_HOST_ERROR,             /* a host function threw; the error is kept host-side */
    WASMC_TRAP_INTERRUPTED,            /* "interrupted": the instance's interrupt handle asked */
    WASMC_TRAP_NULL_REFERENCE,         /* "null reference": ref.as_non_null of null */
    WASMC_TRAP_NULL_FUNCTION_REFERENCE,/* "null function reference": call_ref of null */
    WASMC_TRAP_NULL_EXCEPTION_REFERENCE, /* "null exception reference": throw_ref of null */
    /// Not a trap: a wasm exception no try_table caught reached the host call (the thread's
    /// uncaught exception, wasmc_thread_take_exception). A host function returning it from
    /// call_host throws that exception into the calling wasm code.
    WASMC_TRAP_EXCEPTION,
    WASMC_TRAP_COUNT
};

/// Entry points of the runtime, handed to each compiled module at load time (the module's
/// `rt` slot in its descriptor), so a .so has no undefined symbols for the dynamic linker.
typedef struct wasmc_rt {
    uint32_t abi_version;
    uint32_t reserved;
    /// Unwinds to the innermost wasmc_invoke on this thread. Never returns.
    void (*trap)(uint32_t code) __attribute__((noreturn));
    /// memory.grow: old size in pages, or UINT64_MAX (-1) on failure. Addresses and sizes are
    /// 64-bit for memory64 (ABI 6); 32-bit memories' operands widen and the -1 narrows back.
    uint64_t (*memory_grow)(wasmc_memory_object *mem, uint64_t delta_pages);
    /// Bulk memory; each traps "out of bounds memory access" itself.
    void (*memory_fill)(wasmc_memory *mem, uint64_t dst, uint32_t value, uint64_t len);
    void (*memory_copy)(wasmc_memory *dst_mem, uint64_t dst, wasmc_memory *src_mem, uint64_t src, uint64_t len);
    void (*memory_init)(wasmc_memory *mem, uint64_t dst, const uint8_t *seg, uint32_t seg_len,
                        uint32_t src, uint32_t len);
    /// Tables; each traps "out of bounds table access" itself.
    uint32_t (*table_grow)(wasmc_table *t, void *init, uint32_t delta);
    void (*table_fill)(wasmc_table *t, uint32_t dst, void *value, uint32_t len);
    void (*table_copy)(wasmc_table *dst_t, uint32_t dst, wasmc_table *src_t, uint32_t src, uint32_t len);
    void (*table_init)(wasmc_table *t, uint32_t dst, void *const *seg, uint32_t seg_len,
                       uint32_t src, uint32_t len);
    /// Threads: wait returns 0 "ok", 1 "not-equal", 2 "timed-out"; traps on unshared memory.
    uint32_t (*atomic_wait32)(wasmc_memory_object *mem, uint64_t addr, uint32_t expected, int64_t timeout_ns);
    uint32_t (*atomic_wait64)(wasmc_memory_object *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns);
    uint32_t (*atomic_notify)(wasmc_memory_object *mem, uint64_t addr, uint32_t count);
    /// Calls a host function: arguments in, results out through args_results. Returns 0, or a
    /// trap code (the adapter then traps with it).
    uint32_t (*call_host)(wasmc_host_function *fn, wasmc_value *args_results);
    /// Like trap, naming an index in the message as the spec's interpreter does
    /// (call_indirect on a null entry: "uninitialized element 2"). Added in ABI version 2.
    void (*trap_index)(uint32_t code, uint32_t index) __attribute__((noreturn));
    /// Exceptions (ABI version 6). A try_table links its handler as the thread's innermost
    /// (after wasmc_try saved its registers) and unlinks it on leaving: exn_leave(h) makes
    /// h->prev the innermost, so one call leaves several nested try_tables at once.
    void (*exn_enter)(wasmc_handler *h);
    void (*exn_leave)(wasmc_handler *h);
    /// A new exception of `tag` with room for `count` payload values (traps when out of memory).
    wasmc_exception *(*exn_new)(const wasmc_tag *tag, uint32_t count);
    /// Unwinds to the innermost handler (unlinking it) with `e`, or with no handler left in
    /// this wasm call, to wasmc_invoke, which returns WASMC_TRAP_EXCEPTION. Never returns.
    void (*exn_throw)(wasmc_exception *e) __attribute__((noreturn));
    /// Frees `e` unless it is kept (after a catch without _ref has read its payload).
    void (*exn_drop)(wasmc_exception *e);
    /// exnref lifetime (ABI 7, docs/exceptions.md). exn_keep: a catch_ref/catch_all_ref made
    /// a reference to `e` (it joins this thread's registry). exn_refs: after a throw wrote
    /// the payload, marks its exnref values (`mask`) and counts their references. exn_store:
    /// an exnref global's or table element's slot gets `v` (counted; the old value released).
    void (*exn_keep)(wasmc_exception *e);
    void (*exn_refs)(wasmc_exception *e, uint64_t mask);
    void (*exn_store)(wasmc_exception **slot, wasmc_exception *v);
    /// exn_load (ABI 9): global.get/table.get of exnref read the counted slot through the
    /// runtime, which marks an exception of another thread shared before this one holds it.
    wasmc_exception *(*exn_load)(wasmc_exception *const *slot);
} wasmc_rt;

/// Every compiled module exports one of these under WASMC_DESCRIPTOR_SYMBOL.
typedef struct wasmc_descriptor {
    uint32_t magic;                /* WASMC_DESCRIPTOR_MAGIC */
    uint32_t abi_version;          /* WASMC_ABI_VERSION */
    /// WASMC_CPU_FEATURES of the code: the loader checks them against the CPU (ABI 10).
    uint32_t cpu_features;
    /// The original wasm binary, from which the loader decodes (skipping function bodies)
    /// imports, exports, types, limits, globals, segments and the start function.
    const uint8_t *module_bytes;
    uint64_t module_size;
    /// Native code of each defined function (index space minus imports).
    void *const *function_code;
    uint32_t num_defined_functions;
    uint32_t num_types;
    /// Per module type index: array-call trampoline and host-call adapter (native signature,
    /// ctx is a wasmc_host_function*).
    const wasmc_array_call_fn *type_array_call;
    void *const *type_host_adapter;
    /// Where the loader stores the runtime entry table before any code runs.
    const wasmc_rt **rt_slot;
    /// Where the loader stores the offset of the thread's stack limit from the thread pointer
    /// (wasmc_stack_limit_tls_offset(), the same for every thread) before any code runs (ABI 11).
    intptr_t *stack_limit_offset_slot;
    /// Layout of the generated wasmc_module_instance (sizeof/offsetof, from the C compiler).
    uint32_t instance_size;
    uint32_t off_memories;         /* wasmc_memory *[num memories]: every memory's definition */
    uint32_t off_owned_memories;   /* wasmc_memory [num defined non-shared memories] */
    uint32_t off_memory_objects;   /* wasmc_memory_object *[num memories] */
    uint32_t off_tables;           /* wasmc_table *[num tables] */
    uint32_t off_globals;          /* wasmc_value *[num globals]: every global's cell */
    uint32_t off_defined_globals;  /* wasmc_value [num defined globals]: own cells */
    uint32_t off_funcs;            /* wasmc_funcref [num functions]: imports copied, own filled */
    uint32_t off_type_ids;         /* uint32_t [num types]: canonical ids */
    uint32_t off_data_segments;    /* const uint8_t *[num data]: NULL once dropped */
    uint32_t off_data_sizes;       /* uint32_t [num data]: 0 once dropped */
    uint32_t off_elem_segments;    /* void **[num elem]: evaluated items, NULL once dropped */
    uint32_t off_elem_sizes;       /* uint32_t [num elem]: 0 once dropped */
    /// Per defined function: its tail-call entry (wasmc_tail_fn) or NULL; the array itself is
    /// NULL (left out of the initialiser) in a module without tail calls. Added in ABI 4.
    void *const *function_tail;
    /// ABI version 6; 0 (left out of the initialiser) in a module without tags.
    uint32_t off_tags;             /* const wasmc_tag *[num tags]: imported and defined */
} wasmc_descriptor;

#endif
