import ArgumentParser
import Wasmc

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a .wasm or .wat module to a shared object (.so).",
        discussion: "Never leaves a partial output file. Errors print `error: <message>` and exit 1."
    )

    @Argument(help: "The module: .wasm binary or .wat text.")
    var input: String

    @Option(name: .short, help: "The shared object to write.")
    var output: String

    @Option(name: .customLong("emit-c"), help: "Also write the generated C to this file.")
    var emitC: String?

    @Flag(name: .customShort("O"), help: "Optimise: build with the system C compiler at -O2 instead of libtcc.")
    var optimize = false

    @Option(help: CPULevel.help)
    var cpu: CPULevel = .host

    @Flag(name: .customLong("interruptible-loops"),
          help: "Accepted for compatibility, no effect: every module is interruptible, loops included, at no cost.")
    var interruptibleLoops = false

    func run() throws {
        do {
            let wasm = try Compiler.readModule(path: input)
            try Compiler.compile(wasm: wasm, toSharedObject: output, emitC: emitC, options: CompileOptions(optimize: optimize, cpu: cpu))
        } catch {
            fail(describe(error, file: input))
        }
    }
}

extension CPULevel: ExpressibleByArgument {
    static let help = ArgumentHelp(
        "With -O, the x86-64 level to compile for (baseline: SSE2, any x86-64 CPU; host: the highest of x86-64-v2 and x86-64-v3 this CPU has). The module records it; loading it on a CPU without those features is an error naming them.",
        valueName: CPULevel.allCases.map(\.rawValue).joined(separator: "|"))
}

/// An error's message for the user, without Swift's type decoration.
func describe(_ error: Error) -> String {
    switch error {
    case let t as Trap: return t.message
    case let l as LinkError: return l.message
    case let w as WasmError: return w.description
    case let e as WasmcError: return e.message
    default: return "\(error)"
    }
}
