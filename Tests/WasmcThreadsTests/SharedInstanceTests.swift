import Testing
import Wasmc

/// Several threads looking up the exports of one instance at once, as the wast runner does
/// when its threads import from a module registered on the main thread. The lookups fill a
/// cache inside the instance: they must not race, and every thread must get the same object.
@Suite struct SharedInstanceTests {
    struct Shared: @unchecked Sendable { let instance: Instance }

    @Test func concurrentExportLookups() throws {
        let module = try compile("""
        (module (memory (export "mem") 1 1 shared) (global (export "g") (mut i32) (i32.const 7))
          (func (export "f") (result i32) (i32.const 1)) (table (export "t") 1 funcref))
        """)
        for _ in 0..<20 {
            let shared = Shared(instance: try Instance(module: module))
            let seen = try values(onThreads(6) { _ -> [ObjectIdentifier] in
                var ids: [ObjectIdentifier] = []
                for _ in 0..<50 {
                    #expect(shared.instance.exports.count == 4)
                    ids = [ObjectIdentifier(try #require(shared.instance.memory("mem"))),
                           ObjectIdentifier(try #require(shared.instance.global("g"))),
                           ObjectIdentifier(try #require(shared.instance.function("f"))),
                           ObjectIdentifier(try #require(shared.instance.table("t")))]
                }
                return ids
            })
            #expect(Set(seen).count == 1, "one object per export")
        }
    }
}
