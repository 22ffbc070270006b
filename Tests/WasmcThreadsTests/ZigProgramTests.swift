import Foundation
import Testing
import Wasmc

/// A C program (Fixtures/parallel_sum.c, built by zig with C11 atomics and the wasm wait/notify
/// builtins; see Fixtures/build.sh) run on several threads through wasmc: one instance per
/// thread over one host-created shared memory, each with its own stack.
@Suite struct ZigProgramTests {
    static let wasmPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parallel_sum.wasm").path

    static func expectedSum() -> UInt64 {
        (0..<UInt32(1 << 16)).reduce(UInt64(0)) { $0 + UInt64(($1 &* 2_654_435_761) ^ ($1 >> 3)) }
    }

    @Test(arguments: [1, 2, 4, 7])
    func parallelSum(threads: Int) throws {
        let wasm = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.wasmPath)))
        let module = try CompiledModule.compile(wasm: wasm)
        // A memory exactly as the module imports it (zig picks its size from the data).
        let type = try #require(module.module.importedMemories.first)
        #expect(type.shared)
        let memory = try Memory(type)
        let imports = imports(memory, name: "memory")
        let expected = Self.expectedSum()
        for round in 0..<3 {
            let sums = try values(onThreads(threads) { me -> UInt64 in
                // Instantiation runs the module's start function (__wasm_init_memory), which
                // zeroes the memory once, the other instances waiting on it with wait32.
                let inst = try Instance(module: module, imports: imports)
                let top = try #require(i32(inst.call("stack_top", [.i32(UInt32(me))])))
                try #require(inst.global("__stack_pointer")).set(.i32(top))
                return try #require(i64(inst.call("run", [.i32(UInt32(me)), .i32(UInt32(threads))])))
            })
            #expect(sums == Array(repeating: expected, count: threads), "round \(round)")
            #expect(try Instance(module: module, imports: imports).call("reset") == [])
        }
        #expect(try Instance(module: module, imports: imports).call("value_at", [.i32(9)]) == [.i32((9 &* 2_654_435_761) ^ 1)])
    }
}
