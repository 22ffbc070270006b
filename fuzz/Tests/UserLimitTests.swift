import Foundation
import Testing
import WAT
import Wasmc

/// `ResourceLimits` (issue 6): each cap hits with its documented behaviour (an instantiation
/// error naming the memory or table and both numbers; -1 from a grow; "call stack exhausted"),
/// in both tiers where generated code is involved, and the instance keeps working afterwards.
@Suite struct UserLimitTests {
    static func compile(_ wat: String, optimize: Bool = false) throws -> CompiledModule {
        try CompiledModule.compile(wasm: wat2wasm(wat), options: CompileOptions(optimize: optimize))
    }

    static let memoryModule = """
    (module
      (memory (export "mem") 1)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
    """

    // ---- Memories ------------------------------------------------------------------------

    @Test func memoryMinimumOverTheLimitFailsInstantiation() throws {
        let module = try Self.compile("(module (memory 5 10))")
        #expect(throws: ResourceLimitError(kind: .memory, index: 0, requested: 5, limit: 4)) {
            try Instance(module: module, limits: ResourceLimits(maxMemoryPages: 4))
        }
        do {
            _ = try Instance(module: module, limits: ResourceLimits(maxMemoryPages: 4))
        } catch {
            #expect("\(error)" == "memory 0: minimum size of 5 pages exceeds the limit of 4 pages")
        }
        // At the limit is fine; so is no limit.
        _ = try Instance(module: module, limits: ResourceLimits(maxMemoryPages: 5))
        _ = try Instance(module: module)
    }

    @Test(arguments: [false, true]) func memoryGrowPastTheLimitReturnsMinusOne(optimize: Bool) throws {
        let instance = try Instance(module: Self.compile(Self.memoryModule, optimize: optimize),
                                    limits: ResourceLimits(maxMemoryPages: 4))
        #expect(try instance.call("grow", [.i32(4)]) == [.i32(UInt32.max)])      // 1 + 4 > 4
        #expect(try instance.call("grow", [.i32(3)]) == [.i32(1)])
        #expect(try instance.call("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(0x1_0000)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(0)]) == [.i32(4)])
        let memory = try #require(instance.memory("mem"))
        #expect(memory.grow(by: 1) == nil)
        #expect(memory.pageCount == 4)
        // Still working: the last byte of the 4 pages is usable, the next one is out of bounds.
        _ = try instance.call("store", [.i32(4 * 65536 - 4), .i32(0xC0FFEE)])
        #expect(try instance.call("load", [.i32(4 * 65536 - 4)]) == [.i32(0xC0FFEE)])
        #expect(throws: Trap(.memoryOutOfBounds)) { try instance.call("load", [.i32(4 * 65536)]) }
        #expect(try instance.call("size") == [.i32(4)])
    }

    @Test(arguments: [false, true]) func sharedMemoryGrowPastTheLimitReturnsMinusOne(optimize: Bool) throws {
        let owner = try Instance(module: Self.compile("""
            (module (memory (export "mem") 1 100 shared)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, optimize: optimize), limits: ResourceLimits(maxMemoryPages: 3))
        // The cap belongs to the memory: an instance importing it without limits can't pass it.
        var imports = Imports()
        imports.define(module: "env", name: "mem", try #require(owner.export("mem")))
        let user = try Instance(module: Self.compile("""
            (module (import "env" "mem" (memory 1 100 shared))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "rmw") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1))))
            """, optimize: optimize), imports: imports)
        #expect(try user.call("grow", [.i32(3)]) == [.i32(UInt32.max)])
        #expect(try user.call("grow", [.i32(2)]) == [.i32(1)])
        #expect(try owner.call("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(try user.call("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(try owner.call("grow", [.i32(0)]) == [.i32(3)])
        #expect(try user.call("rmw", [.i32(3 * 65536 - 4)]) == [.i32(0)])
        #expect(try user.call("rmw", [.i32(3 * 65536 - 4)]) == [.i32(1)])
        #expect(throws: Trap(.memoryOutOfBounds)) { try user.call("rmw", [.i32(3 * 65536)]) }
    }

    @Test(arguments: [false, true]) func hostMemoryTakesTheSameCap(optimize: Bool) throws {
        let type = MemoryType(limits: Limits(min: 1, max: 10))
        #expect(throws: ResourceLimitError(kind: .memory, index: nil, requested: 1, limit: 0)) {
            try Memory(type, limits: ResourceLimits(maxMemoryPages: 0))
        }
        let memory = try Memory(type, limits: ResourceLimits(maxMemoryPages: 2))
        var imports = Imports()
        imports.define(module: "env", name: "mem", .memory(memory))
        let instance = try Instance(module: Self.compile("""
            (module (import "env" "mem" (memory 1 10))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, optimize: optimize), imports: imports)
        #expect(try instance.call("grow", [.i32(2)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(1)]) == [.i32(1)])
        #expect(try instance.call("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(memory.grow(by: 1) == nil)
        #expect(memory.pageCount == 2)
    }

    // ---- Tables --------------------------------------------------------------------------

    @Test func tableMinimumOverTheLimitFailsInstantiation() throws {
        // Table 1: index 0 is imported (and not subject to this instance's limits).
        let module = try Self.compile(#"(module (import "env" "t" (table 50 funcref)) (table 20 externref))"#)
        var imports = Imports()
        imports.define(module: "env", name: "t", .table(try Table(TableType(elementType: .funcref, limits: Limits(min: 50)),
                                                                  initial: .funcref(nil))))
        #expect(throws: ResourceLimitError(kind: .table, index: 1, requested: 20, limit: 19)) {
            try Instance(module: module, imports: imports, limits: ResourceLimits(maxTableElements: 19))
        }
        do {
            _ = try Instance(module: module, imports: imports, limits: ResourceLimits(maxTableElements: 19))
        } catch {
            #expect("\(error)" == "table 1: minimum size of 20 elements exceeds the limit of 19 elements")
        }
        _ = try Instance(module: module, imports: imports, limits: ResourceLimits(maxTableElements: 20))
        // The built-in cap without limits: 10,000,000 (checked before anything is allocated).
        let huge = try Self.compile("(module (table 10000001 funcref))")
        #expect(throws: ResourceLimitError(kind: .table, index: 0, requested: 10_000_001, limit: 10_000_000)) {
            try Instance(module: huge)
        }
        // Raised by the embedder, it instantiates.
        let big = try Instance(module: huge, limits: ResourceLimits(maxTableElements: 10_000_001))
        #expect(big.exports.isEmpty)
    }

    @Test(arguments: [false, true]) func tableGrowPastTheLimitReturnsMinusOne(optimize: Bool) throws {
        let instance = try Instance(module: Self.compile("""
            (module
              (table $t (export "t") 2 funcref)
              (elem (table $t) (i32.const 0) func $seven)
              (type $r (func (result i32)))
              (func $seven (result i32) (i32.const 7))
              (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $seven) (local.get 0)))
              (func (export "size") (result i32) (table.size $t))
              (func (export "call") (param i32) (result i32) (call_indirect $t (type $r) (local.get 0))))
            """, optimize: optimize), limits: ResourceLimits(maxTableElements: 5))
        #expect(try instance.call("grow", [.i32(4)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(3)]) == [.i32(2)])
        #expect(try instance.call("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(0xFFFF_FFFF)]) == [.i32(UInt32.max)])
        let table = try #require(instance.table("t"))
        #expect(table.grow(by: 1, initial: .funcref(nil)) == nil)
        #expect(try instance.call("size") == [.i32(5)])
        #expect(try instance.call("call", [.i32(4)]) == [.i32(7)])
        #expect(trapCode { try instance.call("call", [.i32(5)]) } == .undefinedElement)
        #expect(trapCode { try instance.call("call", [.i32(1)]) } == .uninitializedElement)
    }

    @Test func hostTableTakesTheSameCap() throws {
        let type = TableType(elementType: .externref, limits: Limits(min: 3))
        #expect(throws: ResourceLimitError(kind: .table, index: nil, requested: 3, limit: 2)) {
            try Table(type, initial: .externref(nil), limits: ResourceLimits(maxTableElements: 2))
        }
        let table = try Table(type, initial: .externref(nil), limits: ResourceLimits(maxTableElements: 4))
        var imports = Imports()
        imports.define(module: "env", name: "t", .table(table))
        let instance = try Instance(module: Self.compile("""
            (module (import "env" "t" (table 3 externref))
              (func (export "grow") (param i32) (result i32) (table.grow (ref.null extern) (local.get 0))))
            """), imports: imports)
        #expect(try instance.call("grow", [.i32(2)]) == [.i32(UInt32.max)])
        #expect(try instance.call("grow", [.i32(1)]) == [.i32(3)])
        #expect(table.grow(by: 1, initial: .externref(nil)) == nil)
        #expect(table.size == 4)
    }

    // ---- Stack ---------------------------------------------------------------------------

    /// `down` counts its depth in a global, then recurses; the add after the call keeps an
    /// optimizing C compiler from turning the recursion into a loop.
    static let recursion = """
    (module
      (global $depth (export "g") (mut i32) (i32.const 0))
      (func $down (export "down") (result i32)
        (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
        (i32.add (call $down) (global.get $depth)))
      (func (export "depth") (result i32) (global.get $depth))
      (func (export "reset") (global.set $depth (i32.const 0)))
      (func $count (export "count") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (call $count (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
    """

    /// How deep `down` got before "call stack exhausted", on a fresh thread with an 8 MiB stack.
    static func depth(_ module: CompiledModule, _ limits: ResourceLimits) throws -> UInt32 {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<UInt32, any Error>? = nil
        let t = Thread {
            result = Result {
                let instance = try Instance(module: module, limits: limits)
                #expect(throws: Trap(.callStackExhausted)) { try instance.call("down") }
                // Read through the API: with a tiny budget no wasm function can run.
                let global = try #require(instance.global("g"))
                let depth = [global.value].i32Result
                // The instance keeps working: a shallow recursion and another exhaustion.
                if (limits.maxStackBytes ?? .max) >= 4096 {
                    #expect(try instance.call("count", [.i32(20)]) == [.i32(20)])
                    _ = try instance.call("reset")
                } else {
                    #expect(throws: Trap(.callStackExhausted)) { try instance.call("count", [.i32(0)]) }
                    try global.set(.i32(0))
                }
                #expect(throws: Trap(.callStackExhausted)) { try instance.call("down") }
                #expect([global.value].i32Result == depth)
                return depth
            }
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
        done.wait()
        return try result!.get()
    }

    @Test(arguments: [false, true]) func stackBudgetBoundsRecursionDepth(optimize: Bool) throws {
        let module = try Self.compile(Self.recursion, optimize: optimize)
        let small = try Self.depth(module, ResourceLimits(maxStackBytes: 64 << 10))
        let large = try Self.depth(module, ResourceLimits(maxStackBytes: 256 << 10))
        let whole = try Self.depth(module, ResourceLimits())
        let beyond = try Self.depth(module, ResourceLimits(maxStackBytes: 1 << 30))   // more than the thread has
        // Depth is proportional to the budget (the frames before the first wasm one are few).
        print("stack depth (optimize: \(optimize)): 64 KiB \(small), 256 KiB \(large), default \(whole), 1 GiB \(beyond)")
        // Four times the budget gives more than three times the depth (the frames below the
        // first wasm one take part of the small budget): depth follows the budget.
        #expect(small > 0 && large > 3 * small, "64 KiB: \(small) calls, 256 KiB: \(large)")
        #expect(whole > 2 * large, "default: \(whole) calls, 256 KiB: \(large)")
        #expect(beyond == whole)
        // A budget smaller than one frame: the first call traps before its body runs.
        #expect(try Self.depth(module, ResourceLimits(maxStackBytes: 1)) == 0)
    }

    /// A host function called from limited wasm calls into an unlimited instance: the nested
    /// call keeps the outer call's limit.
    @Test func nestedCallsShareTheOutermostLimit() throws {
        nonisolated(unsafe) let inner = try Instance(module: Self.compile(Self.recursion))
        var imports = Imports()
        imports.define(module: "env", name: "inner", .function(Function(type: FuncType(params: [], results: [.i32])) { _ in
            #expect(throws: Trap(.callStackExhausted)) { try inner.call("down") }
            return try inner.call("depth")
        }))
        nonisolated(unsafe) let outer = try Instance(module: Self.compile("""
            (module (import "env" "inner" (func $inner (result i32)))
              (func (export "run") (result i32) (call $inner)))
            """), imports: imports, limits: ResourceLimits(maxStackBytes: 64 << 10))
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var nested: UInt32 = 0, direct: UInt32 = 0
        let t = Thread {
            nested = (try? outer.call("run").i32Result) ?? 0
            _ = try? inner.call("reset")
            _ = try? inner.call("down")
            direct = (try? inner.call("depth").i32Result) ?? 0
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
        done.wait()
        #expect(nested > 0 && nested * 4 < direct, "nested: \(nested) calls, direct: \(direct)")
    }
}

/// The code of the trap `body` threw, nil when it threw something else or nothing.
private func trapCode(_ body: () throws -> [Value]) -> TrapCode? {
    do {
        _ = try body()
        return nil
    } catch {
        return (error as? Trap)?.code
    }
}

private extension Array where Element == Value {
    /// The first result as an i32 (0 when it is not one).
    var i32Result: UInt32 {
        if case .i32(let v)? = first { return v }
        return 0
    }
}
