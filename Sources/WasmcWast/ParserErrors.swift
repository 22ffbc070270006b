import Wasmc
import WAT

/// WasmKit's text-parser errors with a place a reader can find: the parser sees one form's
/// text at a time, so its line 1 is the form's line in the script, and columns on that line
/// count from the form's opening parenthesis.
enum ParserErrors {
    /// `error`, if the parser's, as "MESSAGE at line L, column C" of the script.
    static func describe(_ error: Error, in form: ScriptForm) -> String {
        guard let e = error as? WatParserError else { return "\(error)" }
        return Placed(e, in: form).description
    }

    /// A parser error placed in the script (`form`), or, for text not in the script as written
    /// (a `module quote`'s strings, `form` nil), in that text (`quoted`), or, with neither, in
    /// whatever text the parser was given.
    struct Placed: Error, CustomStringConvertible {
        let description: String

        init(_ e: WatParserError, in form: ScriptForm?, quoted: String? = nil) {
            guard let (message, line, column) = TextError.located(e, in: form?.text ?? quoted ?? "") else {
                description = "\(e)"
                return
            }
            let text = TextError.inSpecTerms(message)
            if let form {
                let scriptColumn = line == 1 ? form.column + column - 1 : column
                description = "\(text) at line \(form.line + line - 1), column \(scriptColumn)"
            } else {
                description = "\(text) at line \(line), column \(column) of the \(quoted == nil ? "text parsed" : "quoted text")"
            }
        }
    }
}
