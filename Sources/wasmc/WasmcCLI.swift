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
        version: WasmcCLI.version,
        subcommands: [CompileCommand.self, RunCommand.self, WastCommand.self, WASITestCommand.self]
    )

    static let version = "wasmc 0.1.0"

    /// ArgumentParser's `main`, except that usage errors exit 1 like every other error (its
    /// default is 64), with the same `error: ` prefix.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            var text = fullMessage(for: error)
            if text.hasPrefix("Error: ") { text = "error: " + text.dropFirst(7) }
            FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
            Foundation.exit(1)
        }
    }
}

/// Prints `error: message` to stderr and exits with `code`.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
