import Foundation
import Wasmc
import WasmcWast

/// `wasmc run MODULE --invoke NAME ARGS`: call one export, print its results one per line.
struct InvokeRun {
    let module: String
    let options: RunOptions
    let arguments: [String]

    func run() {
        if let option = RunOptions.unknownOption(in: arguments) { fail("unknown option '\(option)'") }
        let program = openProgram(module, options: options, arguments: [])
        do { try program.initializeReactor() } catch { endOnError(error, module: module) }
        let instance = program.instance
        let function = options.function!
        guard let f = instance.function(function) else { fail("\(module): no exported function \"\(function)\"") }
        // `--` (to pass negative numbers the shell way) is not an argument of the function.
        let args = arguments.filter { $0 != "--" }
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
        } catch {
            endOnError(error, module: module, instance: instance)
        }
    }
}

/// The program's argv[0]: MODULE's file name.
func programName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

/// What the CLI does when a spawned thread ends the program.
let threadEnding: @Sendable (Error) -> Void = { error in
    switch error {
    case let exit as WASIExit: endProcess(Int32(bitPattern: exit.code))
    case let trap as Trap: endWithTrap(trap)
    default:
        printError("error: \(describe(error))")
        endProcess(1)
    }
}
