import Testing
import WasmcSyntax
@testable import WasmcValidate

// Helpers to write modules by hand: `i("i32.add")`, `i("local.get", .index(0))`, and a module
// with one function built from a list of instructions.

func i(_ name: String, _ imm: Immediate = .none) -> Instruction { Instruction(.named(name), imm) }
func idx(_ name: String, _ n: UInt32) -> Instruction { i(name, .index(n)) }
func i32(_ v: UInt32) -> Instruction { i("i32.const", .i32(v)) }
func i64(_ v: UInt64) -> Instruction { i("i64.const", .i64(v)) }
func f32(_ v: Float) -> Instruction { i("f32.const", .f32(v.bitPattern)) }
func f64(_ v: Double) -> Instruction { i("f64.const", .f64(v.bitPattern)) }
/// A constant 1 of numeric type `t`.
func const(_ t: ValueType) -> Instruction {
    switch t {
    case .i32: i32(1)
    case .i64: i64(1)
    case .f32: f32(1)
    case .v128: i("v128.const", .v128(V128(lo: 1, hi: 2)))
    default: f64(1)
    }
}
func mem(_ name: String, align: UInt32, offset: UInt64 = 0) -> Instruction { i(name, .memarg(MemArg(align: align, offset: offset))) }
func block(_ name: String, _ bt: BlockType = .empty) -> Instruction { i(name, .block(bt)) }
func refNull(_ t: ValueType) -> Instruction { i("ref.null", .valueTypes([t])) }
let end = i("end")

func body(_ instructions: [Instruction], locals: [LocalDecl] = []) -> FunctionBody {
    let all = instructions + [end]
    return FunctionBody(locals: locals, instructions: all, offsets: (0..<all.count).map { UInt32(100 + $0) }, offset: 99)
}

/// A module with one function of type `params -> results`; `setup` adds memories, tables, etc.
func module(_ params: [ValueType] = [], _ results: [ValueType] = [], locals: [LocalDecl] = [],
            _ code: [Instruction], setup: (inout Module) -> Void = { _ in }) -> Module {
    var m = Module()
    m.types = [FuncType(params: params, results: results)]
    m.functions = [0]
    m.code = [body(code, locals: locals)]
    setup(&m)
    return m
}

func withMemory(_ m: inout Module) { m.memories = [MemoryType(limits: Limits(min: 1, max: 2))] }
func withSharedMemory(_ m: inout Module) { m.memories = [MemoryType(limits: Limits(min: 1, max: 2), shared: true)] }

func expectValid(_ m: Module, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: Never.self, sourceLocation: sourceLocation) { try Validator.validate(m) }
}

/// Expects rejection as invalid with a message starting as the spec suite words it.
@discardableResult
func expectInvalid(_ m: Module, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) -> WasmError? {
    do {
        try Validator.validate(m)
        Issue.record("expected \"\(prefix)\" but the module validated", sourceLocation: sourceLocation)
        return nil
    } catch let e as WasmError {
        #expect(e.kind == .invalid, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.hasPrefix(prefix), "got \"\(e.message)\", expected \"\(prefix)\"", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A module with one function of type `[] -> []`.
func module(_ code: [Instruction], setup: (inout Module) -> Void = { _ in }) -> Module {
    module([], [], code, setup: setup)
}
