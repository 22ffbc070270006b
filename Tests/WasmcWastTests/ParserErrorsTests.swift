import Testing
import Wasmc
@testable import WasmcWast

/// The text parser's errors name their place in the script ("line L, column C"), not in the
/// form the parser was given, and never in WasmKit's `Location(...)` form.
@Suite struct ParserErrorsTests {
    static let script = """
        (module (func))
        ;; a comment line
          (assert_invalid
            (module (func (local i32) (local.get 5)))
            "unknown local")
          (assert_invalid (module (func (local.get 6))) "unknown local")
        (assert_invalid (module quote "(func (local.get 7))") "unknown local")
        """

    /// Line and column (1-based) of `index` in `(local.get index)` in the script: the token an
    /// unknown-local error is about.
    static func place(of index: Int) -> (line: Int, column: Int) {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        let l = lines.firstIndex { $0.contains("(local.get \(index))") }!
        let at = lines[l].utf8.firstIndex(of: UInt8(ascii: "0") + UInt8(index))!
        return (l + 1, lines[l].utf8.distance(from: lines[l].utf8.startIndex, to: at) + 1)
    }

    @Test func skipReasonsNameTheScriptLineAndColumn() throws {
        let r = run(Self.script)
        expectCounts(r, passed: 1, failed: 0, skipped: 3)
        let notes = r.notes.joined(separator: "\n")
        let (l5, c5) = Self.place(of: 5), (l6, c6) = Self.place(of: 6)
        #expect(notes.contains("test.wast:3: skipped: text parser rejects this invalid module: unknown local 5 at line \(l5), column \(c5)"), "\(notes)")
        // On the form's first line, columns count from the start of the script's line.
        #expect(notes.contains("test.wast:6: skipped: text parser rejects this invalid module: unknown local 6 at line \(l6), column \(c6)"), "\(notes)")
        // A quoted module's text is not the script's: its own line and column, said so.
        #expect(notes.contains("unknown local 7 at line 1, column 18 of the quoted text"), "\(notes)")
        #expect(!notes.contains("Location("), "\(notes)")
    }

    @Test func formsKnowTheirColumn() throws {
        let forms = try ScriptForms.split("(module)\n   (invoke \"f\")  (get \"g\")")
        #expect(forms.map(\.column) == [1, 4, 18])
        let children = try ScriptForms.children(of: try ScriptForms.split("  (assert_trap (invoke \"f\") \"x\")")[0])
        #expect(children.map(\.column) == [16])
    }

    /// A file's error on its first line: WasmKit counts that line's columns from 0 (the others
    /// from 1), and places the error before the blanks ahead of the token; said as the token's.
    @Test func fileErrorsOnTheFirstLineNameTheToken() throws {
        let text = "(module (func (local i32) (local.get 5)))"
        #expect { _ = try Compiler.wasm(from: Array(text.utf8), path: "one.wat") } throws: { "\($0)" == "one.wat:1:38: unknown local 5" }
        #expect { _ = try Compiler.wasm(from: Array(("\n" + text).utf8), path: "two.wat") } throws: { "\($0)" == "two.wat:2:38: unknown local 5" }
    }
}
