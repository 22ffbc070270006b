import WAT

/// WasmKit's text-format errors in the user's terms: file, line and column (1-based), message.
package enum TextError {
    static func fileError(_ e: WatParserError, path: String, text: String) -> FileError {
        guard let (message, line, column) = located(e, in: text) else { return FileError(path, e.description) }
        return FileError(path, line: line, column: column, inSpecTerms(message))
    }

    /// The message of `e` and the line and column (1-based) in `text`, the text parsed, of the
    /// token it is about, if it has a location.
    package static func located(_ e: WatParserError, in text: String) -> (message: String, line: Int, column: Int)? {
        guard let location = e.location else { return nil }
        // WatParserError's message is not public; its description is "MESSAGE at LOCATION".
        let suffix = " at \(location)"
        let message = e.description.hasSuffix(suffix) ? String(e.description.dropLast(suffix.count)) : e.description
        var (line, column) = location.computeLineAndColumn()
        // WasmKit counts columns from 0 on the first line, from 1 (the distance from the
        // newline) on the others.
        if line == 1 { column += 1 }
        // It places an error where its lexer stood, before the blanks ahead of the token.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if line >= 1 && line <= lines.count {
            let scalars = Array(lines[line - 1].unicodeScalars)
            while column >= 1 && column <= scalars.count && (scalars[column - 1] == " " || scalars[column - 1] == "\t") { column += 1 }
        }
        return (message, line, column)
    }

    /// WasmKit names its own declaration types in index errors ("Invalid ResolvedLocalDecl
    /// index 5", "Unknown FunctionDecl $f"): said in the spec's words ("unknown local 5").
    package static func inSpecTerms(_ message: String) -> String {
        let words = message.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count >= 3, let kind = kinds[words[1]] else { return message }
        if words[0] == "Invalid", words.count == 4, words[2] == "index" { return "unknown \(kind) \(words[3])" }
        if words[0] == "Unknown", words.count == 3 { return "unknown \(kind) \(words[2])" }
        return message
    }

    static let kinds = [
        "ResolvedLocalDecl": "local", "LocalDecl": "local", "FunctionDecl": "function", "GlobalDecl": "global",
        "MemoryDecl": "memory", "TableDecl": "table", "ElementDecl": "elem segment",
        "DataSegmentDecl": "data segment", "NamedResolvedType": "type", "TagDecl": "tag",
    ]
}
