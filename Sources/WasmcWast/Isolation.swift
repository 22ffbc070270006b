// Running one script file in a child process: a crash (signal) or a hang there becomes a
// failure of that file, not the end of the whole suite run.
import Foundation
import Wasmc

public struct Isolation: Sendable {
    /// The `wasmc` executable that runs `wast --child`.
    public var executable: String
    /// Seconds a file may run before its process is killed and the file fails.
    public var timeout: Double

    public init(executable: String, timeout: Double) {
        self.executable = executable
        self.timeout = timeout
    }

    /// The last line a child prints: `#counts P F S`, which the parent takes off the report.
    public static let countsPrefix = "#counts "

    public static func childOutput(_ r: FileReport) -> String {
        r.text + "\n" + countsPrefix + "\(r.passed) \(r.failed) \(r.skipped)"
    }

    func run(path: String, display: String, verbose: Bool, optimize: Bool = false, cpu: CPULevel = .host) -> FileOutcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["wast", "--child", "--display", display, path] + (verbose ? ["--verbose"] : []) + (optimize ? ["-O", "--cpu", cpu.rawValue] : [])
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch {
            return FileOutcome(text: "FAIL \(display): cannot start \(executable): \(error)", passed: 0, failed: 1, skipped: 0)
        }
        let watchdog = Watchdog(pid: p.processIdentifier, after: timeout)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let timedOut = watchdog.finish()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        if !timedOut, p.terminationReason == .exit, let last = lines.last, last.hasPrefix(Self.countsPrefix) {
            let n = last.dropFirst(Self.countsPrefix.count).split(separator: " ").compactMap { Int($0) }
            if n.count == 3 {
                return FileOutcome(text: lines.dropLast().joined(separator: "\n"), passed: n[0], failed: n[1], skipped: n[2])
            }
        }
        let why = timedOut ? "timed out after \(Int(timeout))s (killed)"
            : p.terminationReason == .uncaughtSignal ? "crashed (signal \(p.terminationStatus))"
            : "ended without a report (exit \(p.terminationStatus))"
        // What the child printed before it died helps find the command that killed it.
        let tail = lines.suffix(20).map { "\(display): output: \($0)" }
        return FileOutcome(text: (["FAIL \(display): 0 passed, 1 failed, 0 skipped", "\(display): \(why)"] + tail).joined(separator: "\n"),
                           passed: 0, failed: 1, skipped: 0)
    }
}

/// Kills a process (SIGKILL) unless `finish` is called within the time limit.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false, fired = false

    init(pid: Int32, after seconds: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            lock.withLock {
                guard !done else { return }
                fired = true
                kill(pid, SIGKILL)
            }
        }
    }

    /// Stops the watchdog; whether it had already killed the process.
    func finish() -> Bool {
        lock.withLock {
            done = true
            return fired
        }
    }
}
