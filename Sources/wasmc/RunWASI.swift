import Foundation
import Wasmc

/// `wasmc run [OPTIONS] MODULE [ARGS...]`: MODULE as a WASI command.
struct CommandRun {
    let module: String
    let options: RunOptions
    let arguments: [String]

    func run() -> Never {
        let program = openProgram(module, options: options, arguments: arguments)
        do {
            let code = try program.runCommand()
            endProcess(Int32(bitPattern: code))
        } catch let t as Trap {
            endWithTrap(t)
        } catch {
            printError("error: \(describe(error, file: module))")
            endProcess(1)
        }
    }
}

/// MODULE as a WASI program with the CLI's options (threads' endings and --timeout wired).
/// Anything that stops it from starting ends the process (`endOnError`).
func openProgram(_ module: String, options: RunOptions, arguments: [String]) -> WASIProgram {
    do {
        let configuration = options.wasiConfiguration(programName: programName(module), arguments: arguments)
        let program = try WASIProgram(module: loadModule(module, options: options), wasi: try WASIHost(configuration),
                                      limits: options.limits)
        program.onThreadEnding = threadEnding
        options.startTimeout(program.interrupts)
        return program
    } catch {
        endOnError(error, module: module)
    }
}

/// A trap exits 2, proc_exit with its code, any other error 1 naming MODULE.
func endOnError(_ error: Error, module: String) -> Never {
    switch error {
    case let t as Trap: endWithTrap(t)
    case let exit as WASIExit: endProcess(Int32(bitPattern: exit.code))
    default: fail(describe(error, file: module))
    }
}
