import Foundation
import Testing
import WAT
@testable import Wasmc

/// The vector loads of wasmc_simd.h in the tiers: a load whose value is dropped still reads
/// memory (so one past the end traps), and the -O tier reads each vector from linear memory once.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct VectorLoadTests {
    /// Every v128 load form and the bytes it reads.
    static let forms: [(name: String, expr: String, bytes: Int)] = [
        ("load", "v128.load", 16),
        ("load8x8_s", "v128.load8x8_s", 8), ("load8x8_u", "v128.load8x8_u", 8),
        ("load16x4_s", "v128.load16x4_s", 8), ("load16x4_u", "v128.load16x4_u", 8),
        ("load32x2_s", "v128.load32x2_s", 8), ("load32x2_u", "v128.load32x2_u", 8),
        ("load8_splat", "v128.load8_splat", 1), ("load16_splat", "v128.load16_splat", 2),
        ("load32_splat", "v128.load32_splat", 4), ("load64_splat", "v128.load64_splat", 8),
        ("load32_zero", "v128.load32_zero", 4), ("load64_zero", "v128.load64_zero", 8),
        ("load8_lane", "v128.load8_lane 15", 1), ("load16_lane", "v128.load16_lane 7", 2),
        ("load32_lane", "v128.load32_lane 3", 4), ("load64_lane", "v128.load64_lane 1", 8),
    ]

    /// The -O tier's empty asm keeps each load (a dead value included), and with it the trap.
    @Test(arguments: [false, true]) func droppedLoadsStillTrap(optimize: Bool) throws {
        let funcs = Self.forms.map { f in
            let lane = f.expr.contains("_lane") ? " (v128.const i64x2 0 0)" : ""
            return "(func (export \"\(f.name)\") (param i32) (drop (\(f.expr) (local.get 0)\(lane))))"
        }
        let wat = "(module (memory 1)\n" + funcs.joined(separator: "\n") + ")"
        let inst = try Instance(module: CompiledModule.compile(wasm: wat2wasm(wat), options: CompileOptions(optimize: optimize)),
                                imports: Imports())
        for f in Self.forms {
            #expect(throws: Never.self, "\(f.name) at the last in-bounds address") {
                try inst.call(f.name, [.i32(UInt32(65536 - f.bytes))])
            }
            #expect(throws: Trap(.memoryOutOfBounds), "\(f.name) one byte further") {
                try inst.call(f.name, [.i32(UInt32(65536 - f.bytes + 1))])
            }
        }
    }

    /// A loop of c[i] += s * b[i] on f64x2 (s a load64_splat, b and c vector loads), as
    /// matmul's inner loop: the -O tier's machine code at x86-64-v3 reads linear memory three
    /// times. An asm keeping the loaded vector as an input only made gcc load c[i] a second
    /// time, as the add's memory operand (matmul's SIMD build: 55 ms, then 32 ms).
    @Test(.enabled(if: objdump != nil, "needs objdump (binutils) to read the machine code"))
    func optimizedTierReadsEachVectorOnce() throws {
        let dir = try TemporaryDirectory()
        let so = dir.path + "/axpy.so"
        try Compiler.compile(wasm: try wat2wasm("""
            (module (memory 1)
              (func (export "axpy") (param $a i32) (param $b i32) (param $n i32)
                (local $s v128)
                (local.set $s (v128.load64_splat (local.get $a)))
                (loop $l
                  (v128.store (local.get $b)
                    (f64x2.add (v128.load (local.get $b)) (f64x2.mul (local.get $s) (v128.load offset=1024 (local.get $b)))))
                  (local.set $b (i32.add (local.get $b) (i32.const 16)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """), toSharedObject: so, options: CompileOptions(optimize: true, cpu: .x86_64_v3))
        let code = try #require(Self.objdump).disassemble(so, function: "fn0")
        #expect(!code.isEmpty, "no instructions of fn0 in \(so)")
        // Reads of memory into a vector register: linear memory (the instance's fields, the
        // frame and the stack limit go to general registers; the base may sit in any register,
        // %rdi included once the instance pointer is dead). AT&T order: a memory destination
        // comes last, so a store is not counted.
        let reads = code.filter { insn in
            guard let m = insn.firstMatch(of: /\((%\w+)?(,%\w+,[1248])?\)/), m.range.upperBound != insn.endIndex else { return false }
            return insn.firstMatch(of: /%[xy]mm\d+$/) != nil
        }
        #expect(reads.count == 3, "linear-memory reads: \(reads.joined(separator: "; "))")
    }

    static let objdump: Objdump? = Objdump()
}

/// Binutils' disassembler, when installed.
struct Objdump {
    let path: String
    init?() {
        guard let p = ["/usr/bin/objdump", "/usr/local/bin/objdump"].first(where: FileManager.default.isExecutableFile) else { return nil }
        path = p
    }

    /// The instructions (mnemonic and operands) of `function` in the shared object.
    func disassemble(_ so: String, function: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-d", "--no-show-raw-insn", so]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var inFunction = false
        var insns: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("<\(function)>:") { inFunction = true; continue }
            guard inFunction else { continue }
            if line.isEmpty { break }
            if let tab = line.firstIndex(of: "\t") { insns.append(String(line[line.index(after: tab)...])) }
        }
        return insns
    }
}
