import Foundation
import Testing
import Wasmc

/// wasi-threads through the Swift API: thread ids, and a spawned thread's proc_exit or trap
/// ending `runCommand` (the main thread, looping on a WASI call, stops at its next one).
@Suite struct WASIThreadsTests {
    static func program(thread: String, main: String) throws -> WASIProgram {
        let module = try WASITests.compile("""
            (module
              (memory (export "memory") (import "env" "memory") 1 1 shared)
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (func (export "wasi_thread_start") (param $tid i32) (param $arg i32) \(thread))
              (func (export "_start") (local $i i32) \(main)))
            """)
        return try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
    }

    @Test func spawnedThreadsExitCodeEndsTheCommand() throws {
        let p = try Self.program(thread: "(call $exit (i32.const 9))",
                                 main: "(drop (call $spawn (i32.const 0))) (loop $l (drop (call $yield)) (br $l))")
        #expect(try p.runCommand() == 9)
    }

    @Test func spawnedThreadsTrapEndsTheCommand() throws {
        let p = try Self.program(thread: "(unreachable)",
                                 main: "(drop (call $spawn (i32.const 0))) (loop $l (drop (call $yield)) (br $l))")
        #expect(throws: Trap(.unreachable)) { try p.runCommand() }
    }

    @Test func threadIDsAreUniqueAndInRange() throws {
        // Eight threads; each stores its tid at 64 + 4 * arg and counts itself at 0.
        let p = try Self.program(
            thread: """
                (i32.atomic.store (i32.add (i32.const 64) (i32.shl (local.get $arg) (i32.const 2))) (local.get $tid))
                (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
                """,
            main: """
                (loop $spawn_all
                  (if (i32.le_s (call $spawn (local.get $i)) (i32.const 0)) (then (unreachable)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $spawn_all (i32.lt_u (local.get $i) (i32.const 8))))
                (loop $wait (drop (call $yield)) (br_if $wait (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 8))))
                """)
        #expect(try p.runCommand() == 0)
        let bytes = try p.instance.memory("memory")!.read(at: 64, count: 32)
        let tids = (0..<8).map { i in (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i * 4 + $1]) << (8 * $1) } }
        #expect(Set(tids).count == 8, "\(tids)")
        #expect(tids.allSatisfy { $0 >= 1 && $0 < 1 << 29 }, "\(tids)")
    }
}
