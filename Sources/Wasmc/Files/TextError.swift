import WAT

/// WasmKit's text-format errors in the user's terms: file, line and column (1-based), message.
enum TextError {
    static func fileError(_ e: WatParserError, path: String) -> FileError {
        guard let location = e.location else { return FileError(path, e.description) }
        // WatParserError's message is not public; its description is "MESSAGE at LOCATION".
        let suffix = " at \(location)"
        let message = e.description.hasSuffix(suffix) ? String(e.description.dropLast(suffix.count)) : e.description
        let (line, column) = location.computeLineAndColumn()
        return FileError(path, line: line, column: column + 1, message)
    }
}
