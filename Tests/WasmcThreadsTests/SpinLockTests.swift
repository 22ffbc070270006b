import Testing
import Wasmc

/// A lock taken with cmpxchg and released with an atomic store guards plain (non-atomic)
/// loads and stores: no update may be lost, so the lock's acquire/release must order them,
/// in both tiers (the optimizing C compiler must not move plain accesses across the atomics).
@Suite struct SpinLockTests {
    /// Lock word at 0 of the given width; counters at 64 (i64) and 72 (i32), updated plainly.
    static func module(cmpxchg: String, store: String, type: String) -> String {
        """
        (module (import "env" "mem" (memory 1 1 shared))
          (func $lock (loop $spin
            (br_if $spin (\(type).ne (\(cmpxchg) (i32.const 0) (\(type).const 0) (\(type).const 1)) (\(type).const 0)))))
          (func $unlock (\(store) (i32.const 0) (\(type).const 0)))
          (func (export "work") (param $n i32)
            (loop $l
              (call $lock)
              (i64.store (i32.const 64) (i64.add (i64.load (i32.const 64)) (i64.const 0x100000001)))
              (i32.store (i32.const 72) (i32.add (i32.load (i32.const 72)) (i32.const 3)))
              (call $unlock)
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
        """
    }

    static let locks = [
        ("i32.atomic.rmw8.cmpxchg_u", "i32.atomic.store8", "i32"),
        ("i32.atomic.rmw.cmpxchg", "i32.atomic.store", "i32"),
        ("i64.atomic.rmw16.cmpxchg_u", "i64.atomic.store16", "i64"),
        ("i64.atomic.rmw.cmpxchg", "i64.atomic.store", "i64"),
    ]

    @Test(arguments: [false, true])
    func lockGuardsPlainReadModifyWrite(optimize: Bool) throws {
        let threads = 3, iterations = 20_000
        for (cmpxchg, store, type) in Self.locks {
            let module = try compile(Self.module(cmpxchg: cmpxchg, store: store, type: type), optimize: optimize)
            let memory = try sharedMemory(max: 1)
            let imports = imports(memory)
            _ = try values(onThreads(threads) { _ in
                try Instance(module: module, imports: imports).call("work", [.i32(UInt32(iterations))])
            })
            let n = UInt64(threads * iterations)
            #expect(try memory.read(at: 64, count: 12) == littleEndian(n * 0x1_0000_0001, width: 8) + littleEndian(3 * n, width: 4),
                    "\(cmpxchg)")
            #expect(try memory.read(at: 0, count: 8) == Array(repeating: 0, count: 8), "\(cmpxchg): lock released")
        }
    }
}
