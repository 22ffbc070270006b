import Foundation
import WAT

/// Ahead-of-time compilation to files.
public enum Compiler {
    /// Compiles wasm to a shared object at `path`, written to a temporary file in the same
    /// folder and renamed into place: never a partial file. `emitC` also writes the C.
    public static func compile(wasm: [UInt8], toSharedObject path: String, emitC cPath: String? = nil,
                               options: CompileOptions = .init()) throws {
        try compile(wasm: wasm, toSharedObject: path, emitC: cPath, options: options,
                    streaming: Pipeline.streams(size: wasm.count))
    }

    static func compile(wasm: [UInt8], toSharedObject path: String, emitC cPath: String?,
                        options: CompileOptions, streaming: Bool) throws {
        if cPath == nil && !options.optimize {
            // Straight to libtcc: lowered while it compiles when large, else one string.
            if streaming {
                _ = try Pipeline.translateStreaming(wasm: wasm, options: options) { source in
                    try writeAtomically(path: path) { try Tcc.compileSharedObject(sourcePath: source, path: $0) }
                }
            } else {
                let source = try Pipeline.translateForTcc(wasm: wasm, options: options).1
                try writeAtomically(path: path) { try Tcc.compileSharedObject(bytes: source, path: $0) }
            }
            return
        }
        let (_, unit) = try Pipeline.translate(wasm: wasm, options: options)
        let c = CAssembly.selfContained(unit)
        if let cPath { try OutputFile.write(path: cPath, bytes: Array(c.utf8)) }
        try writeAtomically(path: path) { temp in
            if options.optimize {
                try NativeCompiler.compileSharedObject(c, path: temp, cpu: options.cpu)
            } else {
                try Tcc.compileSharedObject(c, path: temp)
            }
        }
    }

    /// A wasm binary's bytes, or text parsed with WasmKit's WAT (the kind decided by content,
    /// `InputFile.kind`). Errors name the file: `FileError`, with line and column for text.
    public static func readModule(path: String) throws -> [UInt8] {
        try wasm(from: try InputFile.read(path), path: path)
    }

    /// `readModule` for bytes already read from `path`.
    public static func wasm(from bytes: [UInt8], path: String) throws -> [UInt8] {
        switch InputFile.kind(of: bytes, path: path) {
        case .binary:
            return bytes
        case .compiledModule:
            throw FileError(path, "a compiled module (ELF), not a wasm binary or text: `wasmc run` loads it")
        case .text:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FileError(path, "neither a wasm binary (no \\0asm header) nor UTF-8 text")
            }
            do {
                return try wat2wasm(text)
            } catch {
                throw TextError.fileError(error, path: path, text: text)
            }
        }
    }

    /// The generated C, with the runtime headers inlined (self-contained).
    public static func lowerToC(wasm: [UInt8], options: CompileOptions = .init()) throws -> String {
        CAssembly.selfContained(try Pipeline.translate(wasm: wasm, options: options).1)
    }

    /// Runs `write` on a temporary name next to `path`, then renames it over `path`
    /// (`OutputFile`: devices and symbolic links are written through).
    static func writeAtomically(path: String, mode: mode_t = 0o777, _ write: (String) throws -> Void) throws {
        try OutputFile.write(path: path, mode: mode, write)
    }
}
