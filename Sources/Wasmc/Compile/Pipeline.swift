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
        module.code = []  // bodies are compiled; keep only metadata
        return (module, source)
    }

    static func decodeAndValidate(wasm: [UInt8], options: CompileOptions) throws -> Module {
        let module = try Decoder.decode(wasm, options: .init(threads: options.threads))
        try Validator.validate(module)
        return module
    }

    /// Modules from this size of wasm on are lowered on a second thread while libtcc compiles
    /// the C as it comes (`Tcc.compileStreaming`): the wall time is then about the larger of the
    /// two, and the whole C text is never in memory. Smaller ones take one string (no thread).
    static let streamingThreshold = 256 << 10

    /// decode → validate, then lowering on its own thread feeding libtcc through a pipe.
    /// `compile` runs the tcc side with the path to read the C from.
    static func translateStreaming<T>(wasm: [UInt8], options: CompileOptions,
                                      _ compile: (String) throws -> T) throws -> (Module, T) {
        var module = try decodeAndValidate(wasm: wasm, options: options)
        let lowerOptions = LowerOptions(optimizingCompiler: options.optimize)
        let result = try CStream.run({ write in
            var first = true
            try Lowerer.lower(module, wasm: wasm, options: lowerOptions, chunkSize: 1 << 20) { chunk in
                if first {
                    first = false
                    try inlineHeaderBytes(chunk, lean: true).withUnsafeBufferPointer { try write($0) }
                } else {
                    var chunk = chunk
                    try chunk.withUTF8 { try write($0) }
                }
            }
        }, compile)
        module.code = []
        return (module, result)
    }

    /// Replaces the generated code's two runtime includes with their text, so the C is
    /// self-contained (libtcc needs no include folder of ours; --emit-c output builds anywhere).
    static func inlineHeaders(_ source: String) -> String {
        String(decoding: inlineHeaderBytes(source, lean: false), as: UTF8.self)
    }

    /// The C for libtcc, self-contained and NUL-terminated (`lean`: see `leanTypes`).
    static func tccSource(_ source: String) -> [UInt8] {
        var bytes = inlineHeaderBytes(source, lean: true)
        bytes.append(0)
        return bytes
    }

    private static func cBytes(_ p: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: p, count: strlen(p)))
    }
    private static let abiText = cBytes(wasmc_abi_header_text())
    private static let preludeText = cBytes(wasmc_prelude_text())
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
    private static let leanABIText: [UInt8] = {
        guard let r = find(systemIncludes, in: abiText[...]) else { return abiText }
        return Array(abiText[..<r.lowerBound]) + leanTypes + abiText[r.upperBound...]
    }()

    /// `source` with the two include lines replaced by the headers' text, as bytes.
    static func inlineHeaderBytes(_ source: String, lean: Bool) -> [UInt8] {
        var source = source
        return source.withUTF8 { src in
            let abi = lean ? leanABIText : abiText
            var out: [UInt8] = []
            out.reserveCapacity(src.count + abi.count + preludeText.count + 2)
            var rest = src[...]
            for (line, text) in [(Array("#include \"wasmc_abi.h\"".utf8), abi), (Array("#include \"wasmc_prelude.h\"".utf8), preludeText)] {
                guard let r = find(line, in: rest) else { continue }
                out += rest[..<r.lowerBound]
                out += text
                if text.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
                rest = rest[r.upperBound...]
            }
            out += rest
            return out
        }
    }

    /// First occurrence of `needle` in `hay`, as indices of `hay`.
    private static func find<C: RandomAccessCollection>(_ needle: [UInt8], in hay: C) -> Range<C.Index>?
    where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = hay.startIndex
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == needle[0] {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i..<(i + needle.count) }
            }
            i += 1
        }
        return nil
    }
}

/// A producer thread writing bytes into a pipe that a consumer on the calling thread reads by
/// path (`/dev/fd/N`). The consumer's failure never blocks the producer: whatever it leaves
/// unread is drained before the producer is joined.
enum CStream {
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
