import Foundation
import WasmcDecode
import WasmcLower
import WasmcRuntime
import WasmcValidate

/// decode → validate → lower: wasm bytes to the C text of one module.
enum Pipeline {
    static let available = true

    static func decodeMetadata(_ bytes: [UInt8]) throws -> Module {
        try Decoder.decode(bytes, options: .init(metadataOnly: true))
    }

    static func translate(wasm: [UInt8], options: CompileOptions) throws -> (Module, String) {
        var module = try Decoder.decode(wasm, options: .init(threads: options.threads))
        try Validator.validate(module)
        let source = try Lowerer.lower(module, wasm: wasm, options: LowerOptions(optimizingCompiler: options.optimize))
        module.code = []  // bodies are compiled; keep only metadata
        return (module, source)
    }

    /// Replaces the generated code's two runtime includes with their text, so the C is
    /// self-contained (libtcc needs no include folder of ours; --emit-c output builds anywhere).
    static func inlineHeaders(_ source: String) -> String {
        let abi = String(cString: wasmc_abi_header_text())
        let prelude = String(cString: wasmc_prelude_text())
        var out = ""
        out.reserveCapacity(source.utf8.count + abi.utf8.count + prelude.utf8.count)
        var rest = Substring(source)
        for (line, text) in [("#include \"wasmc_abi.h\"", abi), ("#include \"wasmc_prelude.h\"", prelude)] {
            guard let r = rest.range(of: line) else { continue }
            out += rest[..<r.lowerBound]
            out += text
            if !text.hasSuffix("\n") { out += "\n" }
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
