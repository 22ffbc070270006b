import Foundation
import WasmcDecode
import WasmcLower
import WasmcSyntax
import WasmcValidate

/// decode → validate → lower: wasm bytes to the C of one module.
enum Pipeline {
    static let available = true

    static func decodeMetadata(_ bytes: [UInt8]) throws -> Module {
        try Decoder.decode(bytes, options: .init(metadataOnly: true))
    }

    /// The module's metadata and its C in parts (`GeneratedC`, joined by `CAssembly`).
    static func translate(wasm: [UInt8], options: CompileOptions) throws -> (Module, GeneratedC) {
        var module = try decodeAndValidate(wasm: wasm, options: options)
        let c = try Lowerer.unit(module, wasm: wasm, options: options.lowerOptions)
        CompilePhases.mark("lower")
        module.code = []  // bodies are compiled; keep only metadata
        return (module, c)
    }

    /// `translate`, then the C for libtcc with the prelude parts the lowering recorded (`CAssembly.forTcc`).
    static func translateForTcc(wasm: [UInt8], options: CompileOptions) throws -> (Module, [UInt8]) {
        let (module, c) = try translate(wasm: wasm, options: options)
        return (module, CAssembly.forTcc(c))
    }

    static func decodeAndValidate(wasm: [UInt8], options: CompileOptions) throws -> Module {
        let module = try Decoder.decode(wasm, options: .init(threads: options.threads, standard: options.encodings ?? options.standard))
        CompilePhases.mark("decode")
        try Validator.validate(module, standard: options.standard)
        CompilePhases.mark("validate")
        return module
    }

    /// Modules from this size of wasm on are lowered on a second thread while libtcc compiles
    /// the C as it comes (`translateStreaming`): the wall time is then about the larger of the
    /// two, and the whole C text is never in memory. Smaller ones take one string (no thread).
    static let streamingThreshold = 256 << 10

    /// Whether a module of `size` bytes takes the streaming path (libtcc reads the pipe by its
    /// /dev/fd path: without /dev/fd, every module takes one string).
    static func streams(size: Int) -> Bool { size >= streamingThreshold && CStream.available }

    /// Threads lowering functions on the streaming path (libtcc takes one more). Measured on the
    /// 5.2 MB module, translation alone: 2 threads, same CPU time, 0.65 s wall instead of 1.05 s.
    static let loweringWorkers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

    /// Lowering on its own thread feeding libtcc through a pipe; `compile` runs the tcc side
    /// with the path to read the C from. Each function body is decoded, validated and lowered
    /// in turn, then dropped: the module's decoded bodies (~17× its size) never exist at once.
    /// Any decoding or validation error sends the module through `translate` instead, whose
    /// whole-module order picks the error to report (the same as for a small module).
    static func translateStreaming<T>(wasm: [UInt8], options: CompileOptions,
                                      _ compile: (String) throws -> T) throws -> (Module, T) {
        do {
            return try translateStreamingUnchecked(wasm: wasm, options: options, compile)
        } catch let e as Invalid {
            _ = try translate(wasm: wasm, options: options)  // throws the module's first error
            throw e.error
        }
    }

    /// An error of decoding, validation or lowering, found by the one-function-at-a-time path.
    private struct Invalid: Error { let error: Error }

    private static func translateStreamingUnchecked<T>(wasm: [UInt8], options: CompileOptions,
                                                       _ compile: (String) throws -> T) throws -> (Module, T) {
        var module: Module
        let validator: Validator.Incremental
        do {
            module = try Decoder.decodeDeferringBodies(wasm, options: .init(threads: options.threads, standard: options.encodings ?? options.standard))
            validator = try Validator.Incremental(module, standard: options.standard)
        } catch {
            throw Invalid(error: error)
        }
        let offsets = module.code.map { Int($0.offset) }
        let firstDefined = UInt32(module.importedFunctions.count)
        let needsDataCount = module.dataCount == nil
        let bodyAt = { @Sendable (j: Int) throws -> FunctionBody in
            let (body, usesDataIndices) = try Decoder.decodeBody(wasm, offset: offsets[j], function: firstDefined + UInt32(j),
                                                             standard: options.encodings ?? options.standard)
            if usesDataIndices && needsDataCount { throw WasmError(.malformed, "data count section required") }
            try validator.validateConcurrently(body, definedFunction: j)
            return body
        }
        let result = try stream(module, wasm: wasm, options: options, bodyAt: bodyAt, compile)
        module.code = []  // keep only metadata, as `translate` does
        return (module, result)
    }

    private static func stream<T>(_ module: Module, wasm: [UInt8], options: CompileOptions,
                                  bodyAt: @escaping @Sendable (Int) throws -> FunctionBody,
                                  _ compile: (String) throws -> T) throws -> T {
        let lowerOptions = options.lowerOptions
        return try CStream.run({ write in
            // The headers first (the lean ABI, the whole prelude and the vector library: which
            // helpers the code names, and whether it uses v128, is known only at its end), then
            // the code as it is lowered.
            try CAssembly.tccHead(Lowerer.head(lowerOptions, simd: true)).withUnsafeBufferPointer { try write($0) }
            do {
                try Lowerer.lower(module, wasm: wasm, options: lowerOptions, chunkSize: 1 << 20,
                                  workers: loweringWorkers, bodyAt: bodyAt) { chunk in
                    var chunk = chunk
                    try chunk.withUTF8 { try write($0) }
                }
            } catch let e as Invalid {
                throw e
            } catch {
                throw Invalid(error: error)
            }
        }, compile)
    }
}
