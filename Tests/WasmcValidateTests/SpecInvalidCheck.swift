import Foundation
import Testing
import WAT
import WasmcDecode
import WasmcSyntax
import WasmcValidate

// A local check of the validator against the spec suite's scripts: every `assert_invalid` module
// must decode and then be rejected with the expected message (a prefix), and every plain
// `module` must validate. The real walk over the suite belongs to the wast runner; this one only
// runs when WASMC_SPEC_VALIDATE names the suite folder, and prints its counts.

@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_SPEC_VALIDATE"] != nil))
func specScriptsValidate() throws {
    let root = ProcessInfo.processInfo.environment["WASMC_SPEC_VALIDATE"]!
    let fm = FileManager.default
    var files = try fm.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".wast") }.map { "\(root)/\($0)" }
    files += try fm.contentsOfDirectory(atPath: "\(root)/threads").filter { $0.hasSuffix(".wast") }.map { "\(root)/threads/\($0)" }
    files += try fm.contentsOfDirectory(atPath: "\(root)/threads/core-shared").map { "\(root)/threads/core-shared/\($0)" }
    var invalidOK = 0, validOK = 0, skipped = 0
    var failures: [String] = []
    var notes: [String] = []
    for file in files.sorted() where !file.contains("/simd_") {
        let threads = file.contains("/threads/")
        let options = DecodeOptions(threads: threads)
        var wast = try parseWAST(String(contentsOfFile: file, encoding: .utf8))
        while let (result, location) = wast.nextDirectiveResult() {
            let place0 = "\(file.split(separator: "/").suffix(threads ? 2 : 1).joined(separator: "/")):\(location.computeLineAndColumn().line)"
            guard case .success(let directive) = result else { notes.append("\(place0): script parse failed"); continue }
            let place = "\(file.split(separator: "/").suffix(threads ? 2 : 1).joined(separator: "/")):\(location.computeLineAndColumn().line)"
            let source: ModuleSource
            var expected: String?
            switch directive {
            case .assertInvalid(let m, let message): source = m.source; expected = message
            case .module(let m): source = m.source
            // Unlinkable and uninstantiable modules are valid.
            case .assertUnlinkable(let wat, _), .assertTrap(.wat(let wat), _): source = .text(wat)
            default: continue
            }
            var bytes: [UInt8]
            switch source {
            case .binary(let b): bytes = b
            case .text(let wat):
                guard let b = try? wat.encode() else {
                    skipped += 1
                    notes.append("\(place): text not encodable by WAT (\(expected ?? "valid"))")
                    continue
                }
                bytes = b
            case .quote:
                skipped += 1
                notes.append("\(place): quoted text (\(expected ?? "valid"))")
                continue
            }
            let decoded: Module
            do { decoded = try Decoder.decode(bytes, options: options) } catch {
                failures.append("\(place): decode failed: \(error)")
                continue
            }
            do {
                try Validator.validate(decoded, standard: .wasm2)
                if let expected { failures.append("\(place): validated, expected \"\(expected)\"") } else { validOK += 1 }
            } catch let e as WasmError {
                if let expected, e.message.hasPrefix(expected) { invalidOK += 1 }
                else if let expected { failures.append("\(place): \"\(e.message)\" expected \"\(expected)\"") }
                else if e.kind == .unsupported { skipped += 1; notes.append("\(place): unsupported: \(e.message)") }
                else { failures.append("\(place): valid module rejected: \(e)") }
            }
        }
    }
    print("spec validate check: \(invalidOK) invalid rejected as expected, \(validOK) modules validated, \(skipped) skipped, \(failures.count) failures")
    for f in failures { print("  " + f) }
    for n in notes { print("  note: " + n) }
    #expect(failures.isEmpty)
}
