import Foundation
import WasmcRuntime

/// Compiled modules on disk, so running the same program again does not compile it again.
/// An entry is a `.so` named by the SHA-256 of the module's bytes, this build of wasmc and
/// the compile options (with `-O`, the CPU level resolved: a `host` entry made on another
/// machine is not this one's); it is written to a temporary file and renamed into place, so two
/// processes filling the same entry at once both succeed and a reader never sees half a file.
public struct ModuleCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$XDG_CACHE_HOME/wasmc`, else `~/.cache/wasmc`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/wasmc" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/wasmc"
    }

    /// The module for `wasm`, from the cache when there (`hit`), else compiled into it (or
    /// only in memory when the folder cannot be written).
    public func load(wasm: [UInt8], options: CompileOptions = .init()) throws -> (module: CompiledModule, hit: Bool) {
        let path = entryPath(wasm: wasm, options: options)
        if FileManager.default.fileExists(atPath: path), let module = try? CompiledModule.load(path: path) {
            return (module, true)
        }
        // A cache that cannot be written (read-only home, no HOME) costs the run its speed-up only.
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil,
              access(directory, W_OK) == 0 else {
            return (try CompiledModule.compile(wasm: wasm, options: options), false)
        }
        try Compiler.compile(wasm: wasm, toSharedObject: path, options: options)
        return (try CompiledModule.load(path: path), false)
    }

    /// Where the entry for `wasm` compiled with `options` lives.
    public func entryPath(wasm: [UInt8], options: CompileOptions) -> String {
        var key = Array("wasmc-cache-1 abi \(WASMC_ABI_VERSION) build \(Self.buildIdentity) O \(options.optimize) cpu \(options.optimize ? options.cpu.resolved().rawValue : "-") threads \(options.threads) standard \(options.standard) encodings \(options.encodings.map { "\($0)" } ?? "-")\n".utf8)
        key += wasm
        return directory + "/" + SHA256.hex(key) + ".so"
    }

    /// This wasmc build: its executable's size and modification time (a rebuild changes them),
    /// so entries made by another build are never loaded.
    static let buildIdentity: String = {
        guard let path = Bundle.main.executablePath,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "unknown" }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path) \(size) \(modified)"
    }()
}
