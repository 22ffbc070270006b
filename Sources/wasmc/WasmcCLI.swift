// The `wasmc` command line: compile, run, wast. Output formats here are stable: scripts use them.
import ArgumentParser
import Foundation

@main
struct WasmcCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasmc",
        abstract: "Ahead-of-time WebAssembly compiler: .wasm/.wat → C → native code (libtcc).",
        discussion: """
            Exit status: 0 success; 1 error (bad input, compile, link or usage error, or a failed \
            spec assertion for `wast`); 2 the invoked function trapped (`run`).
            """,
        subcommands: [CompileCommand.self, RunCommand.self, WastCommand.self, WASITestCommand.self]
    )
}

/// Prints `error: message` to stderr and exits with `code`.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
