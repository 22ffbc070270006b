import Foundation

/// The -O tier: the system C compiler at -O2 builds a .so, loaded like any other.
enum NativeCompiler {
    /// Builds `source` (self-contained C, or C including headers from `includePaths`) into a
    /// shared object at `path`, for the instruction-set level `cpu`.
    static func compileSharedObject(_ source: String, path: String, includePaths: [String] = [],
                                    cpu: CPULevel = .host) throws {
        let dir = try TemporaryDirectory()
        let cFile = dir.path + "/module.c"
        try source.write(toFile: cFile, atomically: false, encoding: .utf8)
        let cc = ProcessInfo.processInfo.environment["CC"] ?? "cc"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [cc, "-O2", "-std=gnu11", "-shared", "-fPIC",
                             // A wasm call must stay a call: turning recursion into a loop would
                             // turn "call stack exhausted" into an endless loop.
                             "-fno-optimize-sibling-calls"]
            // a*b+c stays unfused where the level has FMA: the C's own `#pragma GCC optimize` says fp-contract=off.
            + (cpu.march.map { ["-march=" + $0] } ?? [])
            + ["-o", path, cFile] + includePaths.map { "-I" + $0 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
            throw WasmcError(CCompilerFailure(compiler: cc, output: String(decoding: output, as: UTF8.self),
                                              signal: signal).message)
        }
    }

    /// Builds C (as `compileSharedObject`) and loads the temporary .so (removed once loaded: the mapping stays).
    static func compileAndLoad(_ source: String, includePaths: [String] = [], cpu: CPULevel = .host) throws -> NativeCode {
        let dir = try TemporaryDirectory()
        let so = dir.path + "/module.so"
        try compileSharedObject(source, path: so, includePaths: includePaths, cpu: cpu)
        return try NativeCode(sharedObject: so)
    }
}

/// A private directory removed with this object.
final class TemporaryDirectory {
    let path: String
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/wasmc-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else { throw WasmcError("cannot create a temporary directory") }
        path = String(cString: p)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
