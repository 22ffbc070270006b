import Foundation
import Testing
import WasmcDecode

// Throughput on a ~10 MB synthetic module. Only runs with WASMC_DECODE_BENCH set; a debug
// build's number means little. The release figure in the report came from:
//   swift build -c release --target WasmcDecode
//   swiftc -O -I .build/release/Modules Tests/WasmcDecodeTests/SyntheticModule.swift \
//     bench-main.swift .build/release/Wasmc{Syntax,Decode}.build/*.o -o /tmp/decode-bench

@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_DECODE_BENCH"] != nil))
func decodeThroughput() throws {
    let bytes = syntheticModule(functions: 20_000, repeats: 10)
    let start = ContinuousClock.now
    let module = try Decoder.decode(bytes)
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    let instructions = module.code.reduce(0) { $0 + $1.instructions.count }
    print("decode: \(bytes.count) bytes, \(instructions) instructions in \(seconds) s = \(Double(bytes.count) / seconds / 1e6) MB/s")
    #expect(module.code.count == 20_000)
    #expect(instructions == 20_000 * (10 * 23 + 2))
}
