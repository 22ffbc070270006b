import Foundation
import Testing
import WAT
import WasmcRuntime
@testable import Wasmc
@testable import WasmcLower

/// 64-bit memories from the Swift API, in both tiers: sizes in 64-bit pages, explicit bounds
/// checks (the address, the offset, their 65-bit sum), and what is reserved.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct Memory64RunTests {
    static let wat = """
    (module
      (memory (export "m") i64 1 4)
      (data (i64.const 8) "xyz")
      (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
      (func (export "load_far") (param i64) (result i64) (i64.load offset=0xffffffff (local.get 0)))
      (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
      (func (export "size") (result i64) (memory.size))
      (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))
    """

    @Test(arguments: [false, true]) func boundsAreCheckedExplicitly(optimize: Bool) throws {
        let compiled = try CompiledModule.compile(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize))
        let inst = try Instance(module: compiled)
        let m = try #require(inst.memory("m"))
        #expect(m.type.is64 && m.pageCount == 1)
        #expect(try inst.call("load", [.i64(9)]) == [.i32(UInt32(UInt8(ascii: "y")))])
        #expect(try inst.call("load", [.i64(65535)]) == [.i32(0)])
        #expect(throws: Trap.self) { _ = try inst.call("load", [.i64(65536)]) }
        // Inside the reservation's committed-later pages, and far beyond any reservation.
        #expect(throws: Trap.self) { _ = try inst.call("load", [.i64(3 * 65536)]) }
        #expect(throws: Trap.self) { _ = try inst.call("load", [.i64(1 << 40)]) }
        #expect(throws: Trap.self) { _ = try inst.call("load", [.i64(UInt64.max)]) }
        // Offset past the guard (the whole access checked), and address + offset past 2^64.
        #expect(throws: Trap.self) { _ = try inst.call("load_far", [.i64(1)]) }
        #expect(throws: Trap.self) { _ = try inst.call("load_far", [.i64(UInt64.max - 0xfffffffe)]) }
        #expect(throws: Trap.self) { _ = try inst.call("store", [.i64(65533), .i32(1)]) }
        #expect(try inst.call("grow", [.i64(2)]) == [.i64(1)])
        #expect(try inst.call("size") == [.i64(3)])
        #expect(m.pageCount == 3)
        _ = try inst.call("store", [.i64(3 * 65536 - 4), .i32(0x01020304)])
        #expect(try m.read(at: 3 * 65536 - 4, count: 4) == [4, 3, 2, 1])
        #expect(try inst.call("grow", [.i64(2)]) == [.i64(UInt64.max)])  // past the maximum, 4
        #expect(throws: Trap.self) { _ = try inst.call("fill", [.i64(3 * 65536 - 1), .i32(7), .i64(2)]) }
        #expect(throws: Trap.self) { _ = try inst.call("fill", [.i64(1), .i32(7), .i64(UInt64.max)]) }
    }

    /// A maximum beyond what wasmc reserves (16 GiB) still instantiates, growth stops there;
    /// a minimum beyond it is a clear instantiation error.
    @Test func reservationIsCapped() throws {
        let big = try CompiledModule.compile(wasm: wat2wasm("(module (memory (export \"m\") i64 1 0x1000000000000))"))
        let inst = try Instance(module: big)
        #expect(try #require(inst.memory("m")).grow(by: 1 << 20) == nil)
        let tooBig = try CompiledModule.compile(wasm: wat2wasm("(module (memory i64 0x100000))"))
        let e = try #require(throws: ResourceLimitError.self) { _ = try Instance(module: tooBig) }
        #expect(e.description == "memory 0: minimum size of 1048576 pages exceeds the limit of 262144 pages")
    }

    /// The guard the lowering's one-compare check relies on is the one the runtime leaves.
    @Test func loweringAndRuntimeAgreeOnTheGuard() {
        #expect(ExprTree.guard64 == WASMC_GUARD64)
        #expect(wasmc_memory_reservable_pages(1) == WASMC_RESERVATION64_MAX / 65536)
    }
}
