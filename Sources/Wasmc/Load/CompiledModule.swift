import Foundation
import WasmcLower
import WasmcRuntime

/// A module compiled to native code and loaded into this process: immutable, shareable
/// across threads, instantiable any number of times.
public final class CompiledModule: @unchecked Sendable {
    /// Decoded metadata (types, imports, exports, ...); function bodies are not kept.
    public let module: Module
    let code: NativeCode
    /// Canonical id of each of the module's types.
    let typeIDs: [UInt32]

    init(code: NativeCode, module: Module) throws {
        let d = code.descriptor.pointee
        guard Int(d.num_defined_functions) == module.functions.count, Int(d.num_types) == module.types.count else {
            throw WasmcError("module descriptor does not match its embedded module (\(d.num_defined_functions) functions, \(d.num_types) types)")
        }
        self.code = code
        self.module = module
        self.typeIDs = TypeRegistry.shared.ids(of: module.types)
        _ = HostCalls.registered
    }

    /// Loads a .so written by `Compiler.compile` / `wasmc compile`.
    /// Refused, before any of its code runs, on a CPU without the features it was compiled for.
    public static func load(path: String) throws -> CompiledModule {
        try load(path: path, hostFeatures: .host)
    }

    /// `load` as on a CPU with `hostFeatures` (tests check the refusal with features taken away).
    static func load(path: String, hostFeatures: CPUFeatures) throws -> CompiledModule {
        let code = try NativeCode(sharedObject: path)
        let bytes = try code.attach(hostFeatures: hostFeatures)
        return try CompiledModule(code: code, module: try Pipeline.decodeMetadata(bytes))
    }

    /// Compiles wasm bytes in memory (decode, validate, lower, libtcc); no file is written.
    /// With `optimize`, the system C compiler builds a temporary .so instead.
    public static func compile(wasm: [UInt8], options: CompileOptions = .init()) throws -> CompiledModule {
        try compile(wasm: wasm, options: options, streaming: Pipeline.streams(size: wasm.count))
    }

    /// `streaming`: lower on a second thread while libtcc compiles (`Pipeline.translateStreaming`).
    static func compile(wasm: [UInt8], options: CompileOptions, streaming: Bool) throws -> CompiledModule {
        let module: Module
        let code: NativeCode
        if options.optimize {
            let c: GeneratedC
            (module, c) = try Pipeline.translate(wasm: wasm, options: options)
            code = try NativeCompiler.compileAndLoad(CAssembly.selfContained(c), cpu: options.cpu)
        } else if streaming {
            (module, code) = try Pipeline.translateStreaming(wasm: wasm, options: options) { try Tcc.compileInMemory(path: $0) }
        } else {
            let c: [UInt8]
            (module, c) = try Pipeline.translateForTcc(wasm: wasm, options: options)
            CompilePhases.mark("C for tcc")
            code = try Tcc.compileInMemory(bytes: c)
        }
        _ = try code.attach()
        let compiled = try CompiledModule(code: code, module: module)
        CompilePhases.mark("attach")
        return compiled
    }

    var descriptor: wasmc_descriptor { code.descriptor.pointee }
}

/// Options of the compile stage.
public struct CompileOptions: Sendable {
    /// `-O`: build with the system C compiler at -O2 instead of libtcc.
    public var optimize: Bool = false
    /// `--cpu`: the x86-64 level `-O` code is compiled for (`-march`); by default the highest
    /// this machine's CPU has. The module records it, and is refused at load on a CPU
    /// without it. No effect on the libtcc tier, whose code is baseline x86-64.
    public var cpu: CPULevel = .host
    /// Accept the threads proposal's binary encodings (shared-memory limits flags). Off: plain
    /// WebAssembly 2.0, whose error wording for those bytes the core spec tests expect.
    public var threads: Bool = true
    /// The core standard's edition: 3.0, or 2.0 for the 2.0 spec tests' error wording.
    public var standard: CoreStandard = .wasm3
    /// The edition whose binary encodings the decoder accepts, when not `standard`'s: a text
    /// script's module written as text is 2.0 for validation (the 2.0 tests' wording) but may
    /// use 3.0's exception handling (`assert_exception` scripts), which a 2.0 binary may not.
    public var encodings: CoreStandard? = nil
    /// No longer needed, and without effect: every compiled module is interruptible
    /// everywhere, loops included, at no cost to the code (`InterruptHandle`). Kept so that
    /// code written for the loop polls of earlier versions still compiles.
    public var interruptibleLoops: Bool = false
    public init(optimize: Bool = false, threads: Bool = true, standard: CoreStandard = .wasm3,
                interruptibleLoops: Bool = false, cpu: CPULevel = .host) {
        self.optimize = optimize
        self.cpu = cpu
        self.threads = threads
        self.standard = standard
        self.interruptibleLoops = interruptibleLoops
    }
}
