import Foundation

/// A producer thread writing bytes into a pipe that a consumer on the calling thread reads by
/// path (`/dev/fd/N`). The consumer's failure never blocks the producer: whatever it leaves
/// unread is drained before the producer is joined.
enum CStream {
    static let available = access("/dev/fd", F_OK) == 0

    /// What the producer thread shares with the caller, who waits on `done` before reading.
    final class State: @unchecked Sendable {
        let produce: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void
        var error: Error?
        let done = DispatchSemaphore(value: 0)
        init(_ produce: @escaping ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) { self.produce = produce }
    }

    static func run<T>(_ produce: @escaping ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void,
                       _ consume: (String) throws -> T) throws -> T {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WasmcError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        #if os(Linux)
        _ = fcntl(writeEnd, 1031 /* F_SETPIPE_SZ */, 1 << 20)  // fewer hand-overs; the default (64 KiB) works too
        #endif
        let state = State(produce)
        let thread = Thread {
            do {
                try state.produce { buffer in
                    var p = buffer.baseAddress
                    var left = buffer.count
                    while left > 0, let q = p {
                        let n = write(writeEnd, q, left)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw WasmcError("cannot write the C to libtcc: \(String(cString: strerror(errno)))")
                        }
                        p = q + n
                        left -= n
                    }
                }
            } catch {
                state.error = error
            }
            close(writeEnd)
            state.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let result: Result<T, Error>
        do { result = .success(try consume("/dev/fd/\(readEnd)")) } catch { result = .failure(error) }
        // Drain what the consumer left (after an error), so the producer can finish.
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = scratch.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 || (n < 0 && errno == EINTR) { continue }
            break
        }
        state.done.wait()
        close(readEnd)
        // The producer's error explains a consumer failure (truncated C), so it comes first.
        if let e = state.error { throw e }
        return try result.get()
    }
}
