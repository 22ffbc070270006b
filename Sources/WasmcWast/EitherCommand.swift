// `(assert_return ACTION (either R1 R2 ...))`: WasmKit's parser only takes SIMD/NaN
// patterns inside `either`, so the alternatives are split here and each is parsed alone.
import Wasmc
import WAT

enum EitherCommand {
    static func run(_ form: ScriptForm, in ctx: ScriptContext) -> CommandOutcome {
        do {
            let parts = try ScriptForms.children(of: form)
            guard let action = parts.first else { throw ScriptError("assert_return without an action") }
            var expected: [WASTExpectValue] = []
            for r in parts.dropFirst() {
                if r.keyword == "either" {
                    let alternatives = try ScriptForms.children(of: r).map { try results(of: $0.text) }
                    // A multi-value alternative is not used by the suite; compare its first value.
                    expected.append(.either(alternatives.compactMap(\.first)))
                } else {
                    expected.append(contentsOf: try results(of: r.text))
                }
            }
            guard case .assertReturn(let execute, _) = try directive("(assert_return \(action.text))") else {
                throw ScriptError("not an action: \(action.text)")
            }
            return try Commands.assertReturn(try Commands.action(execute), expected.map(WastValues.fromTextParser), in: ctx)
        } catch let u as Unsupported {
            return .skipped(u.reason)
        } catch {
            return .failed("assert_return with either did not run — \(Commands.describe(error))")
        }
    }

    /// The expected values written in `text`, parsed as the results of a dummy assertion.
    static func results(of text: String) throws -> [WASTExpectValue] {
        guard case .assertReturn(_, let r) = try directive("(assert_return (invoke \"_\") \(text))") else {
            throw ScriptError("not a result: \(text)")
        }
        return r
    }

    static func directive(_ text: String) throws -> WASTDirective {
        var wast = try parseWAST(text, features: ScriptRunner.features)
        guard let (d, _) = try wast.nextDirective() else { throw ScriptError("empty command") }
        return d
    }
}
