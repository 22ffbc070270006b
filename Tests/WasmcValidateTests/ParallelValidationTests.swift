import Testing
import WasmcSyntax
@testable import WasmcValidate

/// Modules with enough functions to be validated on several threads must give the same answer
/// as a sequential run: valid stays valid, and the error named is the lowest invalid function's.
@Suite struct ParallelValidationTests {
    func manyFunctions(_ n: Int, invalid: [Int]) -> Module {
        var m = module([.i32], [.i32], [idx("local.get", 0), i32(1), i("i32.add")])
        m.imports = [Import(module: "env", name: "f", descriptor: .function(typeIndex: 0))]
        let good = m.code[0]
        let bad = body([idx("local.get", 0), i64(1), i("i32.add")])
        m.functions = Array(repeating: 0, count: n)
        m.code = (0..<n).map { invalid.contains($0) ? bad : good }
        return m
    }

    @Test func manyValidFunctions() {
        expectValid(manyFunctions(5000, invalid: []))
    }

    @Test func reportsTheLowestInvalidFunction() {
        for _ in 0..<5 {
            let e = expectInvalid(manyFunctions(5000, invalid: [4321, 2500, 4999]), "type mismatch")
            #expect(e?.functionIndex == 2501)  // one imported function comes first
        }
        let last = expectInvalid(manyFunctions(5000, invalid: [4999]), "type mismatch")
        #expect(last?.functionIndex == 5000)
    }
}
