import Foundation
import Testing
import Wasmc

/// Many threads add to one counter per RMW width at once; every add must land exactly once,
/// and the bytes around each counter must stay untouched.
@Suite struct AtomicCounterTests {
    /// One counter per instruction. The operand has bits above the access width set: they
    /// must be dropped (the access wraps), never spill into the neighbouring bytes.
    struct Counter {
        var op: String
        var type: String  // operand type
        var width: Int  // bytes
        var operand: UInt64
        var offset: Int
    }

    static let counters: [Counter] = [
        ("i32.atomic.rmw8.add_u", "i32", 1, 0x0301), ("i32.atomic.rmw16.add_u", "i32", 2, 0x7_0003),
        ("i32.atomic.rmw.add", "i32", 4, 5), ("i64.atomic.rmw8.add_u", "i64", 1, 0xFF00_0000_0000_0107),
        ("i64.atomic.rmw16.add_u", "i64", 2, 0x1_0000_0009), ("i64.atomic.rmw32.add_u", "i64", 4, 0x5_0000_0101),
        ("i64.atomic.rmw.add", "i64", 8, 0x1_0000_0001),
    ].enumerated().map { i, c in Counter(op: c.0, type: c.1, width: c.2, operand: c.3, offset: 64 * i + 16) }

    /// `(func "count" (param $n i32))`: every counter += operand, n times.
    static func body(memory: String) -> String {
        let adds = counters.map { c in
            "(drop (\(c.op) (i32.const \(c.offset)) (\(c.type).const \(Int64(bitPattern: c.operand)))))"
        }.joined(separator: "\n")
        return """
        (module \(memory)
          (func (export "count") (param $n i32)
            (loop $l
              \(adds)
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
        """
    }

    static let threads = 4
    static let iterations = 20_000
    static let guardByte: UInt8 = 0xA5

    /// Fills 16 guard bytes either side of each (zeroed) counter.
    func prepare(_ memory: Memory) throws {
        for c in Self.counters {
            try memory.write(Array(repeating: Self.guardByte, count: 16), at: UInt64(c.offset - 16))
            try memory.write(Array(repeating: 0, count: c.width), at: UInt64(c.offset))
            try memory.write(Array(repeating: Self.guardByte, count: 16 - c.width), at: UInt64(c.offset + c.width))
        }
    }

    func check(_ memory: Memory, threads: Int) throws {
        for c in Self.counters {
            let total = c.operand &* UInt64(threads * Self.iterations)
            let bytes = try memory.read(at: UInt64(c.offset - 16), count: 32)
            #expect(Array(bytes[16..<16 + c.width]) == littleEndian(total, width: c.width), "\(c.op)")
            #expect(bytes[0..<16].allSatisfy { $0 == Self.guardByte }, "\(c.op): bytes before the counter")
            #expect(bytes[(16 + c.width)...].allSatisfy { $0 == Self.guardByte }, "\(c.op): bytes after the counter")
        }
    }

    @Test(arguments: [false, true])
    func hostCreatedSharedMemory(optimize: Bool) throws {
        let module = try compile(Self.body(memory: #"(import "env" "mem" (memory 1 1 shared))"#), optimize: optimize)
        let memory = try sharedMemory(max: 1)
        try prepare(memory)
        let imports = imports(memory)
        _ = try values(onThreads(Self.threads) { _ in
            try Instance(module: module, imports: imports).call("count", [.i32(UInt32(Self.iterations))])
        })
        try check(memory, threads: Self.threads)
    }

    /// Thread 0 runs the instance that defines and exports the memory; the others import it.
    @Test func moduleCreatedExportedSharedMemory() throws {
        let owner = try compile(Self.body(memory: #"(memory (export "mem") 1 1 shared)"#))
        let user = try compile(Self.body(memory: #"(import "env" "mem" (memory 1 1 shared))"#))
        let definer = try Instance(module: owner)
        let memory = try #require(definer.memory("mem"))
        try prepare(memory)
        let imports = imports(memory)
        let count = try #require(definer.function("count"))
        _ = try values(onThreads(Self.threads) { i in
            let f = i == 0 ? count : try #require(Instance(module: user, imports: imports).function("count"))
            return try f.call([.i32(UInt32(Self.iterations))])
        })
        try check(memory, threads: Self.threads)
    }
}
