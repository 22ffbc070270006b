import Foundation

/// Saves the input being fuzzed when the process dies (a fatal signal: Swift runtime traps are
/// SIGILL/SIGTRAP, memory faults SIGSEGV/SIGBUS) or stops making progress (watchdog thread).
/// The handler only calls async-signal-safe functions (open, write, _exit).
enum CrashRecorder {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var iteration = 0
    nonisolated(unsafe) static var crashPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var hangPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var progress = 0

    static func install(directory: String, seed: UInt64, timeout: Double) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        crashPath = strdup("\(directory)/crash-seed\(seed).wasm")
        hangPath = strdup("\(directory)/hang-seed\(seed).wasm")
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { sig in
                CrashRecorder.dump(to: CrashRecorder.crashPath, what: "crash (signal)")
                _exit(128 + sig)
            }
            sa.sa_flags = SA_ONSTACK
            sigaction(sig, &sa, nil)
        }
        let watchdog = Thread {
            var last = -1
            var still = 0.0
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                let now = CrashRecorder.progress
                if now == last { still += 0.5 } else { still = 0; last = now }
                if still >= timeout {
                    CrashRecorder.dump(to: CrashRecorder.hangPath, what: "hang")
                    _exit(3)
                }
            }
        }
        watchdog.start()
    }

    static func setCurrent(_ input: [UInt8], iteration: Int) {
        input.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
        length = input.count
        self.iteration = iteration
        progress &+= 1
    }

    nonisolated(unsafe) static var digits = UnsafeMutablePointer<UInt8>.allocate(capacity: 24)

    static func dump(to path: UnsafeMutablePointer<CChar>?, what: StaticString) {
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 { _ = write(fd, buffer, length); close(fd) }
        // "wasmc-fuzz: <what> at iteration N, input saved to PATH", without allocating.
        writeString("wasmc-fuzz: "); writeString(what); writeString(" at iteration ")
        var n = iteration, k = 23
        repeat { digits[k] = UInt8(48 + n % 10); n /= 10; k -= 1 } while n > 0
        _ = write(2, digits + k + 1, 23 - k)
        writeString(", input saved to ")
        _ = write(2, path, strlen(path))
        writeString("\n")
    }

    private static func writeString(_ s: StaticString) {
        _ = write(2, s.utf8Start, s.utf8CodeUnitCount)
    }
}
