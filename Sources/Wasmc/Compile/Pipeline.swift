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
        var prelude = PreludeUse()
        return try translate(wasm: wasm, options: options, prelude: &prelude)
    }

    /// The same, with the prelude helpers the C names (recorded by the lowering).
    static func translate(wasm: [UInt8], options: CompileOptions, prelude: inout PreludeUse) throws -> (Module, String) {
        var module = try decodeAndValidate(wasm: wasm, options: options)
        let source = try Lowerer.lower(module, wasm: wasm, options: LowerOptions(optimizingCompiler: options.optimize),
                                       prelude: &prelude)
        CompilePhases.mark("lower")
        module.code = []  // bodies are compiled; keep only metadata
        return (module, source)
    }

    /// `translate`, then the C for libtcc with the prelude parts the lowering recorded (`tccSource`).
    static func translateForTcc(wasm: [UInt8], options: CompileOptions) throws -> (Module, [UInt8]) {
        var prelude = PreludeUse()
        let (module, source) = try translate(wasm: wasm, options: options, prelude: &prelude)
        return (module, tccSource(source, preludeNames: prelude.names))
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

    /// The C for libtcc, self-contained and NUL-terminated, with the lean ABI header (see
    /// `leanTypes`) and of the prelude only its head, the optional parts defining
    /// `preludeNames` (the helpers the code uses, as the lowering recorded them) with what those
    /// need (`PreludeParts`), and its tail: every part left out is text tcc does not parse.
    /// Written into one buffer, no intermediate copies.
    static func tccSource(_ source: String, preludeNames: [String]) -> [UInt8] {
        var source = source
        return source.withUTF8 { src in
            let abiLine = find(abiInclude, in: src)
            let rest = abiLine?.upperBound ?? 0
            let preludeLine = find(preludeInclude, in: UnsafeBufferPointer(rebasing: src[rest...]))
                .map { ($0.lowerBound + rest)..<($0.upperBound + rest) }
            let parts = PreludeParts.shared
            let keep = preludeLine == nil ? nil : parts.select(names: preludeNames)
            var out: [UInt8] = []
            out.reserveCapacity(src.count + abiText.count + leanTypes.count + (keep.map { parts.size(keeping: $0) } ?? 0) + 2)
            var at = 0
            if let r = abiLine {
                out += UnsafeBufferPointer(rebasing: src[..<r.lowerBound])
                if let s = abiSystemIncludes {
                    out += UnsafeBufferPointer(rebasing: abiText[..<s.lowerBound])
                    out += leanTypes
                    out += UnsafeBufferPointer(rebasing: abiText[s.upperBound...])
                } else {
                    out += abiText
                }
                if abiText.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
                at = r.upperBound
            }
            if let r = preludeLine, let keep {
                out += UnsafeBufferPointer(rebasing: src[at..<r.lowerBound])
                parts.append(keeping: keep, to: &out)
                at = r.upperBound
            }
            out += UnsafeBufferPointer(rebasing: src[at...])
            out.append(0)
            return out
        }
    }

    private static let abiInclude = Array("#include \"wasmc_abi.h\"".utf8)
    private static let preludeInclude = Array("#include \"wasmc_prelude.h\"".utf8)
    /// Where the ABI header includes <stdint.h> and <stddef.h> (replaced by `leanTypes`).
    private static let abiSystemIncludes = find(systemIncludes, in: abiText)

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

/// The prelude's optional parts, parsed once from its `/* wasmc:part NAMES [needs NAMES] */`
/// markers (see Runtime/prelude/wasmc_prelude.h): the head before the first marker and the
/// tail from `/* wasmc:parts-end */` always go to libtcc, a part only when the code names one
/// of its NAMES, or when a part that goes needs it. Without markers the whole text is the head.
final class PreludeParts: @unchecked Sendable {
    static let shared = PreludeParts(Pipeline.preludeText)

    let text: Pipeline.Text
    /// Part i is text[bounds[i]..<bounds[i + 1]]; bounds.first ends the head, bounds.last
    /// starts the tail. (All `let`: a class's `var`s would cost an exclusivity check per read.)
    let bounds: [Int]
    /// Every name a part defines, as a range of `text`, and its part. A name ending in `*`
    /// stands for every identifier starting with what precedes it.
    private let nameStart: [Int], nameEnd: [Int], namePart: [Int]
    /// The parts part i needs: needList[needFirst[i]..<needFirst[i + 1]].
    private let needList: [Int], needFirst: [Int]

    var count: Int { max(bounds.count - 1, 0) }

    init(_ text: Pipeline.Text) {
        self.text = text
        var bounds: [Int] = [], nameStart: [Int] = [], nameEnd: [Int] = [], namePart: [Int] = []
        var needNames: [Int] = []  // pairs of start, end; -1 ends a part's
        let marker = Array("/* wasmc:part ".utf8), close = Array("*/".utf8)
        if let end = Self.find(Array("/* wasmc:parts-end */".utf8), in: text, from: 0) {
            var at = 0
            while let m = Self.find(marker, in: text, from: at), m.lowerBound < end.lowerBound,
                  let c = Self.find(close, in: text, from: m.upperBound) {
                let part = bounds.count
                bounds.append(m.lowerBound)
                var needs = false
                var i = m.upperBound
                while i < c.lowerBound {
                    while i < c.lowerBound && text[i] == UInt8(ascii: " ") { i += 1 }
                    let start = i
                    while i < c.lowerBound && text[i] != UInt8(ascii: " ") { i += 1 }
                    if start == i { break }
                    if i - start == 5 && Self.equal(text, start..<i, "needs") {
                        needs = true
                    } else if needs {
                        needNames += [start, i]
                    } else {
                        nameStart.append(start); nameEnd.append(i); namePart.append(part)
                    }
                }
                needNames.append(-1)
                at = c.upperBound
            }
            bounds.append(end.lowerBound)
        }
        self.bounds = bounds
        self.nameStart = nameStart
        self.nameEnd = nameEnd
        self.namePart = namePart
        // Needs by name, resolved to parts.
        var needList: [Int] = [], needFirst: [Int] = []
        var k = 0
        for _ in 0..<max(bounds.count - 1, 0) {
            needFirst.append(needList.count)
            while needNames[k] >= 0 {
                if let p = Self.part(naming: needNames[k]..<needNames[k + 1], in: text, text, nameStart, nameEnd, namePart) {
                    needList.append(p)
                }
                k += 2
            }
            k += 1
        }
        needFirst.append(needList.count)
        self.needList = needList
        self.needFirst = needFirst
    }

    /// The part defining the identifier at `r` of `hay`, if any.
    private func part(naming r: Range<Int>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        Self.part(naming: r, in: hay, text, nameStart, nameEnd, namePart)
    }

    private static func part(naming r: Range<Int>, in hay: UnsafeBufferPointer<UInt8>, _ text: Pipeline.Text,
                             _ nameStart: [Int], _ nameEnd: [Int], _ namePart: [Int]) -> Int? {
        for n in nameStart.indices {
            let s = nameStart[n], e = nameEnd[n]
            if text[e - 1] == UInt8(ascii: "*") {
                let stem = e - 1 - s
                if r.count >= stem && memcmp(text.baseAddress! + s, hay.baseAddress! + r.lowerBound, stem) == 0 { return namePart[n] }
            } else if e - s == r.count && memcmp(text.baseAddress! + s, hay.baseAddress! + r.lowerBound, r.count) == 0 {
                return namePart[n]
            }
        }
        return nil
    }

    /// Which parts code using the helpers `names` needs: those defining them, and what they need.
    func select(names: [String]) -> [Bool] {
        var keep = [Bool](repeating: false, count: count)
        guard count > 0 else { return keep }
        for name in names {
            var name = name
            let p = name.withUTF8 { part(naming: 0..<$0.count, in: $0) }
            if let p { keep[p] = true }
        }
        var changed = true
        while changed {  // one pass when needs point backwards, as they do
            changed = false
            for i in stride(from: count - 1, through: 0, by: -1) where keep[i] {
                for n in needList[needFirst[i]..<needFirst[i + 1]] where !keep[n] {
                    keep[n] = true
                    changed = true
                }
            }
        }
        return keep
    }

    /// Bytes of the head, the kept parts and the tail.
    func size(keeping keep: [Bool]) -> Int {
        guard count > 0 else { return text.count }
        var n = bounds[0] + (text.count - bounds[count])
        for i in 0..<count where keep[i] { n += bounds[i + 1] - bounds[i] }
        return n
    }

    /// Appends the head, the kept parts (in order) and the tail to `out`.
    func append(keeping keep: [Bool], to out: inout [UInt8]) {
        guard count > 0 else { out += text; return }
        out += UnsafeBufferPointer(rebasing: text[..<bounds[0]])
        var i = 0
        while i < count {
            guard keep[i] else { i += 1; continue }
            var j = i + 1
            while j < count && keep[j] { j += 1 }  // consecutive kept parts in one copy
            out += UnsafeBufferPointer(rebasing: text[bounds[i]..<bounds[j]])
            i = j
        }
        out += UnsafeBufferPointer(rebasing: text[bounds[count]...])
    }

    /// Part i's text and the names it defines (for tests).
    func text(ofPart i: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[bounds[i]..<bounds[i + 1]]), as: UTF8.self)
    }
    func names(ofPart i: Int) -> [String] {
        nameStart.indices.filter { namePart[$0] == i }.map {
            String(decoding: UnsafeBufferPointer(rebasing: text[nameStart[$0]..<nameEnd[$0]]), as: UTF8.self)
        }
    }

    private static func equal(_ text: Pipeline.Text, _ r: Range<Int>, _ s: StaticString) -> Bool {
        r.count == s.utf8CodeUnitCount && memcmp(text.baseAddress! + r.lowerBound, s.utf8Start, r.count) == 0
    }

    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Range<Int>? {
        guard from < hay.count, let base = hay.baseAddress else { return nil }
        let hit = needle.withUnsafeBufferPointer { n in cMemmem(base + from, hay.count - from, n.baseAddress, n.count) }
        guard let hit else { return nil }
        let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        return start..<(start + needle.count)
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
