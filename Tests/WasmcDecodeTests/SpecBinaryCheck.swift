import Foundation
import Testing
import WAT
import WasmcDecode
import WasmcSyntax

// A local check of the decoder against the spec suite's scripts: every binary
// `assert_malformed` must be rejected with the expected message (a prefix), and every module
// (text or binary) must decode. The real walk over the suite belongs to the wast runner; this
// one only runs when WASMC_SPEC_DECODE names the suite folder, and prints its counts.

@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_SPEC_DECODE"] != nil))
func specScriptsDecode() throws {
    let root = ProcessInfo.processInfo.environment["WASMC_SPEC_DECODE"]!
    let fm = FileManager.default
    var files = try fm.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".wast") }.map { "\(root)/\($0)" }
    files += try fm.contentsOfDirectory(atPath: "\(root)/threads").filter { $0.hasSuffix(".wast") }.map { "\(root)/threads/\($0)" }
    files += try fm.contentsOfDirectory(atPath: "\(root)/threads/core-shared").map { "\(root)/threads/core-shared/\($0)" }
    var malformedOK = 0, modulesOK = 0, invalidOK = 0, unsupported = 0
    // Modules WasmKit's text encoder cannot encode are not decoded: counted and named.
    var notEncoded: [String] = []
    var failures: [String] = []
    for file in files.sorted() where !file.contains("/simd_") {
        let threads = file.contains("/threads/")
        let options = DecodeOptions(threads: threads)
        var wast = try parseWAST(String(contentsOfFile: file, encoding: .utf8))
        while let (result, location) = wast.nextDirectiveResult() {
            guard case .success(let directive) = result else { continue }
            let place = "\(file.split(separator: "/").suffix(threads ? 2 : 1).joined(separator: "/")):\(location.computeLineAndColumn().line)"
            switch directive {
            case .assertMalformed(let module, let message):
                guard case .binary(let bytes) = module.source else { continue }
                do {
                    _ = try Decoder.decode(bytes, options: options)
                    failures.append("\(place): accepted, expected \"\(message)\"")
                } catch let e as WasmError {
                    if e.message.hasPrefix(message) { malformedOK += 1 }
                    else { failures.append("\(place): \"\(e.message)\" expected \"\(message)\"") }
                }
            case .module(let module):
                var bytes: [UInt8]
                switch module.source {
                case .binary(let b): bytes = b
                case .text(let wat):
                    guard let b = try? wat.encode() else { notEncoded.append(place); continue }
                    bytes = b
                case .quote: continue
                }
                do {
                    _ = try Decoder.decode(bytes, options: options)
                    modulesOK += 1
                } catch let e as WasmError {
                    if e.kind == .unsupported { unsupported += 1 } else { failures.append("\(place): module rejected: \(e)") }
                }
            case .assertInvalid(let module, _):
                // Well-formed but invalid: decoding must not call it malformed.
                var bytes: [UInt8]
                switch module.source {
                case .binary(let b): bytes = b
                case .text(let wat):
                    guard let b = try? wat.encode() else { notEncoded.append(place); continue }
                    bytes = b
                case .quote: continue
                }
                do {
                    _ = try Decoder.decode(bytes, options: options)
                    invalidOK += 1
                } catch let e as WasmError {
                    if e.kind == .malformed { failures.append("\(place): invalid module called malformed: \(e)") }
                    else { invalidOK += 1 }
                }
            default: continue
            }
        }
    }
    print("spec decode check: \(malformedOK) malformed rejected as expected, \(modulesOK) modules decoded, \(invalidOK) invalid modules not called malformed, \(unsupported) unsupported, \(notEncoded.count) skipped (text not encodable), \(failures.count) failures")
    for n in notEncoded { print("  skipped: \(n): the text encoder rejects the module") }
    for f in failures { print("  " + f) }
    #expect(failures.isEmpty)
}
