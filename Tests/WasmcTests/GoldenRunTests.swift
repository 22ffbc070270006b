import Foundation
import Testing
@testable import Wasmc

/// The checked-in golden C files (Tests/WasmcLowerTests/Golden, compared byte for byte with
/// the lowering's output there) built by both tiers, libtcc in memory and cc -O2, and run on
/// inputs with known results. Each file carries its module's bytes in its descriptor, so the
/// file alone is the module.
@Suite struct GoldenRunTests {
    static let goldenDir = SharedObjectSymbolsTests.root.appendingPathComponent("Tests/WasmcLowerTests/Golden")

    /// The folders the golden files' `#include` lines name.
    static let runtimeHeaders = ["Runtime/include", "Runtime/prelude"].map { SharedObjectSymbolsTests.root.appendingPathComponent($0).path }

    enum Tier: String, CaseIterable { case tcc, cc }

    func load(_ name: String, _ tier: Tier) throws -> CompiledModule {
        let c = try String(contentsOf: Self.goldenDir.appendingPathComponent("\(name).c"), encoding: .utf8)
        let code = tier == .tcc ? try Tcc.compileInMemory(c, includePaths: Self.runtimeHeaders)
                                : try NativeCompiler.compileAndLoad(c, includePaths: Self.runtimeHeaders)
        let bytes = try code.attach()
        return try CompiledModule(code: code, module: Pipeline.decodeMetadata(bytes))
    }

    @Test(arguments: Tier.allCases) func expressions(tier: Tier) throws {
        let inst = try Instance(module: load("expressions", tier))
        // The module does not export its memory: a view of memory 0 for the test.
        let memory = Memory(object: inst.storage.memoryObjects[0], type: inst.module.module.allMemories[0], owner: inst.storage)
        try memory.write([5, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0], at: 0)
        #expect(try inst.call("sum3", [.i32(0), .i32(4)]) == [.i32(5 + 7 * 3)])
        #expect(try inst.call("mix", [.f64(16), .i64(8)]) == [.f64(4 + 2)])
        #expect(try inst.call("swap_store", [.i32(0)]) == [])
        #expect(try memory.read(at: 0, count: 8) == [9, 0, 0, 0, 5, 0, 0, 0])
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("sum3", [.i32(65534), .i32(0)]) }
    }

    @Test(arguments: Tier.allCases) func control(tier: Tier) throws {
        let inst = try Instance(module: load("control", tier))
        #expect(try inst.call("fib", [.i32(10)]) == [.i32(55)])
        #expect(try inst.call("fib", [.i32(0)]) == [.i32(0)])
        #expect(try inst.call("classify", [.i32(0)]) == [.i32(100)])
        #expect(try inst.call("classify", [.i32(1)]) == [.i32(200)])
        #expect(try inst.call("classify", [.i32(2)]) == [.i32(0xFFFF_FFFF)])  // falls through: 2 <= 10
        #expect(try inst.call("classify", [.i32(20)]) == [.i32(200)])         // br_table's default
        #expect(try inst.call("count", [.i32(4)]) == [.i32(12)])
    }

    @Test(arguments: Tier.allCases) func calls(tier: Tier) throws {
        let logged = ResultsBox()
        var imports = Imports()
        imports.define(module: "env", name: "log", .function(Function(type: FuncType(params: [.i32], results: [])) { args in
            logged.append(args)
            return []
        }))
        let inst = try Instance(module: load("calls", tier), imports: imports)
        #expect(try inst.call("run", [.i32(5)]) == [.i32(7)])  // call_indirect $add(5, 2)
        #expect(logged.all == [[.i32(5)]])
    }

    @Test(arguments: Tier.allCases) func tailcalls(tier: Tier) throws {
        let inst = try Instance(module: load("tailcalls", tier))
        #expect(try inst.call("count", [.i64(4), .i64(0)]) == [.i64(10)])
        #expect(try inst.call("even", [.i64(1_000_001)]) == [.i64(0)])
        #expect(try inst.call("pick", [.i64(7)]) == [.i64(1)])  // odd(7) through the table
        #expect(try inst.call("plain", [.i64(6)]) == [.i64(1)])
    }

    @Test(arguments: Tier.allCases) func threads(tier: Tier) throws {
        let inst = try Instance(module: load("threads", tier))
        #expect(try inst.call("inc", [.i32(0)]) == [.i32(0)])
        #expect(try inst.call("inc", [.i32(0)]) == [.i32(1)])
        #expect(try inst.call("bump", [.i32(0)]) == [])
        #expect(try inst.call("inc", [.i32(0)]) == [.i32(0)])  // 2 - 2
        #expect(try inst.call("cas", [.i32(0), .i64(0), .i64(9)]) == [.i64(0)])
        #expect(try inst.call("cas", [.i32(0), .i64(0), .i64(1)]) == [.i64(9)])  // not replaced
        #expect(try inst.call("wait", [.i32(0), .i32(12345)]) == [.i32(1)])     // not-equal
        #expect(throws: Trap(.unalignedAtomic)) { try inst.call("inc", [.i32(2)]) }
    }
}
