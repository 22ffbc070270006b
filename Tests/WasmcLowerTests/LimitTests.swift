import Testing
import WasmcSyntax
@testable import WasmcLower

@Suite struct LimitTests {
    func module(locals: UInt32) -> Module {
        var m = Module()
        m.types = [FuncType(params: [], results: [])]
        m.functions = [0]
        m.code = [FunctionBody(locals: [LocalDecl(count: locals, type: .i32), LocalDecl(count: locals, type: .i64)],
                               instructions: [Instruction(Opcode(.end))], offsets: [20], offset: 18)]
        return m
    }

    @Test func tooManyLocalsIsAClearErrorNotAHang() throws {
        let error = #expect(throws: WasmError.self) { try Lowerer.lower(module(locals: 0xFFFF_FF00), wasm: []) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.hasPrefix("too many locals") == true)
        #expect(error?.functionIndex == 0)
        #expect(error?.offset == 18)
    }

    @Test func tensOfThousandsOfLocalsAreFine() throws {
        let c = try Lowerer.lower(module(locals: 20_000), wasm: [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00])
        #expect(c.contains("l39999"))
    }
}
