import ArgumentParser
import Foundation
import WasmcWast

struct WastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wast",
        abstract: "Run WebAssembly spec test scripts (.wast) through the compiler.",
        discussion: """
            Folders are searched recursively for .wast files. Prints a line per file \
            (PASS f: N passed | FAIL f: N passed, N failed, N skipped | SKIP f: ...), each failure \
            as `f:LINE: <expected> — <what happened>`, each skip with its reason, and last exactly \
            `N passed, N failed, N skipped`. Exit status 1 when anything failed or a path is missing.
            SIMD scripts (simd_*.wast) are skipped ("SIMD not supported"); so are text modules the \
            spec calls malformed but WasmKit's text parser accepts ("text parser").
            """
    )

    @Argument(help: "Script files or folders.")
    var paths: [String]

    @Option(help: "Files to run in parallel.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Also list every passed command.")
    var verbose = false

    func run() throws {
        let summary = WastSuite.run(paths: paths, jobs: jobs, verbose: verbose) { text in
            print(text)
            fflush(nil)
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
