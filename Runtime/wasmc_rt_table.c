// The entry table handed to every compiled module (its rt slot): the only way generated code
// reaches the runtime, so a compiled .so has no undefined symbols.
#include "wasmc_internal.h"

static const wasmc_rt runtime_table = {
    .abi_version = WASMC_ABI_VERSION,
    .trap = wasmc_trap_impl,
    .memory_grow = wasmc_memory_grow,
    .memory_fill = wasmc_rt_memory_fill,
    .memory_copy = wasmc_rt_memory_copy,
    .memory_init = wasmc_rt_memory_init,
    .table_grow = wasmc_rt_table_grow,
    .table_fill = wasmc_rt_table_fill,
    .table_copy = wasmc_rt_table_copy,
    .table_init = wasmc_rt_table_init,
    .atomic_wait32 = wasmc_rt_atomic_wait32,
    .atomic_wait64 = wasmc_rt_atomic_wait64,
    .atomic_notify = wasmc_rt_atomic_notify,
    .call_host = wasmc_call_host_impl,
    .trap_index = wasmc_trap_index_impl,
    .exn_enter = wasmc_exn_enter_impl,
    .exn_leave = wasmc_exn_leave_impl,
    .exn_new = wasmc_exn_new_impl,
    .exn_throw = wasmc_exn_throw_impl,
    .exn_drop = wasmc_exn_drop_impl,
    .exn_keep = wasmc_exn_keep_impl,
    .exn_refs = wasmc_exn_refs_impl,
    .exn_store = wasmc_exn_store_impl,
    .exn_load = wasmc_exn_load_impl,
};

const wasmc_rt *wasmc_runtime_table(void) { return &runtime_table; }
