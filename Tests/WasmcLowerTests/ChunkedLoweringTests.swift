import Testing
import WAT
import WasmcDecode
import WasmcSyntax
import WasmcValidate
@testable import WasmcLower

/// `Lowerer.lower(..., chunkSize:, sink)` (the streaming compile's input) hands out the very
/// code `Lowerer.unit` returns, cut at function boundaries; after the head, it is the whole file.
@Suite struct ChunkedLoweringTests {
    @Test(arguments: goldenModules.map(\.name))
    func chunksConcatenateToTheWholeText(name: String) throws {
        let wasm = try wat2wasm(goldenModules.first { $0.name == name }!.wat)
        let module = try Decoder.decode(wasm)
        try Validator.validate(module)
        let whole = try Lowerer.unit(module, wasm: wasm).code
        for chunkSize in [1, 200, Int.max] {
            var chunks: [String] = []
            try Lowerer.lower(module, wasm: wasm, chunkSize: chunkSize) { chunks.append($0) }
            #expect(chunks.joined() == whole)
            // One piece per function (each reaches a chunk of 1 byte), plus the rest.
            let expected = chunkSize == 1 ? module.code.count + 1 : chunkSize == Int.max ? 1 : nil
            if let expected { #expect(chunks.count == expected) }
            let usesSIMD = try Lowerer.unit(module, wasm: wasm).prelude.usesSIMD
            #expect(try Lowerer.head(.init(), simd: usesSIMD).withIncludes + chunks.joined() == Lowerer.lower(module, wasm: wasm))
        }
    }
}

/// Lowering on several threads (`workers`): the same text, in order; errors in function order.
@Suite struct ParallelLoweringTests {
    static let many: String = {
        var s = "(module (memory 1)\n"
        for i in 0..<300 {
            s += "  (func (param i32) (result i32) (i32.add (i32.load offset=\(i * 4) (local.get 0)) (i32.const \(i))))\n"
        }
        return s + ")"
    }()

    @Test func sameTextAsOneThread() throws {
        let wasm = try wat2wasm(Self.many)
        let module = try Decoder.decode(wasm)
        try Validator.validate(module)
        let whole = try Lowerer.unit(module, wasm: wasm).code
        for (workers, chunk) in [(2, 1), (3, 5000), (4, Int.max)] {
            var chunks: [String] = []
            try Lowerer.lower(module, wasm: wasm, chunkSize: chunk, workers: workers) { chunks.append($0) }
            #expect(chunks.joined() == whole)
        }
    }

    @Test func batchesComeInOrder() throws {
        var got: [String] = []
        try ParallelBatches.run(count: 1000, batch: 7, workers: 3, { r in "\(r.lowerBound)-\(r.upperBound);" }) { got.append($0) }
        #expect(got == stride(from: 0, to: 1000, by: 7).map { "\($0)-\(min($0 + 7, 1000));" })
    }

    struct Failure: Error, Equatable { let at: Int }

    @Test func firstErrorInOrderAfterTheBatchesBeforeIt() throws {
        var consumed = 0
        #expect(throws: Failure(at: 40)) {
            try ParallelBatches.run(count: 1000, batch: 10, workers: 4, { r in
                if r.lowerBound == 40 || r.lowerBound == 70 { throw Failure(at: r.lowerBound) }
                return ""
            }) { _ in consumed += 1 }
        }
        #expect(consumed == 4)
    }
}
