// Runs the bundled WASI program wc.wasm (wc.c, built with zig cc) from Swift: arguments, an
// environment variable, a preopened folder and stdout to the host's; prints its exit code.
//   swift run wasmc-wasi-example [FOLDER]      (default: examples/wasi, which holds wc.c)
import Foundation
import Wasmc

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : here.path
do {
    let module = try CompiledModule.compile(wasm: try Compiler.readModule(path: here.appendingPathComponent("wc.wasm").path))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".c") || $0.hasSuffix(".txt") }.sorted()
    let wasi = try WASIHost(WASIConfiguration(
        arguments: ["wc"] + files,                              // argv[0], then paths inside the preopen
        environment: [("WC_LABEL", "all files")],
        preopens: [WASIPreopen(hostPath: folder, guestPath: ".")]))
    let program = try WASIProgram(module: module, wasi: wasi)
    let status = try program.runCommand()                       // proc_exit's code, 0 when _start returns
    print("wc exited with \(status)")
} catch let trap as Trap {
    print("wc trapped: \(trap.message)")
} catch {
    print("error: \(error)")
    exit(1)
}
