import Foundation
import Wasmc
import WasmcWast

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
        } catch let x as WasmException {
            endWithException(x, instance: program.instance)
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
func endOnError(_ error: Error, module: String, instance: Instance? = nil) -> Never {
    switch error {
    case let t as Trap: endWithTrap(t)
    case let x as WasmException: endWithException(x, instance: instance)
    case let exit as WASIExit: endProcess(Int32(bitPattern: exit.code))
    default: fail(describe(error, file: module))
    }
}

/// Prints a wasm exception no try_table caught and ends the process with status 3:
/// `uncaught exception: tag "NAME" (i32 f64): 42 2.5` on stderr, the tag named by the
/// instance's export of it (else its import, else `tag` alone), the payload as results print.
func endWithException(_ exception: WasmException, instance: Instance?) -> Never {
    var name = "tag"
    if let instance {
        if let e = instance.exports.first(where: { if case .tag(let t) = $0.value { t == exception.tag } else { false } }) {
            name = "tag \"\(e.name)\""
        } else if let i = instance.module.importedTagName(of: exception.tag, in: instance) {
            name = "tag \"\(i.module)\" \"\(i.name)\""
        }
    }
    let types = exception.tag.type.params.map(\.description).joined(separator: " ")
    let values = exception.payload.map(ValueText.format).joined(separator: " ")
    printError("uncaught exception: \(name) (\(types))" + (values.isEmpty ? "" : ": \(values)"))
    endProcess(3)
}
