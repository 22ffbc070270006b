import Foundation

/// The system C compiler's failure under -O, as wasmc reports it. A crash of the compiler
/// itself (gcc's "internal compiler error", clang's crash report, death by a signal) is a bug
/// in that compiler, not in the module: the error says so, names the function it was compiling
/// and the way round it (the libtcc tier), and keeps only the first lines of the compiler's
/// message instead of its backtrace.
struct CCompilerFailure {
    /// The compiler as invoked (`cc` or $CC).
    let compiler: String
    /// Its standard error and output.
    let output: String
    /// The signal that ended it, if one did.
    let signal: Int32?

    /// Lines kept from a crash report: gcc's pass, location and error line come first.
    static let crashLinesKept = 4

    var isCrash: Bool {
        signal != nil || output.contains("internal compiler error")
            || output.contains("PLEASE submit a bug report") || output.contains("frontend command failed")
    }

    /// The C function the compiler was in (gcc: "In function ‘fn12’:"), if its message says.
    var cFunction: String? {
        for opening in ["In function ‘", "In function '"] {
            guard let start = output.range(of: opening) else { continue }
            let rest = output[start.upperBound...]
            guard let end = rest.firstIndex(where: { $0 == "’" || $0 == "'" }) else { continue }
            return String(rest[..<end])
        }
        return nil
    }

    /// The wasm function index of a defined function's C (`fnN`, CNames: N is the index).
    var wasmFunction: Int? {
        guard let name = cFunction, name.hasPrefix("fn") else { return nil }
        return Int(name.dropFirst(2))
    }

    var message: String {
        guard isCrash else { return "\(compiler) failed: \(output)" }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true)
        let kept = lines.prefix(Self.crashLinesKept).map { "  " + $0 }.joined(separator: "\n")
        let more = lines.count > Self.crashLinesKept ? "\n  … (\(lines.count - Self.crashLinesKept) more lines)" : ""
        var place = ""
        if let f = wasmFunction, let c = cFunction {
            place = " compiling wasm function \(f) (C function \(c))"
        } else if let c = cFunction {
            place = " compiling C function \(c)"
        }
        let how = signal.map { " (killed by signal \($0))" } ?? ""
        return "\(compiler) crashed\(how)\(place) under -O: an internal compiler error, a bug in the C compiler, "
            + "not in the module; without -O (the libtcc tier) the module compiles. \(compiler) said:\n"
            + kept + more
    }
}
