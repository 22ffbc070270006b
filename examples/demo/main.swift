// wasmc-demo: loads a compiled module (.so), provides a host import, calls its exports and
// catches a trap. Run by `make demo`; see README.
import Foundation
import Wasmc

let path = CommandLine.arguments.dropFirst().first ?? "build/primes.so"

/// Results as plain numbers, the way `wasmc run` prints them.
func show(_ values: [Value]) -> String {
    values.map { value -> String in
        switch value {
        case .i32(let v): String(Int32(bitPattern: v))
        case .i64(let v): String(Int64(bitPattern: v))
        case .f32(let v): v.description
        case .f64(let v): v.description
        case .funcref(let f): f == nil ? "null" : "funcref"
        case .externref(let r): r.map { "externref \($0)" } ?? "null"
        case .exnref(let e): e == nil ? "null" : "exnref"
        case .v128(let v): v.description
        }
    }.joined(separator: " ")
}
do {
    let module = try CompiledModule.load(path: path)
    var imports = Imports()
    let logType = FuncType(params: [.i32, .i32], results: [])
    imports.define(module: "host", name: "log", .function(Function(type: logType) { args in
        print("  host.log(\(show(args)))")
        return []
    }))
    let instance = try Instance(module: module, imports: imports)

    print("fib(25) = \(show(try instance.call("fib", [.i32(25)])))")
    print("count_primes(100000) = \(show(try instance.call("count_primes", [.i32(100_000)])))")
    do {
        _ = try instance.call("divide", [.i32(1), .i32(0)])
    } catch let trap as Trap {
        print("divide(1, 0) trapped: \(trap.message)")
    }
    // The instance stays usable after a trap.
    print("divide(84, 2) = \(show(try instance.call("divide", [.i32(84), .i32(2)])))")
} catch {
    FileHandle.standardError.write("wasmc-demo: \(error)\n".data(using: .utf8)!)
    exit(1)
}
