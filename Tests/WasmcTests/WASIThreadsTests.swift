import Foundation
import Testing
import Wasmc

/// wasi-threads through the Swift API: thread ids, a spawned thread's proc_exit or trap ending
/// `runCommand`, and the program's ending stopping its other threads wherever they are: in a
/// WASI call, busy in wasm code or blocked in memory.atomic.wait.
@Suite struct WASIThreadsTests {
    static func program(thread: String, main: String, stdin: Int32 = 0) throws -> WASIProgram {
        let module = try WASITests.compile("""
            (module
              (memory (export "memory") (import "env" "memory") 1 1 shared)
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (func (export "wasi_thread_start") (param $tid i32) (param $arg i32) \(thread))
              (func (export "_start") (local $i i32) \(main)))
            """)
        return try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration(stdin: stdin)))
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

    /// True once every spawned thread has ended (within 20 s: the threads are interrupted, so
    /// this only waits for them to notice).
    static func threadsEnd(_ p: WASIProgram) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while p.runningThreads > 0 {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    final class Outcome: @unchecked Sendable { var result: Result<UInt32, Error>? }

    /// runCommand on another thread, given 20 s: nil when it did not return by then (then
    /// the program is interrupted from here, so that a failing test ends instead of hanging).
    static func runCommand(_ p: WASIProgram) -> Result<UInt32, Error>? {
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let program = p
        Thread {
            outcome.result = Result { try program.runCommand() }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 20) == .success { return outcome.result }
        p.instance.interrupts.interrupt()
        done.wait()
        return nil
    }

    /// A thread that stores 1 at 0, then runs `rest` (which never ends by itself).
    static func started(_ rest: String) -> String { "(i32.atomic.store (i32.const 0) (i32.const 1)) \(rest)" }
    static let spawnAndAwaitStart = """
        (drop (call $spawn (i32.const 0)))
        (loop $wait (drop (call $yield)) (br_if $wait (i32.eqz (i32.atomic.load (i32.const 0)))))
        """

    @Test func startReturningStopsASpinningThread() throws {
        let p = try Self.program(thread: Self.started("(loop $spin (br $spin))"), main: Self.spawnAndAwaitStart)
        #expect(try p.runCommand() == 0)
        #expect(Self.threadsEnd(p))
    }

    @Test func startReturningStopsAThreadInAnAtomicWait() throws {
        let p = try Self.program(thread: Self.started("(drop (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const -1)))"),
                                 main: Self.spawnAndAwaitStart)
        #expect(try p.runCommand() == 0)
        #expect(Self.threadsEnd(p))
    }

    @Test func startReturningStopsAThreadInFdRead() throws {
        // The thread reads stdin, a pipe nobody writes to (one iovec of 16 bytes at 256).
        let pipe = Pipe()
        let p = try Self.program(
            thread: Self.started("""
                (i32.store (i32.const 128) (i32.const 256)) (i32.store (i32.const 132) (i32.const 16))
                (drop (call $fd_read (i32.const 0) (i32.const 128) (i32.const 1) (i32.const 136)))
                (i32.atomic.store (i32.const 4) (i32.const 1))
                """),
            main: Self.spawnAndAwaitStart, stdin: pipe.fileHandleForReading.fileDescriptor)
        #expect(try p.runCommand() == 0)
        #expect(Self.threadsEnd(p))
        // It trapped in fd_read: the store after it never ran.
        #expect(try p.instance.memory("memory")!.read(at: 4, count: 1) == [0])
        withExtendedLifetime(pipe) {}
    }

    @Test func startReturningStopsAThreadSleepingInPollOneoff() throws {
        let p = try Self.program(thread: Self.started("\(WASITests.sleepOneMinute) (i32.atomic.store (i32.const 4) (i32.const 1))"),
                                 main: Self.spawnAndAwaitStart)
        let started = Date()
        #expect(try p.runCommand() == 0)
        #expect(Self.threadsEnd(p))
        #expect(Date().timeIntervalSince(started) < 30, "the thread slept out its minute")
        // It trapped in poll_oneoff: the store after it never ran.
        #expect(try p.instance.memory("memory")!.read(at: 4, count: 1) == [0])
    }

    @Test func threadsExitStopsABusyMainThread() throws {
        // _start spins without a WASI call: only an interruption ends it.
        let p = try Self.program(thread: "(call $exit (i32.const 7))",
                                 main: "(drop (call $spawn (i32.const 0))) (loop $spin (br $spin))")
        let result = Self.runCommand(p)
        #expect(result != nil, "runCommand did not return")
        #expect((try? result?.get()) == 7)
        #expect(Self.threadsEnd(p))
    }

    @Test func threadsTrapStopsTheOtherThreads() throws {
        // Thread arg 0 spins; arg 1 waits for it to start, then traps.
        let p = try Self.program(
            thread: """
                (if (i32.eqz (local.get $arg)) (then (i32.atomic.store (i32.const 0) (i32.const 1)) (loop $spin (br $spin))))
                (loop $wait (br_if $wait (i32.eqz (i32.atomic.load (i32.const 0)))))
                (unreachable)
                """,
            main: "(drop (call $spawn (i32.const 0))) (drop (call $spawn (i32.const 1))) (loop $spin (br $spin))")
        let result = try #require(Self.runCommand(p), "runCommand did not return")
        #expect(throws: Trap(.unreachable)) { try result.get() }
        #expect(Self.threadsEnd(p))
    }
}
