import CTcc
import Foundation

/// libtcc, in process. Its compiler state is process-global, so every use goes through one
/// lock: translation to C runs in parallel, the tcc step does not.
enum Tcc {
    private static let lock = NSLock()
    static let libraryPath = "/usr/lib/x86_64-linux-gnu/tcc"

    /// Collects tcc's diagnostics for the error message.
    private final class Diagnostics {
        var messages: [String] = []
    }

    /// Runs `body` with a fresh tcc state set up for `outputType`, under the global lock.
    /// `body` returns its result and whether the state must outlive this call (in-memory code).
    private static func withState<T>(outputType: Int32, options: String? = nil, _ body: (OpaquePointer, () -> WasmcError) throws -> (T, keep: Bool)) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let state = tcc_new() else { throw WasmcError("tcc: cannot create a compiler state") }
        wasmc_tcc_forget_labels()
        let diagnostics = Diagnostics()
        let opaque = Unmanaged.passUnretained(diagnostics).toOpaque()
        tcc_set_error_func(state, opaque) { opaque, message in
            guard let opaque, let message else { return }
            Unmanaged<Diagnostics>.fromOpaque(opaque).takeUnretainedValue().messages.append(String(cString: message))
        }
        tcc_set_lib_path(state, libraryPath)
        if let options { tcc_set_options(state, options) }
        _ = tcc_set_output_type(state, outputType)
        CompilePhases.mark("tcc set-up")
        let fail = { WasmcError("tcc: " + (diagnostics.messages.isEmpty ? "compilation failed" : diagnostics.messages.joined(separator: "\n"))) }
        var keep = false
        defer { if !keep { tcc_delete(state) } }
        let (result, keepState) = try withExtendedLifetime(diagnostics) { try body(state, fail) }
        keep = keepState
        if keep { tcc_set_error_func(state, nil, nil) }
        return result
    }

    /// Compiles self-contained C into this process's memory. The state stays alive (it owns
    /// the code) inside the returned NativeCode.
    /// `includePaths`: folders for C that includes headers (the golden files name the runtime's).
    static func compileInMemory(_ source: String, includePaths: [String] = []) throws -> NativeCode {
        try compileInMemory { state in
            for p in includePaths { tcc_add_include_path(state, p) }
            return tcc_compile_string(state, source)
        }
    }

    /// The same from NUL-terminated bytes (`CAssembly.forTcc`).
    static func compileInMemory(bytes source: [UInt8]) throws -> NativeCode {
        try compileInMemory { state in
            source.withUnsafeBufferPointer { tcc_compile_string(state, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
        }
    }

    /// The same from a file or pipe, read as it is written (`Pipeline.translateStreaming`).
    static func compileInMemory(path: String) throws -> NativeCode {
        try compileInMemory { tcc_add_file($0, path) }
    }

    /// tcc's own runtime support (integer/float conversion helpers it may call).
    static let libtcc1 = libraryPath + "/libtcc1.a"

    private static func compileInMemory(_ addSource: (OpaquePointer) -> Int32) throws -> NativeCode {
        // No libc link step (-nostdlib): by default tcc_relocate reads libc.so (a linker script,
        // one byte per read(2)), dlopens libc.so.6 and scans libc_nonshared.a, about 0.2 ms of
        // a small module's 2 ms. The generated C calls no libc function itself (the runtime
        // does that work); what tcc's code generation may call on its own (memmove, memset,
        // memcpy) is given by address, and libtcc1.a (its conversion helpers) is added by hand.
        // Any other symbol would fail the relocation, loudly.
        try withState(outputType: TCC_OUTPUT_MEMORY, options: "-nostdlib") { state, fail in
            wasmc_tcc_add_libc_symbols(state)
            guard addSource(state) == 0 else { throw fail() }
            CompilePhases.mark("tcc compile")
            guard tcc_add_file(state, libtcc1) == 0 else { throw fail() }
            // Into pages of our own: their range is the module's code for the interrupt handler.
            let size = tcc_relocate(state, nil)
            guard size > 0 else { throw fail() }
            let memory = try TccMemory(size: Int(size))
            guard tcc_relocate(state, memory.base) >= 0 else {
                memory.unmap()
                throw fail()
            }
            CompilePhases.mark("tcc relocate")
            guard let symbol = tcc_get_symbol(state, "wasmc_module_descriptor") else {
                memory.unmap()
                throw WasmcError("tcc: the generated code has no wasmc_module_descriptor")
            }
            return (try NativeCode(tccState: state, memory: memory, descriptor: symbol), keep: true)
        }
    }

    /// Compiles self-contained C into a shared object at `path` (written in place: callers
    /// pass a temporary name and rename it).
    static func compileSharedObject(_ source: String, path: String) throws {
        try compileSharedObject(path: path) { tcc_compile_string($0, source) }
    }

    /// The same from NUL-terminated bytes (`CAssembly.forTcc`).
    static func compileSharedObject(bytes source: [UInt8], path: String) throws {
        try compileSharedObject(path: path) { state in
            source.withUnsafeBufferPointer { tcc_compile_string(state, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
        }
    }

    /// The same from a file or pipe holding the C (`Pipeline.translateStreaming`).
    static func compileSharedObject(sourcePath: String, path: String) throws {
        try compileSharedObject(path: path) { tcc_add_file($0, sourcePath) }
    }

    private static func compileSharedObject(path: String, _ addSource: (OpaquePointer) -> Int32) throws {
        // Without libc (-nostdlib), so the .so needs no symbol from the process: what tcc's
        // code generation calls on its own the prelude defines (WASMC_TCC_SHARED_OBJECT), its
        // conversion helpers come from libtcc1.a.
        try withState(outputType: TCC_OUTPUT_DLL, options: "-nostdlib") { state, fail in
            tcc_define_symbol(state, "WASMC_TCC_SHARED_OBJECT", "1")
            guard addSource(state) == 0 else { throw fail() }
            guard tcc_add_file(state, libtcc1) == 0 else { throw fail() }
            guard tcc_output_file(state, path) == 0 else { throw fail() }
            return ((), keep: false)
        }
    }
}
