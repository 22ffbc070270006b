// Text that WasmKit's WAT parser encodes to a *different* module than the text means, so the
// binary our pipeline sees cannot show the error the script expects. Each such command is
// reported as skipped with reason "text parser", never as passed.
import Foundation

enum TextParserGaps {
    /// The reason to skip `form`, or nil when the parser encodes it faithfully.
    static func reason(for form: ScriptForm) -> String? {
        if form.keyword == "assert_invalid", let arity = selectResultArity(form.text), arity != 1 {
            return "text parser: WasmKit encodes `select (result ...)` with \(arity) types as another instruction"
        }
        return nil
    }

    /// Number of types in the first `select (result t*)` of the text, if any.
    static func selectResultArity(_ text: String) -> Int? {
        guard let r = text.range(of: "(select (result") else { return nil }
        let rest = text[r.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        return rest[..<close].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
    }
}
