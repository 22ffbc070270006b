import Foundation
import Wasmc

/// `wasmc run [OPTIONS] MODULE [ARGS...]`: MODULE as a WASI command.
struct CommandRun {
    let module: String
    let options: RunOptions
    let arguments: [String]

    func run() -> Never {
        let program: WASIProgram
        do {
            let configuration = options.wasiConfiguration(programName: programName(module), arguments: arguments)
            let compiled = loadModule(module, options: options)
            program = try WASIProgram(module: compiled, wasi: try WASIHost(configuration), limits: options.limits)
        } catch let t as Trap {
            endWithTrap(t)
        } catch let exit as WASIExit {
            endProcess(Int32(bitPattern: exit.code))
        } catch {
            fail(describe(error, file: module))
        }
        program.onThreadEnding = threadEnding
        options.startTimeout(program.interrupts)
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
