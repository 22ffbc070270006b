import Foundation
import WasmcSyntax
import WasmTypes

/// The caller's linear memory as WasmKit's WASI reads and writes it. A guest pointer range
/// outside the memory cannot be refused here (the protocol's accessor cannot fail), so it is
/// served from a zeroed scratch buffer and recorded: the WASI call then returns EFAULT
/// instead of touching memory outside the guest's.
struct GuestMemoryView: GuestMemory, @unchecked Sendable {
    final class Faults { var happened = false }

    let memory: LinearMemory?
    /// Host bytes standing in for a memory (wasmc's own calls into WasmKit's functions).
    let bytes: UnsafeMutableRawBufferPointer?
    let faults = Faults()

    init(memory: LinearMemory?) {
        self.memory = memory
        self.bytes = nil
    }

    init(bytes: UnsafeMutableRawBufferPointer) {
        self.memory = nil
        self.bytes = bytes
    }

    func withUnsafeMutableBufferPointer<T>(
        offset: UInt, count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> T
    ) rethrows -> T {
        let base = memory?.base ?? bytes?.baseAddress
        let length = memory?.byteCount ?? UInt64(bytes?.count ?? 0)
        if let base, count >= 0, UInt64(offset) <= length, UInt64(count) <= length - UInt64(offset) {
            return try body(UnsafeMutableRawBufferPointer(start: base + Int(offset), count: count))
        }
        faults.happened = true
        let size = max(count, 1)
        // Anonymous pages: zeroed, and only as much as the call touches is ever committed.
        let scratch = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let scratch, scratch != MAP_FAILED else {
            return try body(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        }
        defer { munmap(scratch, size) }
        return try body(UnsafeMutableRawBufferPointer(start: scratch, count: max(count, 0)))
    }
}

/// Values between wasmc's API and WasmKit's WASI (integers only cross this boundary).
extension Value {
    var wasmKit: WasmTypes.Value {
        switch self {
        case .i32(let v): .i32(v)
        case .i64(let v): .i64(v)
        case .f32(let v): .f32(v.bitPattern)
        case .f64(let v): .f64(v.bitPattern)
        case .funcref, .externref, .exnref, .v128: .i32(0)
        }
    }

    init(wasmKit v: WasmTypes.Value) {
        switch v {
        case .i32(let x): self = .i32(x)
        case .i64(let x): self = .i64(x)
        case .f32(let x): self = .f32(Float(bitPattern: x))
        case .f64(let x): self = .f64(Double(bitPattern: x))
        default: self = .i32(0)
        }
    }
}

extension WasmcSyntax.ValueType {
    init(wasmKit t: WasmTypes.ValueType) {
        switch t {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        default: self = .externref
        }
    }
}
