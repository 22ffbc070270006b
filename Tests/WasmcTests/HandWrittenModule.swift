// A module written by hand in C against wasmc_abi.h, so the loader, traps and host calls can
// be tested without the decoder/lowering. Its metadata is built as a `Module` value.
import WasmcLower
@testable import Wasmc

enum HandWritten {
    /// Function index → export name: 0 is the imported host function "env.host" (i32)->i32.
    static let exports = ["unreachable", "load", "call_host", "recurse", "grow", "wait", "notify", "div", "trap_index"]

    /// The C after the ABI header (`selfContained` puts the header's text first).
    static let source = #"""
    typedef uint32_t u32;
    static const wasmc_rt *rt;
    static intptr_t limit_offset;
    typedef struct {
        wasmc_instance h;
        wasmc_memory *memories[2];
        wasmc_memory owned_memories[1];
        wasmc_memory_object *memory_objects[2];
        wasmc_table *tables[1];
        wasmc_value *globals[1];
        wasmc_value defined_globals[1];
        wasmc_funcref funcs[10];
        uint32_t type_ids[2];
        const uint8_t *data_segments[1];
        uint32_t data_sizes[1];
        void **elem_segments[1];
        uint32_t elem_sizes[1];
    } inst_t;

    static void f1(wasmc_instance *ctx) { rt->trap(WASMC_TRAP_UNREACHABLE); }
    static u32 f2(wasmc_instance *ctx, u32 a) {
        inst_t *inst = (inst_t *)ctx;
        return *(u32 *)(inst->memories[0]->base + (uint64_t)a);
    }
    static u32 f3(wasmc_instance *ctx, u32 a) {
        inst_t *inst = (inst_t *)ctx;
        wasmc_funcref *f = &inst->funcs[0];
        return ((u32 (*)(wasmc_instance *, u32))f->code)(f->ctx, a) + 1;
    }
    static u32 f4(wasmc_instance *ctx, u32 a) {
        volatile char probe[64];
        probe[0] = (char)a;
        uintptr_t limit;
        __asm__ volatile("movq %%fs:0x70, %0" : "=r"(limit)); /* the thread's limit (x86-64) */
        if ((uintptr_t)probe < limit) rt->trap(WASMC_TRAP_CALL_STACK_EXHAUSTED);
        return f4(ctx, a + 1) + probe[0];
    }
    static u32 f5(wasmc_instance *ctx, u32 a) {
        inst_t *inst = (inst_t *)ctx;
        return rt->memory_grow(inst->memory_objects[0], a);
    }
    static u32 f6(wasmc_instance *ctx, u32 timeout_ms) {
        inst_t *inst = (inst_t *)ctx;
        return rt->atomic_wait32(inst->memory_objects[0], 0, 0, (int64_t)timeout_ms * 1000000 - (timeout_ms == 0));
    }
    static u32 f7(wasmc_instance *ctx, u32 count) {
        inst_t *inst = (inst_t *)ctx;
        return rt->atomic_notify(inst->memory_objects[0], 0, count);
    }
    static u32 f8(wasmc_instance *ctx, u32 a) {
        if (a == 0) rt->trap(WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
        return 100 / a;
    }

    static u32 f9(wasmc_instance *ctx, u32 a) { rt->trap_index(WASMC_TRAP_UNINITIALIZED_ELEMENT, a); }

    static void tramp0(void *code, wasmc_instance *ctx, wasmc_value *v) { ((void (*)(wasmc_instance *))code)(ctx); }
    static void tramp1(void *code, wasmc_instance *ctx, wasmc_value *v) {
        v[0].i32 = ((u32 (*)(wasmc_instance *, u32))code)(ctx, v[0].i32);
    }
    static void host0(wasmc_instance *ctx) {
        wasmc_value v[1];
        u32 c = rt->call_host((wasmc_host_function *)ctx, v);
        if (c) rt->trap(c);
    }
    static u32 host1(wasmc_instance *ctx, u32 a) {
        wasmc_value v[1];
        v[0].i32 = a;
        u32 c = rt->call_host((wasmc_host_function *)ctx, v);
        if (c) rt->trap(c);
        return v[0].i32;
    }

    static void *const code[9] = {(void *)f1, (void *)f2, (void *)f3, (void *)f4, (void *)f5, (void *)f6, (void *)f7, (void *)f8, (void *)f9};
    static const wasmc_array_call_fn tramps[2] = {tramp0, tramp1};
    static void *const adapters[2] = {(void *)host0, (void *)host1};
    static const uint8_t bytes[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};

    const wasmc_descriptor wasmc_module_descriptor = {
        WASMC_DESCRIPTOR_MAGIC, WASMC_ABI_VERSION, WASMC_CPU_FEATURES, bytes, 8, code, 9, 2, tramps, adapters, &rt, &limit_offset,
        sizeof(inst_t), offsetof(inst_t, memories), offsetof(inst_t, owned_memories),
        offsetof(inst_t, memory_objects), offsetof(inst_t, tables), offsetof(inst_t, globals),
        offsetof(inst_t, defined_globals), offsetof(inst_t, funcs), offsetof(inst_t, type_ids),
        offsetof(inst_t, data_segments), offsetof(inst_t, data_sizes), offsetof(inst_t, elem_segments),
        offsetof(inst_t, elem_sizes),
    };
    """#

    static var module: Module {
        var m = Module()
        m.types = [FuncType(params: [], results: []), FuncType(params: [.i32], results: [.i32])]
        m.imports = [
            Import(module: "env", name: "host", descriptor: .function(typeIndex: 1)),
            Import(module: "env", name: "mem", descriptor: .memory(MemoryType(limits: Limits(min: 1)))),
        ]
        m.functions = [0, 1, 1, 1, 1, 1, 1, 1, 1]
        m.memories = [MemoryType(limits: Limits(min: 1, max: 2))]
        m.exports = exports.enumerated().map { Export(name: $0.element, kind: .function, index: UInt32($0.offset + 1)) }
            + [Export(name: "mem1", kind: .memory, index: 1), Export(name: "host", kind: .function, index: 0)]
        let offset = ConstExpr([Instruction(Opcode.named("i32.const"), .i32(8))])
        m.data = [DataSegment(mode: .active(memory: 1, offset: offset), bytes: Array("hi".utf8))]
        return m
    }

    /// `code` (this module's C, or a variant) after the ABI header's text.
    static func selfContained(_ code: String = source) -> String {
        CAssembly.selfContained(GeneratedC(head: CHead(preamble: "", headers: [.abi]), code: code))
    }

    static func compiled(tier: Tier = .tccMemory) throws -> CompiledModule {
        let code: NativeCode
        switch tier {
        case .tccMemory: code = try Tcc.compileInMemory(selfContained())
        case .native: code = try NativeCompiler.compileAndLoad(selfContained())
        }
        _ = try code.attach()
        return try CompiledModule(code: code, module: module)
    }

    enum Tier { case tccMemory, native }

    static func imports(memory: Memory, host: @escaping @Sendable ([Value]) throws -> [Value]) -> Imports {
        var imports = Imports()
        imports.define(module: "env", name: "host", .function(Function(type: FuncType(params: [.i32], results: [.i32]), host)))
        imports.define(module: "env", name: "mem", .memory(memory))
        return imports
    }
}
