import ArgumentParser
import Foundation
import Wasmc
import WasmcWast

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Invoke an exported function and print its results, one per line.",
        discussion: """
            MODULE is a .wasm, a .wat or a compiled .so. Arguments are read by the export's \
            parameter types: i32/i64 in decimal (signed or unsigned) or 0x hex; f32/f64 in decimal, \
            nan, nan:0x..., inf, -inf; references as null. Results print as plain numbers: integers \
            signed decimal, floats shortest round-trip (1, 2.5, 1e+20, inf, -inf, -0; NaNs as nan, \
            -nan or nan:0x200000 with sign and payload), \
            references as null, ref.func or ref.extern N.
            Exit status: 0 success; 1 error (bad module, unknown export, bad arguments, \
            unresolved imports, a memory or table over a --max limit); 2 trap, printed as `trap: <message>` on stderr.
            """
    )

    @Argument(help: "The module: .wasm, .wat or .so.")
    var module: String

    @Option(name: .customLong("invoke"), help: "The exported function to call.")
    var function: String

    @Option(name: .customLong("max-memory-pages"),
            help: "Most pages (64 KiB) a memory the module defines may have: over it at instantiation is an error, memory.grow past it returns -1.")
    var maxMemoryPages: UInt64?

    @Option(name: .customLong("max-table-elements"),
            help: "Most elements a table the module defines may have (default 10000000): over it at instantiation is an error, table.grow past it returns -1.")
    var maxTableElements: UInt64?

    @Option(name: .customLong("max-stack-bytes"),
            help: "Most bytes of native stack the wasm code may use before trapping with \"call stack exhausted\" (default: the thread's stack less a reserve).")
    var maxStackBytes: Int?

    @Argument(parsing: .allUnrecognized, help: "Arguments of the function.")
    var args: [String] = []

    var limits: ResourceLimits {
        ResourceLimits(maxMemoryPages: maxMemoryPages, maxTableElements: maxTableElements, maxStackBytes: maxStackBytes)
    }

    func run() throws {
        let instance: Instance
        do {
            instance = try Instance(module: try openModule(module), limits: limits)
        } catch let t as Trap {
            printError("trap: \(t.message)")
            Foundation.exit(2)
        } catch {
            fail(describe(error, file: module))
        }
        guard let f = instance.function(function) else { fail("\(module): no exported function \"\(function)\"") }
        // `--` (to pass negative numbers the shell way) is not an argument of the function.
        let args = self.args.filter { $0 != "--" }
        guard args.count == f.type.params.count else {
            fail("\(function) takes \(f.type.params.count) arguments \(f.type), got \(args.count)")
        }
        let values: [Value]
        do {
            values = try zip(args, f.type.params).map { try ValueText.parse($0, as: $1) }
        } catch {
            fail("\(error)")
        }
        do {
            for r in try f.call(values) { print(ValueText.format(r)) }
        } catch let t as Trap {
            printError("trap: \(t.message)")
            Foundation.exit(2)
        } catch {
            fail(describe(error))
        }
    }
}
