// The outcome of running one script file: counts plus one note per failure or skip.
import Foundation

public enum CommandOutcome: Sendable, Equatable {
    case passed
    case failed(String)
    case skipped(String)
}

/// Thread-safe: the script threads of one file record into the same report.
public final class FileReport: @unchecked Sendable {
    public let file: String
    private let lock = NSLock()
    private var _passed = 0, _failed = 0, _skipped = 0
    private var _notes: [(line: Int, order: Int, text: String)] = []
    /// A problem with the file itself (missing, unreadable, unbalanced parentheses).
    private var _fileError: String?
    let verbose: Bool

    public init(file: String, verbose: Bool = false) {
        self.file = file
        self.verbose = verbose
    }

    public var passed: Int { lock.withLock { _passed } }
    public var failed: Int { lock.withLock { _failed } }
    public var skipped: Int { lock.withLock { _skipped } }
    public var fileError: String? { lock.withLock { _fileError } }

    func record(line: Int, _ outcome: CommandOutcome) {
        lock.withLock {
            switch outcome {
            case .passed:
                _passed += 1
                if verbose { _notes.append((line, _notes.count, "\(file):\(line): passed")) }
            case .failed(let why):
                _failed += 1
                _notes.append((line, _notes.count, "\(file):\(line): \(Self.printable(why))"))
            case .skipped(let why):
                _skipped += 1
                _notes.append((line, _notes.count, "\(file):\(line): skipped: \(Self.printable(why))"))
            }
        }
    }

    /// One line per note, whatever names the script uses: control characters escaped.
    static func printable(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Records `count` commands as skipped for one reason, with a single note.
    func recordSkippedFile(count: Int, reason: String) {
        lock.withLock {
            _skipped += count
            _notes.append((0, _notes.count, "\(file): skipped \(count): \(reason)"))
        }
    }

    func recordFileError(_ message: String) {
        lock.withLock {
            _fileError = message
            _failed += 1
            _notes.append((0, _notes.count, "\(file): error: \(message)"))
        }
    }

    /// The summary line: `PASS f: N passed`, `FAIL f: N passed, N failed, N skipped`, or
    /// `SKIP f: ...` when nothing failed but something was skipped.
    public var summaryLine: String {
        let (p, f, s) = (passed, failed, skipped)
        if f > 0 { return "FAIL \(file): \(p) passed, \(f) failed, \(s) skipped" }
        if s > 0 { return "SKIP \(file): \(p) passed, 0 failed, \(s) skipped" }
        return "PASS \(file): \(p) passed"
    }

    /// Failure and skip notes in line order (threads may record out of order).
    public var notes: [String] {
        lock.withLock { _notes.sorted { ($0.line, $0.order) < ($1.line, $1.order) }.map(\.text) }
    }

    /// The summary line followed by the notes, as printed.
    public var text: String {
        ([summaryLine] + notes).joined(separator: "\n")
    }
}
