import ArgumentParser
import Wasmc

/// Checks of `wasmc run`'s options that ArgumentParser cannot express (usage errors, exit 1).
extension RunOptions {
    func validate() throws {
        if let n = maxStackBytes, n <= 0 {
            throw ValidationError("--max-stack-bytes must be at least 1 (got \(n)); leave it out for the default")
        }
        if let n = maxMemoryPages, n > MemoryType.maxPages64 {
            throw ValidationError("--max-memory-pages must be at most \(MemoryType.maxPages64) (2^48, the most a 64-bit memory can have), got \(n)")
        }
        if let n = maxTableElements, n > UInt64(UInt32.max) {
            throw ValidationError("--max-table-elements must be at most \(UInt32.max), got \(n)")
        }
        if let t = timeout, RunTimeout(parsing: t) == nil {
            throw ValidationError("--timeout expects a positive duration with a unit (500ms, 5s, 2m, 1h), got \"\(t)\"")
        }
    }

    /// Starts the --timeout clock, if one was given, over the program's instances.
    func startTimeout(_ interrupts: InterruptHandle) {
        guard let t = timeout else { return }
        guard let timeout = RunTimeout(parsing: t) else { fail("malformed --timeout \"\(t)\"") }
        timeout.start(interrupts)
    }

    /// The function arguments of the --invoke form are everything ArgumentParser did not
    /// recognise, so a mistyped option would land there: before a `--`, a word that starts with
    /// `-` and is not a number (`-7`, `-0x10`, `-1.5`, `-inf`, `-nan`, `-nan:0x1`) is an unknown option.
    static func unknownOption(in args: [String]) -> String? {
        for arg in args {
            if arg == "--" { return nil }
            guard arg.hasPrefix("-"), arg.count > 1 else { continue }
            let rest = arg.dropFirst().lowercased()
            if let first = rest.first, first.isNumber || first == "." { continue }
            if rest.hasPrefix("inf") || rest.hasPrefix("nan") { continue }
            return arg
        }
        return nil
    }
}
