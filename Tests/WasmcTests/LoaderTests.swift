import Foundation
import Testing
@testable import Wasmc

/// Loader, traps and host calls on the hand-written C module.
@Suite struct LoaderTests {
    let memory = try! Memory(MemoryType(limits: Limits(min: 1, max: 4)))

    func instance(_ host: @escaping @Sendable ([Value]) throws -> [Value] = { [.i32($0[0].i32Value &* 2)] }) throws -> Instance {
        try Instance(module: try HandWritten.compiled(), imports: HandWritten.imports(memory: memory, host: host))
    }

    @Test func trapsUnwindAndInstanceStaysUsable() throws {
        let inst = try instance()
        #expect(throws: Trap(.unreachable)) { try inst.call("unreachable") }
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(0)]) }
        #expect(try inst.call("div", [.i32(7)]) == [.i32(14)])
        #expect(Trap(.integerDivideByZero).message == "integer divide by zero")
        // trap_index names the element, as the spec's interpreter does.
        do {
            _ = try inst.call("trap_index", [.i32(2)])
            Issue.record("no trap")
        } catch let trap as Trap {
            #expect(trap.code == .uninitializedElement)
            #expect(trap.message == "uninitialized element 2")
        }
        #expect(throws: Trap(.unreachable)) { try inst.call("unreachable") }  // no stale index
    }

    @Test func guardPageFaultIsOutOfBounds() throws {
        let inst = try instance()
        try memory.write([1, 2, 3, 4], at: 100)
        #expect(try inst.call("load", [.i32(100)]) == [.i32(0x0403_0201)])
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load", [.i32(65536)]) }
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load", [.i32(0xFFFF_FFFF)]) }
        // Growing commits the next page: the same access now succeeds.
        #expect(try inst.call("grow", [.i32(1)]) == [.i32(1)])
        #expect(try inst.call("load", [.i32(65536)]) == [.i32(0)])
        #expect(memory.pageCount == 2)
    }

    @Test func growRespectsMaximum() throws {
        let inst = try instance()
        #expect(try inst.call("grow", [.i32(3)]) == [.i32(1)])
        #expect(try inst.call("grow", [.i32(1)]) == [.i32(0xFFFF_FFFF)])
        #expect(memory.grow(by: 0) == 4)
        #expect(memory.grow(by: 1) == nil)
    }

    @Test func ownedMemoryGetsActiveData() throws {
        let inst = try instance()
        let mem1 = try #require(inst.memory("mem1"))
        #expect(try mem1.read(at: 8, count: 2) == Array("hi".utf8))
        #expect(mem1.pageCount == 1)
        #expect(throws: Trap(.memoryOutOfBounds)) { try mem1.read(at: 65535, count: 2) }
    }

    @Test func hostCallsAndNestedCalls() throws {
        // host → wasm → host → wasm: each level adds its own increment.
        let box = InstanceBox()
        let inst = try instance { args in
            let x = args[0].i32Value
            guard x < 3, let inner = box.instance else { return [.i32(x * 10)] }
            // A trap inside a nested call is caught here and the outer call carries on.
            #expect(throws: Trap(.unreachable)) { try inner.call("unreachable") }
            return try inner.call("call_host", [.i32(x + 1)])
        }
        box.instance = inst
        // call_host(0) → host(0) → call_host(1) → ... host(3) = 30, plus 1 per call_host level.
        #expect(try inst.call("call_host", [.i32(0)]) == [.i32(34)])
    }

    @Test func hostErrorsAreRethrown() throws {
        struct Boom: Error, Equatable { let n: Int }
        let inst = try instance { _ in throw Boom(n: 42) }
        #expect(throws: Boom(n: 42)) { try inst.call("call_host", [.i32(1)]) }
        // A host function may also trap with a specific trap.
        let trapping = try instance { _ in throw Trap(.integerOverflow) }
        #expect(throws: Trap(.integerOverflow)) { try trapping.call("call_host", [.i32(1)]) }
        #expect(try instance().call("call_host", [.i32(5)]) == [.i32(11)])
    }

    @Test func recursionTrapsAsStackExhaustion() throws {
        let inst = try instance()
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("recurse", [.i32(0)]) }
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("recurse", [.i32(0)]) }
        #expect(try inst.call("div", [.i32(50)]) == [.i32(2)])
    }

    @Test func linkErrors() throws {
        let module = try HandWritten.compiled()
        #expect(throws: LinkError.self) { try Instance(module: module) }
        do {
            _ = try Instance(module: module)
        } catch let e as LinkError {
            #expect(e.message.hasPrefix("unknown import"))
        }
        var wrong = HandWritten.imports(memory: memory) { $0 }
        wrong.define(module: "env", name: "host", .function(Function(type: FuncType(params: [], results: []), { _ in [] })))
        do {
            _ = try Instance(module: module, imports: wrong)
            Issue.record("expected a link error")
        } catch let e as LinkError {
            #expect(e.message.hasPrefix("incompatible import type"))
        }
        // A shared memory does not satisfy an unshared memory import.
        let shared = try Memory(MemoryType(limits: Limits(min: 1, max: 1), shared: true))
        #expect(throws: LinkError.self) { try Instance(module: module, imports: HandWritten.imports(memory: shared) { $0 }) }
    }

    @Test func argumentChecking() throws {
        let inst = try instance()
        #expect(throws: WasmcError.self) { try inst.call("div", []) }
        #expect(throws: WasmcError.self) { try inst.call("div", [.i64(1)]) }
        #expect(throws: WasmcError.self) { try inst.call("nope") }
    }

    @Test func exportedFunctionsAreFunctions() throws {
        let inst = try instance()
        let div = try #require(inst.function("div"))
        #expect(div.type == FuncType(params: [.i32], results: [.i32]))
        #expect(try div.call([.i32(4)]) == [.i32(25)])
        #expect(inst.function("div") == div)
        #expect(inst.exports.count == 11)
        let host = try #require(inst.function("host"))
        #expect(try host.call([.i32(21)]) == [.i32(42)])
    }
}

final class InstanceBox: @unchecked Sendable {
    var instance: Instance?
}

extension Value {
    var i32Value: UInt32 {
        if case .i32(let x) = self { return x }
        return 0
    }
}
