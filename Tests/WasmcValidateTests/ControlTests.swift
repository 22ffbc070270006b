import Testing
import WasmcSyntax
@testable import WasmcValidate

@Suite struct ControlTests {
    @Test func blocksWithResultsAndParams() {
        expectValid(module([], [.i32], [block("block", .value(.i32)), i32(1), end]))
        // Multi-value: a block type from the type section takes and returns several values.
        var m = module([], [.i32, .i64], [i32(1), i64(2), block("block", .type(1)), end])
        m.types.append(FuncType(params: [.i32, .i64], results: [.i32, .i64]))
        expectValid(m)
        m.code[0] = body([i32(1), i64(2), block("loop", .type(1)), i("drop"), i64(3), end])
        expectValid(m)
        m.code[0] = body([i32(1), block("block", .type(1)), end])
        expectInvalid(m, "type mismatch")
        m.code[0] = body([block("block", .type(9)), end])
        expectInvalid(m, "unknown type 9")
        expectInvalid(module([], [], [block("block", .value(.i32)), end, i("drop"), i32(0)]), "type mismatch")
        expectInvalid(module([], [], [block("block"), i32(1), end]), "type mismatch")
        expectInvalid(module([], [.i32], [i32(1), block("block"), i("drop"), end]), "type mismatch")
        expectInvalid(module([], [.i32], []), "type mismatch")
        expectInvalid(module([], [], [i32(1)]), "type mismatch")
    }

    @Test func ifElse() {
        expectValid(module([], [.f32], [i32(1), block("if", .value(.f32)), f32(1), i("else"), f32(2), end]))
        expectValid(module([], [], [i32(1), block("if"), i("nop"), end]))
        expectInvalid(module([], [.f32], [i32(1), block("if", .value(.f32)), f32(1), end]), "type mismatch")
        expectInvalid(module([], [.f32], [i32(1), block("if", .value(.f32)), f32(1), i("else"), end]), "type mismatch")
        expectInvalid(module([], [], [f32(1), block("if"), end]), "type mismatch")
        // An `if` whose parameters equal its results may omit `else`.
        var m = module([], [.i64], [i64(5), i32(1), block("if", .type(1)), end])
        m.types.append(FuncType(params: [.i64], results: [.i64]))
        expectValid(m)
    }

    @Test func branches() {
        expectValid(module([], [.i32], [block("block", .value(.i32)), i32(1), idx("br", 0), end]))
        expectValid(module([], [.i32], [block("block", .value(.i32)), i32(1), i32(0), idx("br_if", 0), end]))
        expectValid(module([], [], [block("loop", .value(.i32)), idx("br", 0), end, i("drop")]))
        expectValid(module([], [.i32], [i32(7), idx("br", 0)]))
        expectValid(module([], [.i32], [i32(7), i("return")]))
        expectInvalid(module([], [], [idx("br", 1)]), "unknown label 1")
        expectInvalid(module([], [], [block("block", .value(.i32)), f32(1), idx("br", 0), end, i("drop")]), "type mismatch")
        expectInvalid(module([], [], [block("block", .value(.i32)), i32(1), idx("br_if", 0), end, i("drop")]), "type mismatch")
        expectInvalid(module([], [.i32], [i64(7), i("return")]), "type mismatch")
    }

    @Test func brTable() {
        let t = { (targets: [UInt32], d: UInt32) in i("br_table", .brTable(BrTable(targets: targets, defaultTarget: d))) }
        expectValid(module([], [.i32], [block("block", .value(.i32)), i32(1), i32(0), t([0, 1], 1), end]))
        expectInvalid(module([], [.i32], [block("block"), i32(1), i32(0), t([0], 1), end, i32(0)]), "type mismatch")
        expectInvalid(module([], [], [i32(0), t([0], 2)]), "unknown label 2")
        expectInvalid(module([], [], [i32(0), t([3], 0)]), "unknown label 3")
        // Same arity but different types is fine in unreachable code (operands are Unknown)...
        expectValid(module([], [], [block("block", .value(.f32)), block("block", .value(.i64)),
                                    i("unreachable"), t([0], 1), end, i("drop"), f32(0), end, i("drop")]))
        // ...but not when the operand is known.
        expectInvalid(module([], [], [block("block", .value(.f32)), block("block", .value(.i64)),
                                      i64(1), i32(0), t([0], 1), end, i("drop"), end, i("drop")]), "type mismatch")
    }

    @Test func unreachableMakesTheStackPolymorphic() {
        expectValid(module([], [.i32], [i("unreachable"), i("i32.add")]))
        expectValid(module([], [.i64], [i("unreachable"), i("drop"), i("drop"), i64(1)]))
        expectValid(module([], [.i32, .f64], [i("unreachable")]))
        expectInvalid(module([], [.i32], [i("unreachable"), i64(1), i("i32.add")]), "type mismatch")
        expectInvalid(module([], [], [i("unreachable"), i32(1)]), "type mismatch")
        // Polymorphism ends with the block: the outer frame is checked normally.
        expectInvalid(module([], [], [block("block"), i("unreachable"), end, i("drop")]), "type mismatch")
    }

    @Test func errorsNameFunctionAndOffset() throws {
        var m = module([], [], [i("nop"), i("nop"), i64(1), i("i32.eqz"), i("drop")])
        m.imports = [Import(module: "a", name: "b", descriptor: .function(typeIndex: 0))]
        let e = expectInvalid(m, "type mismatch")
        #expect(e?.functionIndex == 1)
        #expect(e?.offset == 103)  // the fourth instruction
    }

    @Test func deepNestingNeedsNoRecursion() {
        let depth = 100_000
        let code = Array(repeating: block("block"), count: depth) + Array(repeating: end, count: depth)
        expectValid(module([], [], code))
        let withValue = Array(repeating: block("block", .value(.i32)), count: depth) + [i32(1)] + Array(repeating: end, count: depth)
        expectValid(module([], [.i32], withValue))
        expectInvalid(module([], [.i64], withValue), "type mismatch")
    }

    @Test func malformedShapesDoNotCrash() {
        // Not producible by the decoder, but must be rejected, never trap.
        expectThrows(module([], [], [i("local.get")]))
        expectThrows(module([], [], [i("else")]))
        var extra = module([])
        extra.code[0].instructions += [i("nop")]
        expectThrows(extra)
        var unterminated = module([])
        unterminated.code[0].instructions = [block("block"), end]
        expectThrows(unterminated)
        var noCode = module([])
        noCode.code = []
        expectThrows(noCode)
    }

    private func expectThrows(_ m: Module, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: WasmError.self, sourceLocation: sourceLocation) { try Validator.validate(m) }
    }
}
