import Foundation
import Testing
import WAT
@testable import Wasmc

/// Several memories from the Swift API, in both tiers: each export reaches its own memory,
/// data segments land in theirs, atomics and wait/notify act on the memory they name.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct MultiMemoryRunTests {
    static let wat = """
    (module
      (memory $a (export "a") 1)
      (memory $b (export "b") 1 2 shared)
      (data (memory $a) (i32.const 0) "A")
      (data (memory $b) (i32.const 0) "B")
      (func (export "copy") (param i32)
        (i32.store8 $b (local.get 0) (i32.load8_u $a (i32.const 0))))
      (func (export "bump") (param i32) (result i32)
        (i32.atomic.rmw.add $b (local.get 0) (i32.const 5)))
      (func (export "notify") (param i32) (result i32)
        (memory.atomic.notify $b (local.get 0) (i32.const 1)))
      (func (export "wait_mismatch") (param i32) (result i32)
        (memory.atomic.wait32 $b (local.get 0) (i32.const 12345) (i64.const 0)))
      (func (export "grow_b") (result i32) (memory.grow $b (i32.const 1)))
      (func (export "size_a") (result i32) (memory.size $a)))
    """

    @Test(arguments: [false, true]) func eachMemoryIsItsOwn(optimize: Bool) throws {
        let compiled = try CompiledModule.compile(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize))
        let inst = try Instance(module: compiled)
        let a = try #require(inst.memory("a")), b = try #require(inst.memory("b"))
        #expect(try a.read(at: 0, count: 1) == [0x41])
        #expect(try b.read(at: 0, count: 1) == [0x42])
        _ = try inst.call("copy", [.i32(9)])
        #expect(try b.read(at: 9, count: 1) == [0x41])
        #expect(try a.read(at: 9, count: 1) == [0])
        #expect(try inst.call("bump", [.i32(16)]) == [.i32(0)])
        #expect(try inst.call("bump", [.i32(16)]) == [.i32(5)])
        #expect(try b.read(at: 16, count: 4) == [10, 0, 0, 0])
        #expect(try a.read(at: 16, count: 4) == [0, 0, 0, 0])
        // wait on memory b: shared, so no trap; the value differs: "not-equal".
        #expect(try inst.call("wait_mismatch", [.i32(16)]) == [.i32(1)])
        #expect(try inst.call("notify", [.i32(16)]) == [.i32(0)])
        #expect(try inst.call("grow_b") == [.i32(1)])
        #expect(b.pageCount == 2 && a.pageCount == 1)
        #expect(try inst.call("size_a") == [.i32(1)])
        // Past the end of memory b (2 pages) but inside memory a's reservation: still a trap.
        #expect(throws: Trap.self) { _ = try inst.call("bump", [.i32(2 * 65536)]) }
    }
}
