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
        let (_, source) = try Pipeline.translate(wasm: wasm, options: options)
        let c = Pipeline.inlineHeaders(source)
        if let cPath { try writeAtomically(path: cPath) { try c.write(toFile: $0, atomically: false, encoding: .utf8) } }
        try writeAtomically(path: path) { temp in
            if options.optimize {
                try NativeCompiler.compileSharedObject(c, path: temp)
            } else {
                try Tcc.compileSharedObject(c, path: temp)
            }
        }
    }

    /// `.wasm` bytes, or `.wat`/`.wast` text parsed with WasmKit's WAT.
    public static func readModule(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw WasmcError("cannot read \(path)") }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0x00, 0x61, 0x73, 0x6D]) { return bytes }
        guard let text = String(data: data, encoding: .utf8) else { throw WasmcError("\(path) is neither wasm nor text") }
        return try wat2wasm(text)
    }

    /// The generated C, with the runtime headers inlined (self-contained).
    public static func lowerToC(wasm: [UInt8], options: CompileOptions = .init()) throws -> String {
        Pipeline.inlineHeaders(try Pipeline.translate(wasm: wasm, options: options).1)
    }

    /// Runs `write` on a temporary name next to `path`, then renames it over `path`.
    static func writeAtomically(path: String, _ write: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try write(temp)
            guard rename(temp, path) == 0 else { throw WasmcError("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temp)
            throw error
        }
    }
}
