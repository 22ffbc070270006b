// Runs the forms of a script through the real pipeline: WasmKit's parser turns each
// command into a directive, wasmc compiles (libtcc, in memory), instantiates and invokes.
import Foundation
import Wasmc
import WAT
import WasmParser

enum ScriptRunner {
    /// WAT features for script modules: reference types, threads (shared memories, atomics), SIMD.
    static let features: WasmFeatureSet = [.referenceTypes, .threads, .simd]

    /// Keywords of module fields; consecutive top-level fields form one inline module.
    static let moduleFields: Set<String> = [
        "data", "elem", "export", "func", "type", "global", "import", "memory", "start", "table",
    ]

    /// Runs `forms` in order in `ctx`, then waits for the threads it started.
    static func run(_ forms: [ScriptForm], in ctx: ScriptContext) {
        for form in mergeInlineModules(forms) {
            switch form.keyword {
            case "thread": startThread(form, in: ctx)
            case "wait": waitThread(form, in: ctx)
            default:
                ctx.line = form.line
                ctx.form = form
                ctx.file.report.record(line: form.line, runCommand(form, in: ctx))
            }
        }
        ctx.joinAll()
    }

    static func mergeInlineModules(_ forms: [ScriptForm]) -> [ScriptForm] {
        var out: [ScriptForm] = []
        var fields: [ScriptForm] = []
        func flush() {
            guard let first = fields.first else { return }
            let text = "(module\n" + fields.map(\.text).joined(separator: "\n") + "\n)"
            out.append(ScriptForm(text: text, keyword: "module", line: first.line, range: first.range))
            fields = []
        }
        for f in forms {
            if moduleFields.contains(f.keyword) { fields.append(f); continue }
            flush()
            out.append(f)
        }
        flush()
        return out
    }

    // MARK: threads

    static func startThread(_ form: ScriptForm, in ctx: ScriptContext) {
        let report = ctx.file.report
        guard let name = ScriptForms.leadingAtoms(of: form).first, name.hasPrefix("$") else {
            report.record(line: form.line, .failed("thread without a $name"))
            return
        }
        let children: [ScriptForm]
        do { children = try ScriptForms.children(of: form) } catch {
            report.record(line: form.line, .failed("thread \(name): \(error)"))
            return
        }
        let child = ScriptContext(file: ctx.file)
        var body: [ScriptForm] = []
        for c in children {
            guard c.keyword == "shared" else { body.append(c); continue }
            // (shared (module $M)): the parent's instance $M, visible under the same name.
            let target = (try? ScriptForms.children(of: c))?.first.flatMap { ScriptForms.leadingAtoms(of: $0).first }
            guard let target, let inst = ctx.named[target] else {
                report.record(line: c.line, .failed("thread \(name): no module \(target ?? "?") to share"))
                continue
            }
            // Only instances whose exports are all shareable (shared memories) may cross threads.
            let unshareable = ctx.exportTable(inst).filter { if case .memory(let m) = $0.value { !m.type.shared } else { true } }
            if let first = unshareable.first {
                report.record(line: c.line, .failed("thread \(name): module \(target) is not shareable (export \"\(String(decoding: first.key, as: UTF8.self))\")"))
                continue
            }
            ctx.share(inst, with: child)
            child.named[target] = inst
        }
        let shared = SharedChild(ctx: child, body: body)
        if let old = ctx.threads[name] { old.join() }
        ctx.threads[name] = ScriptThread { run(shared.body, in: shared.ctx) }
    }

    /// Hands a fresh context to the thread that alone will use it from then on.
    struct SharedChild: @unchecked Sendable {
        let ctx: ScriptContext
        let body: [ScriptForm]
    }

    static func waitThread(_ form: ScriptForm, in ctx: ScriptContext) {
        guard let name = ScriptForms.leadingAtoms(of: form).first, let t = ctx.threads[name] else {
            ctx.file.report.record(line: form.line, .failed("wait for an unknown thread"))
            return
        }
        t.join()
        ctx.threads[name] = nil
    }

    // MARK: commands

    static func runCommand(_ form: ScriptForm, in ctx: ScriptContext) -> CommandOutcome {
        var text = form.text
        if form.keyword == "assert_uninstantiable" {
            // Same meaning as assert_trap on a module, which WasmKit's parser knows.
            text = text.replacingOccurrences(of: "assert_uninstantiable", with: "assert_trap", options: [], range: text.range(of: "assert_uninstantiable"))
        }
        if let reason = TextParserGaps.reason(for: form) { return .skipped(reason) }
        if form.keyword == "assert_return", text.contains("(either") {
            return EitherCommand.run(form, in: ctx)
        }
        let directive: WASTDirective
        do {
            var wast = try parseWAST(text, features: features)
            guard let (result, _) = wast.nextDirectiveResult() else { return .failed("empty command") }
            switch result {
            case .success(let d): directive = d
            case .failure(let e): throw e.error
            }
        } catch {
            return parseFailure(form, error, in: ctx)
        }
        return Commands.run(directive, in: ctx)
    }

    /// A command WasmKit's text parser rejects: expected for malformed text, otherwise a failure.
    static func parseFailure(_ form: ScriptForm, _ error: Error, in ctx: ScriptContext) -> CommandOutcome {
        switch form.keyword {
        case "assert_malformed":
            return .passed
        case "assert_invalid":
            return .skipped("text parser rejects this invalid module: \(ParserErrors.describe(error, in: form))")
        case "module":
            // Later commands must not run against the previous module.
            ctx.current = nil
            ctx.currentSkip = nil
            ctx.currentFailedAt = form.line
            if let id = ScriptForms.leadingAtoms(of: form).first(where: { $0.hasPrefix("$") }) { ctx.namedFailedAt[id] = form.line }
            return .failed("module did not parse — \(ParserErrors.describe(error, in: form))")
        default:
            return .failed("\(form.keyword) did not parse — \(ParserErrors.describe(error, in: form))")
        }
    }
}
