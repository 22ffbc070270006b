import Foundation
import WasmcLower

/// Assembling the C for the compilers from the lowering's parts (`GeneratedC`), by
/// concatenation: the preamble, each runtime header's text followed by a newline (where
/// `withIncludes` has its `#include` line), then the module's code. Nothing searches the code.
enum CAssembly {
    typealias Text = HeaderTexts.Text

    /// Self-contained C with the headers whole: --emit-c output (builds anywhere) and the
    /// system compiler's input. Written straight into the String's storage: one copy of the
    /// (possibly large) C.
    static func selfContained(_ c: GeneratedC) -> String {
        var preamble = c.head.preamble, code = c.code
        return preamble.withUTF8 { preamble in
            code.withUTF8 { code in
                var pieces = [preamble]
                for h in c.head.headers { pieces += headerPieces(HeaderTexts.text(h)) }
                pieces.append(code)
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
    }

    /// The C for libtcc, NUL-terminated, in one buffer: the lean ABI header
    /// (`HeaderTexts.leanABI`) and of the prelude only its head, the optional parts defining
    /// the helpers the lowering recorded (with what those need, `PreludeParts`) and its tail:
    /// every part left out is text tcc does not parse.
    static func forTcc(_ c: GeneratedC) -> [UInt8] {
        forTcc(c, preludeNames: c.prelude.names)
    }

    /// The same with the prelude parts defining `preludeNames` (with what they need).
    static func forTcc(_ c: GeneratedC, preludeNames: [String]) -> [UInt8] {
        let parts = PreludeParts.shared
        let keep = c.head.headers.contains(.prelude) ? parts.select(names: preludeNames) : nil
        var preamble = c.head.preamble, code = c.code
        return preamble.withUTF8 { preamble in
            code.withUTF8 { code in
                var out: [UInt8] = []
                out.reserveCapacity(preamble.count + HeaderTexts.leanABI.reduce(0) { $0 + $1.count }
                                    + (keep.map { parts.size(keeping: $0) } ?? 0) + 2 * c.head.headers.count + code.count + 1)
                out += preamble
                for h in c.head.headers {
                    switch h {
                    case .abi: for p in HeaderTexts.leanABI { out += p }
                    case .prelude: parts.append(keeping: keep ?? [], to: &out)
                    case .simd: out += HeaderTexts.simd
                    }
                    endHeader(&out)
                }
                out += code
                out.append(0)
                return out
            }
        }
    }

    /// What the streaming compile sends libtcc before the first function: the lean ABI header
    /// and the whole prelude (which helpers the code names is known only at its end).
    static func tccHead(_ head: CHead) -> [UInt8] {
        var out = Array(head.preamble.utf8)
        for h in head.headers {
            for p in h == .abi ? HeaderTexts.leanABI : [HeaderTexts.text(h)] { out += p }
            endHeader(&out)
        }
        return out
    }

    nonisolated(unsafe) private static let newline: Text = {
        let b = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1)
        b[0] = UInt8(ascii: "\n")
        return Text(b)
    }()

    /// A header's text and the newline its `#include` line would end with (two if the text
    /// does not end a line).
    private static func headerPieces(_ text: Text) -> [Text] {
        text.last == UInt8(ascii: "\n") ? [text, newline] : [text, newline, newline]
    }

    private static func endHeader(_ out: inout [UInt8]) {
        if out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
        out.append(UInt8(ascii: "\n"))
    }
}
