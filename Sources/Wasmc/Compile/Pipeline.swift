import Foundation
import WasmcDecode
import WasmcLower
import WasmcRuntime
import WasmcSyntax
import WasmcValidate

/// decode → validate → lower: wasm bytes to the C text of one module.
enum Pipeline {
    static let available = true

    static func decodeMetadata(_ bytes: [UInt8]) throws -> Module {
        try Decoder.decode(bytes, options: .init(metadataOnly: true))
    }

    static func translate(wasm: [UInt8], options: CompileOptions) throws -> (Module, String) {
        var module = try decodeAndValidate(wasm: wasm, options: options)
        let source = try Lowerer.lower(module, wasm: wasm, options: LowerOptions(optimizingCompiler: options.optimize))
        CompilePhases.mark("lower")
        module.code = []  // bodies are compiled; keep only metadata
        return (module, source)
    }

    static func decodeAndValidate(wasm: [UInt8], options: CompileOptions) throws -> Module {
        let module = try Decoder.decode(wasm, options: .init(threads: options.threads))
        CompilePhases.mark("decode")
        try Validator.validate(module)
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
            module = try Decoder.decodeDeferringBodies(wasm, options: .init(threads: options.threads))
            validator = try Validator.Incremental(module)
        } catch {
            throw Invalid(error: error)
        }
        let offsets = module.code.map { Int($0.offset) }
        let firstDefined = UInt32(module.importedFunctions.count)
        let needsDataCount = module.dataCount == nil
        let bodyAt = { @Sendable (j: Int) throws -> FunctionBody in
            let (body, usesDataIndices) = try Decoder.decodeBody(wasm, offset: offsets[j], function: firstDefined + UInt32(j))
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
        let lowerOptions = LowerOptions(optimizingCompiler: options.optimize)
        return try CStream.run({ write in
            var first = true
            do {
                try Lowerer.lower(module, wasm: wasm, options: lowerOptions, chunkSize: 1 << 20,
                                  workers: loweringWorkers, bodyAt: bodyAt) { chunk in
                    if first {
                        first = false
                        try inlineHeaderBytes(chunk, lean: true).withUnsafeBufferPointer { try write($0) }
                    } else {
                        var chunk = chunk
                        try chunk.withUTF8 { try write($0) }
                    }
                }
            } catch let e as Invalid {
                throw e
            } catch {
                throw Invalid(error: error)
            }
        }, compile)
    }

    /// Replaces the generated code's two runtime includes with their text, so the C is
    /// self-contained (libtcc needs no include folder of ours; --emit-c output builds anywhere).
    static func inlineHeaders(_ source: String) -> String {
        // Written straight into the String's storage: one copy of the (possibly large) C.
        var source = source
        return source.withUTF8 { src in
            let pieces = headerPieces(src, abi: abiText, prelude: preludeText)
            return String(unsafeUninitializedCapacity: pieces.reduce(0) { $0 + $1.count }) { out in
                var n = 0
                for p in pieces {
                    _ = UnsafeMutableBufferPointer(rebasing: out[n..<(n + p.count)]).initialize(from: p)
                    n += p.count
                }
                return n
            }
        }
    }

    /// The C for libtcc, self-contained and NUL-terminated (`lean`: see `leanTypes`), without
    /// the prelude's atomics when the code calls none of them.
    static func tccSource(_ source: String) -> [UInt8] {
        var source = source
        let usesAtomics = source.withUTF8 { find(Array("wasmc_atomic_".utf8), in: $0) != nil }
        var bytes = inlineHeaderBytes(source, lean: true, prelude: usesAtomics ? preludeText : preludeWithoutAtomics)
        bytes.append(0)
        return bytes
    }

    /// Header texts live for the whole process (the runtime's static strings, or copies made
    /// once and never freed, read-only), so their bytes can be handed around without copies.
    typealias Text = UnsafeBufferPointer<UInt8>
    private static func cText(_ p: UnsafePointer<CChar>) -> Text {
        Text(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
    }
    private static func permanent(_ bytes: [UInt8]) -> Text {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return Text(buffer)
    }
    nonisolated(unsafe) private static let abiText = cText(wasmc_abi_header_text())
    nonisolated(unsafe) static let preludeText = cText(wasmc_prelude_text())
    /// The prelude less its `wasmc:atomics-begin` … `wasmc:atomics-end` part (all of it if the
    /// markers are missing).
    nonisolated(unsafe) static let preludeWithoutAtomics: Text = {
        let text = Array(preludeText)
        guard let b = find(Array("/* wasmc:atomics-begin".utf8), in: text[...]),
              let e = find(Array("/* wasmc:atomics-end */".utf8), in: text[b.upperBound...]) else { return preludeText }
        return permanent(Array(text[..<b.lowerBound]) + text[e.upperBound...])
    }()
    private static let systemIncludes = Array("#include <stdint.h>\n#include <stddef.h>\n".utf8)
    /// For libtcc on x86-64 (LP64) only: what the generated code uses of <stdint.h> and
    /// <stddef.h>, declared directly. Reading the system headers (a dozen files through the
    /// include path) cost tcc ~0.5 ms per compile, a tenth of compiling a small module.
    private static let leanTypes = Array("""
        typedef signed char int8_t; typedef unsigned char uint8_t; typedef short int16_t; typedef unsigned short uint16_t;
        typedef int int32_t; typedef unsigned int uint32_t; typedef long int64_t; typedef unsigned long uint64_t;
        typedef long intptr_t; typedef unsigned long uintptr_t; typedef unsigned long size_t; typedef long ptrdiff_t;
        #define NULL ((void *)0)
        #define offsetof(type, field) ((size_t)&((type *)0)->field)

        """.utf8)
    nonisolated(unsafe) private static let leanABIText: Text = {
        guard let r = find(systemIncludes, in: abiText) else { return abiText }
        return permanent(Array(abiText[..<r.lowerBound]) + leanTypes + abiText[r.upperBound...])
    }()

    /// `source` with the two include lines replaced by the headers' text, as bytes.
    static func inlineHeaderBytes(_ source: String, lean: Bool, prelude: Text? = nil) -> [UInt8] {
        var source = source
        return source.withUTF8 { src in
            let pieces = headerPieces(src, abi: lean ? leanABIText : abiText, prelude: prelude ?? preludeText)
            var out: [UInt8] = []
            out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
            for p in pieces { out += p }
            return out
        }
    }

    nonisolated(unsafe) private static let newline = permanent([UInt8(ascii: "\n")])

    /// The pieces of `src` with its two include lines replaced by `abi` and `prelude` (valid
    /// while `src` is).
    private static func headerPieces(_ src: Text, abi: Text, prelude: Text) -> [Text] {
        var pieces: [UnsafeBufferPointer<UInt8>] = []
        var rest = 0
        for (line, text) in [(Array("#include \"wasmc_abi.h\"".utf8), abi), (Array("#include \"wasmc_prelude.h\"".utf8), prelude)] {
            guard let r = find(line, in: UnsafeBufferPointer(rebasing: src[rest...])) else { continue }
            pieces.append(UnsafeBufferPointer(rebasing: src[rest..<(rest + r.lowerBound)]))
            pieces.append(text)
            if text.last != UInt8(ascii: "\n") { pieces.append(newline) }
            rest += r.upperBound
        }
        pieces.append(UnsafeBufferPointer(rebasing: src[rest...]))
        return pieces
    }

    /// First occurrence of `needle` in `hay`, as indices of `hay`.
    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, hay.count >= needle.count, let base = hay.baseAddress else { return nil }
        let hit = needle.withUnsafeBufferPointer { n in cMemmem(base, hay.count, n.baseAddress, n.count) }
        guard let hit else { return nil }
        let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        return start..<(start + needle.count)
    }

    private static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>) -> Range<Int>? {
        hay.withUnsafeBufferPointer { find(needle, in: $0) }.map { ($0.lowerBound + hay.startIndex)..<($0.upperBound + hay.startIndex) }
    }
}

/// A producer thread writing bytes into a pipe that a consumer on the calling thread reads by
/// path (`/dev/fd/N`). The consumer's failure never blocks the producer: whatever it leaves
/// unread is drained before the producer is joined.
enum CStream {
    static let available = access("/dev/fd", F_OK) == 0

    /// What the producer thread shares with the caller, who waits on `done` before reading.
    final class State: @unchecked Sendable {
        let produce: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void
        var error: Error?
        let done = DispatchSemaphore(value: 0)
        init(_ produce: @escaping ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) { self.produce = produce }
    }

    static func run<T>(_ produce: @escaping ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void,
                       _ consume: (String) throws -> T) throws -> T {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WasmcError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        #if os(Linux)
        _ = fcntl(writeEnd, 1031 /* F_SETPIPE_SZ */, 1 << 20)  // fewer hand-overs; the default (64 KiB) works too
        #endif
        let state = State(produce)
        let thread = Thread {
            do {
                try state.produce { buffer in
                    var p = buffer.baseAddress
                    var left = buffer.count
                    while left > 0, let q = p {
                        let n = write(writeEnd, q, left)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw WasmcError("cannot write the C to libtcc: \(String(cString: strerror(errno)))")
                        }
                        p = q + n
                        left -= n
                    }
                }
            } catch {
                state.error = error
            }
            close(writeEnd)
            state.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let result: Result<T, Error>
        do { result = .success(try consume("/dev/fd/\(readEnd)")) } catch { result = .failure(error) }
        // Drain what the consumer left (after an error), so the producer can finish.
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = scratch.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 || (n < 0 && errno == EINTR) { continue }
            break
        }
        state.done.wait()
        close(readEnd)
        // The producer's error explains a consumer failure (truncated C), so it comes first.
        if let e = state.error { throw e }
        return try result.get()
    }
}

/// glibc's memmem (not exported by the Glibc module: it needs _GNU_SOURCE).
@_silgen_name("memmem")
private func cMemmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int,
                     _ needle: UnsafeRawPointer?, _ needleLength: Int) -> UnsafeMutableRawPointer?
