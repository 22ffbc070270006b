import Foundation
import Synchronization
import Testing
import Wasmc

/// memory.atomic.wait32/wait64 and notify between threads: hand-offs, counts, timeouts.
@Suite struct WaitNotifyTests {
    static let wat = """
    (module (import "env" "mem" (memory 1 1 shared))
      (func (export "wait32") (param i32 i32 i64) (result i32)
        (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
      (func (export "wait64") (param i32 i64 i64) (result i32)
        (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
      (func (export "notify") (param i32 i32) (result i32)
        (memory.atomic.notify (local.get 0) (local.get 1)))
      ;; Ping-pong: the turn word at 0 says whose turn it is (0 or 1). On its turn a player
      ;; bumps the plain counter at 8, hands the turn over and wakes the other. Returns how
      ;; many of its waits returned 0 ("ok", woken).
      (func (export "play") (param $me i32) (param $rounds i32) (result i32) (local $woken i32)
        (loop $round
          (block $myTurn (loop $wait
            (br_if $myTurn (i32.eq (i32.atomic.load (i32.const 0)) (local.get $me)))
            (if (i32.eqz (memory.atomic.wait32 (i32.const 0) (i32.xor (local.get $me) (i32.const 1)) (i64.const -1)))
              (then (local.set $woken (i32.add (local.get $woken) (i32.const 1)))))
            (br $wait)))
          (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
          (i32.atomic.store (i32.const 0) (i32.xor (local.get $me) (i32.const 1)))
          (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
          (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
        (local.get $woken)))
    """

    let module: CompiledModule
    let memory: Memory
    let instance: Instance
    init() throws {
        module = try compile(Self.wat)
        memory = try sharedMemory(max: 1)
        instance = try Instance(module: module, imports: imports(memory))
    }

    @Test func pingPong() throws {
        let rounds = 2_000
        let (module, imports) = (module, imports(memory))
        let woken = try values(onThreads(2) { me in
            try #require(i32(Instance(module: module, imports: imports).call("play", [.i32(UInt32(me)), .i32(UInt32(rounds))])))
        })
        #expect(try memory.read(at: 8, count: 4) == littleEndian(UInt64(2 * rounds), width: 4))
        // Each player waits at most once per round, and only a notify ends an infinite wait.
        for w in woken { #expect(w <= UInt32(rounds)) }
    }

    /// Three waiters on one address; notifies wake them one at a time, the counts returned
    /// add up to exactly three, each waiter's wait returns 0 ("ok"), and nothing is left.
    @Test func notifyCountsWakeEveryWaiterOnce() throws {
        let (module, imports) = (module, imports(memory))
        let woken = Atomic<Int>(0)
        let results = onThreads(4) { i -> UInt32 in
            let inst = try Instance(module: module, imports: imports)
            if i < 3 { return try #require(i32(inst.call("wait32", [.i32(16), .i32(0), .i64(UInt64(bitPattern: -1))]))) }
            // The notifier: notify(16, 1) returns 1 only once a waiter is parked.
            let deadline = Date().addingTimeInterval(10)
            while woken.load(ordering: .relaxed) < 3 && Date() < deadline {
                let n = try #require(i32(inst.call("notify", [.i32(16), .i32(1)])))
                #expect(n <= 1)
                woken.add(Int(n), ordering: .relaxed)
            }
            return 0
        }
        #expect(try values(results) == [0, 0, 0, 0])
        #expect(woken.load(ordering: .relaxed) == 3)
        #expect(try instance.call("notify", [.i32(16), .i32(UInt32.max)]) == [.i32(0)])
    }

    @Test func notifyWithCountWakesAtMostThatMany() throws {
        let (module, imports) = (module, imports(memory))
        let parked = Atomic<Int>(0)
        let results = onThreads(4) { i -> UInt32 in
            let inst = try Instance(module: module, imports: imports)
            if i < 3 {
                parked.add(1, ordering: .sequentiallyConsistent)
                return try #require(i32(inst.call("wait32", [.i32(24), .i32(0), .i64(UInt64(bitPattern: -1))])))
            }
            while parked.load(ordering: .sequentiallyConsistent) < 3 { usleep(1000) }
            usleep(20_000)
            var total = try #require(i32(inst.call("notify", [.i32(24), .i32(2)])))
            #expect(total <= 2)
            while total < 3 { total += try #require(i32(inst.call("notify", [.i32(24), .i32(2)]))) }
            #expect(total == 3)
            return 0
        }
        #expect(try values(results) == [0, 0, 0, 0])
    }

    @Test func timeoutsAndNotEqual() throws {
        for (fn, expected) in [("wait32", Value.i32(0)), ("wait64", Value.i64(0))] {
            var start = DispatchTime.now()
            #expect(try instance.call(fn, [.i32(32), expected, .i64(10_000_000)]) == [.i32(2)], "\(fn) timed out")
            let elapsed = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
            // Never early; how late is up to the machine's load (no upper bound asserted).
            #expect(elapsed >= 10_000_000, "\(fn): \(elapsed) ns")
            start = DispatchTime.now()
            #expect(try instance.call(fn, [.i32(32), expected, .i64(0)]) == [.i32(2)], "\(fn) zero timeout")
            let notEqual: Value = fn == "wait32" ? .i32(7) : .i64(7)
            #expect(try instance.call(fn, [.i32(32), notEqual, .i64(UInt64(bitPattern: -1))]) == [.i32(1)], "\(fn) not-equal")
        }
        // wait64 compares all 8 bytes: a difference in the high half is "not-equal".
        try memory.write(littleEndian(0x1_0000_0000, width: 8), at: 40)
        #expect(try instance.call("wait64", [.i32(40), .i64(0), .i64(UInt64(bitPattern: -1))]) == [.i32(1)])
        #expect(try instance.call("wait64", [.i32(40), .i64(0x1_0000_0000), .i64(1_000_000)]) == [.i32(2)])
        #expect(try instance.call("notify", [.i32(32), .i32(1)]) == [.i32(0)])
    }
}
