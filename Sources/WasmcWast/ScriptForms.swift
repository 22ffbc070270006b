// Splits a .wast script into its top-level s-expressions before WasmKit's parser sees them.
// Why: WasmKit's WAST parser knows neither `(thread ...)` nor `(wait ...)`, and splitting
// gives every command its own line number cheaply and isolates a form that fails to parse.

/// One top-level form of a script: `(keyword ...)` with the line it starts on.
public struct ScriptForm: Sendable, Equatable {
    /// The form's full text, parentheses included.
    public var text: String
    /// The first word after the opening parenthesis (`module`, `assert_return`, `thread`, ...).
    public var keyword: String
    /// 1-based line of the opening parenthesis in the script file.
    public var line: Int
    /// 1-based column (in bytes) of the opening parenthesis on that line.
    public var column: Int = 1
    /// Byte range of the form in the text it was split from.
    var range: Range<Int>
}

public struct ScriptSyntaxError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

public enum ScriptForms {
    /// Splits `text` into top-level forms. `firstLine` is the line `text` starts on in its file.
    public static func split(_ text: String, firstLine: Int = 1) throws -> [ScriptForm] {
        try split(text, firstLine: firstLine, skipAtoms: false)
    }

    /// The children of a form `(kw a (b) (c ...))`: its top-level atoms are skipped, its
    /// parenthesised children are returned as forms (with their own lines).
    public static func children(of form: ScriptForm) throws -> [ScriptForm] {
        // Drop the outer parentheses and split what is inside.
        let bytes = Array(form.text.utf8)
        guard bytes.count >= 2 else { return [] }
        let inner = String(decoding: bytes[1..<(bytes.count - 1)], as: UTF8.self)
        return try split(inner, firstLine: form.line, firstColumn: form.column + 1, skipAtoms: true)
    }

    /// The atoms (words, `$ids`) that directly follow the keyword of a form, up to its first child form.
    public static func leadingAtoms(of form: ScriptForm) -> [String] {
        var atoms: [String] = []
        let bytes = Array(form.text.utf8)
        var i = 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: ";") || c == UInt8(ascii: "\"") { break }
            if isSpace(c) { i += 1; continue }
            var j = i
            while j < bytes.count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: "("), bytes[j] != UInt8(ascii: ")") { j += 1 }
            atoms.append(String(decoding: bytes[i..<j], as: UTF8.self))
            i = j
        }
        return Array(atoms.dropFirst())  // the keyword itself
    }

    /// `firstColumn`: the column `text` starts at on its first line.
    static func split(_ text: String, firstLine: Int, firstColumn: Int = 1, skipAtoms: Bool) throws -> [ScriptForm] {
        let bytes = Array(text.utf8)
        var scanner = FormScanner(bytes: bytes, line: firstLine, skipAtoms: skipAtoms)
        var forms: [ScriptForm] = []
        while let (range, line) = try scanner.nextForm() {
            let formText = String(decoding: bytes[range], as: UTF8.self)
            let lineStart = bytes[..<range.lowerBound].lastIndex(of: 0x0A).map { $0 + 1 }
            let column = lineStart.map { range.lowerBound - $0 + 1 } ?? firstColumn + range.lowerBound
            forms.append(ScriptForm(text: formText, keyword: keyword(of: bytes[range]), line: line, column: column, range: range))
        }
        return forms
    }

    static func keyword(of form: ArraySlice<UInt8>) -> String {
        var i = form.startIndex + 1
        while i < form.endIndex, isSpace(form[i]) { i += 1 }
        var j = i
        while j < form.endIndex, !isSpace(form[j]), form[j] != UInt8(ascii: "("), form[j] != UInt8(ascii: ")") { j += 1 }
        return String(decoding: form[i..<j], as: UTF8.self)
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }
}

/// Walks bytes, skipping whitespace, `;; line` and `(; block ;)` comments (which nest) and strings.
struct FormScanner {
    let bytes: [UInt8]
    var pos = 0
    var line: Int
    var skipAtoms = false

    init(bytes: [UInt8], line: Int, skipAtoms: Bool = false) {
        self.bytes = bytes
        self.line = line
        self.skipAtoms = skipAtoms
    }

    mutating func nextForm() throws -> (Range<Int>, Int)? {
        while true {
            try skipTrivia()
            guard pos < bytes.count else { return nil }
            if bytes[pos] == UInt8(ascii: "(") { break }
            if bytes[pos] == UInt8(ascii: ")") {
                throw ScriptSyntaxError(line: line, message: "unbalanced ')'")
            }
            if skipAtoms {
                try skipAtom()
                continue
            }
            throw ScriptSyntaxError(line: line, message: "unexpected text outside a form")
        }
        let start = pos
        let startLine = line
        var depth = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "(") && peek(1) == UInt8(ascii: ";") {
                try skipBlockComment()
                continue
            }
            if c == UInt8(ascii: ";") && peek(1) == UInt8(ascii: ";") {
                skipLineComment()
                continue
            }
            if c == UInt8(ascii: "\"") {
                try skipString()
                continue
            }
            if c == 0x0A { line += 1 }
            pos += 1
            if c == UInt8(ascii: "(") { depth += 1 }
            if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return (start..<pos, startLine) }
            }
        }
        throw ScriptSyntaxError(line: startLine, message: "unclosed '(' at end of script")
    }

    func peek(_ k: Int) -> UInt8? { pos + k < bytes.count ? bytes[pos + k] : nil }

    mutating func skipTrivia() throws {
        while pos < bytes.count {
            let c = bytes[pos]
            if ScriptForms.isSpace(c) {
                if c == 0x0A { line += 1 }
                pos += 1
            } else if c == UInt8(ascii: ";") && peek(1) == UInt8(ascii: ";") {
                skipLineComment()
            } else if c == UInt8(ascii: "(") && peek(1) == UInt8(ascii: ";") {
                try skipBlockComment()
            } else {
                return
            }
        }
    }

    mutating func skipAtom() throws {
        if bytes[pos] == UInt8(ascii: "\"") { try skipString(); return }
        while pos < bytes.count, !ScriptForms.isSpace(bytes[pos]), bytes[pos] != UInt8(ascii: "("), bytes[pos] != UInt8(ascii: ")") {
            pos += 1
        }
    }

    mutating func skipLineComment() {
        while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
    }

    mutating func skipBlockComment() throws {
        let startLine = line
        var depth = 0
        while pos < bytes.count {
            if bytes[pos] == UInt8(ascii: "(") && peek(1) == UInt8(ascii: ";") {
                depth += 1
                pos += 2
            } else if bytes[pos] == UInt8(ascii: ";") && peek(1) == UInt8(ascii: ")") {
                depth -= 1
                pos += 2
                if depth == 0 { return }
            } else {
                if bytes[pos] == 0x0A { line += 1 }
                pos += 1
            }
        }
        throw ScriptSyntaxError(line: startLine, message: "unclosed block comment")
    }

    mutating func skipString() throws {
        let startLine = line
        pos += 1
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\\") { pos += 2; continue }
            if c == 0x0A { line += 1 }
            pos += 1
            if c == UInt8(ascii: "\"") { return }
        }
        throw ScriptSyntaxError(line: startLine, message: "unclosed string")
    }
}
