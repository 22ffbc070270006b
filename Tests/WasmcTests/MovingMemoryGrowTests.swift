import Foundation
import Testing
import WAT
@testable import Wasmc

/// A non-shared 64-bit memory without a maximum moves to a larger reservation when it outgrows
/// its own (16 GiB). Grown from the host (or by wasm code of another thread) while a thread runs
/// wasm code on it, whose code holds the old base, the move is refused with a clear error
/// instead of pulling the pages from under that code; growth that needs no move still works,
/// and once the call has ended the move goes through with the contents kept. Both tiers.
@Suite struct MovingMemoryGrowTests {
    static let wat = """
    (module
      (memory (export "mem") i64 1)
      ;; Says it runs (address 0), then reads memory until the host sets address 8.
      (func (export "spin")
        (i32.atomic.store (i64.const 0) (i32.const 1))
        (loop $l (br_if $l (i32.eqz (i32.atomic.load (i64.const 8))))))
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
      (func (export "load") (param i64) (result i32) (i32.load (local.get 0))))
    """

    /// Pages that make a 2-page memory outgrow its first reservation (16 GiB).
    static let pastReservation: UInt64 = (16 << 30) / 65536

    @Test(arguments: [false, true]) func hostGrowThatWouldMoveFailsWhileAnotherThreadRunsIt(optimize: Bool) throws {
        let module = try CompiledModule.compile(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize))
        let instance = try Instance(module: module)
        let memory = try #require(instance.memory("mem"))
        try memory.write([0x2A, 0, 0, 0], at: 100)
        let outcome = InterruptTests.start(instance, "spin")
        let deadline = Date().addingTimeInterval(10)
        while try memory.read(at: 0, count: 1) == [0] && Date() < deadline { usleep(1000) }
        #expect(try memory.read(at: 0, count: 1) == [1], "the call never started")

        // Within the reservation: no move, fine while the other thread runs.
        #expect(try memory.growOrThrow(by: 1) == 1)
        // Past it: refused, the memory unchanged, the other thread's code unharmed.
        // (The most a memory without a maximum reaches: the 128 TiB of address space, 2^31 pages.)
        #expect(throws: MemoryGrowError(reason: .inUseByAnotherThread, pages: Self.pastReservation, current: 2,
                                        maximum: 1 << 31)) {
            try memory.growOrThrow(by: Self.pastReservation)
        }
        #expect(memory.grow(by: Self.pastReservation) == nil)
        // So is wasm's own memory.grow on this thread: -1.
        #expect(try instance.call("grow", [.i64(Self.pastReservation)]) == [.i64(UInt64.max)])
        #expect(memory.pageCount == 2)
        let error = MemoryGrowError(reason: .inUseByAnotherThread, pages: 5, current: 2, maximum: 9)
        #expect(error.description.hasPrefix("cannot grow memory of 2 pages by 5: it would move to a larger reservation while another thread runs wasm code"))

        try memory.write([1], at: 8)
        switch outcome.wait(seconds: 10) {
        case nil: Issue.record("the call did not end")
        case .failure(let e)?: Issue.record("the call failed: \(e)")
        case .success?: break
        }
        // No call running: the move goes through and keeps the contents.
        #expect(try memory.growOrThrow(by: Self.pastReservation) == 2)
        #expect(memory.pageCount == 2 + Self.pastReservation)
        #expect(try instance.call("load", [.i64(100)]) == [.i32(42)])
        #expect(try memory.read(at: 100, count: 1) == [42])
    }
}
