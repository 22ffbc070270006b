import Foundation
import Testing
import WasmcSyntax
@testable import WasmcLower

// Lowering is a loop over the instructions with explicit stacks (no recursion) and linear
// work: very deep nesting, very many locals and very large br_tables must go through (no
// stack overflow) and give C that compiles. How fast is the benchmark harness's business.

@Test func hundredThousandNestedBlocks() throws {
    try nestedBlocks(4)
    try nestedBlocks(100_000)
}

func nestedBlocks(_ n: Int) throws {
    var m = Module()
    m.types = [ft([i32], [i32])]
    m.functions = [0]
    var ins: [Instruction] = []
    ins.reserveCapacity(2 * n + 4)
    for _ in 0..<n { ins.append(Instruction(Opcode(.block), .block(.value(.i32)))) }
    ins.append(Instruction(Opcode(.i32Const), .i32(7)))
    ins.append(Instruction(Opcode(.localGet), .index(0)))
    ins.append(Instruction(Opcode(.brIf), .index(UInt32(n / 2))))  // br_if with a value, deep
    for _ in 0..<n { ins.append(Instruction(Opcode(.end))) }
    ins.append(Instruction(Opcode(.end)))
    m.code = [FunctionBody(locals: [], instructions: ins, offsets: Array(repeating: 0, count: ins.count), offset: 0)]
    let c = try Lowerer.lower(m, wasm: Asm.emptyWasm)
    #expect(c.contains("L\(n - n / 2):;"), "\(c.prefix(3000))")
    let r = try CTools.tccCompile(c, name: "nested")
    #expect(r.status == 0, "\(r.output.prefix(500))")
}

@Test func tenThousandNestedLoopsWithLocals() throws {
    // The liveness of locals (tcc tier) iterates once per loop nesting level at worst: it gives
    // up beyond a bound instead of taking quadratic time.
    let n = 10_000
    var m = Module()
    m.types = [ft([i32], [i32])]
    m.functions = [0]
    var ins: [Instruction] = []
    for _ in 0..<n { ins.append(Instruction(Opcode(.loop), .block(.empty))) }
    ins.append(Instruction(Opcode(.localGet), .index(1)))
    ins.append(Instruction(Opcode(.i32Const), .i32(1)))
    ins.append(Instruction(Opcode.named("i32.add")))
    ins.append(Instruction(Opcode(.localSet), .index(1)))
    ins.append(Instruction(Opcode(.localGet), .index(0)))
    ins.append(Instruction(Opcode(.brIf), .index(UInt32(n - 1))))  // to the outermost loop
    for _ in 0..<n { ins.append(Instruction(Opcode(.end))) }
    ins.append(Instruction(Opcode(.localGet), .index(1)))
    ins.append(Instruction(Opcode(.end)))
    m.code = [FunctionBody(locals: [LocalDecl(count: 1, type: .i32)], instructions: ins,
                           offsets: Array(repeating: 0, count: ins.count), offset: 0)]
    let c = try Lowerer.lower(m, wasm: Asm.emptyWasm)
    #expect(c.contains("l1 = (l1 + 1u);"))
    #expect(c.contains("u32 l1 = 0;"))  // read before written: zeroed
    let r = try CTools.tccCompile(c, name: "loops")
    #expect(r.status == 0, "\(r.output.prefix(500))")
}

@Test func tenThousandLocalsAndHugeBrTable() throws {
    var m = Module()
    m.types = [ft([i32], [i32])]
    m.functions = [0]
    var ins: [Instruction] = []
    // 10k locals each set and summed; a 100k-entry br_table over 3 blocks.
    let locals = 10_000
    for i in 0..<locals {
        ins.append(Instruction(Opcode(.localGet), .index(0)))
        ins.append(Instruction(Opcode(.localSet), .index(UInt32(1 + i))))
    }
    ins.append(Instruction(Opcode(.i32Const), .i32(0)))
    for i in 0..<locals {
        ins.append(Instruction(Opcode(.localGet), .index(UInt32(1 + i))))
        ins.append(Instruction(Opcode.named("i32.add")))
    }
    ins.append(Instruction(Opcode(.localSet), .index(0)))
    for _ in 0..<3 { ins.append(Instruction(Opcode(.block), .block(.empty))) }
    ins.append(Instruction(Opcode(.localGet), .index(0)))
    let targets = (0..<100_000).map { UInt32($0 % 3) }
    ins.append(Instruction(Opcode(.brTable), .brTable(BrTable(targets: targets, defaultTarget: 2))))
    for _ in 0..<3 { ins.append(Instruction(Opcode(.end))) }
    ins.append(Instruction(Opcode(.localGet), .index(0)))
    ins.append(Instruction(Opcode(.end)))
    m.code = [FunctionBody(locals: [LocalDecl(count: UInt32(locals), type: .i32)], instructions: ins,
                           offsets: Array(repeating: 0, count: ins.count), offset: 0)]
    let c = try Lowerer.lower(m, wasm: Asm.emptyWasm)
    #expect(c.contains("l9996 = l0;"))
    #expect(c.contains(" + (l10000 = l0));"))  // the last sets (up to 4) move into the sum that reads them
    #expect(c.contains("case 99999: "))
    let r = try CTools.tccCompile(c, name: "locals")
    #expect(r.status == 0, "\(r.output.prefix(500))")
}
