// A package that depends on wasmc by URL and version (Tests/PackageConsumer/run.sh writes its
// manifest): compiles a module in memory and to a shared object, loads both, checks results.
import Foundation
import Wasmc

func check(_ what: String, _ got: [Value], _ expected: [Value]) {
    guard got == expected else {
        FileHandle.standardError.write("consumer: \(what) returned \(got), expected \(expected)\n".data(using: .utf8)!)
        exit(1)
    }
    print("\(what) ok")
}

do {
    guard CommandLine.arguments.count == 3 else {
        FileHandle.standardError.write("usage: consumer calc.wat OUT.so\n".data(using: .utf8)!)
        exit(2)
    }
    let wasm = try Compiler.readModule(path: CommandLine.arguments[1])

    let inMemory = try Instance(module: try CompiledModule.compile(wasm: wasm))
    check("fac(20)", try inMemory.call("fac", [.i64(20)]), [.i64(2_432_902_008_176_640_000)])
    check("divmod(-7, 2)", try inMemory.call("divmod", [.i32(UInt32(bitPattern: -7)), .i32(2)]),
          [.i32(UInt32(bitPattern: -3)), .i32(UInt32(bitPattern: -1))])

    let so = CommandLine.arguments[2]
    try Compiler.compile(wasm: wasm, toSharedObject: so)
    let loaded = try Instance(module: try CompiledModule.load(path: so))
    check("fac(10) from \(URL(fileURLWithPath: so).lastPathComponent)", try loaded.call("fac", [.i64(10)]), [.i64(3_628_800)])
} catch {
    FileHandle.standardError.write("consumer: \(error)\n".data(using: .utf8)!)
    exit(1)
}
