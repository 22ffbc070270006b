import ArgumentParser
import Foundation
import Wasmc
import WasmcWast

struct WastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wast",
        abstract: "Run WebAssembly spec test scripts (.wast, or .json command lists) through the compiler.",
        discussion: """
            Folders are searched recursively for .wast and .json files. A .json file is a script \
            as `wasm-tools json-from-wast` (or WABT's wast2json) writes it, its modules as files \
            beside it; it runs as WebAssembly 3.0 (what wasmc implements of it; files of \
            proposals not implemented yet are skipped, "unsupported: <feature>"), with the same \
            commands and report, lines being the .wast's. .wast files are read by WasmKit's \
            text parser and run as WebAssembly 2.0 (with threads in a `threads` folder). \
            Prints a line per file \
            (PASS f: N passed | FAIL f: N passed, N failed, N skipped | SKIP f: ...), each failure \
            as `f:LINE: <expected> — <what happened>`, each skip with its reason, and last exactly \
            `N passed, N failed, N skipped`. Every top-level command counts (module, register, \
            invoke, get, assert_*), threads' commands included. Exit status 1 when anything \
            failed or a path is missing.
            Text modules the spec calls malformed but WasmKit's text parser accepts are skipped \
            ("text parser").
            Each file runs in its own child process (unless --in-process), so a crash or a \
            hang (--timeout) fails that file only.
            """
    )

    @Argument(help: "Script files (.wast, .json) or folders.")
    var paths: [String]

    @Option(help: "Files to run in parallel.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customShort("O"), help: "Compile every module with the system C compiler at -O2 (as `wasmc compile -O`) instead of libtcc.")
    var optimize = false

    @Option(help: CPULevel.help)
    var cpu: CPULevel = .host

    @Flag(help: "Also list every passed command.")
    var verbose = false

    @Option(help: "Seconds a file may run before it is killed and fails.")
    var timeout: Double = 300

    @Flag(name: .customLong("in-process"), help: "Run all files in this process (no crash isolation, no timeout).")
    var inProcess = false

    @Option(help: "Also write the per-file results as a Markdown table to this file.")
    var markdown: String?

    @Flag(help: .hidden)
    var child = false

    @Option(help: .hidden)
    var display: String?

    func run() throws {
        if child {
            // One file, for a parent `wasmc wast`: report, then the counts line it parses.
            guard paths.count == 1 else { fail("--child takes one file") }
            let r = WastSuite.runFile(path: paths[0], display: display, verbose: verbose, optimize: optimize, cpu: cpu)
            print(Isolation.childOutput(r))
            return
        }
        let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let isolation = inProcess ? nil : Isolation(executable: exe, timeout: timeout)
        let summary = WastSuite.run(paths: paths, jobs: jobs, verbose: verbose, optimize: optimize, cpu: cpu, isolation: isolation) { text in
            print(text)
            fflush(nil)
        }
        if let markdown {
            let table = ResultsTable.markdown(summary, title: "Spec test results")
            do { try table.write(toFile: markdown, atomically: true, encoding: .utf8) } catch {
                fail("cannot write \(markdown): \(error)")
            }
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
