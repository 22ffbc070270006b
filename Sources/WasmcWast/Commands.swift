// One script command (a parsed WAST directive) against wasmc, judged pass/fail/skip.
import Foundation
import Wasmc
import WAT

/// An action of a script, whichever front end read it (text script or JSON command list).
enum ScriptAction {
    case invoke(module: String?, name: String, args: [Value])
    case get(module: String?, name: String)
    /// A module as an action: instantiating it is the action.
    case instantiate(() throws -> [UInt8])
}

/// A module command's module, whichever front end read it.
struct ScriptModule {
    var source: ModuleSource
    var id: String?
    var isDefinition = false

    init(source: ModuleSource, id: String?, isDefinition: Bool = false) {
        (self.source, self.id, self.isDefinition) = (source, id, isDefinition)
    }

    init(_ m: ModuleDirective) {
        self.init(source: m.source, id: m.id, isDefinition: m.isDefinition)
    }
}

enum Commands {
    static func run(_ directive: WASTDirective, in ctx: ScriptContext) -> CommandOutcome {
        do {
            return try runThrowing(directive, in: ctx)
        } catch let u as Unsupported {
            return .skipped(u.reason)
        } catch {
            return .failed(describe(error))
        }
    }

    static func runThrowing(_ directive: WASTDirective, in ctx: ScriptContext) throws -> CommandOutcome {
        switch directive {
        case .module(let m):
            return defineModule(ScriptModule(m), in: ctx)
        case .moduleInstance(let instanceName, let moduleName):
            return try instantiateDefinition(instanceName, moduleName, in: ctx)
        case .register(let name, let moduleId):
            return try register(name, moduleId, in: ctx)
        case .invoke(let inv):
            return try perform(try action(.invoke(inv)), in: ctx)
        case .assertReturn(let execute, let expected):
            return try assertReturn(try action(execute), expected.map(WastValues.fromTextParser), in: ctx)
        case .assertTrap(let execute, let message):
            return try assertTrap(try action(execute), message, in: ctx)
        case .assertExhaustion(let call, let message):
            return try assertTrap(try action(.invoke(call)), message, in: ctx)
        case .assertInvalid(let m, let message):
            return try assertRejected(ScriptModule(m), message, what: "invalid", in: ctx)
        case .assertMalformed(let m, let message):
            return try assertRejected(ScriptModule(m), message, what: "malformed", in: ctx)
        case .assertUnlinkable(let wat, let message):
            return try assertUnlinkable({ try wat.encode() }, message, in: ctx, options: options(for: .text(wat), ctx))
        case .assertException(let execute):
            return try assertException(try action(execute), in: ctx)
        case .assertFuel, .assertOutOfFuel:
            return .skipped("command not part of core WebAssembly")
        }
    }

    // MARK: modules

    static func instantiateDefinition(_ instanceName: String?, _ moduleName: String?, in ctx: ScriptContext) throws -> CommandOutcome {
        let def = try moduleName.map { n in
            guard let d = ctx.definitions[n] else { throw ScriptError("unknown module definition \(n)") }
            return d
        } ?? ctx.lastDefinition
        guard let def else { throw ScriptError("no module definition to instantiate") }
        let inst = try ctx.instantiate(def)
        ctx.current = inst
        ctx.currentSkip = nil
        ctx.currentFailedAt = nil
        if let instanceName {
            ctx.named[instanceName] = inst
            ctx.namedFailedAt[instanceName] = nil
        }
        return .passed
    }

    static func register(_ name: String, _ moduleId: String?, in ctx: ScriptContext) throws -> CommandOutcome {
        do { ctx.registry[name] = try ctx.instance(named: moduleId) } catch let u as Unsupported {
            ctx.registrySkip[name] = u.reason
            throw u
        } catch {
            return .failed("register \"\(name)\" should find its module — \(describe(error))")
        }
        ctx.registrySkip[name] = nil
        return .passed
    }

    static func defineModule(_ m: ScriptModule, in ctx: ScriptContext) -> CommandOutcome {
        if !m.isDefinition { moduleFailed(id: m.id, in: ctx) }
        do {
            let compiled = try compile(try bytes(of: m.source, form: ctx.form), options(for: m.source, ctx))
            if m.isDefinition {
                ctx.lastDefinition = compiled
                if let id = m.id { ctx.definitions[id] = compiled }
                return .passed
            }
            let inst = try ctx.instantiate(compiled)
            ctx.current = inst
            ctx.currentFailedAt = nil
            if let id = m.id {
                ctx.named[id] = inst
                ctx.namedSkip[id] = nil
                ctx.namedFailedAt[id] = nil
            }
            return .passed
        } catch let u as Unsupported {
            if !m.isDefinition {
                ctx.currentFailedAt = nil
                ctx.currentSkip = u.reason
            }
            if let id = m.id {
                ctx.namedSkip[id] = u.reason
                ctx.namedFailedAt[id] = nil
            }
            return .skipped(u.reason)
        } catch {
            return .failed("module should load — \(describe(error))")
        }
    }

    /// A failed module leaves no current module behind for the commands after it (until it
    /// loads after all, which undoes this).
    static func moduleFailed(id: String?, in ctx: ScriptContext) {
        ctx.current = nil
        ctx.currentSkip = nil
        ctx.currentFailedAt = ctx.line
        if let id { ctx.namedFailedAt[id] = ctx.line }
    }

    static func bytes(of source: ModuleSource, form: ScriptForm?) throws -> [UInt8] {
        switch source {
        case .binary(let b): return b
        case .text(let wat):
            do { return try wat.encode() } catch { throw ParserErrors.Placed(error, in: form) }
        case .quote(let q):
            let text = String(decoding: q, as: UTF8.self)
            do {
                return try wat2wasm(text, features: ScriptRunner.features)
            } catch {
                throw ParserErrors.Placed(error, in: nil, quoted: text)
            }
        }
    }

    /// A module written as text in a 2.0 script may use 3.0's exception handling (WasmKit's
    /// parser reads it; `assert_exception`): its encodings are decoded as 3.0, its rules stay
    /// 2.0's. Binary modules keep 2.0's encodings, whose errors the 2.0 `binary.wast` checks.
    static func options(for source: ModuleSource, _ ctx: ScriptContext) -> CompileOptions {
        var options = ctx.file.options
        if case .text = source, options.standard == .wasm2 { options.encodings = .wasm3 }
        return options
    }

    /// Compiles in memory; a "not supported" GC rejection becomes a skip, not a failure.
    static func compile(_ wasm: [UInt8], _ options: CompileOptions) throws -> CompiledModule {
        do {
            return try CompiledModule.compile(wasm: wasm, options: options)
        } catch let e as WasmError where e.kind == .unsupported && e.message.hasPrefix("GC ") {
            throw Unsupported(reason: "unsupported: GC")
        }
    }

    // MARK: actions

    /// The parsed action as the runner's own; arguments it cannot pass are Unsupported.
    static func action(_ e: WASTExecute) throws -> ScriptAction {
        switch e {
        case .invoke(let inv): return .invoke(module: inv.module, name: inv.name, args: try inv.args.map(WastValues.argument))
        case .get(let module, let name): return .get(module: module, name: name)
        case .wat(let wat): return .instantiate({ try wat.encode() })
        }
    }

    /// A bare action as a command: it passes when it runs without error.
    static func perform(_ a: ScriptAction, in ctx: ScriptContext) throws -> CommandOutcome {
        do { _ = try execute(a, in: ctx) } catch let u as Unsupported { throw u } catch {
            return .failed("\(label(a)) should run — \(describe(error))")
        }
        return .passed
    }

    static func execute(_ a: ScriptAction, in ctx: ScriptContext) throws -> [Value] {
        switch a {
        case .invoke(let module, let name, let args):
            let inst = try ctx.instance(named: module)
            guard case .function(let f)? = ctx.export(inst, name) else { throw ScriptError("no exported function \"\(name)\"") }
            return try f.call(args)
        case .get(let module, let name):
            let inst = try ctx.instance(named: module)
            guard case .global(let g)? = ctx.export(inst, name) else { throw ScriptError("no exported global \"\(name)\"") }
            return [g.value]
        case .instantiate(let bytes):
            // A module as an action: instantiating it is the action (its start function may trap).
            let compiled = try compile(try bytes(), ctx.file.options)
            _ = try ctx.instantiate(compiled)
            return []
        }
    }

    static func label(_ a: ScriptAction) -> String {
        switch a {
        case .invoke(let m, let n, _): return "invoke \(m.map { $0 + " " } ?? "")\"\(n)\""
        case .get(let m, let n): return "get \(m.map { $0 + " " } ?? "")\"\(n)\""
        case .instantiate: return "module instantiation"
        }
    }

    // MARK: assertions

    static func assertReturn(_ e: ScriptAction, _ expected: [WASTExpectValue], in ctx: ScriptContext) throws -> CommandOutcome {
        let got: [Value]
        do { got = try execute(e, in: ctx) } catch let u as Unsupported { throw u } catch {
            return .failed("\(label(e)) should return \(WastValues.describe(expected)) — \(describe(error))")
        }
        var ok = got.count == expected.count
        if ok {
            for (x, v) in zip(expected, got) where try !WastValues.matches(x, v) { ok = false; break }
        }
        if ok { return .passed }
        return .failed("\(label(e)) should return \(WastValues.describe(expected)) — got \(WastValues.describe(got))")
    }

    static func assertTrap(_ e: ScriptAction, _ message: String, in ctx: ScriptContext) throws -> CommandOutcome {
        let want = "\(label(e)) should trap \"\(message)\""
        do {
            let got = try execute(e, in: ctx)
            return .failed("\(want) — returned \(WastValues.describe(got))")
        } catch let t as Trap {
            return t.message.hasPrefix(message) ? .passed : .failed("\(want) — trapped \"\(t.message)\"")
        } catch let u as Unsupported {
            throw u
        } catch {
            return .failed("\(want) — \(describe(error))")
        }
    }

    /// The action must end by a wasm exception that no try_table caught (not a trap).
    static func assertException(_ e: ScriptAction, in ctx: ScriptContext) throws -> CommandOutcome {
        let want = "\(label(e)) should throw an exception"
        do {
            let got = try execute(e, in: ctx)
            return .failed("\(want) — returned \(WastValues.describe(got))")
        } catch is WasmException {
            return .passed
        } catch let u as Unsupported {
            throw u
        } catch {
            return .failed("\(want) — \(describe(error))")
        }
    }

    static func assertRejected(_ m: ScriptModule, _ message: String, what: String, in ctx: ScriptContext) throws -> CommandOutcome {
        let want = "module should be \(what) \"\(message)\""
        let wasm: [UInt8]
        do {
            wasm = try bytes(of: m.source, form: ctx.form)
        } catch {
            // The text parser rejected it: right for malformed text, a parser gap otherwise.
            if what == "malformed" { return .passed }
            return .skipped("text parser rejects this \(what) module: \(error)")
        }
        if what == "malformed", case .binary = m.source {} else if what == "malformed" {
            // Text the spec calls malformed but WasmKit's parser accepts. Some such text encodes
            // to a binary our decoder rejects for the same reason (e.g. bad UTF-8 in a name);
            // otherwise it is a gap of the text parser, not ours to judge.
            if let w = rejection(wasm, ctx.file.options), w.message.hasPrefix(message) {
                return .passed
            }
            return .skipped("text parser")
        }
        do {
            _ = try compile(wasm, options(for: m.source, ctx))
            return .failed("\(want) — it compiled")
        } catch let u as Unsupported {
            throw u
        } catch let w as WasmError {
            return w.message.hasPrefix(message) ? .passed : .failed("\(want) — rejected: \(w)")
        } catch {
            return .failed("\(want) — \(describe(error))")
        }
    }

    static func assertUnlinkable(_ bytes: () throws -> [UInt8], _ message: String, in ctx: ScriptContext,
                                 options: CompileOptions? = nil) throws -> CommandOutcome {
        let want = "module should be unlinkable \"\(message)\""
        let compiled: CompiledModule
        do { compiled = try compile(try bytes(), options ?? ctx.file.options) } catch let u as Unsupported { throw u } catch {
            return .failed("\(want) — \(describe(error))")
        }
        do {
            _ = try ctx.instantiate(compiled)
            return .failed("\(want) — it instantiated")
        } catch let e as UnknownImport {
            return e.description.hasPrefix(message) ? .passed : .failed("\(want) — \(e)")
        } catch let e as LinkError {
            return e.message.hasPrefix(message) ? .passed : .failed("\(want) — link error: \(e.message)")
        } catch let u as Unsupported {
            throw u
        } catch {
            return .failed("\(want) — \(describe(error))")
        }
    }

    static func rejection(_ wasm: [UInt8], _ options: CompileOptions) -> WasmError? {
        do { _ = try compile(wasm, options); return nil } catch { return error as? WasmError }
    }

    /// An error as "what happened", naming its kind.
    static func describe(_ error: Error) -> String {
        switch error {
        case let t as Trap: return "trap: \(t.message)"
        case let x as WasmException: return "\(x)"
        case let l as LinkError: return "link error: \(l.message)"
        case let w as WasmError: return "\(w)"
        case let e as WasmcError: return "error: \(e.message)"
        case let e as UnknownImport: return "link error: \(e)"
        case let e as ScriptError: return "error: \(e.message)"
        case let e as ParserErrors.Placed: return "text parser: \(e)"
        case let e as WatParserError: return "text parser: \(ParserErrors.Placed(e, in: nil))"
        default: return "error: \(error)"
        }
    }
}
