import Synchronization
import WasmcRuntime

/// Stops wasm code running on other threads. Every instance uses one handle (its own unless
/// one is given at instantiation); instances that share a handle, such as the threads of one
/// WASI program, are interrupted together.
///
/// `interrupt()` makes code running in those instances trap with `Trap(.interrupted)` wherever
/// it is in the module's code (loops included: the runtime signals the threads running their
/// calls), and wakes their threads blocked in `memory.atomic.wait`. Memories, tables and
/// globals stay as the interrupted code left them, and the instances stay usable. The request
/// is sticky: until `reset()`, calls into those instances trap "interrupted" as soon as they
/// start (so a thread that was about to enter wasm cannot slip past it). A host function is
/// not unwound: its blocking system calls return EINTR (WASI's `fd_read` and `poll_oneoff`
/// then trap), and when it returns, the call traps there.
public final class InterruptHandle: @unchecked Sendable {
    /// Set while interrupted, and the group's identity (`wasmc_instance.interrupt_group`);
    /// lives as long as the handle, and every instance using it retains the handle.
    let word: UnsafeMutablePointer<UInt>
    /// Addresses of the headers of the live instances using this handle, whose `interrupt`
    /// words and stack limits `interrupt()` sets (addresses: pointers are not Sendable).
    /// The lock also serialises interrupt, reset and joining.
    private let instances = Mutex<Members>(Members())

    /// Most handles serve one instance (each instance gets its own unless given one): that one
    /// needs no array, which would be an allocation per instantiation.
    private struct Members {
        var first: UInt = 0
        var more: [UInt] = []
        var headers: [UnsafeMutablePointer<wasmc_instance>?] {
            (first == 0 ? [] : [UnsafeMutablePointer(bitPattern: first)]) + more.map { UnsafeMutablePointer(bitPattern: $0) }
        }
        mutating func add(_ a: UInt) { if first == 0 { first = a } else { more.append(a) } }
        mutating func remove(_ a: UInt) {
            if first == a { first = more.popLast() ?? 0 } else { more.removeAll { $0 == a } }
        }
    }

    public init() {
        // The runtime's: it reuses the word rather than free it (a thread may still read it).
        guard let word = wasmc_interrupt_group_create() else { fatalError("out of memory for an interrupt group") }
        self.word = UnsafeMutablePointer(mutating: word)
    }

    deinit { wasmc_interrupt_group_release(word) }

    /// Asks the code running in this handle's instances to trap "interrupted". Any thread.
    public func interrupt() {
        instances.withLock { members in
            let headers = members.headers
            wasmc_interrupt(word, headers, headers.count)
        }
    }

    /// Withdraws the request: calls started afterwards run normally.
    public func reset() {
        instances.withLock { members in
            let headers = members.headers
            wasmc_interrupt_reset(word, headers, headers.count)
        }
    }

    /// Whether an interruption is requested (set by `interrupt()`, cleared by `reset()`).
    public var isInterrupted: Bool { wasmc_interrupt_requested(word) != 0 }

    func add(_ header: UnsafeMutablePointer<wasmc_instance>) {
        let address = UInt(bitPattern: header)
        instances.withLock { members in
            header.pointee.interrupt_group = UnsafePointer(word)
            // Joining an interrupted group: the instance's calls trap until reset().
            header.pointee.interrupt = wasmc_interrupt_requested(word) != 0 ? 1 : 0
            members.add(address)
        }
    }

    func remove(_ header: UnsafeMutablePointer<wasmc_instance>) {
        let address = UInt(bitPattern: header)
        instances.withLock { members in members.remove(address) }
    }
}
