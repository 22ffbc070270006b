import Foundation
import Testing
import WasmcDecode

// Throughput on a ~10 MB synthetic module (4.64 M instructions). Only runs with
// WASMC_DECODE_BENCH set; a debug build's number means little. For a release figure without
// building WasmKit in release, link this file's loop into a tiny main with the release objects:
//   swift build -c release --target WasmcDecode
//   swiftc -O -I .build/release/Modules Tests/WasmcDecodeTests/SyntheticModule.swift main.swift \
//     .build/release/WasmcDecode.build/*.o .build/release/WasmcSyntax.build/*.o -o decode-bench
// CPU time is reported beside wall time because the shared build machine is often loaded.

private func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_DECODE_BENCH"] != nil))
func decodeThroughput() throws {
    let bytes = syntheticModule(functions: 20_000, repeats: 10)
    let start = ContinuousClock.now
    let cpuStart = cpuSeconds()
    let module = try Decoder.decode(bytes)
    let cpu = cpuSeconds() - cpuStart
    let wall = (ContinuousClock.now - start) / .seconds(1)
    let instructions = module.code.reduce(0) { $0 + $1.instructions.count }
    let mb = Double(bytes.count) / 1e6
    print("decode: \(bytes.count) bytes, \(instructions) instructions; CPU \(cpu) s = \(mb / cpu) MB/s; wall \(wall) s = \(mb / wall) MB/s")
    #expect(module.code.count == 20_000)
    #expect(instructions == 20_000 * (10 * 23 + 2))
}
