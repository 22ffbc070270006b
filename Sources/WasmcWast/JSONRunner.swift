// Runs a JSON command list (JSONScript) with the same command semantics and report as a
// text script: each command becomes the runner's own action or module and goes through
// `Commands`. Lines in notes are the original .wast's, as the JSON records them.
import Foundation
import Wasmc
import WAT

enum JSONRunner {
    static func run(_ script: JSONScript, folder: String, in ctx: ScriptContext) {
        for c in script.commands {
            ctx.line = c.line
            ctx.file.report.record(line: c.line, outcome(c, folder: folder, in: ctx))
        }
    }

    static func outcome(_ c: JSONCommand, folder: String, in ctx: ScriptContext) -> CommandOutcome {
        do {
            return try runThrowing(c, folder: folder, in: ctx)
        } catch let u as Unsupported {
            return .skipped(u.reason)
        } catch {
            return .failed(Commands.describe(error))
        }
    }

    static func runThrowing(_ c: JSONCommand, folder: String, in ctx: ScriptContext) throws -> CommandOutcome {
        func message() throws -> String {
            guard let t = c.text else { throw ScriptError("\(c.type) without \"text\"") }
            return t
        }
        switch c.type {
        case "module", "module_definition":
            let m: ScriptModule
            do { m = try module(c, folder: folder, isDefinition: c.type == "module_definition") } catch {
                if c.type == "module" { Commands.moduleFailed(id: c.name, in: ctx) }
                throw error
            }
            return Commands.defineModule(m, in: ctx)
        case "module_instance":
            return try Commands.instantiateDefinition(c.instance, c.module, in: ctx)
        case "register":
            guard let name = c.as else { throw ScriptError("register without \"as\"") }
            return try Commands.register(name, c.name, in: ctx)
        case "action":
            return try Commands.perform(try action(c), in: ctx)
        case "assert_return":
            return try Commands.assertReturn(try action(c), try (c.expected ?? []).map(expectation), in: ctx)
        case "assert_trap", "assert_exhaustion":
            return try Commands.assertTrap(try action(c), try message(), in: ctx)
        case "assert_uninstantiable":
            // Instantiating the module is the action that must trap, as in a text script.
            let m = try module(c, folder: folder)
            return try Commands.assertTrap(.instantiate({ try Commands.bytes(of: m.source, form: nil) }), try message(), in: ctx)
        case "assert_invalid":
            return try Commands.assertRejected(try module(c, folder: folder), try message(), what: "invalid", in: ctx)
        case "assert_malformed":
            return try Commands.assertRejected(try module(c, folder: folder), try message(), what: "malformed", in: ctx)
        case "assert_unlinkable":
            let m = try module(c, folder: folder)
            return try Commands.assertUnlinkable({ try Commands.bytes(of: m.source, form: nil) }, try message(), in: ctx)
        case "assert_exception":
            return try Commands.assertException(try action(c), in: ctx)
        default:
            return .failed("unknown command type \"\(c.type)\"")
        }
    }

    /// The command's module: its binary, or (a text module the converter kept as text, as
    /// for malformed text) the text, which is judged as a text script's `(module quote ...)`.
    static func module(_ c: JSONCommand, folder: String, isDefinition: Bool = false) throws -> ScriptModule {
        func read(_ file: String) throws -> [UInt8] {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else { throw ScriptError("cannot read module file \(path)") }
            return [UInt8](data)
        }
        if let b = c.binaryFilename { return ScriptModule(source: .binary(try read(b)), id: c.name, isDefinition: isDefinition) }
        guard let f = c.filename else { throw ScriptError("\(c.type) without \"filename\"") }
        let source: ModuleSource = c.moduleType == "text" ? .quote(try read(f)) : .binary(try read(f))
        return ScriptModule(source: source, id: c.name, isDefinition: isDefinition)
    }

    static func action(_ c: JSONCommand) throws -> ScriptAction {
        guard let a = c.action else { throw ScriptError("\(c.type) without \"action\"") }
        switch a.type {
        case "invoke": return .invoke(module: a.module, name: a.field, args: try (a.args ?? []).map(argument))
        case "get": return .get(module: a.module, name: a.field)
        default: throw ScriptError("unknown action type \"\(a.type)\"")
        }
    }

    // MARK: values

    static func argument(_ v: JSONValue) throws -> Value {
        try unsupportedType(v.type)
        let text = try scalar(v)
        func bad() -> ScriptError { ScriptError("bad \(v.type) argument \"\(text ?? "")\"") }
        switch v.type {
        case "i32": guard let x = text.flatMap(bits) else { throw bad() }; return .i32(UInt32(truncatingIfNeeded: x))
        case "i64": guard let x = text.flatMap(bits) else { throw bad() }; return .i64(x)
        case "f32": guard let x = text.flatMap(bits) else { throw bad() }; return .f32(Float(bitPattern: UInt32(truncatingIfNeeded: x)))
        case "f64": guard let x = text.flatMap(bits) else { throw bad() }; return .f64(Double(bitPattern: x))
        case "externref":
            if text == "null" { return .externref(nil) }
            guard let x = text.flatMap({ UInt($0) }) else { throw bad() }
            return .externref(x)
        case "funcref":
            guard text == "null" else { throw Unsupported(reason: "funcref argument other than null in a script") }
            return .funcref(nil)
        case "exnref":
            guard text == "null" else { throw ScriptError("exnref argument other than null") }
            return .exnref(nil)
        default: throw ScriptError("unknown value type \"\(v.type)\"")
        }
    }

    static func expectation(_ v: JSONValue) throws -> WASTExpectValue {
        try unsupportedType(v.type)
        if v.type == "either" { return .either(try (v.values ?? []).map(expectation)) }
        let text = try scalar(v)
        func bad() -> ScriptError { ScriptError("bad expected \(v.type) \"\(text ?? "")\"") }
        switch (v.type, text) {
        case ("f32", "nan:canonical"): return .f32CanonicalNaN
        case ("f32", "nan:arithmetic"): return .f32ArithmeticNaN
        case ("f64", "nan:canonical"): return .f64CanonicalNaN
        case ("f64", "nan:arithmetic"): return .f64ArithmeticNaN
        case ("i32", _), ("f32", _): guard let x = text.flatMap(bits) else { throw bad() }; return v.type == "i32" ? .i32(UInt32(truncatingIfNeeded: x)) : .f32(UInt32(truncatingIfNeeded: x))
        case ("i64", _), ("f64", _): guard let x = text.flatMap(bits) else { throw bad() }; return v.type == "i64" ? .i64(x) : .f64(x)
        case ("refnull", _): return .refNull(nil)
        case ("externref", "null"): return .refNull(.externRef)
        case ("externref", nil): return .refExtern(value: nil)
        case ("externref", let t?): guard let x = UInt32(t) else { throw bad() }; return .refExtern(value: x)
        case ("funcref", "null"): return .refNull(.funcRef)
        case ("exnref", "null"): return .refNull(nil)
        case ("funcref", nil): return .refFunc(functionIndex: nil)
        default: throw ScriptError("unknown expected value type \"\(v.type)\"")
        }
    }

    /// Value types of proposals wasmc does not implement: the command is skipped, naming it.
    static func unsupportedType(_ type: String) throws {
        switch type {
        case "v128": throw Unsupported.simd
        case "nullexnref": throw Unsupported(reason: "unsupported: GC")
        case "anyref", "eqref", "i31ref", "structref", "arrayref", "nullref", "nullfuncref", "nullexternref":
            throw Unsupported(reason: "unsupported: GC")
        default: break
        }
    }

    static func scalar(_ v: JSONValue) throws -> String? {
        switch v.value {
        case nil: return nil
        case .text(let s)?: return s
        case .lanes?: throw ScriptError("lane list for a \(v.type) value")
        }
    }

    /// A decimal integer, signed or unsigned, as its two's-complement bits.
    static func bits(_ s: String) -> UInt64? {
        UInt64(s) ?? Int64(s).map { UInt64(bitPattern: $0) }
    }
}
