import Foundation
import WASI
import WasmTypes
import WasmcRuntime

/// Where WasmKit 0.4.2's WASI falls short of preview1 and of Wasmtime's behaviour, wasmc
/// replaces the function and delegates the rest to it (README "Libraries used").
enum WASIAdditions {
    typealias Implementation = @Sendable (GuestMemoryView, [WasmTypes.Value]) throws -> [WasmTypes.Value]
    struct HostFunction: Sendable {
        var type: FunctionType
        var implementation: Implementation
        init(type: FunctionType, _ implementation: @escaping Implementation) {
            self.type = type
            self.implementation = implementation
        }
        init(_ f: WASIHostFunction<GuestMemoryView>) {
            self.init(type: f.type, f.implementation)
        }
    }

    /// preview1 errno values used here.
    static let success: UInt32 = 0, ebadf: UInt32 = 8, eintr: UInt32 = 27, eisdir: UInt32 = 31, einval: UInt32 = 28,
               enotsock: UInt32 = 57, eperm: UInt32 = 63
    /// preview1 clock ids WasmKit leaves unsupported.
    static let processCPUTime: UInt32 = 2, threadCPUTime: UInt32 = 3
    /// preview1 filetype of a directory.
    static let directoryType: UInt8 = 3

    static func apply(to functions: inout [String: HostFunction]) {
        if let f = functions["clock_time_get"] { functions["clock_time_get"] = clockTimeGet(f) }
        if let f = functions["clock_res_get"] { functions["clock_res_get"] = clockResGet(f) }
        if let f = functions["path_symlink"] { functions["path_symlink"] = pathSymlink(f) }
        if let f = functions["fd_read"], let poll = functions["poll_oneoff"] { functions["fd_read"] = fdRead(f, pollOneoff: poll) }
        if let f = functions["poll_oneoff"] { functions["poll_oneoff"] = pollOneoff(f) }
        if let stat = functions["fd_fdstat_get"] {
            if let f = functions["fd_allocate"] { functions["fd_allocate"] = fdAllocate(f, fdstat: stat) }
            for name in ["sock_accept", "sock_recv", "sock_send"] {
                if let f = functions[name] { functions[name] = noSocket(f, fdstat: stat) }
            }
        }
    }

    /// The CPU-time clocks of POSIX for preview1's process and thread clocks.
    static func cpuClock(_ id: UInt32) -> clockid_t? {
        switch id {
        case processCPUTime: CLOCK_PROCESS_CPUTIME_ID
        case threadCPUTime: CLOCK_THREAD_CPUTIME_ID
        default: nil
        }
    }

    static func write(_ value: UInt64, at address: UInt32, in memory: GuestMemoryView) {
        memory.withUnsafeMutableBufferPointer(offset: UInt(address), count: 8) { buffer in
            buffer.storeBytes(of: value.littleEndian, as: UInt64.self)
        }
    }

    private static func clockTimeGet(_ base: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            guard case .i32(let id) = args[0], let clock = cpuClock(id), case .i32(let result) = args[2] else {
                return try base.implementation(memory, args)
            }
            var now = timespec()
            guard clock_gettime(clock, &now) == 0 else { return [.i32(einval)] }
            write(UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec), at: result, in: memory)
            return [.i32(success)]
        }
    }

    private static func clockResGet(_ base: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            guard case .i32(let id) = args[0], let clock = cpuClock(id), case .i32(let result) = args[1] else {
                return try base.implementation(memory, args)
            }
            var resolution = timespec()
            guard clock_getres(clock, &resolution) == 0 else { return [.i32(einval)] }
            write(UInt64(resolution.tv_sec) * 1_000_000_000 + UInt64(resolution.tv_nsec), at: result, in: memory)
            return [.i32(success)]
        }
    }

    /// A symlink to an absolute path could never resolve inside a preopen: refused, as
    /// Wasmtime does, instead of leaving a link that points out of the sandbox's view.
    private static func pathSymlink(_ base: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            guard case .i32(let target) = args[0], case .i32(let length) = args[1], length > 0 else {
                return try base.implementation(memory, args)
            }
            let first = memory.withUnsafeMutableBufferPointer(offset: UInt(target), count: 1) { $0.first }
            if first == UInt8(ascii: "/") { return [.i32(eperm)] }
            return try base.implementation(memory, args)
        }
    }

    /// fd_read that an interruption ends while it waits for input: WasmKit retries read(2) on
    /// EINTR, so the wait happens first, in its poll_oneoff (poll(2) returns EINTR on the
    /// interrupt signal), over a scratch buffer: one fd_read subscription, then its event.
    private static func fdRead(_ base: HostFunction, pollOneoff: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            guard case .i32(let fd) = args[0] else { return try base.implementation(memory, args) }
            var scratch = [UInt8](repeating: 0, count: 88)
            scratch[8] = 1 // eventtype fd_read
            withUnsafeBytes(of: fd.littleEndian) { scratch.replaceSubrange(16..<20, with: $0) }
            while true {
                let result = try scratch.withUnsafeMutableBytes { bytes in
                    try pollOneoff.implementation(GuestMemoryView(bytes: bytes), [.i32(0), .i32(48), .i32(1), .i32(80)])
                }
                guard result == [.i32(eintr)] else { break }
                if wasmc_thread_interrupted() != 0 { throw Trap(.interrupted) }
            }
            return try base.implementation(memory, args)
        }
    }

    /// poll_oneoff that an interruption ends: WasmKit sleeps out a clock-only wait with
    /// nanosleep(2) and resumes it after every signal, so that wait happens here; a wait on fds
    /// is WasmKit's poll(2), whose EINTR becomes the trap when it was the interrupt signal.
    private static func pollOneoff(_ base: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            guard case .i32(let input) = args[0], case .i32(let output) = args[1], case .i32(let count) = args[2],
                  case .i32(let eventCount) = args[3], let clocks = ClockSubscription.all(at: input, count: count, in: memory)
            else {
                let result = try base.implementation(memory, args)
                if result == [.i32(eintr)], wasmc_thread_interrupted() != 0 { throw Trap(.interrupted) }
                return result
            }
            // As WasmKit: the shortest remaining time is waited, then every clock due by then fires.
            let remaining = clocks.map { $0.remaining() }
            let waited = remaining.min()!
            try sleepInterruptibly(nanoseconds: waited)
            var events: UInt32 = 0
            for (clock, due) in zip(clocks, remaining) where due <= waited {
                memory.withUnsafeMutableBufferPointer(offset: UInt(output) + UInt(events) * 32, count: 32) { event in
                    event.initializeMemory(as: UInt8.self, repeating: 0)
                    event.storeBytes(of: clock.userData.littleEndian, as: UInt64.self) // eventtype clock = 0
                }
                events += 1
            }
            memory.withUnsafeMutableBufferPointer(offset: UInt(eventCount), count: 4) {
                $0.storeBytes(of: events.littleEndian, as: UInt32.self)
            }
            return [.i32(success)]
        }
    }

    /// A preview1 subscription to a clock (48 bytes: userdata, tag 0, then id, timeout,
    /// precision and flags).
    struct ClockSubscription {
        var userData: UInt64, id: UInt32, timeout: UInt64, absolute: Bool

        /// The `count` subscriptions at `address` when all are valid clock subscriptions;
        /// otherwise nil (WasmKit then answers, EINVAL included).
        static func all(at address: UInt32, count: UInt32, in memory: GuestMemoryView) -> [ClockSubscription]? {
            guard count > 0, UInt64(address) + UInt64(count) * 48 <= UInt64(Int.max) else { return nil }
            return memory.withUnsafeMutableBufferPointer(offset: UInt(address), count: Int(count) * 48) { bytes in
                var clocks: [ClockSubscription] = []
                for i in 0..<Int(count) {
                    let s = UnsafeRawBufferPointer(rebasing: bytes[(i * 48)..<(i * 48 + 48)])
                    let id = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
                    let flags = UInt16(littleEndian: s.loadUnaligned(fromByteOffset: 40, as: UInt16.self))
                    guard s[8] == 0, id <= threadCPUTime, flags & ~1 == 0 else { return nil }
                    clocks.append(ClockSubscription(
                        userData: UInt64(littleEndian: s.loadUnaligned(fromByteOffset: 0, as: UInt64.self)), id: id,
                        timeout: UInt64(littleEndian: s.loadUnaligned(fromByteOffset: 24, as: UInt64.self)), absolute: flags & 1 != 0))
                }
                return clocks
            }
        }

        /// Nanoseconds until this clock is due, from now.
        func remaining() -> UInt64 {
            guard absolute else { return timeout }
            var now = timespec()
            clock_gettime(cpuClock(id) ?? (id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC), &now)
            let reading = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
            return timeout > reading ? timeout - reading : 0
        }
    }

    /// Sleeps `nanoseconds` on the monotonic clock, resuming after signals other than the
    /// interrupt signal, and trapping "interrupted" on that one.
    static func sleepInterruptibly(nanoseconds: UInt64) throws {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanos = UInt64(deadline.tv_nsec) + nanoseconds % 1_000_000_000
        let seconds = UInt64(deadline.tv_sec) + nanoseconds / 1_000_000_000 + nanos / 1_000_000_000
        deadline.tv_sec = time_t(clamping: seconds)
        deadline.tv_nsec = Int(nanos % 1_000_000_000)
        while true {
            let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil)
            if result == 0 { return }
            // Only EINTR can come back: the deadline is a valid absolute time.
            guard result == EINTR else { return }
            if wasmc_thread_interrupted() != 0 { throw Trap(.interrupted) }
        }
    }

    /// The filetype of guest fd `fd`, from WasmKit's own fd_fdstat_get; nil for a bad fd.
    static func fileType(_ fd: WasmTypes.Value, fdstat: HostFunction) throws -> UInt8? {
        var stat = [UInt8](repeating: 0, count: 24)
        let result = try stat.withUnsafeMutableBytes { bytes in
            try fdstat.implementation(GuestMemoryView(bytes: bytes), [fd, .i32(0)])
        }
        return result == [.i32(success)] ? stat[0] : nil
    }

    /// fd_allocate on a directory is EISDIR (WasmKit answers ENOTSUP for every fd).
    private static func fdAllocate(_ base: HostFunction, fdstat: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            if try fileType(args[0], fdstat: fdstat) == directoryType { return [.i32(eisdir)] }
            return try base.implementation(memory, args)
        }
    }

    /// No fd is ever a socket (preview1 cannot open one and wasmc preopens none): EBADF for a
    /// bad fd, else ENOTSOCK, as sock_shutdown answers (WasmKit: ENOSYS).
    private static func noSocket(_ base: HostFunction, fdstat: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { _, args in
            [.i32(try fileType(args[0], fdstat: fdstat) == nil ? ebadf : enotsock)]
        }
    }
}
