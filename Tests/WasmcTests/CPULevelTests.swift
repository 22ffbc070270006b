import Foundation
import Testing
import WAT
import WasmcRuntime
@testable import Wasmc

/// The -O tier's x86-64 level (`--cpu`): what a module records, the loader's refusal on a CPU
/// lacking it, host detection, the cache key, and float results that must not change with it.
@Suite struct CPULevelTests {
    static let wat = """
        (module
          (func (export "fma64") (param f64 f64 f64) (result f64)
            (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "fma32x4") (param v128 v128 v128) (result v128)
            (f32x4.add (f32x4.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "relaxed32x4") (param v128 v128 v128) (result v128)
            (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
          (func (export "relaxed64x2") (param v128 v128 v128) (result v128)
            (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))
        """

    func compiled(_ cpu: CPULevel, in dir: TemporaryDirectory, optimize: Bool = true) throws -> String {
        let path = dir.path + "/\(cpu.rawValue)-\(optimize).so"
        try Compiler.compile(wasm: try wat2wasm(Self.wat), toSharedObject: path, options: CompileOptions(optimize: optimize, cpu: cpu))
        return path
    }

    /// Bits read from the descriptor, not taken from `CPULevel`: the C compiler's predefined
    /// macros under each `-march` must give exactly the level's features.
    @Test func eachLevelRecordsItsFeatures() throws {
        let dir = try TemporaryDirectory()
        let host = CPUFeatures.x86_64_v3  // pretend: every level loads, so its descriptor can be read
        for (cpu, expected) in [(CPULevel.baseline, CPUFeatures()), (.x86_64_v2, .x86_64_v2), (.x86_64_v3, .x86_64_v3)] {
            let module = try CompiledModule.load(path: try compiled(cpu, in: dir), hostFeatures: host)
            #expect(CPUFeatures(rawValue: module.descriptor.cpu_features) == expected, "\(cpu)")
        }
        let tcc = try CompiledModule.load(path: try compiled(.x86_64_v3, in: dir, optimize: false), hostFeatures: [])
        #expect(tcc.descriptor.cpu_features == 0, "the libtcc tier is baseline whatever --cpu says")
    }

    @Test func loadingOnACPUWithoutTheFeaturesIsRefusedNamingThem() throws {
        let dir = try TemporaryDirectory()
        let v2 = try compiled(.x86_64_v2, in: dir)
        let lacking = CPUFeatures.x86_64_v2.subtracting([CPUFeatures(WASMC_CPU_SSSE3), CPUFeatures(WASMC_CPU_POPCNT)])
        do {
            _ = try CompiledModule.load(path: v2, hostFeatures: lacking)
            Issue.record("an x86-64-v2 module loaded on a CPU without SSSE3 and POPCNT")
        } catch let e as WasmcError {
            #expect(e.message.hasPrefix("module was compiled for CPU features this CPU lacks: SSSE3 POPCNT ("), "\(e.message)")
        }
        // A baseline module loads on a baseline CPU; the v2 one on a v2 CPU.
        _ = try CompiledModule.load(path: try compiled(.baseline, in: dir), hostFeatures: [])
        _ = try CompiledModule.load(path: v2, hostFeatures: .x86_64_v2)
    }

    @Test func hostResolvesToTheHighestLevelItHas() {
        #expect(CPULevel.host.resolved(features: []) == .baseline)
        #expect(CPULevel.host.resolved(features: .x86_64_v2) == .x86_64_v2)
        #expect(CPULevel.host.resolved(features: CPUFeatures.x86_64_v3.subtracting(CPUFeatures(WASMC_CPU_AVX2))) == .x86_64_v2)
        #expect(CPULevel.host.resolved(features: CPUFeatures(rawValue: ~0)) == .x86_64_v3)
        #expect(CPULevel.x86_64_v2.resolved(features: []) == .x86_64_v2, "an explicit level is kept")
    }

    /// CPUID as the runtime reads it against the kernel's view (/proc/cpuinfo's flags).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/cpuinfo"), "needs Linux's /proc/cpuinfo"))
    func hostDetectionAgreesWithTheKernel() throws {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            Issue.record("no flags line in /proc/cpuinfo"); return
        }
        let flags = Set(line.split(separator: ":")[1].split(separator: " ").map(String.init))
        let kernelName: [String: String] = ["SSE3": "pni", "SSSE3": "ssse3", "SSE4.1": "sse4_1", "SSE4.2": "sse4_2",
            "POPCNT": "popcnt", "CMPXCHG16B": "cx16", "LAHF-SAHF": "lahf_lm", "AVX": "avx", "AVX2": "avx2",
            "BMI1": "bmi1", "BMI2": "bmi2", "FMA": "fma", "LZCNT": "abm", "MOVBE": "movbe", "F16C": "f16c", "XSAVE": "xsave"]
        for (feature, name) in CPUFeatures.named {
            let kernel = try #require(kernelName[name])
            #expect(CPUFeatures.host.contains(feature) == flags.contains(kernel), "\(name) (\(kernel))")
        }
    }

    @Test func cacheEntriesDifferByLevelUnderO() throws {
        let cache = ModuleCache(directory: "/nonexistent")
        let wasm = try wat2wasm(Self.wat)
        func key(_ optimize: Bool, _ cpu: CPULevel) -> String {
            cache.entryPath(wasm: wasm, options: CompileOptions(optimize: optimize, cpu: cpu))
        }
        #expect(key(true, .baseline) != key(true, .x86_64_v2))
        #expect(key(true, .x86_64_v2) != key(true, .x86_64_v3))
        #expect(key(true, .host) == key(true, CPULevel.host.resolved()), "host is keyed as the level it resolves to")
        #expect(key(false, .baseline) == key(false, .x86_64_v3), "the libtcc tier does not depend on --cpu")
    }

    /// 1+2^-30 times 1-2^-30 is 1-2^-60: rounded it is 1.0, so a*b + -1 is 0; one fused
    /// multiply-add (FMA, in x86-64-v3) would give -2^-60. Every level must round as wasm does.
    func checkUnfusedFloats(_ cpu: CPULevel) throws {
        let module = try CompiledModule.compile(wasm: try wat2wasm(Self.wat), options: CompileOptions(optimize: true, cpu: cpu))
        let instance = try Instance(module: module)
        #expect(try instance.call("fma64", [.f64(1 + 0x1p-30), .f64(1 - 0x1p-30), .f64(-1)]) == [.f64(0)])
        func f32Lanes(_ x: Float) -> Value {
            let b = UInt64(x.bitPattern)
            return .v128(V128(lo: b | b << 32, hi: b | b << 32))
        }
        #expect(try instance.call("fma32x4", [f32Lanes(1 + 0x1p-13), f32Lanes(1 - 0x1p-13), f32Lanes(-1)]) == [f32Lanes(0)])
        // relaxed_madd's documented choice (docs/simd.md): unfused, as above, at every level.
        #expect(try instance.call("relaxed32x4", [f32Lanes(1 + 0x1p-13), f32Lanes(1 - 0x1p-13), f32Lanes(-1)]) == [f32Lanes(0)])
        func f64Lanes(_ x: Double) -> Value { .v128(V128(lo: x.bitPattern, hi: x.bitPattern)) }
        #expect(try instance.call("relaxed64x2", [f64Lanes(1 + 0x1p-30), f64Lanes(1 - 0x1p-30), f64Lanes(-1)]) == [f64Lanes(0)])
    }

    @Test func floatsAreUnfusedAtBaseline() throws { try checkUnfusedFloats(.baseline) }

    @Test(.enabled(if: CPUFeatures.host.isSuperset(of: .x86_64_v2), "this CPU cannot run x86-64-v2 code"))
    func floatsAreUnfusedAtV2() throws { try checkUnfusedFloats(.x86_64_v2) }

    @Test(.enabled(if: CPUFeatures.host.isSuperset(of: .x86_64_v3), "this CPU cannot run x86-64-v3 code (FMA)"))
    func floatsAreUnfusedAtV3() throws { try checkUnfusedFloats(.x86_64_v3) }

    /// Entries from the host (the array-call trampoline, a host call's return) clear the upper
    /// halves of the vector registers where the level has AVX (vzeroupper), and nowhere else
    /// (it would fault without AVX); a v3 module still passes values both ways.
    @Test(.enabled(if: VectorLoadTests.objdump != nil, "needs objdump (binutils) to read the machine code"))
    func hostEntriesClearUpperHalvesOnlyWithAVX() throws {
        let wat = """
            (module
              (import "env" "inc" (func $inc (param f64) (result f64)))
              (func (export "g") (param f64) (result f64) (f64.mul (call $inc (local.get 0)) (f64.const 3))))
            """
        let dir = try TemporaryDirectory()
        for cpu in [CPULevel.baseline, .x86_64_v3] {
            let so = dir.path + "/\(cpu.rawValue).so"
            try Compiler.compile(wasm: try wat2wasm(wat), toSharedObject: so, options: CompileOptions(optimize: true, cpu: cpu))
            for function in ["wasmc_tramp0", "wasmc_host0"] {
                let code = try #require(VectorLoadTests.objdump).disassemble(so, function: function)
                #expect(!code.isEmpty, "no instructions of \(function) in \(so)")
                #expect(code.contains { $0.hasPrefix("vzeroupper") } == (cpu == .x86_64_v3), "\(cpu) \(function): \(code)")
            }
        }
        guard CPUFeatures.host.isSuperset(of: .x86_64_v3) else { return }
        var imports = Imports()
        imports.define(module: "env", name: "inc", .function(Function(type: FuncType(params: [.f64], results: [.f64])) { args in
            guard case .f64(let x) = args[0] else { return [] }
            return [.f64(x + 1)]
        }))
        let module = try CompiledModule.compile(wasm: try wat2wasm(wat), options: CompileOptions(optimize: true, cpu: .x86_64_v3))
        let instance = try Instance(module: module, imports: imports)
        #expect(try instance.call("g", [.f64(1.5)]) == [.f64(7.5)])
    }
}
