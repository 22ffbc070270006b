// wasmc-demo: loads a compiled module (.so), provides a host import, calls its exports and
// catches a trap. Run by `make demo`; see README.
import Foundation
import Wasmc

let path = CommandLine.arguments.dropFirst().first ?? "build/primes.so"
do {
    let module = try CompiledModule.load(path: path)
    var imports = Imports()
    let logType = FuncType(params: [.i32, .i32], results: [])
    imports.define(module: "host", name: "log", .function(Function(type: logType) { args in
        print("  host.log called with \(args)")
        return []
    }))
    let instance = try Instance(module: module, imports: imports)

    print("fib(25) = \(try instance.call("fib", [.i32(25)]))")
    print("count_primes(100000) = \(try instance.call("count_primes", [.i32(100_000)]))")
    do {
        _ = try instance.call("divide", [.i32(1), .i32(0)])
    } catch let trap as Trap {
        print("divide(1, 0) trapped: \(trap.message)")
    }
    // The instance stays usable after a trap.
    print("divide(84, 2) = \(try instance.call("divide", [.i32(84), .i32(2)]))")
} catch {
    FileHandle.standardError.write("wasmc-demo: \(error)\n".data(using: .utf8)!)
    exit(1)
}
