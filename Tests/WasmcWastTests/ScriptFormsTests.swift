import Testing
@testable import WasmcWast

@Suite struct ScriptFormsTests {
    @Test func splitsTopLevelFormsWithLines() throws {
        let text = """
            ;; a comment with (parens
            (module (func (export "f") (result i32) (i32.const 1)))
            (; block (; nested ;) comment ;)
            (assert_return (invoke "f" ) (i32.const 1))

            (register "a string with ) paren")
            """
        let forms = try ScriptForms.split(text)
        #expect(forms.map(\.keyword) == ["module", "assert_return", "register"])
        #expect(forms.map(\.line) == [2, 4, 6])
        #expect(forms[2].text == "(register \"a string with ) paren\")")
    }

    @Test func unbalancedScriptIsAnError() {
        #expect(throws: ScriptSyntaxError.self) { try ScriptForms.split("(module (func)") }
        #expect(throws: ScriptSyntaxError.self) { try ScriptForms.split("(module))") }
    }

    @Test func threadChildrenAndAtoms() throws {
        let text = """
            (thread $T1 (shared (module $Mem))
              (register "mem" $Mem)
              (invoke "run")
            )
            (wait $T1)
            """
        let forms = try ScriptForms.split(text)
        #expect(forms.map(\.keyword) == ["thread", "wait"])
        #expect(ScriptForms.leadingAtoms(of: forms[0]) == ["$T1"])
        #expect(ScriptForms.leadingAtoms(of: forms[1]) == ["$T1"])
        let children = try ScriptForms.children(of: forms[0])
        #expect(children.map(\.keyword) == ["shared", "register", "invoke"])
        #expect(children.map(\.line) == [1, 2, 3])
        let shared = try ScriptForms.children(of: children[0])
        #expect(ScriptForms.leadingAtoms(of: shared[0]) == ["$Mem"])
    }

    @Test func consecutiveModuleFieldsFormOneInlineModule() throws {
        let forms = try ScriptForms.split("(func) (memory 0) (func (export \"f\"))\n(assert_return (invoke \"f\"))")
        let merged = ScriptRunner.mergeInlineModules(forms)
        #expect(merged.map(\.keyword) == ["module", "assert_return"])
        #expect(merged[0].text.contains("(memory 0)"))
    }
}
