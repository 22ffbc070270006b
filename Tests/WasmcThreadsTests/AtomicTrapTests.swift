import Testing
import Wasmc

/// Every atomic instruction at every width: a misaligned address traps "unaligned atomic", an
/// address past the current length traps "out of bounds memory access" (also between the
/// length and the max of a growable shared memory), the last aligned slot works.
/// wait on an unshared memory traps "expected shared memory"; notify there returns 0.
@Suite struct AtomicTrapTests {
    struct Op {
        var name: String
        var width: UInt32
        var body: String  // the instruction applied to (local.get 0)
    }

    static let ops: [Op] = {
        var ops: [Op] = []
        for type in ["i32", "i64"] {
            let suffixes: [(String, UInt32)] = type == "i32" ? [("", 4), ("8", 1), ("16", 2)] : [("", 8), ("8", 1), ("16", 2), ("32", 4)]
            for (n, width) in suffixes {
                let u = n.isEmpty ? "" : "_u"
                let one = "(\(type).const 1)"
                ops.append(Op(name: "\(type).atomic.load\(n)\(u)", width: width, body: "(drop (\(type).atomic.load\(n)\(u) (local.get 0)))"))
                ops.append(Op(name: "\(type).atomic.store\(n)", width: width, body: "(\(type).atomic.store\(n) (local.get 0) \(one))"))
                for rmw in ["add", "sub", "and", "or", "xor", "xchg"] {
                    let name = "\(type).atomic.rmw\(n).\(rmw)\(u)"
                    ops.append(Op(name: name, width: width, body: "(drop (\(name) (local.get 0) \(one)))"))
                }
                let cmpxchg = "\(type).atomic.rmw\(n).cmpxchg\(u)"
                ops.append(Op(name: cmpxchg, width: width, body: "(drop (\(cmpxchg) (local.get 0) \(one) \(one)))"))
            }
        }
        ops.append(Op(name: "memory.atomic.wait32", width: 4, body: "(drop (memory.atomic.wait32 (local.get 0) (i32.const 1) (i64.const 0)))"))
        ops.append(Op(name: "memory.atomic.wait64", width: 8, body: "(drop (memory.atomic.wait64 (local.get 0) (i64.const 1) (i64.const 0)))"))
        ops.append(Op(name: "memory.atomic.notify", width: 4, body: "(drop (memory.atomic.notify (local.get 0) (i32.const 1)))"))
        return ops
    }()

    static func module(memory: String) -> String {
        let funcs = ops.map { "(func (export \"\($0.name)\") (param i32) \($0.body))" }.joined(separator: "\n  ")
        return """
        (module \(memory)
          \(funcs)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """
    }

    func checkBounds(_ inst: Instance, pages: UInt32, ops: [Op]) {
        let end = pages * 65536
        for op in ops {
            if op.width > 1 {
                #expect(throws: Trap(.unalignedAtomic), "\(op.name)") { try inst.call(op.name, [.i32(op.width / 2)]) }
                #expect(throws: Trap(.unalignedAtomic), "\(op.name)") { try inst.call(op.name, [.i32(end - op.width - 1)]) }
            }
            #expect(throws: Trap(.memoryOutOfBounds), "\(op.name)") { try inst.call(op.name, [.i32(end)]) }
            #expect(throws: Trap(.memoryOutOfBounds), "\(op.name)") { try inst.call(op.name, [.i32(0xFFFF_FFF0 & ~(op.width - 1))]) }
            #expect(throws: Never.self, "\(op.name)") { try inst.call(op.name, [.i32(end - op.width)]) }
        }
    }

    @Test(arguments: [false, true])
    func sharedMemoryTrapsInOrder(optimize: Bool) throws {
        let module = try compile(Self.module(memory: #"(import "env" "mem" (memory 1 2 shared))"#), optimize: optimize)
        let memory = try sharedMemory(min: 1, max: 2)
        let inst = try Instance(module: module, imports: imports(memory))
        // Page 1 is reserved (max 2) but not part of the memory yet: out of bounds.
        checkBounds(inst, pages: 1, ops: Self.ops)
        #expect(memory.grow(by: 1) == 1)
        checkBounds(inst, pages: 2, ops: Self.ops)
    }

    @Test(arguments: [false, true])
    func unsharedMemory(optimize: Bool) throws {
        let module = try compile(Self.module(memory: "(memory 1 2)"), optimize: optimize)
        let inst = try Instance(module: module)
        let waits = Self.ops.filter { $0.name.hasPrefix("memory.atomic.wait") }
        checkBounds(inst, pages: 1, ops: Self.ops.filter { !waits.map(\.name).contains($0.name) })
        for wait in waits {
            #expect(throws: Trap(.expectedSharedMemory), "\(wait.name)") { try inst.call(wait.name, [.i32(0)]) }
        }
        // notify on an unshared memory wakes nobody: 0 (still checked for alignment and bounds).
        let notify = try compile("""
        (module (memory 1 1) (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1))))
        """, optimize: optimize)
        let n = try Instance(module: notify)
        #expect(try n.call("notify", [.i32(0), .i32(10)]) == [.i32(0)])
        #expect(throws: Trap(.unalignedAtomic)) { try n.call("notify", [.i32(2), .i32(1)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try n.call("notify", [.i32(65536), .i32(1)]) }
    }
}
