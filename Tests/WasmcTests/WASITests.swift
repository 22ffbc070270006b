import Foundation
import Testing
import WAT
import Wasmc

/// WASI through the Swift API: a host function's Caller, a command's args/env/stdout and
/// exit code, the preopen sandbox against every escape, threads ending the program, and the
/// compiled-module cache.
@Suite struct WASITests {
    static func compile(_ wat: String) throws -> CompiledModule {
        try CompiledModule.compile(wasm: try wat2wasm(wat))
    }

    static func temporaryFolder() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-wasi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func hostFunctionReachesCallersMemory() throws {
        let module = try Self.compile("""
            (module
              (import "host" "sum" (func $sum (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "\\01\\02\\03\\04")
              (func (export "go") (result i32) (call $sum (i32.const 16) (i32.const 4))))
            """)
        var imports = Imports()
        imports.define(module: "host", name: "sum", .function(Function(type: FuncType(params: [.i32, .i32], results: [.i32]), caller: { caller, args in
            guard let memory = caller?.memory(), case .i32(let at) = args[0], case .i32(let n) = args[1] else { throw WasmcError("no caller") }
            let bytes = try memory.read(at: UInt64(at), count: Int(n))
            try memory.write([0xAA], at: 0)
            return [.i32(bytes.reduce(0) { $0 + UInt32($1) })]
        })))
        let instance = try Instance(module: module, imports: imports)
        #expect(try instance.call("go") == [.i32(10)])
        #expect(try instance.memory("memory")!.read(at: 0, count: 1) == [0xAA])
    }

    /// Writes argv and the environment to fd 1, one per line, then exits with argc.
    static let echo = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WASI/echo.wat").standardized, encoding: .utf8)

    @Test func commandArgumentsEnvironmentStdoutAndExitCode() throws {
        let pipe = Pipe()
        let wasi = try WASIHost(WASIConfiguration(arguments: ["echo", "a b", "--flag"], environment: [("K", "v=1")],
                                                  stdout: pipe.fileHandleForWriting.fileDescriptor))
        let program = try WASIProgram(module: try Self.compile(Self.echo), wasi: wasi)
        #expect(try program.runCommand() == 3)
        try pipe.fileHandleForWriting.close()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output == "echo\na b\n--flag\nK=v=1\n")
    }

    /// A command blocked in fd_read on a pipe nobody writes to: interrupt() from another
    /// thread ends it ("interrupted"), both tiers.
    @Test(arguments: [false, true]) func interruptEndsACommandBlockedInFdRead(optimize: Bool) throws {
        let module = try CompiledModule.compile(wasm: try wat2wasm("""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 16))
                (i32.store (i32.const 16) (i32.const 1))
                (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                (i32.store (i32.const 20) (i32.const 1))))
            """), options: CompileOptions(optimize: optimize))
        let pipe = Pipe()
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration(stdin: pipe.fileHandleForReading.fileDescriptor)))
        let outcome = WASIThreadsTests.Outcome(), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let p = program
        Thread {
            outcome.result = Result { try p.runCommand() }
            done.signal()
        }.start()
        let memory = program.instance.memory("memory")!
        let deadline = Date().addingTimeInterval(10)
        while try memory.read(at: 16, count: 1) == [0] && Date() < deadline { usleep(1000) }
        usleep(50_000) // into the read
        program.interrupts.interrupt()
        guard done.wait(timeout: .now() + 10) == .success else {
            Issue.record("fd_read was not interrupted within 10 s")
            try pipe.fileHandleForWriting.close()
            done.wait()
            return
        }
        #expect(throws: Trap(.interrupted)) { try outcome.result!.get() }
        #expect(try memory.read(at: 20, count: 1) == [0])
    }

    /// One poll_oneoff subscription at 64: the monotonic clock, 60 s from now (userdata 7).
    static let sleepOneMinute = """
        (i64.store (i32.const 64) (i64.const 7)) (i32.store (i32.const 80) (i32.const 1))
        (i64.store (i32.const 88) (i64.const 60000000000))
        (drop (call $poll (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)))
        """

    /// A command sleeping 60 s in poll_oneoff (a clock subscription only): interrupt() from
    /// another thread ends it ("interrupted") within seconds, both tiers, memory still readable.
    @Test(arguments: [false, true]) func interruptEndsACommandSleepingInPollOneoff(optimize: Bool) throws {
        let module = try CompiledModule.compile(wasm: try wat2wasm("""
            (module
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 16) (i32.const 1))
                \(Self.sleepOneMinute)
                (i32.store (i32.const 20) (i32.const 1))))
            """), options: CompileOptions(optimize: optimize))
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
        let outcome = WASIThreadsTests.Outcome(), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let p = program
        Thread {
            outcome.result = Result { try p.runCommand() }
            done.signal()
        }.start()
        let memory = program.instance.memory("memory")!
        let deadline = Date().addingTimeInterval(10)
        while try memory.read(at: 16, count: 1) == [0] && Date() < deadline { usleep(1000) }
        usleep(50_000) // into the sleep
        let interrupted = Date()
        program.interrupts.interrupt()
        guard done.wait(timeout: .now() + 10) == .success else {
            Issue.record("poll_oneoff was not interrupted within 10 s")
            done.wait()
            return
        }
        #expect(Date().timeIntervalSince(interrupted) < 10)
        #expect(throws: Trap(.interrupted)) { try outcome.result!.get() }
        #expect(try memory.read(at: 16, count: 1) == [1])
        #expect(try memory.read(at: 20, count: 1) == [0])
    }

    /// Clock subscriptions waited for here still answer as preview1 says: the earliest clock
    /// fires with its userdata, a later one does not, both tiers.
    @Test(arguments: [false, true]) func pollOneoffClockEventsAreUnchanged(optimize: Bool) throws {
        let module = try CompiledModule.compile(wasm: try wat2wasm("""
            (module
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i64.store (i32.const 64) (i64.const 5)) (i32.store (i32.const 80) (i32.const 1))
                (i64.store (i32.const 88) (i64.const 20000000))
                (i64.store (i32.const 112) (i64.const 6)) (i32.store (i32.const 128) (i32.const 1))
                (i64.store (i32.const 136) (i64.const 60000000000))
                (i32.store (i32.const 16) (call $poll (i32.const 64) (i32.const 256) (i32.const 2) (i32.const 20)))))
            """), options: CompileOptions(optimize: optimize))
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
        let started = Date()
        #expect(try program.runCommand() == 0)
        #expect(Date().timeIntervalSince(started) >= 0.02)
        let memory = program.instance.memory("memory")!
        #expect(try memory.read(at: 16, count: 8) == [0, 0, 0, 0, 1, 0, 0, 0]) // errno success, 1 event
        #expect(try memory.read(at: 256, count: 11) == [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // userdata 5, errno 0, clock
    }

    @Test func hostDefinitionsWinOverWASIs() throws {
        let module = try Self.compile("""
            (module
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (func (export "_start") (if (i32.ne (call $yield) (i32.const 77)) (then unreachable))))
            """)
        var imports = Imports()
        imports.define(module: "wasi_snapshot_preview1", name: "sched_yield",
                       .function(Function(type: FuncType(params: [], results: [.i32])) { _ in [.i32(77)] }))
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()), imports: imports)
        #expect(try program.runCommand() == 0)
    }

    @Test func reactorAndUnknownFunctionsAndMissingStart() throws {
        let reactor = try Self.compile("""
            (module
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (global $g (mut i32) (i32.const 0))
              (func (export "_initialize") (global.set $g (i32.const 41)))
              (func (export "get") (result i32) (i32.add (i32.add (global.get $g) (call $yield)) (i32.const 1))))
            """)
        let program = try WASIProgram(module: reactor, wasi: try WASIHost(WASIConfiguration()))
        try program.initializeReactor()
        #expect(try program.instance.call("get") == [.i32(42)])
        #expect(throws: WasmcError.self) { try program.runCommand() }

        let unknown = try Self.compile("""
            (module (import "wasi_snapshot_preview1" "no_such_call" (func (param i32))) (func (export "_start")))
            """)
        do {
            _ = try WASIProgram(module: unknown, wasi: try WASIHost(WASIConfiguration()))
            Issue.record("an unknown WASI function was accepted")
        } catch let error as WasmcError {
            #expect(error.message.contains("wasi_snapshot_preview1.no_such_call"))
        }
        #expect(throws: WasmcError.self) {
            _ = try WASIHost(WASIConfiguration(preopens: [WASIPreopen(hostPath: "/no/such/folder", guestPath: "/")]))
        }
    }

    @Test func badGuestPointerIsEFAULTNotACrash() throws {
        let module = try Self.compile("""
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "random") (param i32 i32) (result i32) (call $random (local.get 0) (local.get 1)))
              (func (export "write_iovec_at") (param i32) (result i32)
                (call $fd_write (i32.const 1) (local.get 0) (i32.const 1) (i32.const 0))))
            """)
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
        #expect(try program.instance.call("random", [.i32(0), .i32(65536)]) == [.i32(0)])
        #expect(try program.instance.call("random", [.i32(65535), .i32(2)]) == [.i32(21)])
        #expect(try program.instance.call("random", [.i32(0xFFFF_FFF0), .i32(0x100)]) == [.i32(21)])
        #expect(try program.instance.call("write_iovec_at", [.i32(0xFFFF_FFFC)]) == [.i32(21)])
        #expect(try program.instance.call("write_iovec_at", [.i32(65532)]) == [.i32(21)])
    }

    @Test func socketsAnswerBadFdOrNotASocket() throws {
        let module = try Self.compile("""
            (module
              (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "send") (param i32) (result i32) (call $send (local.get 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 8)))
              (func (export "accept") (param i32) (result i32) (call $accept (local.get 0) (i32.const 0) (i32.const 8)))
              (func (export "raise") (result i32) (call $raise (i32.const 2))))
            """)
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
        #expect(try program.instance.call("send", [.i32(1)]) == [.i32(57)])     // stdout: ENOTSOCK
        #expect(try program.instance.call("send", [.i32(99)]) == [.i32(8)])     // no such fd: EBADF
        #expect(try program.instance.call("accept", [.i32(0)]) == [.i32(57)])
        #expect(try program.instance.call("raise") == [.i32(52)])               // ENOSYS
    }

    @Test func cpuTimeClocks() throws {
        let module = try Self.compile("""
            (module
              (import "wasi_snapshot_preview1" "clock_time_get" (func $now (param i32 i64 i32) (result i32)))
              (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "now") (param i32) (result i32) (call $now (local.get 0) (i64.const 1) (i32.const 8)))
              (func (export "res") (param i32) (result i32) (call $res (local.get 0) (i32.const 16))))
            """)
        let program = try WASIProgram(module: module, wasi: try WASIHost(WASIConfiguration()))
        let memory = program.instance.memory("memory")!
        for clock: UInt32 in 0...3 {
            try memory.write(Array(repeating: 0, count: 16), at: 8)
            #expect(try program.instance.call("now", [.i32(clock)]) == [.i32(0)], "clock \(clock)")
            #expect(try program.instance.call("res", [.i32(clock)]) == [.i32(0)], "clock \(clock)")
            #expect(try memory.read(at: 8, count: 8) != Array(repeating: 0, count: 8), "clock \(clock) read 0")
            #expect(try memory.read(at: 16, count: 8) != Array(repeating: 0, count: 8), "clock \(clock) resolution 0")
        }
        #expect(try program.instance.call("now", [.i32(4)]) != [.i32(0)])
    }
}
