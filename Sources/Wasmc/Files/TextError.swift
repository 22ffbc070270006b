import WAT

/// WasmKit's text-format errors in the user's terms: file, line and column (1-based), message.
enum TextError {
    static func fileError(_ e: WatParserError, path: String) -> FileError {
        guard let location = e.location else { return FileError(path, e.description) }
        // WatParserError's message is not public; its description is "MESSAGE at LOCATION".
        let suffix = " at \(location)"
        let message = e.description.hasSuffix(suffix) ? String(e.description.dropLast(suffix.count)) : e.description
        let (line, column) = location.computeLineAndColumn()
        return FileError(path, line: line, column: column + 1, inSpecTerms(message))
    }

    /// WasmKit names its own declaration types in index errors ("Invalid ResolvedLocalDecl
    /// index 5", "Unknown FunctionDecl $f"): said in the spec's words ("unknown local 5").
    static func inSpecTerms(_ message: String) -> String {
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
