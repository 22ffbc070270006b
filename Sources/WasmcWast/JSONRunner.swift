// Runs a JSON command list (JSONScript) with the same command semantics and report as a
// text script: each command becomes the runner's own action or module and goes through
// `Commands`. Lines in notes are the original .wast's, as the JSON records them.
import Foundation
import Wasmc
import WAT
import WasmTypes

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
        if v.type == "v128" {
            guard let lanes = try v128Lanes(v), !lanes.nan.contains(true) else { throw ScriptError("bad v128 argument") }
            return .v128(WasmcSyntax.V128(bytes: lanes.bytes))
        }
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
        if v.type == "v128" {
            guard let lanes = try v128Lanes(v) else { throw ScriptError("bad expected v128") }
            let shape: V128Expectation.Shape? = v.laneType == "f32" ? .f32x4 : v.laneType == "f64" ? .f64x2 : nil
            guard let shape else { return .v128(WasmTypes.V128(bytes: lanes.bytes)) }
            var mask: UInt8 = 0
            for (i, nan) in lanes.nan.enumerated() where nan { mask |= 1 << UInt8(i) }
            return .v128Pattern(V128Expectation(shape: shape, bytes: lanes.bytes, nanLaneMask: mask))
        }
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
        case "nullexnref": throw Unsupported(reason: "unsupported: GC")
        case "anyref", "eqref", "i31ref", "structref", "arrayref", "nullref", "nullfuncref", "nullexternref":
            throw Unsupported(reason: "unsupported: GC")
        default: break
        }
    }

    /// A v128 constant or expectation's 16 bytes from its lanes (`lane_type` i8 … f64, each lane a
    /// decimal integer or a float's bits), and which lanes are NaN patterns: `nan:canonical` lanes
    /// hold the canonical NaN's bits, `nan:arithmetic` ones zero (`WastValues.matches`).
    static func v128Lanes(_ v: JSONValue) throws -> (bytes: [UInt8], nan: [Bool])? {
        guard case .lanes(let lanes)? = v.value else { return nil }
        let widths = ["i8": 1, "i16": 2, "i32": 4, "i64": 8, "f32": 4, "f64": 8]
        guard let width = v.laneType.flatMap({ widths[$0] }), lanes.count * width == 16 else { return nil }
        var bytes: [UInt8] = [], nan: [Bool] = []
        for lane in lanes {
            let isNaN = lane == "nan:canonical" || lane == "nan:arithmetic"
            let canonical: UInt64 = width == 4 ? 0x7FC0_0000 : 0x7FF8_0000_0000_0000
            guard let x = isNaN ? (lane == "nan:canonical" ? canonical : 0) : bits(lane) else { return nil }
            nan.append(isNaN)
            for k in 0..<width { bytes.append(UInt8(truncatingIfNeeded: x >> UInt64(8 * k))) }
        }
        return (bytes, nan)
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
