import Foundation
import Testing
import WasmcSyntax
@testable import WasmcValidate

// Throughput on 20,000 functions of a realistic instruction mix (4.6M instructions). Only runs
// with WASMC_VALIDATE_BENCH set; a debug build's number means little. Release figure (report):
// `swift build -c release --target WasmcValidate`, then this file's module built with swiftc -O
// against .build/release/Wasmc{Syntax,Validate}.build/*.o and a main calling the same code.

func throughputModule(functions: Int, repeats: Int) -> Module {
    var code: [Instruction] = []
    for r in 0..<repeats {
        code += [block("block"), idx("local.get", 0), i32(UInt32(r * 37 % 5000)), i("i32.add"), idx("local.tee", 2),
                 mem("i32.load", align: 2, offset: 8), idx("local.get", 1), i("i32.mul"), idx("local.set", 1),
                 idx("local.get", 1), idx("br_if", 0), idx("local.get", 0), idx("local.get", 1), idx("call", 0), i("drop"),
                 f64(1), idx("local.get", 4), i("f64.add"), idx("local.set", 4),
                 idx("local.get", 2), idx("local.get", 1), mem("i32.store", align: 2, offset: 16), end]
    }
    code.append(idx("local.get", 1))
    var m = module([.i32, .i32], [.i32], locals: [LocalDecl(count: 2, type: .i32), LocalDecl(count: 1, type: .f64)], code) {
        withMemory(&$0)
    }
    m.functions = Array(repeating: 0, count: functions)
    m.code = Array(repeating: m.code[0], count: functions)
    return m
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_VALIDATE_BENCH"] != nil))
func validateThroughput() throws {
    let m = throughputModule(functions: 20_000, repeats: 10)
    let instructions = m.code.reduce(0) { $0 + $1.instructions.count }
    let start = ContinuousClock.now
    try Validator.validate(m)
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    print("validate: \(instructions) instructions in \(seconds) s = \(Double(instructions) / seconds / 1e6) M instructions/s")
    #expect(instructions == 20_000 * (10 * 23 + 2))
}
