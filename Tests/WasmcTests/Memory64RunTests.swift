import Foundation
import Testing
import WAT
import WasmcRuntime
import WasmcSyntax
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

    /// Grows a 64-bit memory from 1 page to 20 GiB, past the 16 GiB wasmc used to stop at and
    /// past the first reservation of a memory whose base moves; touches only a few pages.
    static func growWat(max: String) -> String {
        """
        (module
          (memory (export "m") i64 1 \(max))
          (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
          (func (export "store8") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
          (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
          ;; Stores at 8, grows by $p pages, loads from 8 again: one function across a move.
          (func (export "store_grow_load") (param $p i64) (result i64 i32)
            (i32.store (i64.const 8) (i32.const 42))
            (memory.grow (local.get $p))
            (i32.load (i64.const 8)))
          ;; The same with the growth in a callee.
          (func $grow (param i64) (result i64) (memory.grow (local.get 0)))
          (func (export "store_call_grow_load") (param $p i64) (result i64 i32)
            (i32.store (i64.const 8) (i32.const 43))
            (call $grow (local.get $p))
            (i32.load (i64.const 8)))
          ;; Grows in a callee, then stores at $a (past the old length) and loads it back.
          (func (export "call_grow_store") (param $p i64) (param $a i64) (result i32)
            (drop (call $grow (local.get $p)))
            (i32.store8 (local.get $a) (i32.const 6))
            (i32.load8_u (local.get $a)))
          ;; Grows by $p pages in a callee that then throws; after the catch, stores at $a and
          ;; returns what is at 16 plus what is at $a.
          (tag $e)
          (func $grow_and_throw (param i64) (drop (memory.grow (local.get 0))) (throw $e))
          (func (export "grow_in_try") (param $p i64) (param $a i64) (result i32)
            (i32.store (i64.const 16) (i32.const 70))
            (block $h (try_table (catch $e $h) (call $grow_and_throw (local.get $p))))
            (i32.store8 (local.get $a) (i32.const 5))
            (i32.add (i32.load (i64.const 16)) (i32.load8_u (local.get $a)))))
        """
    }

    /// No maximum: the base moves (16 GiB reserved first, then 32, 64, 128); a 20 GiB
    /// maximum: reserved whole.
    @Test(arguments: [false, true], ["", "0x50000"])
    func growsPast16GiB(optimize: Bool, max: String) throws {
        let compiled = try CompiledModule.compile(wasm: wat2wasm(Self.growWat(max: max)), options: CompileOptions(optimize: optimize))
        let inst = try Instance(module: compiled)
        let m = try #require(inst.memory("m"))
        _ = try inst.call("store8", [.i64(100), .i32(5)])
        #expect(try inst.call("store_grow_load", [.i64((16 << 14) - 1)]) == [.i64(1), .i32(42)])   // to 16 GiB
        #expect(try inst.call("store_call_grow_load", [.i64(4 << 14)]) == [.i64(16 << 14), .i32(43)])   // to 20 GiB
        #expect(m.pageCount == 20 << 14)
        let last: UInt64 = (20 << 30) - 1
        #expect(try inst.call("load8", [.i64(100)]) == [.i32(5)])
        _ = try inst.call("store8", [.i64(last), .i32(0xab)])
        #expect(try inst.call("load8", [.i64(last)]) == [.i32(0xab)])
        #expect(try inst.call("load64", [.i64(last - 7)]) == [.i64(0xab << 56)])
        #expect(throws: Trap.self) { _ = try inst.call("load8", [.i64(last + 1)]) }
        #expect(throws: Trap.self) { _ = try inst.call("load64", [.i64(last - 6)]) }
        #expect(throws: Trap.self) { _ = try inst.call("store8", [.i64(last + 1), .i32(1)]) }
        #expect(try m.read(at: last, count: 1) == [0xab])
        // Without a maximum growth goes on (to 36 GiB: a second move), also from a callee
        // that throws into a try_table; at the declared maximum it stops.
        if max.isEmpty {
            #expect(try inst.call("store_grow_load", [.i64(16 << 14)]) == [.i64(20 << 14), .i32(42)])
            #expect(try inst.call("call_grow_store", [.i64(4 << 14), .i64((40 << 30) - 1)]) == [.i32(6)])
            #expect(try inst.call("grow_in_try", [.i64(36 << 14), .i64((76 << 30) - 1)]) == [.i32(75)])
            #expect(m.pageCount == 76 << 14)
            #expect(try inst.call("load8", [.i64(last)]) == [.i32(0xab)])
        } else {
            #expect(try inst.call("store_grow_load", [.i64(1)]) == [.i64(UInt64.max), .i32(42)])
            #expect(throws: Trap.self) { _ = try inst.call("grow_in_try", [.i64(1), .i64(last + 1)]) }
            #expect(throws: Trap.self) { _ = try inst.call("call_grow_store", [.i64(1), .i64(last + 1)]) }
        }
    }

    /// A host-created memory without a maximum, grown by the host past its first reservation
    /// while an instance imports it: the instance reads the moved base.
    @Test func importedMemoryMoves() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: nil), shared: false, address: .i64))
        var imports = Imports()
        imports.define(module: "env", name: "mem", .memory(memory))
        let compiled = try CompiledModule.compile(wasm: wat2wasm("""
            (module (import "env" "mem" (memory i64 1))
              (func (export "store8") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0))))
            """))
        let inst = try Instance(module: compiled, imports: imports)
        _ = try inst.call("store8", [.i64(65535), .i32(9)])
        #expect(memory.grow(by: 17 << 14) == 1)
        #expect(try inst.call("load8", [.i64(65535)]) == [.i32(9)])
        let last: UInt64 = ((17 << 14) + 1) * 65536 - 1
        _ = try inst.call("store8", [.i64(last), .i32(3)])
        #expect(try memory.read(at: last, count: 1) == [3])
        #expect(throws: Trap.self) { _ = try inst.call("load8", [.i64(last + 1)]) }
    }

    /// `maxMemoryPages` caps a 64-bit memory like a 32-bit one, also beyond 4 GiB; a minimum
    /// beyond the address space and a shared maximum beyond what can be reserved whole are
    /// clear instantiation errors.
    @Test func limitsAndInstantiationErrors() throws {
        let free = try CompiledModule.compile(wasm: wat2wasm("(module (memory (export \"m\") i64 1))"))
        let capped = try Instance(module: free, limits: ResourceLimits(maxMemoryPages: 70000))
        let m = try #require(capped.memory("m"))
        #expect(m.grow(by: 69999) == 1)
        #expect(m.grow(by: 1) == nil)
        let tooBig = try CompiledModule.compile(wasm: wat2wasm("(module (memory i64 0x80000001))"))
        let e = try #require(throws: ResourceLimitError.self) { _ = try Instance(module: tooBig) }
        #expect(e.description == "memory 0: minimum size of 2147483649 pages exceeds the limit of 2147483648 pages")
        let shared = try CompiledModule.compile(wasm: wat2wasm("(module (memory (export \"m\") i64 1 0x1000000000000 shared))"))
        let s = try #require(throws: WasmcError.self) { _ = try Instance(module: shared) }
        #expect("\(s)".contains("memory 0: a shared 64-bit memory's maximum of 281474976710656 pages is over the 16777216 pages (1 TiB)"))
        // Under a limit that fits, it instantiates and grows up to the limit.
        let limited = try Instance(module: shared, limits: ResourceLimits(maxMemoryPages: 20 << 14))
        let sm = try #require(limited.memory("m"))
        #expect(sm.grow(by: (20 << 14) - 1) == 1)
        #expect(sm.grow(by: 1) == nil)
    }

    /// The guard the lowering's one-compare check relies on is the one the runtime leaves.
    @Test func loweringAndRuntimeAgreeOnTheGuard() {
        #expect(ExprTree.guard64 == WASMC_GUARD64)
        #expect(ExprTree.reservation64Max == WASMC_RESERVATION64_MAX)
        #expect(wasmc_memory_reservable_pages(1) == WASMC_MEMORY64_MAX_BYTES / 65536)
        // Which bases move: the lowering's rule is the runtime's.
        for max: UInt64? in [nil, 1, WASMC_RESERVATION64_MAX / 65536, WASMC_RESERVATION64_MAX / 65536 + 1] {
            for shared in [false, true] {
                let type = MemoryType(limits: Limits(min: 1, max: max), shared: shared, address: .i64)
                var module = WasmcSyntax.Module()
                module.memories = [type]
                let ctx = ModuleContext(module, options: LowerOptions(), templates: [])
                #expect(ctx.baseMoves(0) == (wasmc_memory64_base_moves(max ?? UInt64.max, shared ? 1 : 0) != 0))
            }
        }
    }
}
