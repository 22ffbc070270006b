import Foundation
import Testing

/// `wasmc run` as a WASI command runner: arguments, environment, stdin/stdout, errors,
/// exit status, wasi-threads ending the program from any thread, and the module cache.
@Suite struct WASICLITests {
    /// Runs wasmc with its own cache folder (the user's is left alone) and `stdin` as input.
    static func run(_ args: [String], stdin: Data = Data(), cache: URL? = nil) throws -> CLIResult {
        let p = Process()
        p.executableURL = wasmcBinary()
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = (cache ?? FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-cli-cache")).path
        p.environment = environment
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Writes argv and the environment to fd 1, one per line, then exits with argc.
    static let echo = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WASI/echo.wat").standardized, encoding: .utf8)

    /// Copies stdin to stdout until end of file (binary-safe).
    static let cat = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (loop $more
              (i32.store (i32.const 0) (i32.const 1024))
              (i32.store (i32.const 4) (i32.const 4096))
              (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (then (unreachable)))
              (if (i32.load (i32.const 8)) (then
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
                (br $more))))))
        """

    @Test func argumentsAfterModuleGoToTheProgram() throws {
        let d = try tempDir()
        let echo = try Self.write(Self.echo, "echo.wat", in: d)
        let r = try Self.run(["run", "--env", "A=1", "--env", "B=x=y", echo, "-s", "64x64", "--invoke", "--", "x"])
        // WasmKit's WASI keeps the environment in a dictionary: its order is not the given one.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(r.status == 6 && lines.prefix(6) == ["echo.wat", "-s", "64x64", "--invoke", "--", "x"], "\(r)")
        #expect(lines.dropFirst(6).sorted() == ["A=1", "B=x=y"], "\(r)")
        let dashes = try Self.run(["run", echo, "--", "--invoke", "f"])
        #expect(dashes.status == 3 && dashes.stdout == "echo.wat\n--invoke\nf\n", "\(dashes)")
        let optimized = try Self.run(["run", "-O", echo, "a"])
        #expect(optimized.status == 2 && optimized.stdout == "echo.wat\na\n", "\(optimized)")
    }

    @Test func stdinAndStdoutAreBinarySafe() throws {
        let d = try tempDir()
        let cat = try Self.write(Self.cat, "cat.wat", in: d)
        let bytes = Data((0..<3).flatMap { _ in (0...255).map(UInt8.init) })
        let p = Process()
        p.executableURL = wasmcBinary()
        p.arguments = ["run", "--no-cache", cat]
        let input = Pipe(), out = Pipe()
        p.standardInput = input
        p.standardOutput = out
        try p.run()
        input.fileHandleForWriting.write(bytes)
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && o == bytes)
    }

    @Test func helpBeforeModule() throws {
        for flag in ["--help", "-h"] {
            let r = try Self.run(["run", flag])
            #expect(r.status == 0 && r.stdout.contains("--dir") && r.stdout.contains("--invoke"), "\(r)")
        }
    }

    @Test func clearErrors() throws {
        let d = try tempDir()
        let echo = try Self.write(Self.echo, "echo.wat", in: d)
        let noDir = try Self.run(["run", "--dir", "/no/such/folder", echo])
        #expect(noDir.status == 1 && noDir.stderr.contains("/no/such/folder") && noDir.stderr.hasPrefix("error: "), "\(noDir)")
        let badEnv = try Self.run(["run", "--env", "NOEQUALS", echo])
        #expect(badEnv.status == 1 && badEnv.stderr == "error: malformed --env \"NOEQUALS\": expected NAME=VALUE\n", "\(badEnv)")
        let unknown = try Self.write("""
            (module (import "wasi_snapshot_preview1" "fd_frobnicate" (func (param i32))) (func (export "_start")))
            """, "unknown.wat", in: d)
        let u = try Self.run(["run", unknown])
        #expect(u.status == 1 && u.stderr.contains("wasi_snapshot_preview1.fd_frobnicate"), "\(u)")
        let noStart = try Self.write("(module (func (export \"main\")))", "nostart.wat", in: d)
        let n = try Self.run(["run", noStart])
        #expect(n.status == 1 && n.stderr.contains("_start"), "\(n)")
        let trap = try Self.write("(module (func (export \"_start\") unreachable))", "trap.wat", in: d)
        let t = try Self.run(["run", trap])
        #expect(t.status == 2 && t.stderr == "trap: unreachable\n", "\(t)")
    }

    @Test func preopenedFolder() throws {
        let d = try tempDir()
        let data = d.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "hello from a file\n".write(to: data.appendingPathComponent("in.txt"), atomically: true, encoding: .utf8)
        // Opens "in.txt" in fd 3 (the first preopen) and copies it to stdout.
        let readFile = try Self.write("""
            (module
              (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 100) "in.txt")
              (func (export "_start") (local $e i32)
                (local.set $e (call $open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 6) (i32.const 0)
                  (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 16)))
                (if (local.get $e) (then (call $exit (i32.add (i32.const 100) (local.get $e)))))
                (i32.store (i32.const 0) (i32.const 1024))
                (i32.store (i32.const 4) (i32.const 1024))
                (drop (call $fd_read (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 8)))
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))))
            """, "readfile.wat", in: d)
        let r = try Self.run(["run", "--dir", "\(data.path)::/data", readFile])
        #expect(r.status == 0 && r.stdout == "hello from a file\n", "\(r)")
        let none = try Self.run(["run", readFile])
        #expect(none.status > 100 && none.stdout.isEmpty, "no preopen: 100 + an errno, \(none)")
    }

    @Test func invokeFormGetsWASIAndInitializesReactors() throws {
        let d = try tempDir()
        let reactor = try Self.write("""
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (global $ready (mut i32) (i32.const 0))
              (func (export "_initialize") (global.set $ready (i32.const 100)))
              (func (export "argc") (result i32)
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                (i32.add (global.get $ready) (i32.load (i32.const 0)))))
            """, "reactor.wat", in: d)
        let r = try Self.run(["run", reactor, "--invoke", "argc"])
        #expect(r.status == 0 && r.stdout == "101\n", "\(r)")
        let o = try Self.run(["run", "-O", reactor, "--invoke", "argc"])
        #expect(o.status == 0 && o.stdout == "101\n", "\(o)")
    }

    /// A threaded command: `_start` spawns a thread running `$thread`, then runs `$main`.
    static func threaded(main: String, thread: String) -> String {
        """
        (module
          (import "env" "memory" (memory 1 1 shared))
          (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (func $busy (loop $l (br $l)))
          (func $block (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
          (func $started (i32.atomic.store (i32.const 0) (i32.const 1)) (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
          (func $wait_started (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
          (func (export "wasi_thread_start") (param i32 i32) (call $started) \(thread))
          (func (export "_start")
            (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then (unreachable)))
            (call $wait_started)
            \(main)))
        """
    }

    @Test(arguments: [
        // (main thread, spawned thread, exit status, stderr)
        ("(call $block)", "(call $exit (i32.const 7))", Int32(7), ""),
        ("(call $busy)", "(call $exit (i32.const 7))", 7, ""),
        ("(call $block)", "(unreachable)", 2, "trap: unreachable\n"),
        ("(call $busy)", "(drop (i32.div_u (i32.const 1) (i32.const 0)))", 2, "trap: integer divide by zero\n"),
        ("(call $exit (i32.const 5))", "(call $busy)", 5, ""),
        ("(unreachable)", "(call $block)", 2, "trap: unreachable\n"),
        ("(nop)", "(call $busy)", 0, ""),
        ("(nop)", "(call $block)", 0, ""),
    ] as [(String, String, Int32, String)])
    func anyThreadEndsTheProgram(main: String, thread: String, status: Int32, stderr: String) throws {
        let d = try tempDir()
        let module = try Self.write(Self.threaded(main: main, thread: thread), "threads.wat", in: d)
        for tier in [[], ["-O"]] {
            let r = try Self.run(["run"] + tier + [module])
            #expect(r.status == status && r.stderr == stderr, "\(tier) main \(main), thread \(thread): \(r)")
        }
    }

    @Test func twoProcessesFillOneEntryAtOnce() throws {
        let d = try tempDir()
        let cache = d.appendingPathComponent("cache")
        let echo = try Self.write(Self.echo, "echo.wat", in: d)
        let results = ConcurrentBox<CLIResult>(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results.set(i, try? Self.run(["run", echo, "\(i)"], cache: cache))
        }
        for (i, r) in results.values.enumerated() {
            #expect(r?.status == 2 && r?.stdout == "echo.wat\n\(i)\n", "\(String(describing: r))")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("wasmc").path)
        #expect(files.count == 1 && files[0].hasSuffix(".so"), "\(files)")   // no temporary file left
    }

    @Test func unwritableCacheStillRuns() throws {
        let d = try tempDir()
        let echo = try Self.write(Self.echo, "echo.wat", in: d)
        let file = try Self.write("not a folder", "cache-file", in: d)   // $XDG_CACHE_HOME/wasmc cannot be made
        let r = try Self.run(["run", echo, "x"], cache: URL(fileURLWithPath: file))
        #expect(r.status == 2 && r.stdout == "echo.wat\nx\n", "\(r)")
    }

    @Test func secondRunDoesNotCompile() throws {
        let d = try tempDir()
        let cache = d.appendingPathComponent("cache")
        let echo = try Self.write(Self.echo, "echo.wat", in: d)
        let first = try Self.run(["run", echo], cache: cache)
        #expect(first.status == 1 && first.stdout == "echo.wat\n", "\(first)")
        let folder = cache.appendingPathComponent("wasmc")
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".so") }
        #expect(entries.count == 1)
        let entry = folder.appendingPathComponent(entries[0]).path
        let before = try FileManager.default.attributesOfItem(atPath: entry)
        // A cache hit loads the entry and writes nothing: the same file (inode) is there after.
        let second = try Self.run(["run", echo], cache: cache)
        #expect(second.status == 1 && second.stdout == "echo.wat\n", "\(second)")
        let after = try FileManager.default.attributesOfItem(atPath: entry)
        #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int)
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        // -O is another entry; --no-cache adds none.
        _ = try Self.run(["run", "-O", echo], cache: cache)
        _ = try Self.run(["run", "--no-cache", "--env", "X=1", echo, "new"], cache: cache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".so") }.count == 2)
    }
}

/// Results written by concurrent workers.
final class ConcurrentBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T?) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return slots }
}
