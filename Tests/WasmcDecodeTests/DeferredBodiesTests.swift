import Testing
import WAT
import WasmcDecode
import WasmcSyntax

/// `decodeDeferringBodies` + `decodeBody` (one body at a time, for the streaming compile)
/// give the bodies `decode` gives.
@Test func deferredBodiesDecodeLikeEagerOnes() throws {
    let wasm = try wat2wasm("""
    (module
      (import "env" "f" (func (param i32)))
      (memory 1)
      (func (param i32) (result i32) (local i64 f32)
        (block (result i32) (i32.add (local.get 0) (i32.load offset=4 (i32.const 8)))))
      (func (export "g") (call 0 (i32.const 1)) (br_table 0 0 (i32.const 0)))
      (func (result f64) (f64.const 1.5)))
    """)
    let eager = try Decoder.decode(wasm)
    let deferred = try Decoder.decodeDeferringBodies(wasm)
    #expect(deferred.code.count == eager.code.count)
    #expect(deferred.code.allSatisfy { $0.instructions.isEmpty })
    for (j, body) in eager.code.enumerated() {
        #expect(deferred.code[j].offset == body.offset)
        let (lazy, usesData) = try Decoder.decodeBody(wasm, offset: Int(deferred.code[j].offset), function: UInt32(1 + j))
        #expect(lazy == body)
        #expect(!usesData)
    }
    var withoutCode = eager
    withoutCode.code = []
    var deferredWithoutCode = deferred
    deferredWithoutCode.code = []
    #expect(deferredWithoutCode == withoutCode)
}

@Test func deferredBodyErrorsNameTheFunction() throws {
    var wasm = try wat2wasm("(module (func) (func (drop (i32.const 1))))")
    // Corrupt the second body's i32.const opcode (0x41) into an unknown one.
    let i = wasm.lastIndex(of: 0x41)!
    wasm[i] = 0xFF
    let deferred = try Decoder.decodeDeferringBodies(wasm)
    #expect(throws: WasmError.self) {
        _ = try Decoder.decodeBody(wasm, offset: Int(deferred.code[1].offset), function: 1)
    }
    let error = try #require(throws: WasmError.self) { _ = try Decoder.decode(wasm) }
    let lazyError = try #require(throws: WasmError.self) {
        _ = try Decoder.decodeBody(wasm, offset: Int(deferred.code[1].offset), function: 1)
    }
    #expect("\(lazyError)" == "\(error)")
}
