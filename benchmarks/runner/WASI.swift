import Foundation
import Wasmc

/// One run of a WASI command: `_start` timed (wall and process CPU), its stdout collected
/// through a pipe read on another thread.
func runWASICommand(_ module: CompiledModule, arguments: [String], dirs: [String])
    throws -> (instantiate: Double, seconds: Double, cpu: Double, exitCode: UInt32, output: String) {
    let pipe = Pipe()
    let collected = OutputBox()
    let reader = Thread { collected.data = pipe.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let t0 = now()
    let wasi = try WASIHost(WASIConfiguration(arguments: ["prog"] + arguments,
                                              preopens: dirs.map(WASIPreopen.init(parsing:)),
                                              stdout: pipe.fileHandleForWriting.fileDescriptor))
    let program = try WASIProgram(module: module, wasi: wasi)
    let c1 = cpuNow()
    let t1 = now()
    let code = try program.runCommand()
    let t2 = now()
    let cpu = cpuNow() - c1
    try wasi.close()
    try pipe.fileHandleForWriting.close()
    while !collected.done { usleep(1000) }
    return (t1 - t0, t2 - t1, cpu, code, String(decoding: collected.data ?? Data(), as: UTF8.self))
}

final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Data?
    var data: Data? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
    var done: Bool { data != nil }
}
