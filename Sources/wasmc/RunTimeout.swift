import Foundation
import Wasmc

/// `wasmc run --timeout DURATION`: when it expires, the program's instances are interrupted
/// (the running code traps "interrupted", printed as `trap: interrupted (--timeout D)`, exit 2).
struct RunTimeout {
    let text: String
    let seconds: Double

    /// "500ms", "5s", "1.5s", "2m", "1h"; nil when malformed.
    init?(parsing text: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        guard let (suffix, scale) = units.first(where: { text.hasSuffix($0.0) && Double(text.dropLast($0.0.count)) != nil }),
              let n = Double(text.dropLast(suffix.count)), n.isFinite, n > 0, n * scale < 1e9 else { return nil }
        self.text = text
        self.seconds = n * scale
    }

    /// Interrupts `interrupts` once the time is up. A thread in a host call that a signal does
    /// not end (a poll_oneoff that only sleeps) runs on: if the program is still running a
    /// moment later, the process ends here the same way.
    func start(_ interrupts: InterruptHandle) {
        let thread = Thread { [self] in
            Thread.sleep(forTimeInterval: seconds)
            expiredTimeout.store(text)
            interrupts.interrupt()
            Thread.sleep(forTimeInterval: 0.25)
            endWithTrap(Trap(.interrupted))
        }
        thread.stackSize = 64 << 10
        thread.start()
    }
}

/// The --timeout that has expired, if one has, so the trap it causes names it.
let expiredTimeout = ExpiredTimeout()

final class ExpiredTimeout: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func store(_ t: String) { lock.lock(); text = t; lock.unlock() }
    func load() -> String? { lock.lock(); defer { lock.unlock() }; return text }
}
