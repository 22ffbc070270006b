import Foundation
import Testing

/// `wasmc run --timeout`: an infinite loop, a recursion without loops, a thread blocked in
/// memory.atomic.wait and a spawned thread spinning after _start blocks are interrupted in
/// both tiers; the trap prints as others do and exits 2; a bad duration is a usage error.
@Suite struct TimeoutCLITests {
    static let wat = """
        (module
          (memory (export "memory") 1 1 shared)
          (func (export "spin") (loop $l (br $l)))
          ;; 2^n calls, n deep, no loop; the counter keeps cc -O2 from merging the two calls.
          (func $tree (export "tree") (param $n i32) (result i32)
            (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
            (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
              (else (i32.add (call $tree (i32.sub (local.get $n) (i32.const 1)))
                             (call $tree (i32.sub (local.get $n) (i32.const 1)))))))
          (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))
          (func (export "quick") (result i32) (i32.const 7))
          (func (export "_start") (loop $l (br $l))))
        """

    /// A command whose _start spawns a thread that spins, then waits forever itself.
    static let threads = """
        (module
          (memory (export "memory") (import "env" "memory") 1 1 shared)
          (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
          (func (export "wasi_thread_start") (param i32 i32) (loop $l (br $l)))
          (func (export "_start")
            (drop (call $spawn (i32.const 0)))
            (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))))
        """

    static func module(_ text: String, _ name: String) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-timeout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return try WASICLITests.write(text, name, in: d)
    }

    @Test(arguments: [[], ["-O"]]) func expiredTimeoutInterrupts(tier: [String]) throws {
        let path = try Self.module(Self.wat, "timeout.wat")
        let forms: [[String]] = [[path], [path, "--invoke", "spin"], [path, "--invoke", "tree", "60"],
                                 [path, "--invoke", "wait"], [try Self.module(Self.threads, "threads.wat")]]
        for form in forms {
            let start = Date()
            let r = try WASICLITests.run(["run"] + tier + ["--timeout", "200ms"] + form)
            let elapsed = Date().timeIntervalSince(start)
            #expect(r.status == 2, "\(form): \(r)")
            #expect(r.stderr == "trap: interrupted (--timeout 200ms)\n", "\(form)")
            #expect(r.stdout.isEmpty)
            #expect(elapsed >= 0.2, "\(form) ended after \(elapsed) s")
        }
    }

    /// A module compiled beforehand by `wasmc compile`, without any option, and run as a .so.
    @Test(arguments: [[], ["-O"]]) func precompiledModuleIsInterruptible(tier: [String]) throws {
        let path = try Self.module(Self.wat, "compiled.wat")
        let so = path + ".so"
        let c = try WASICLITests.run(["compile"] + tier + [path, "-o", so])
        #expect(c.status == 0, "\(c)")
        for form in [[so], [so, "--invoke", "spin"]] {
            let r = try WASICLITests.run(["run", "--timeout", "200ms"] + form)
            #expect(r.status == 2 && r.stderr == "trap: interrupted (--timeout 200ms)\n", "\(form): \(r)")
        }
    }

    @Test func unexpiredTimeoutChangesNothing() throws {
        let path = try Self.module(Self.wat, "quick.wat")
        let r = try WASICLITests.run(["run", "--timeout", "1m", path, "--invoke", "quick"])
        #expect(r.status == 0 && r.stdout == "7\n" && r.stderr.isEmpty, "\(r)")
    }

    @Test func badDurationIsAUsageError() throws {
        let path = try Self.module(Self.wat, "bad.wat")
        for bad in ["5", "5x", "-1s", "0s", "ms", "1e400s"] {
            let r = try WASICLITests.run(["run", "--timeout=\(bad)", path])
            #expect(r.status == 1, "\(bad): \(r)")
            #expect(r.stderr.contains("--timeout expects a positive duration with a unit (500ms, 5s, 2m, 1h), got \"\(bad)\""), "\(bad): \(r.stderr)")
        }
    }
}
