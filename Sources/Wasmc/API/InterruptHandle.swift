import Synchronization
import WasmcRuntime

/// Stops wasm code running on other threads. Every instance uses one handle (its own unless
/// one is given at instantiation); instances that share a handle, such as the threads of one
/// WASI program, are interrupted together.
///
/// `interrupt()` makes code running in those instances trap with `Trap(.interrupted)` at its
/// next function entry or loop iteration, and wakes their threads blocked in
/// `memory.atomic.wait`. Memories, tables and globals stay as the interrupted code left them,
/// and the instances stay usable. The request is sticky: until `reset()`, calls into those
/// instances trap "interrupted" as soon as they start (so a thread that was about to enter
/// wasm cannot slip past it). A host function that blocks is not interrupted: it returns
/// first, then the wasm code that called it traps at its next check.
public final class InterruptHandle: @unchecked Sendable {
    /// The word generated code polls (`wasmc_instance.interrupt`); lives as long as the handle,
    /// and every instance using it retains the handle.
    let word: UnsafeMutablePointer<UInt>
    /// Addresses of the headers of the live instances using this handle, whose stack limits
    /// `interrupt()` raises (addresses: pointers are not Sendable).
    private let instances = Mutex<[UInt]>([])

    public init() {
        word = .allocate(capacity: 1)
        word.initialize(to: 0)
    }

    deinit { word.deallocate() }

    /// Asks the code running in this handle's instances to trap "interrupted". Any thread.
    public func interrupt() {
        instances.withLock { list in
            let headers = list.map { UnsafeMutablePointer<wasmc_instance>(bitPattern: $0) }
            wasmc_interrupt(word, headers, headers.count)
        }
    }

    /// Withdraws the request: calls started afterwards run normally.
    public func reset() { wasmc_interrupt_reset(word) }

    /// Whether an interruption is requested (set by `interrupt()`, cleared by `reset()`).
    public var isInterrupted: Bool { wasmc_interrupt_requested(word) != 0 }

    func add(_ header: UnsafeMutablePointer<wasmc_instance>) {
        header.pointee.interrupt = UnsafePointer(word)
        let address = UInt(bitPattern: header)
        instances.withLock { $0.append(address) }
    }

    func remove(_ header: UnsafeMutablePointer<wasmc_instance>) {
        let address = UInt(bitPattern: header)
        instances.withLock { list in list.removeAll { $0 == address } }
    }
}
