import Testing
import WAT
import Wasmc

/// An atomic RMW whose old value is dropped is lowered as one locked instruction with a memory
/// destination (`wasmc_atomic_rmw_void`), and at a constant aligned address without a run-time
/// check (`wasmc_atomic_rmw_void_k`). Each op and width must still compute the right value,
/// leave the neighbouring bytes alone, and trap on a misaligned or out-of-bounds constant.
@Suite struct DroppedAtomicTests {
    struct Case {
        var type: String  // i32 or i64
        var n: String  // "", "8", "16", "32"
        var width: UInt64
        var op: String
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for (type, widths) in [("i32", [("", 4), ("8", 1), ("16", 2)]), ("i64", [("", 8), ("8", 1), ("16", 2), ("32", 4)])] {
            for (n, w) in widths {
                for op in ["add", "sub", "and", "or", "xor"] { cases.append(Case(type: type, n: n, width: UInt64(w), op: op)) }
            }
        }
        return cases
    }()

    static func name(_ c: Case) -> String { "\(c.type).atomic.rmw\(c.n).\(c.op)\(c.n.isEmpty ? "" : "_u")" }

    /// Per case: `k<i>` at the constant address 16, `v<i>` at a parameter address, `mis<i>` at a
    /// misaligned constant (width > 1), `oob<i>` at a constant past the one page.
    static let module: String = {
        var funcs: [String] = []
        for (i, c) in cases.enumerated() {
            let rmw = name(c)
            let v = c.type == "i32" ? "(i32.const 0x3c3c3c3c)" : "(i64.const 0x5a5a5a5a3c3c3c3c)"  // low bits alike
            funcs.append("(func (export \"k\(i)\") (drop (\(rmw) (i32.const 16) \(v))))")
            funcs.append("(func (export \"v\(i)\") (param i32) (drop (\(rmw) (local.get 0) \(v))))")
            if c.width > 1 { funcs.append("(func (export \"mis\(i)\") (drop (\(rmw) (i32.const \(16 + c.width / 2)) \(v))))") }
            funcs.append("(func (export \"oob\(i)\") (drop (\(rmw) (i32.const 65536) \(v))))")
        }
        return """
        (module (memory (export "memory") 1 1 shared)
          (func (export "set") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
          (func (export "get") (param i32) (result i64) (i64.load (local.get 0)))
          \(funcs.joined(separator: "\n  ")))
        """
    }()

    static func expected(_ c: Case, old: UInt64) -> UInt64 {
        let mask: UInt64 = c.width == 8 ? ~0 : (1 << (c.width * 8)) - 1
        let v: UInt64 = 0x5a5a_5a5a_3c3c_3c3c & mask, o = old & mask
        let r: UInt64
        switch c.op {
        case "add": r = o &+ v
        case "sub": r = o &- v
        case "and": r = o & v
        case "or": r = o | v
        default: r = o ^ v
        }
        return (old & ~mask) | (r & mask)
    }

    @Test(arguments: [false, true])
    func droppedRMWComputesAndTraps(optimize: Bool) throws {
        let module = try compile(Self.module, optimize: optimize)
        let inst = try Instance(module: module)
        let old: UInt64 = 0x0123_4567_89ab_cdef
        for (i, c) in Self.cases.enumerated() {
            for (fn, args) in [("k\(i)", [Value]()), ("v\(i)", [Value.i32(16)])] {
                _ = try inst.call("set", [.i32(16), .i64(old)])
                _ = try inst.call("set", [.i32(24), .i64(old)])
                _ = try inst.call(fn, args)
                #expect(try inst.call("get", [.i32(16)]) == [.i64(Self.expected(c, old: old))], "\(fn) \(Self.name(c))")
                #expect(try inst.call("get", [.i32(24)]) == [.i64(old)], "\(fn) \(Self.name(c)) wrote past its width")
            }
            if c.width > 1 {
                #expect(throws: Trap(.unalignedAtomic), "\(Self.name(c))") { try inst.call("mis\(i)") }
            }
            #expect(throws: Trap(.memoryOutOfBounds), "\(Self.name(c))") { try inst.call("oob\(i)") }
        }
    }

    @Test func constantAlignedAddressNeedsNoCheck() throws {
        let c = try Compiler.lowerToC(wasm: wat2wasm("""
        (module (memory 1 1 shared)
          (func (export "f") (param i32)
            (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
            (drop (i64.atomic.rmw.or offset=8 (i32.const 8) (i64.const 2)))
            (drop (i32.atomic.rmw.xor (i32.const 18) (i32.const 1)))
            (drop (i32.atomic.rmw8.and_u (local.get 0) (i32.const 1)))
            (drop (i32.atomic.rmw.xchg (i32.const 16) (i32.const 1)))))
        """))
        #expect(c.contains("wasmc_atomic_rmw_void_k(add, 32, m0, 16ull, (u64)1u);"))
        #expect(c.contains("wasmc_atomic_rmw_void_k(or, 64, m0, 16ull, (u64)2ull);"))
        #expect(c.contains("wasmc_atomic_rmw_void(xor, 32, m0, 18ull, (u64)1u);"))  // misaligned: checked
        #expect(c.contains("wasmc_atomic_rmw_void(and, 8, m0, (u64)l0, (u64)1u);"))
        #expect(c.contains("(void)(u32)wasmc_atomic_xchg32(m0, 16ull, (u64)1u);"))  // xchg has no memory-destination form
    }
}
