import Foundation
import Testing
import WAT
@testable import Wasmc

/// The whole pipeline on modules written as text: decode, validate, lower, libtcc, load.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct EndToEndTests {
    func instantiate(_ wat: String, _ imports: Imports = Imports(), options: CompileOptions = .init()) throws -> Instance {
        try Instance(module: CompiledModule.compile(wasm: wat2wasm(wat), options: options), imports: imports)
    }

    static let arithmetic = """
    (module
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
      (func (export "fact") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
          (else (i64.mul (local.get 0) (call 3 (i64.sub (local.get 0) (i64.const 1)))))))
      (func (export "forever") (param i32) (result i32) (call 4 (i32.add (local.get 0) (i32.const 1))))
    )
    """

    @Test func arithmeticTrapsAndMultiValue() throws {
        let inst = try instantiate(Self.arithmetic)
        #expect(try inst.call("add", [.i32(2), .i32(0xFFFF_FFFF)]) == [.i32(1)])
        #expect(try inst.call("div", [.i32(7), .i32(2)]) == [.i32(3)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(1), .i32(0)]) }
        #expect(throws: Trap(.integerOverflow)) { try inst.call("div", [.i32(0x8000_0000), .i32(0xFFFF_FFFF)]) }
        #expect(try inst.call("swap", [.i64(5), .f64(2.5)]) == [.f64(2.5), .i64(5)])
        #expect(try inst.call("fact", [.i64(20)]) == [.i64(2_432_902_008_176_640_000)])
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("forever", [.i32(0)]) }
        #expect(try inst.call("add", [.i32(1), .i32(1)]) == [.i32(2)])
    }

    @Test func optimizingTier() throws {
        let inst = try instantiate(Self.arithmetic, options: CompileOptions(optimize: true))
        #expect(try inst.call("fact", [.i64(10)]) == [.i64(3_628_800)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(1), .i32(0)]) }
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("forever", [.i32(0)]) }
    }

    /// Wasm order of traps survives nested C expressions: a pending `trunc(NaN)` below an
    /// operand that is evaluated early (a rotate reads it twice, so it goes to a temporary) must
    /// still trap first. Found by the differential fuzzer (seed 10000458).
    @Test(arguments: [false, true]) func trapOrderAcrossPendingOperands(optimize: Bool) throws {
        let inst = try instantiate("""
        (module (memory 1)
          (func (export "f") (result i64)
            (i64.add
              (i64.trunc_f64_u (f64.const nan))
              (i64.rotr (i64.load (i32.const -2)) (i64.const 3)))))
        """, options: CompileOptions(optimize: optimize))
        #expect(throws: Trap(.invalidConversionToInteger)) { try inst.call("f") }
    }

    /// v128 through the Swift API in both tiers: arguments and results of exports (multi-value
    /// too), an imported host function, imported and exported globals, and a vector access at
    /// the end of memory that must trap.
    @Test(arguments: [false, true]) func v128Values(optimize: Bool) throws {
        let v = { (lo: UInt64, hi: UInt64) in Value.v128(V128(lo: lo, hi: hi)) }
        var imports = Imports()
        imports.define(module: "env", name: "twice", .function(Function(type: FuncType(params: [.v128], results: [.v128])) { args in
            guard case .v128(let x) = args[0] else { return [] }
            return [.v128(V128(lo: x.lo &* 2, hi: x.hi &* 2))]
        }))
        imports.define(module: "env", name: "base", .global(try Global(GlobalType(valueType: .v128, mutable: false), value: v(5, 6))))
        let inst = try instantiate("""
        (module
          (import "env" "twice" (func $twice (param v128) (result v128)))
          (import "env" "base" (global $base v128))
          (global $acc (export "acc") (mut v128) (v128.const i64x2 1 2))
          (memory 1)
          (func (export "add") (param v128 v128) (result v128) (i64x2.add (local.get 0) (local.get 1)))
          (func (export "split") (param v128) (result i64 v128 i64)
            (i64x2.extract_lane 0 (local.get 0)) (call $twice (local.get 0)) (i64x2.extract_lane 1 (local.get 0)))
          (func (export "accumulate") (result v128)
            (global.set $acc (i64x2.add (global.get $acc) (global.get $base)))
            (global.get $acc))
          (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
          ;; the largest effective address (2^32 - 1 + 2^32 - 1) plus 16 bytes is still in the guard
          (func (export "far") (param i32) (v128.store offset=4294967295 (local.get 0) (v128.const i64x2 -1 -1)))
          (func (export "farLane") (param i32) (result v128)
            (v128.load64_lane offset=4294967295 1 (local.get 0) (v128.const i64x2 0 0))))
        """, imports, options: CompileOptions(optimize: optimize))
        #expect(try inst.call("add", [v(1, 2), v(10, UInt64.max)]) == [v(11, 1)])
        #expect(try inst.call("split", [v(3, 4)]) == [.i64(3), v(6, 8), .i64(4)])
        #expect(try inst.call("accumulate") == [v(6, 8)])
        #expect(inst.global("acc")?.value == v(6, 8))
        try inst.global("acc")?.set(v(0, 0))
        #expect(try inst.call("accumulate") == [v(5, 6)])
        #expect(try inst.call("load", [.i32(65536 - 16)]) == [v(0, 0)])
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load", [.i32(65536 - 15)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load", [.i32(0xFFFF_FFFF)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("far", [.i32(0xFFFF_FFFF)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("farLane", [.i32(0xFFFF_FFFF)]) }
    }

    @Test func memoryDataAndGrowth() throws {
        let inst = try instantiate("""
        (module
          (memory (export "mem") 1 3)
          (data (i32.const 16) "wasm")
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size))
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
        )
        """)
        #expect(try inst.call("load8", [.i32(17)]) == [.i32(UInt32(UInt8(ascii: "a")))])
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load8", [.i32(65536)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("store", [.i32(65534), .i32(1)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("fill", [.i32(65530), .i32(1), .i32(7)]) }
        #expect(try inst.call("grow", [.i32(1)]) == [.i32(1)])
        #expect(try inst.call("grow", [.i32(5)]) == [.i32(0xFFFF_FFFF)])
        #expect(try inst.call("size") == [.i32(2)])
        #expect(try inst.call("store", [.i32(65534), .i32(0x0102_0304)]) == [])
        let mem = try #require(inst.memory("mem"))
        #expect(try mem.read(at: 65534, count: 4) == [4, 3, 2, 1])
        #expect(try mem.read(at: 16, count: 4) == Array("wasm".utf8))
    }

    @Test func importsOfEveryKind() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 2)))
        let counter = try Global(GlobalType(valueType: .i32, mutable: true), value: .i32(10))
        let table = try Table(TableType(elementType: .funcref, limits: Limits(min: 2)), initial: .funcref(nil))
        let log = ResultsBox()
        var imports = Imports()
        imports.define(module: "env", name: "log", .function(Function(type: FuncType(params: [.i32], results: [])) {
            log.append($0)
            return []
        }))
        imports.define(module: "env", name: "mem", .memory(memory))
        imports.define(module: "env", name: "counter", .global(counter))
        imports.define(module: "env", name: "table", .table(table))
        let inst = try instantiate("""
        (module
          (import "env" "log" (func $log (param i32)))
          (import "env" "mem" (memory 1))
          (import "env" "counter" (global $c (mut i32)))
          (import "env" "table" (table 2 funcref))
          (type $t (func (result i32)))
          (func $seven (result i32) (i32.const 7))
          (elem (i32.const 1) $seven)
          (func (export "run") (result i32)
            (call $log (global.get $c))
            (global.set $c (i32.add (global.get $c) (i32.const 1)))
            (i32.store (i32.const 0) (i32.const 99))
            (call_indirect (type $t) (i32.const 1)))
          (func (export "indirect") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
        )
        """, imports)
        #expect(try inst.call("run") == [.i32(7)])
        #expect(log.all == [[.i32(10)]])
        #expect(counter.value == .i32(11))
        #expect(try memory.read(at: 0, count: 1) == [99])
        // The message names the element, as the spec interpreter's does.
        let trap = #expect(throws: Trap.self) { try inst.call("indirect", [.i32(0)]) }
        #expect(trap?.code == .uninitializedElement)
        #expect(trap?.message == "uninitialized element 0")
        #expect(throws: Trap(.undefinedElement)) { try inst.call("indirect", [.i32(2)]) }
        // The table now holds the instance's function; the host can call it.
        guard case .funcref(let f?) = try table.get(1) else { Issue.record("no funcref"); return }
        #expect(try f.call([]) == [.i32(7)])
    }

    @Test func functionsAcrossInstances() throws {
        let a = try instantiate("""
        (module (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
                (func (export "bad") (result i32) unreachable))
        """)
        var imports = Imports()
        imports.define(module: "a", instance: a)
        let b = try instantiate("""
        (module (import "a" "double" (func $d (param i32) (result i32)))
                (import "a" "bad" (func $bad (result i32)))
                (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
                (func (export "bad") (result i32) (call $bad))
                (func (export "ref") (result funcref) (ref.func $d))
                (elem declare func $d))
        """, imports)
        #expect(try b.call("quad", [.i32(5)]) == [.i32(20)])
        #expect(throws: Trap(.unreachable)) { try b.call("bad") }
        guard case .funcref(let f?)? = try b.call("ref").first else { Issue.record("no funcref"); return }
        #expect(try f.call([.i32(21)]) == [.i32(42)])
    }

    @Test func startFunctionAndUninstantiableModules() throws {
        let inst = try instantiate("""
        (module (global $g (export "g") (mut i32) (i32.const 1))
                (func $start (global.set $g (i32.const 42)))
                (start $start))
        """)
        #expect(inst.global("g")?.value == .i32(42))
        #expect(throws: Trap(.memoryOutOfBounds)) {
            try instantiate("(module (memory 1) (data (i32.const 65535) \"ab\"))")
        }
        #expect(throws: Trap(.unreachable)) { try instantiate("(module (func unreachable) (start 0))") }
        // Segments apply in order: the first write stays when a later one traps.
        let table = try Table(TableType(elementType: .funcref, limits: Limits(min: 10)), initial: .funcref(nil))
        var imports = Imports()
        imports.define(module: "m", name: "t", .table(table))
        #expect(throws: Trap(.memoryOutOfBounds)) {
            try instantiate("""
            (module (table (import "m" "t") 10 funcref) (func $f (result i32) (i32.const 5))
                    (elem (i32.const 7) $f) (memory 0) (data (i32.const 0) "x"))
            """, imports)
        }
        guard case .funcref(let f?) = try table.get(7) else { Issue.record("element not written"); return }
        #expect(try f.call([]) == [.i32(5)])
    }

    @Test func namesAreByteStrings() throws {
        // U+00C5 and A + U+030A are canonically equivalent Strings but distinct wasm names.
        let inst = try instantiate(#"""
        (module (func (export "\c3\85") (result i32) (i32.const 1))
                (func (export "A\cc\8a") (result i32) (i32.const 2)))
        """#)
        #expect(try inst.call("\u{C5}") == [.i32(1)])
        #expect(try inst.call("A\u{30A}") == [.i32(2)])
        var imports = Imports()
        imports.define(module: "m", instance: inst)
        let b = try instantiate(#"""
        (module (import "m" "A\cc\8a" (func $f (result i32))) (func (export "g") (result i32) (call $f)))
        """#, imports)
        #expect(try b.call("g") == [.i32(2)])
    }

    @Test func linkErrorsUseSpecWording() throws {
        let wasm = try wat2wasm("(module (import \"m\" \"f\" (func (param i32))))")
        let module = try CompiledModule.compile(wasm: wasm)
        do {
            _ = try Instance(module: module)
            Issue.record("linked without imports")
        } catch let e as LinkError {
            #expect(e.message.hasPrefix("unknown import"))
        }
        var imports = Imports()
        imports.define(module: "m", name: "f", .function(Function(type: FuncType(params: [.i64], results: [])) { _ in [] }))
        do {
            _ = try Instance(module: module, imports: imports)
            Issue.record("linked a mismatched function")
        } catch let e as LinkError {
            #expect(e.message.hasPrefix("incompatible import type"))
        }
    }

    @Test func sharedObjectRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let so = dir.path + "/arith.so", c = dir.path + "/arith.c"
        try Compiler.compile(wasm: wat2wasm(Self.arithmetic), toSharedObject: so, emitC: c)
        #expect(FileManager.default.fileExists(atPath: c))
        let inst = try Instance(module: CompiledModule.load(path: so))
        #expect(try inst.call("add", [.i32(40), .i32(2)]) == [.i32(42)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(1), .i32(0)]) }
        // Invalid input: no file at all.
        let bad = dir.path + "/bad.so"
        #expect(throws: (any Error).self) { try Compiler.compile(wasm: [0, 0x61, 0x73, 0x6D, 9], toSharedObject: bad) }
        #expect(!FileManager.default.fileExists(atPath: bad))
    }

    @Test func sharedMemoryAcrossThreads() throws {
        let wat = """
        (module (import "env" "mem" (memory 1 1 shared))
                (func (export "add") (param i32) (loop $l
                  (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
                  (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))
        """
        let module = try CompiledModule.compile(wasm: wat2wasm(wat))
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 1), shared: true))
        var imports = Imports()
        imports.define(module: "env", name: "mem", .memory(memory))
        let frozen = imports
        let errors = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { _ = try Instance(module: module, imports: frozen).call("add", [.i32(10000)]) } catch { errors.append([]) }
        }
        #expect(errors.count == 0)
        #expect(try memory.read(at: 0, count: 4) == [0x40, 0x9C, 0, 0])  // 40000
    }
}
