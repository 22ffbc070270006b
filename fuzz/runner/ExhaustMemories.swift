import Foundation
import Wasmc

/// Every memory reserves 8 GiB of address space, so a process runs out after about 16,000 live
/// memories. Running out must be a clean error (host-created memory and instantiation alike),
/// and memory must be usable again once some are released. Own process: it starves every
/// other memory in the process while it runs.
enum ExhaustMemories {
    static func main(_ args: [String]) -> Int32 {
        var memories: [Memory] = []
        var firstError = ""
        for _ in 0..<40_000 {
            do { memories.append(try Memory(MemoryType(limits: Limits(min: 1, max: 2)))) } catch {
                firstError = "\(error)"
                break
            }
        }
        print("exhaust-memories: \(memories.count) memories, then: \(firstError)")
        guard !firstError.isEmpty else { print("exhaust-memories: FAILED: never ran out"); return 1 }
        var failures: [String] = []
        // (memory 1) (func (export "seven") (result i32) (i32.const 7))
        let wasm: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
                             0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x09, 0x01, 0x05, 0x73, 0x65,
                             0x76, 0x65, 0x6e, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x07, 0x0b]
        do {
            let module = try CompiledModule.compile(wasm: wasm)
            do {
                _ = try Instance(module: module)
                failures.append("instantiation succeeded with no address space left")
            } catch {
                print("exhaust-memories: instantiation refused: \(error)")
            }
            memories.removeLast(100)
            let instance = try Instance(module: module)
            if (try instance.call("seven")) != [.i32(7)] { failures.append("call after release") }
        } catch {
            failures.append("after release: \(error)")
        }
        memories.removeAll()
        if failures.isEmpty { print("exhaust-memories: ok"); return 0 }
        for f in failures { print("exhaust-memories: FAILED: \(f)") }
        return 1
    }
}
