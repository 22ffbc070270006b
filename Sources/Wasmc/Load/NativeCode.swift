import CTcc
import Foundation
import WasmcRuntime

/// Loaded native code of one module: a dlopen'd .so or an in-memory libtcc state (and the
/// mapping tcc relocated the code into), and the module's descriptor inside it. Its code
/// range is registered with the runtime, where the interrupt signal may unwind a call. Lives
/// as long as any CompiledModule/Instance uses it.
final class NativeCode: @unchecked Sendable {
    private enum Handle {
        case sharedObject(UnsafeMutableRawPointer)
        case tcc(OpaquePointer, TccMemory)
    }
    private let handle: Handle
    private let codeSlot: Int32
    let descriptor: UnsafeMutablePointer<wasmc_descriptor>

    /// `memory`: where `tccState` was relocated (code and data; only code is ever executed).
    /// Owns both once it returns; when it throws, the caller still owns the state.
    init(tccState: OpaquePointer, memory: TccMemory, descriptor: UnsafeMutableRawPointer) throws {
        let slot = wasmc_code_register(memory.base, memory.base + memory.size)
        guard slot >= 0 else {
            memory.unmap()
            throw WasmcError("too many modules loaded at once (the runtime's code registry is full)")
        }
        handle = .tcc(tccState, memory)
        codeSlot = slot
        self.descriptor = descriptor.assumingMemoryBound(to: wasmc_descriptor.self)
    }

    /// dlopen's `path` and finds its descriptor.
    init(sharedObject path: String) throws {
        // dlopen searches the library path for a bare name ("m.so"): always pass a path.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        try SharedObjectCheck.check(try InputFile.read(path), path: path)
        guard let h = dlopen(absolute, RTLD_NOW | RTLD_LOCAL) else {
            throw FileError(path, "cannot load: \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(h, WASMC_DESCRIPTOR_SYMBOL) else {
            dlclose(h)
            throw FileError(path, "not a wasmc module (no \(WASMC_DESCRIPTOR_SYMBOL))")
        }
        let slot = wasmc_code_register_object(symbol)
        guard slot >= 0 else {
            dlclose(h)
            throw FileError(path, "cannot register its code with the runtime (no executable segment, or too many modules loaded)")
        }
        handle = .sharedObject(h)
        codeSlot = slot
        descriptor = symbol.assumingMemoryBound(to: wasmc_descriptor.self)
    }

    deinit {
        wasmc_code_unregister(codeSlot)
        switch handle {
        case .sharedObject(let h): dlclose(h)
        case .tcc(let s, let memory):
            tcc_delete(s)
            memory.unmap()
        }
    }

    /// Checks the descriptor's format and the CPU features the code needs (against
    /// `hostFeatures`), then hands the module its runtime table. dlopen has run only the C
    /// toolchain's start-up files, built for baseline x86-64: no code of the module has run yet.
    func attach(hostFeatures: CPUFeatures = .host) throws -> [UInt8] {
        let d = descriptor.pointee
        guard d.magic == WASMC_DESCRIPTOR_MAGIC else { throw WasmcError("not a wasmc module descriptor (bad magic)") }
        guard d.abi_version == WASMC_ABI_VERSION else {
            throw WasmcError("module was compiled for wasmc ABI version \(d.abi_version), this loader supports \(WASMC_ABI_VERSION): recompile it")
        }
        try CPUFeatures(rawValue: d.cpu_features).check(host: hostFeatures)
        d.rt_slot.pointee = wasmc_runtime_table()
        d.stack_limit_offset_slot.pointee = wasmc_stack_limit_tls_offset()
        return Array(UnsafeBufferPointer(start: d.module_bytes, count: Int(d.module_size)))
    }
}

/// Pages libtcc relocates a module into (tcc_relocate with our own buffer, so the code's range
/// is known). tcc makes the code pages executable itself.
struct TccMemory {
    let base: UnsafeMutableRawPointer
    let size: Int

    init(size: Int) throws {
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw WasmcError("tcc: cannot map \(size) bytes for the code")
        }
        base = p
        self.size = size
    }

    func unmap() { munmap(base, size) }
}
