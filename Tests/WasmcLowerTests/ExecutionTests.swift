import Foundation
import Testing
import WasmcSyntax
@testable import WasmcLower

// Runs generated C for real: the test harness (C/harness.h) stands in for the runtime and the
// loader, a C main calls the lowered functions directly and checks results and traps. Built
// with tcc (the default tier) and with gcc -O2 (the -O tier).

let i32 = ValueType.i32, i64 = ValueType.i64, f32 = ValueType.f32, f64 = ValueType.f64

/// The module under test and the C checks over it (function index → C name `fn<index>`).
func executionModule() -> Module {
    var m = Module()
    m.types = [ft([i32], [i32]), ft([i64], [i64]), ft([i32, i32], [i32, i32]), ft([i32, i32], [i32]),
               ft([], []), ft([f32, f32], [f32]), ft([f64], [i64])]
    m.imports = [Import(module: "env", name: "double", descriptor: .function(typeIndex: 0))]
    m.memories = [MemoryType(limits: Limits(min: 1, max: 16))]
    m.tables = [TableType(elementType: .funcref, limits: Limits(min: 8))]
    m.globals = [Global(type: GlobalType(valueType: .i32, mutable: true), initializer: ConstExpr([]))]
    Asm.add(&m, type: ft([i32], [i32]), "local.get 0\ni32.load\ni32.const 4\ni32.add")           // 1
    Asm.add(&m, type: ft([i64], [i64]), """
        local.get 0
        i64.eqz
        if i64
        i64.const 1
        else
        local.get 0
        local.get 0
        i64.const 1
        i64.sub
        call 2
        i64.mul
        end
        """)                                                                                      // 2
    Asm.add(&m, type: ft([i32], [i32]), locals: [i32], """
        block
        loop
        local.get 0
        i32.eqz
        br_if 1
        local.get 1
        local.get 0
        i32.add
        local.set 1
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        br 0
        end
        end
        local.get 1
        """)                                                                                      // 3
    Asm.add(&m, type: ft([i32], [i32]), """
        block
        block
        block
        local.get 0
        br_table 0 1 2
        end
        i32.const 10
        return
        end
        i32.const 20
        return
        end
        i32.const 30
        """)                                                                                      // 4
    Asm.add(&m, type: ft([i32, i32], [i32, i32]), "local.get 1\nlocal.get 0")                    // 5
    Asm.add(&m, type: ft([i32, i32], [i32]), "local.get 0\nlocal.get 1\ncall 5\ni32.sub")        // 6
    Asm.add(&m, type: ft([i32, i32], [i32]), "local.get 1\nlocal.get 0\ncall_indirect 0 0")      // 7
    Asm.add(&m, type: ft([i32, i32], [i32]), "local.get 0\nlocal.get 1\ni32.div_s")              // 8
    Asm.add(&m, type: ft([i32], [i32]), "local.get 0\ncall 0\ni32.const 1\ni32.add")             // 9
    Asm.add(&m, type: ft([i32], [i32]), """
        i32.const 1
        local.get 0
        i32.div_u
        f32.const 0x7fc00000
        i32.trunc_f32_s
        i32.add
        """)                                                                                      // 10
    Asm.add(&m, type: ft([i32], [i32]), """
        i32.const 8
        local.get 0
        i32.store offset=4
        i32.const 12
        i32.load
        memory.size
        i32.add
        i32.const 2
        memory.grow
        i32.add
        memory.size
        i32.add
        """)                                                                                      // 11
    Asm.add(&m, type: ft([i32], [i32]), "local.get 0\ni32.const 1\nblock type=3\ni32.add\nend")  // 12
    Asm.add(&m, type: ft([i32], [i32]), """
        global.get 0
        local.get 0
        i32.add
        global.set 0
        global.get 0
        i32.const 100
        local.get 0
        select
        """)                                                                                      // 13
    Asm.add(&m, type: ft([], []), "call 14")                                                     // 14
    Asm.add(&m, type: ft([i32], [i32]), """
        block i32
        loop
        local.get 0
        i32.eqz
        if
        i32.const 42
        br 2
        end
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        br 0
        end
        i32.const 7
        end
        """)                                                                                      // 15
    Asm.add(&m, type: ft([f32, f32], [f32]), "local.get 0\nlocal.get 1\nf32.min\nf32.nearest")    // 16
    Asm.add(&m, type: ft([f64], [i64]), "local.get 0\ni64.trunc_f64_u")                          // 17
    Asm.add(&m, type: ft([i32], [i32]), """
        local.get 0
        local.get 0
        i32.const 5
        i32.add
        local.set 0
        local.get 0
        i32.mul
        """)                                                                                      // 18
    Asm.add(&m, type: ft([i32], [i32]), """
        i32.const 0
        i32.load
        i32.const 0
        local.get 0
        i32.store
        i32.const 0
        i32.load
        i32.add
        """)                                                                                      // 19
    Asm.add(&m, type: ft([i32], [i32]), """
        i32.const 16
        local.get 0
        i32.atomic.rmw.add
        i32.const 16
        i32.atomic.load
        i32.add
        """)                                                                                      // 20
    Asm.add(&m, type: ft([i32], [i32]), "block i32\ni32.const 5\nlocal.get 0\nbr_if 0\ndrop\ni32.const 6\nend") // 21
    Asm.add(&m, type: ft([], []), "unreachable")                                                 // 22
    Asm.add(&m, type: ft([i32], [i32]), """
        i32.const 100
        local.get 0
        i32.const 4
        memory.fill
        i32.const 200
        i32.const 100
        i32.const 4
        memory.copy
        i32.const 200
        i32.load
        """)                                                                                      // 23
    Asm.add(&m, type: ft([i64], [i64]), "local.get 0\ni64.const 1\ni64.rotl\ni64.popcnt\nlocal.get 0\ni64.clz\ni64.add") // 24
    Asm.add(&m, type: ft([i32, i32], [i32]), """
        local.get 1
        local.get 0
        local.get 0
        if type=2
        else
        drop
        drop
        local.get 0
        local.get 1
        end
        i32.sub
        """)                                                                                      // 25
    // Loops written as do/while: the only back edge last; inside a nested block with code after
    // it; unreachable (the loop falls out once).
    Asm.add(&m, type: ft([i32], [i32]), locals: [i32], """
        loop
        local.get 1
        local.get 0
        i32.add
        local.set 1
        local.get 0
        i32.const 1
        i32.sub
        local.tee 0
        br_if 0
        end
        local.get 1
        """)                                                                                      // 26
    Asm.add(&m, type: ft([i32], [i32]), locals: [i32], """
        loop i32
        local.get 1
        local.get 0
        i32.add
        local.set 1
        block
        local.get 0
        i32.const 1
        i32.sub
        local.tee 0
        br_if 1
        local.get 1
        i32.const 1000
        i32.add
        local.set 1
        end
        local.get 1
        end
        """)                                                                                      // 27
    Asm.add(&m, type: ft([i32], [i32]), """
        block
        loop
        local.get 0
        i32.const 1
        i32.add
        local.set 0
        br 1
        local.get 0
        br_if 0
        end
        end
        local.get 0
        """)                                                                                      // 28
    // Stores of load(same address) OP x: compound assignments under tcc.
    Asm.add(&m, type: ft([i32, i32], [i32]), """
        local.get 0
        local.get 0
        i32.load offset=4
        local.get 1
        i32.sub
        i32.store offset=4
        local.get 0
        local.get 1
        local.get 0
        i32.load offset=4
        i32.xor
        i32.store offset=8
        local.get 0
        i32.load offset=8
        """)                                                                                      // 29
    Asm.add(&m, type: ft([f64], [i64]), """
        i32.const 16
        local.get 0
        f64.const 2
        f64.mul
        i32.const 16
        f64.load
        f64.add
        f64.store
        i32.const 16
        i64.load
        """)                                                                                      // 30
    // A local.set folded into the statement after it; never into a select arm.
    Asm.add(&m, type: ft([i32, i32], [i32]), locals: [i32, i32], """
        local.get 0
        i32.const 5
        i32.add
        local.set 2
        local.get 2
        i32.const 100
        local.get 1
        select
        local.set 3
        local.get 2
        local.get 3
        i32.add
        """)                                                                                      // 31
    Asm.add(&m, type: ft([i32], [i32]), locals: [i32], """
        local.get 0
        i32.const 3
        i32.mul
        local.set 1
        i32.const 48
        local.get 1
        i32.store
        local.get 1
        i32.const 48
        i32.load
        i32.add
        """)                                                                                      // 32
    Asm.add(&m, type: ft([i32, i32], [i32]), locals: [i32, i32], """
        local.get 0
        i32.const 8
        i32.add
        local.set 2
        local.get 1
        i32.const 4
        i32.add
        local.set 3
        local.get 2
        local.get 3
        i32.store
        local.get 0
        i32.load offset=8
        local.get 2
        i32.add
        """)                                                                                      // 33
    return m
}

let executionChecks = """
int main(void) {
    wasmc_instance *ctx = test_setup(1);
    uint32_t i;
    for (i = 1; i < sizeof(test_inst.funcs) / sizeof(test_inst.funcs[0]); i++) test_func(i, i - 1, wasmc_funcref_types[i]);
    test_import_host(0, 0);
    test_elements[0] = &test_inst.funcs[1];
    test_elements[1] = &test_inst.funcs[3];
    test_elements[2] = &test_inst.funcs[2];
    test_set_stack_limit((uintptr_t)__builtin_frame_address(0) - 256 * 1024);
    *(uint32_t *)(test_mem->base + 0) = 10;
    CHECK_U32("load+4", fn1(ctx, 0), 14);
    CHECK_U64("fac", fn2(ctx, 20), 2432902008176640000ull);
    CHECK_U32("loop sum", fn3(ctx, 100), 5050);
    CHECK_U32("br_table 0", fn4(ctx, 0), 10);
    CHECK_U32("br_table 1", fn4(ctx, 1), 20);
    CHECK_U32("br_table default", fn4(ctx, 7), 30);
    CHECK_U32("multi-value call", fn6(ctx, 3, 10), 7);
    CHECK_U32("call_indirect", fn7(ctx, 0, 0), 14);
    CHECK_U32("call_indirect 2", fn7(ctx, 1, 4), 10);
    CHECK_TRAP("call_indirect type", fn7(ctx, 2, 0), WASMC_TRAP_INDIRECT_CALL_TYPE);
    CHECK_TRAP("call_indirect null", fn7(ctx, 3, 0), WASMC_TRAP_UNINITIALIZED_ELEMENT);
    CHECK_TRAP("call_indirect range", fn7(ctx, 8, 0), WASMC_TRAP_UNDEFINED_ELEMENT);
    CHECK_U32("div_s", fn8(ctx, (uint32_t)-7, 2), (uint32_t)-3);
    CHECK_TRAP("div_s 0", fn8(ctx, 1, 0), WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    CHECK_TRAP("div_s ovf", fn8(ctx, 0x80000000u, 0xffffffffu), WASMC_TRAP_INTEGER_OVERFLOW);
    CHECK_U32("host call", fn9(ctx, 20), 41);
    CHECK_TRAP("trap order", fn10(ctx, 0), WASMC_TRAP_INTEGER_DIVIDE_BY_ZERO);
    CHECK_TRAP("trap order 2", fn10(ctx, 1), WASMC_TRAP_INVALID_CONVERSION);
    CHECK_U32("store/size/grow", fn11(ctx, 1000), 1000 + 1 + 1 + 3);
    CHECK_U32("block params", fn12(ctx, 41), 42);
    test_inst.defined_globals[0].i32 = 5;
    CHECK_U32("globals+select", fn13(ctx, 1), 6);
    CHECK_U32("select false", fn13(ctx, 0), 100);
    CHECK_TRAP("recursion", fn14(ctx), WASMC_TRAP_CALL_STACK_EXHAUSTED);
    CHECK_U32("loop br out", fn15(ctx, 5), 42);
    CHECK(\"f32 min nearest\", float, "%g", fn16(ctx, 2.5f, 3.0f), 2.0f);
    CHECK_U64("trunc_u", fn17(ctx, 1e19), 10000000000000000000ull);
    CHECK_TRAP("trunc_u ovf", fn17(ctx, -1.0), WASMC_TRAP_INTEGER_OVERFLOW);
    CHECK_U32("local read before set", fn18(ctx, 3), 24);
    *(uint32_t *)(test_mem->base + 0) = 10;
    CHECK_U32("load before store", fn19(ctx, 5), 15);
    CHECK_U32("atomic rmw", fn20(ctx, 3), 3);
    CHECK_U32("atomic rmw 2", fn20(ctx, 3), 9);
    CHECK_U32("br_if taken", fn21(ctx, 1), 5);
    CHECK_U32("br_if not taken", fn21(ctx, 0), 6);
    CHECK_TRAP("unreachable", fn22(ctx), WASMC_TRAP_UNREACHABLE);
    CHECK_U32("fill/copy", fn23(ctx, 1), 0x01010101u);
    CHECK_U64("rotl popcnt clz", fn24(ctx, 0xF0ull), 4 + 56);
    CHECK_U32("if params then", fn25(ctx, 1, 10), 9);
    CHECK_U32("if params else", fn25(ctx, 0, 10), (uint32_t)-10);
    CHECK_U32("do/while", fn26(ctx, 100), 5050);
    CHECK_U32("do/while in block", fn27(ctx, 4), 1010);
    CHECK_U32("do/while once", fn27(ctx, 1), 1001);
    CHECK_U32("do/while unreachable back edge", fn28(ctx, 6), 7);
    *(uint32_t *)(test_mem->base + 36) = 100;
    *(uint32_t *)(test_mem->base + 40) = 0xF0;
    CHECK_U32("load-xor-store elsewhere", fn29(ctx, 32, 0x0F), 0x0F ^ (100 - 0x0F));
    CHECK_U32("load-sub-store 2", *(uint32_t *)(test_mem->base + 36), 100 - 0x0F);
    *(double *)(test_mem->base + 16) = 1.5;
    CHECK_U64("load-add-store f64", fn30(ctx, 3.0), 0x401E000000000000ull);
    CHECK_U32("set before select", fn31(ctx, 0, 0), 105);
    CHECK_U32("set before select 2", fn31(ctx, 0, 1), 10);
    CHECK_U32("set before store", fn32(ctx, 7), 42);
    CHECK_U32("two sets before store", fn33(ctx, 64, 1), 77);
    printf("%d failures\\n", test_failures);
    return test_failures != 0;
}
"""

func executionProgram(_ m: Module, optimizing: Bool) throws -> String {
    var c = try Lowerer.lower(m, wasm: Asm.emptyWasm, options: LowerOptions(optimizingCompiler: optimizing))
    c += "static const uint32_t wasmc_funcref_types[] = {\(m.allFunctionTypeIndices.map(String.init).joined(separator: ", "))};\n"
    c += "#include \"harness.h\"\n" + executionChecks
    return c
}

@Test func generatedCodeRunsUnderTcc() throws {
    let c = try executionProgram(executionModule(), optimizing: false)
    let r = try CTools.buildAndRun("tcc", c, name: "exec_tcc")
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("0 failures"), "\(r.output)")
}

@Test func generatedCodeRunsUnderGccO2() throws {
    let c = try executionProgram(executionModule(), optimizing: true)
    let r = try CTools.buildAndRun("gcc", c, name: "exec_gcc")
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("0 failures"), "\(r.output)")
}
