import Foundation
import Testing
import WasmcSyntax
@testable import WasmcLower

// Every instruction of the opcode table, lowered and compiled by tcc and by gcc -O2 -Wall:
// catches syntax and type errors in templates and in the lowering of each instruction.

/// One function per numeric/memory/atomic opcode (operands from parameters), plus hand-written
/// bodies for the instructions with special typing.
func allInstructionsModule(sharedImportedMemory: Bool) -> Module {
    var m = Module()
    m.types = [ft([i32], [i32]), ft([], [])]
    m.imports = [
        Import(module: "env", name: "f", descriptor: .function(typeIndex: 0)),
        Import(module: "env", name: "g", descriptor: .global(GlobalType(valueType: .i64, mutable: true))),
        Import(module: "env", name: "t", descriptor: .table(TableType(elementType: .externref, limits: Limits(min: 1)))),
    ]
    if sharedImportedMemory {
        m.imports.append(Import(module: "env", name: "m", descriptor: .memory(MemoryType(limits: Limits(min: 1, max: 2), shared: true))))
    } else {
        m.memories = [MemoryType(limits: Limits(min: 1))]
    }
    m.tables = [TableType(elementType: .funcref, limits: Limits(min: 4))]
    m.globals = [Global(type: GlobalType(valueType: .f64, mutable: true), initializer: ConstExpr([])),
                 Global(type: GlobalType(valueType: .f32, mutable: false), initializer: ConstExpr([]))]
    m.data = [DataSegment(mode: .passive, bytes: [1, 2, 3])]
    m.elements = [ElementSegment(type: .funcref, items: [], mode: .passive)]
    for e in OpcodeTable.entries {
        switch e.kind {
        case .unary(let t, let r):
            Asm.add(&m, type: ft([t], [r]), "local.get 0\n\(e.name)")
        case .binary(let t, let r):
            Asm.add(&m, type: ft([t, t], [r]), "local.get 0\nlocal.get 1\n\(e.name)")
        case .load(let t, _, _), .atomicLoad(let t, _):
            Asm.add(&m, type: ft([i32], [t]), "local.get 0\n\(e.name) offset=8")
        case .store(let t, _), .atomicStore(let t, _):
            Asm.add(&m, type: ft([i32, t], []), "local.get 0\nlocal.get 1\n\(e.name) offset=4")
        case .atomicRMW(let t, _, _):
            Asm.add(&m, type: ft([i32, t], [t]), "local.get 0\nlocal.get 1\n\(e.name)")
        case .atomicCmpxchg(let t, _):
            Asm.add(&m, type: ft([i32, t, t], [t]), "local.get 0\nlocal.get 1\nlocal.get 2\n\(e.name)")
        case .vector(let lanes):
            let sig = e.signature!
            let gets = sig.operands.indices.map { "local.get \($0)\n" }.joined()
            let imm = lanes != 0 ? " \(lanes - 1)" : e.immediate == .shuffle ? " 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31" : ""
            Asm.add(&m, type: ft(sig.operands, sig.results), gets + e.name + imm)
        case .vectorLoad, .vectorStore, .vectorLoadLane, .vectorStoreLane:
            let sig = e.signature!
            let gets = sig.operands.indices.map { "local.get \($0)\n" }.joined()
            Asm.add(&m, type: ft(sig.operands, sig.results), gets + e.name + " offset=16 lane=1")
        case .special:
            break
        }
    }
    Asm.add(&m, type: ft([i32, i32, i32], [i32]), """
        local.get 0
        local.get 1
        local.get 2
        memory.fill
        local.get 0
        local.get 1
        local.get 2
        memory.copy
        local.get 0
        local.get 1
        local.get 2
        memory.init 0
        data.drop 0
        local.get 0
        memory.grow
        memory.size
        i32.add
        nop
        local.get 0
        local.get 1
        local.get 2
        select i32
        drop
        local.tee 0
        """)
    Asm.add(&m, type: ft([i32, i32, i32], [i32]), """
        local.get 0
        table.get 0
        ref.is_null
        local.get 0
        ref.func 0
        table.set 0
        ref.null funcref
        local.get 1
        table.grow 0
        i32.add
        local.get 0
        ref.null funcref
        local.get 2
        table.fill 0
        local.get 0
        local.get 1
        local.get 2
        table.copy 0 0
        local.get 0
        local.get 1
        local.get 2
        table.init 0 0
        elem.drop 0
        table.size 0
        i32.add
        table.size 1
        i32.add
        local.get 0
        table.get 1
        ref.is_null
        i32.add
        """)
    Asm.add(&m, type: ft([i32, i64], [i32]), """
        global.get 1
        global.get 2
        f64.promote_f32
        f64.add
        global.set 1
        global.get 0
        local.get 1
        i64.add
        global.set 0
        local.get 0
        local.get 0
        call 0
        local.get 0
        call_indirect 0 0
        i32.add
        local.get 0
        i32.const 1
        memory.atomic.notify
        i32.add
        local.get 0
        i32.const 0
        i64.const -1
        memory.atomic.wait32
        i32.add
        local.get 0
        local.get 1
        i64.const 1000
        memory.atomic.wait64
        i32.add
        atomic.fence
        """)
    Asm.add(&m, type: ft([], []), "unreachable\ni32.const 1\ndrop")
    Asm.add(&m, type: ft([f32, f64], [f64]), """
        f32.const 0x7fa00001
        f32.const 0x80000000
        f32.const 1.5
        f32.const 0x00000001
        f32.add
        f32.add
        f32.add
        local.get 0
        f32.add
        f64.promote_f32
        f64.const 0xfff0000000000000
        f64.const -2.25
        f64.const 0x0000000000000001
        f64.const 0
        f64.add
        f64.add
        f64.add
        f64.add
        local.get 1
        f64.add
        """)
    return m
}

@Test(arguments: [false, true])
func everyInstructionCompilesWithTccAndGcc(sharedImportedMemory: Bool) throws {
    let m = allInstructionsModule(sharedImportedMemory: sharedImportedMemory)
    let c = try Lowerer.lower(m, wasm: Asm.emptyWasm)
    let name = "all_\(sharedImportedMemory)"
    let t = try CTools.tccCompile(c, name: name)
    #expect(t.status == 0, "\(t.output)")
    #expect(!t.output.contains("warning"), "\(t.output)")
    let o = try Lowerer.lower(m, wasm: Asm.emptyWasm, options: LowerOptions(optimizingCompiler: true))
    let g = try CTools.gccCompile(o, name: name + "_O", extra: ["-Werror", "-Wno-unused-variable", "-Wno-unused-but-set-variable"])
    #expect(g.status == 0, "\(g.output)")
    // Imported shared memories are reached through the definition pointer, owned ones directly.
    #expect(c.contains(sharedImportedMemory ? "inst->memories[0]->base" : "inst->owned_memories[0].base"))
}

@Test func preludeCompilesCleanly() throws {
    let c = "#include \"wasmc_abi.h\"\n#include \"wasmc_prelude.h\"\n"
    let t = try CTools.tccCompile(c, name: "prelude")
    #expect(t.status == 0 && t.output.isEmpty, "\(t.output)")
    let g = try CTools.gccCompile(c, name: "prelude_gcc", extra: ["-std=c11", "-Wextra", "-Werror"])
    #expect(g.status == 0 && g.output.isEmpty, "\(g.output)")
}

@Test func numericHelpersMatchSpecValues() throws {
    let src = try String(contentsOf: CTools.testsDir.appendingPathComponent("C/numeric_test.c"), encoding: .utf8)
    for cc in ["tcc", "gcc"] {
        let r = try CTools.buildAndRun(cc, src, name: "numeric_\(cc)")
        #expect(r.status == 0, "\(cc): \(r.output)")
        #expect(r.output.contains("\(cc): 0 failures"), "\(r.output)")
    }
}

@Test func sharedObjectHasNoUndefinedSymbolsBeyondLibtcc1() throws {
    // gcc -O2 -shared of a module using every instruction: nothing from libc/libm may remain.
    let m = allInstructionsModule(sharedImportedMemory: false)
    let c = try Lowerer.lower(m, wasm: Asm.emptyWasm, options: LowerOptions(optimizingCompiler: true))
    let src = try CTools.tempFile("so_check.c", c)
    let so = src.path + ".so"
    let b = try CTools.run("gcc", CTools.includeFlags + ["-O2", "-fPIC", "-shared", "-nostdlib", src.path, "-o", so])
    #expect(b.status == 0, "\(b.output)")
    let nm = try CTools.run("nm", ["-D", "--undefined-only", so])
    #expect(nm.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(nm.output)")
    let defined = try CTools.run("nm", ["-D", "--defined-only", so])
    #expect(defined.output.contains("wasmc_module_descriptor"))
    // tcc: the same check on its output, with the prelude's memmove/memset that a .so from
    // libtcc gets (Tcc.swift defines WASMC_TCC_SHARED_OBJECT; v128 struct copies call memmove).
    let tso = src.path + ".tcc.so"
    let tc = try Lowerer.lower(m, wasm: Asm.emptyWasm)
    let tsrc = try CTools.tempFile("so_check_tcc.c", tc)
    let t = try CTools.run("tcc", CTools.includeFlags + ["-DWASMC_TCC_SHARED_OBJECT=1", "-shared", "-nostdlib", tsrc.path, "-o", tso])
    #expect(t.status == 0, "\(t.output)")
    let tnm = try CTools.run("nm", ["-D", "--undefined-only", tso])
    #expect(tnm.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(tnm.output)")
}
