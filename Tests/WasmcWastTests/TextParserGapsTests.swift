import Testing
@testable import WasmcWast

@Suite struct TextParserGapsTests {
    func form(_ text: String, _ keyword: String = "assert_invalid") throws -> ScriptForm {
        try #require(try ScriptForms.split(text).first { $0.keyword == keyword })
    }

    @Test func selectWithResultArityOtherThanOneIsAParserGap() throws {
        let zero = try form("(assert_invalid (module (func (select (result) (nop) (nop) (i32.const 1)))) \"invalid result arity\")")
        let two = try form("(assert_invalid (module (func (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 1)))) \"invalid result arity\")")
        #expect(TextParserGaps.reason(for: zero)?.hasPrefix("text parser") == true)
        #expect(TextParserGaps.reason(for: two)?.hasPrefix("text parser") == true)
    }

    @Test func faithfulTextIsNotSkipped() throws {
        let one = try form("(assert_invalid (module (func (select (result i32) (i32.const 0) (i32.const 0) (i32.const 1)))) \"type mismatch\")")
        #expect(TextParserGaps.reason(for: one) == nil)
        let ret = try form("(assert_return (invoke \"f\") (i32.const 1))", "assert_return")
        #expect(TextParserGaps.reason(for: ret) == nil)
    }
}
