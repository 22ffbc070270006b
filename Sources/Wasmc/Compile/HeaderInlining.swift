import Foundation
import WasmcRuntime

/// Assembling the C text: the generated code names the runtime's two headers by `#include`;
/// here their text goes in its place (whole for --emit-c and the system compiler; for libtcc the
/// lean ABI header and only the prelude parts the code uses).
extension Pipeline {
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
            let abiLine = firstRange(of: abiInclude, in: src)
            let rest = abiLine?.upperBound ?? 0
            let preludeLine = firstRange(of: preludeInclude, in: UnsafeBufferPointer(rebasing: src[rest...]))
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
    private static let abiSystemIncludes = firstRange(of: systemIncludes, in: abiText)

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
        guard let r = firstRange(of: systemIncludes, in: abiText) else { return abiText }
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
        for (line, text) in [(abiInclude, abi), (preludeInclude, prelude)] {
            guard let r = firstRange(of: line, in: UnsafeBufferPointer(rebasing: src[rest...])) else { continue }
            pieces.append(UnsafeBufferPointer(rebasing: src[rest..<(rest + r.lowerBound)]))
            pieces.append(text)
            if text.last != UInt8(ascii: "\n") { pieces.append(newline) }
            rest += r.upperBound
        }
        pieces.append(UnsafeBufferPointer(rebasing: src[rest...]))
        return pieces
    }
}
