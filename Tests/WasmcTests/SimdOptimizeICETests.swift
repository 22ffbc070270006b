import Foundation
import Testing
import WAT
import WasmcRuntime
@testable import Wasmc

/// gcc 12 crashed (internal compiler error in veclower2, tree_vec_extract) on
/// i64x2.extend_low_i32x4_s/_u of a vector built lane by lane (i8x16.popcnt) and live across a
/// try_table's wasmc_try (fuzz seed 5000040, reduced). The module must compile under -O at
/// every level and agree with the libtcc tier; and when cc itself crashes, the error says so.
@Suite struct SimdOptimizeICETests {
    static let ops = ["extend_low_i32x4_s", "extend_low_i32x4_u", "extend_high_i32x4_s", "extend_high_i32x4_u"]
    /// One export per extend: the reduced module's shape, with i32x4.neg so lanes are negative.
    static let wat = "(module\n" + ops.map { op in """
          (func (export "\(op)") (param $p v128) (result v128)
            (local $x v128) (local $r v128)
            (local.set $x (i32x4.neg (i8x16.popcnt (local.get $p))))
            (block $b
              (try_table (catch_all $b)
                (local.set $r (i64x2.\(op) (local.get $x)))))
            (local.get $r))
        """ }.joined(separator: "\n") + ")"

    static let inputs: [V128] = [
        V128(lo: 0xFFFF_FFFF_0000_0001, hi: 0x8000_0000_7FFF_FFFF),
        V128(lo: 0x0123_4567_89AB_CDEF, hi: 0xFEDC_BA98_7654_3210),
        V128(lo: 0, hi: 0),
    ]

    /// The wasm semantics, computed here: popcount per byte, negate per 32-bit lane, extend.
    static func expected(_ op: String, _ v: V128) -> V128 {
        var lanes = [UInt32](repeating: 0, count: 4)
        for i in 0..<4 {
            let word = i < 2 ? v.lo >> (32 * UInt64(i)) : v.hi >> (32 * UInt64(i - 2))
            var count: UInt32 = 0
            for b in 0..<4 { count |= UInt32(UInt8(truncatingIfNeeded: word >> (8 * UInt64(b))).nonzeroBitCount) << (8 * UInt32(b)) }
            lanes[i] = 0 &- count
        }
        let pick = op.contains("low") ? [lanes[0], lanes[1]] : [lanes[2], lanes[3]]
        let wide = pick.map { op.hasSuffix("_s") ? UInt64(bitPattern: Int64(Int32(bitPattern: $0))) : UInt64($0) }
        return V128(lo: wide[0], hi: wide[1])
    }

    func check(_ cpu: CPULevel) throws {
        let wasm = try wat2wasm(Self.wat)
        let optimized = try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: true, cpu: cpu)))
        let tcc = try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: false)))
        for op in Self.ops {
            for v in Self.inputs {
                let want: [Value] = [.v128(Self.expected(op, v))]
                #expect(try optimized.call(op, [.v128(v)]) == want, "\(op) at \(cpu.rawValue)")
                #expect(try tcc.call(op, [.v128(v)]) == want, "\(op) on libtcc")
            }
        }
    }

    @Test func compilesAndAgreesAtBaseline() throws { try check(.baseline) }

    @Test(.enabled(if: CPUFeatures.host.isSuperset(of: .x86_64_v2), "this CPU cannot run x86-64-v2 code"))
    func compilesAndAgreesAtV2() throws { try check(.x86_64_v2) }

    @Test(.enabled(if: CPUFeatures.host.isSuperset(of: .x86_64_v3), "this CPU cannot run x86-64-v3 code"))
    func compilesAndAgreesAtV3() throws { try check(.x86_64_v3) }

    /// The crash reduced to plain C (no wasmc header): gcc 12.2 still crashes on it, so the
    /// error wasmc gives for a crashing cc can be checked against the real thing.
    static let crashingC = """
        typedef int s32x4 __attribute__((vector_size(16), may_alias));
        typedef long long v128 __attribute__((vector_size(16), aligned(8), may_alias));
        typedef long long s64x2 __attribute__((vector_size(16), may_alias));
        typedef union { v128 v; unsigned char b[16]; } __attribute__((may_alias)) lanes;
        __attribute__((returns_twice)) int try_(void);
        static inline v128 inc(v128 a_) {
          v128 r_;
          for (int i = 0; i < 16; i++) ((lanes *)&r_)->b[i] = ((lanes *)&a_)->b[i] + 1;
          return r_;
        }
        void fn7(v128 a, v128 *out) {
          v128 x = inc(a);
          if (try_()) {}
          s32x4 y = (s32x4)x;
          *out = (v128)__builtin_convertvector(__builtin_shufflevector(y, y, 0, 1), s64x2);
        }
        """

    /// The C compiler is gcc 12 (whose veclower2 has the bug), as `cc --version` says.
    static let ccIsGCC12: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ProcessInfo.processInfo.environment["CC"] ?? "cc", "-dumpfullversion"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        guard (try? p.run()) != nil else { return false }
        let version = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return version.hasPrefix("12.")
    }()

    @Test(.enabled(if: ccIsGCC12, "the system C compiler is not gcc 12, which is the one that crashes on this C"))
    func aCrashingCompilerIsReportedAsACrash() throws {
        let dir = try TemporaryDirectory()
        do {
            try NativeCompiler.compileSharedObject(Self.crashingC, path: dir.path + "/x.so", cpu: .baseline)
            Issue.record("gcc 12 compiled the C that crashes it")
        } catch let e as WasmcError {
            #expect(e.message.contains("crashed compiling wasm function 7 (C function fn7) under -O"), "\(e.message)")
            #expect(e.message.contains("without -O (the libtcc tier) the module compiles"), "\(e.message)")
            #expect(e.message.contains("internal compiler error: in tree_vec_extract"), "gcc's first lines kept: \(e.message)")
            #expect(!e.message.contains("Please submit a full bug report"), "the rest left out: \(e.message)")
            #expect(e.message.split(separator: "\n").count <= CCompilerFailure.crashLinesKept + 2, "\(e.message)")
        }
    }

    @Test func anOrdinaryCompileErrorIsKeptWhole() {
        let output = "x.c: In function ‘fn3’:\nx.c:5:3: error: ‘y’ undeclared\n"
        let failure = CCompilerFailure(compiler: "cc", output: output, signal: nil)
        #expect(!failure.isCrash)
        #expect(failure.message == "cc failed: " + output)
    }

    @Test func clangsCrashReportAndASignalAreCrashes() {
        let clang = CCompilerFailure(compiler: "clang", output: "PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/\nStack dump:\n", signal: nil)
        #expect(clang.isCrash)
        #expect(clang.wasmFunction == nil)
        #expect(clang.message.hasPrefix("clang crashed under -O: an internal compiler error"), "\(clang.message)")
        let killed = CCompilerFailure(compiler: "cc", output: "", signal: 11)
        #expect(killed.message.hasPrefix("cc crashed (killed by signal 11) under -O"), "\(killed.message)")
        let helper = CCompilerFailure(compiler: "cc", output: "m.c: In function 'wasmc_tramp2':\nm.c:1: internal compiler error: Segmentation fault\n", signal: nil)
        #expect(helper.message.contains("crashed compiling C function wasmc_tramp2 under -O"), "\(helper.message)")
    }
}
