import Foundation

// Runs the system C compilers on generated C (tests only; the product uses libtcc in-process).
enum CTools {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = testsDir.deletingLastPathComponent().deletingLastPathComponent()
    static let includeFlags = ["-I", root.appendingPathComponent("Runtime/include").path,
                               "-I", root.appendingPathComponent("Runtime/prelude").path,
                               "-I", testsDir.appendingPathComponent("C").path]

    struct Result { var status: Int32; var output: String }

    static func run(_ exe: String, _ args: [String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [exe] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func tempFile(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-lower-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Compiles C text to an object with tcc (`-c`) and returns the diagnostics on failure.
    static func tccCompile(_ c: String, name: String) throws -> Result {
        let src = try tempFile(name + ".c", c)
        return try run("tcc", includeFlags + ["-c", src.path, "-o", src.path + ".tcc.o"])
    }

    static func gccCompile(_ c: String, name: String, extra: [String] = []) throws -> Result {
        let src = try tempFile(name + ".c", c)
        return try run("gcc", includeFlags + ["-O2", "-std=gnu11", "-Wall", "-c", src.path, "-o", src.path + ".gcc.o"] + extra)
    }

    /// Builds and runs a C program (the file includes whatever it needs) with `cc`.
    static func buildAndRun(_ cc: String, _ c: String, name: String, extra: [String] = []) throws -> Result {
        let src = try tempFile(name + ".c", c)
        let exe = src.path + "." + cc
        var flags = includeFlags + [src.path, "-o", exe] + extra
        if cc == "gcc" { flags += ["-O2", "-std=gnu11"] }
        let b = try run(cc, flags)
        if b.status != 0 { return b }
        return try run("timeout", ["60", exe])
    }
}
