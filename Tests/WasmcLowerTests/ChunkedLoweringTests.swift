import Testing
import WAT
import WasmcDecode
import WasmcSyntax
import WasmcValidate
@testable import WasmcLower

/// `Lowerer.lower(..., chunkSize:, sink)` (the streaming compile's input) hands out the very
/// text `Lowerer.lower` returns, cut at function boundaries.
@Suite struct ChunkedLoweringTests {
    @Test(arguments: goldenModules.map(\.name))
    func chunksConcatenateToTheWholeText(name: String) throws {
        let wasm = try wat2wasm(goldenModules.first { $0.name == name }!.wat)
        let module = try Decoder.decode(wasm)
        try Validator.validate(module)
        let whole = try Lowerer.lower(module, wasm: wasm)
        for chunkSize in [1, 200, Int.max] {
            var chunks: [String] = []
            try Lowerer.lower(module, wasm: wasm, chunkSize: chunkSize) { chunks.append($0) }
            #expect(chunks.joined() == whole)
            // One piece per function (each reaches a chunk of 1 byte), plus the rest.
            let expected = chunkSize == 1 ? module.code.count + 1 : chunkSize == Int.max ? 1 : nil
            if let expected { #expect(chunks.count == expected) }
            #expect(chunks[0].contains("#include \"wasmc_prelude.h\""))
        }
    }
}
