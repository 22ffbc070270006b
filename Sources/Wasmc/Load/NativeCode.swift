import CTcc
import Foundation
import WasmcRuntime

/// Loaded native code of one module: a dlopen'd .so or an in-memory libtcc state, and the
/// module's descriptor inside it. Lives as long as any CompiledModule/Instance uses it.
final class NativeCode: @unchecked Sendable {
    private enum Handle {
        case sharedObject(UnsafeMutableRawPointer)
        case tcc(OpaquePointer)
    }
    private let handle: Handle
    let descriptor: UnsafeMutablePointer<wasmc_descriptor>

    init(tccState: OpaquePointer, descriptor: UnsafeMutableRawPointer) {
        handle = .tcc(tccState)
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
        handle = .sharedObject(h)
        descriptor = symbol.assumingMemoryBound(to: wasmc_descriptor.self)
    }

    deinit {
        switch handle {
        case .sharedObject(let h): dlclose(h)
        case .tcc(let s): tcc_delete(s)
        }
    }

    /// Checks the descriptor's format and hands the module its runtime table.
    func attach() throws -> [UInt8] {
        let d = descriptor.pointee
        guard d.magic == WASMC_DESCRIPTOR_MAGIC else { throw WasmcError("not a wasmc module descriptor (bad magic)") }
        guard d.abi_version == WASMC_ABI_VERSION else {
            throw WasmcError("module was compiled for wasmc ABI version \(d.abi_version), this loader supports \(WASMC_ABI_VERSION): recompile it")
        }
        d.rt_slot.pointee = wasmc_runtime_table()
        return Array(UnsafeBufferPointer(start: d.module_bytes, count: Int(d.module_size)))
    }
}
