import ArgumentParser
import Foundation
import Wasmc
import WasmcWast

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WASI command, or invoke an exported function and print its results.",
        usage: """
            wasmc run [OPTIONS] MODULE [ARGS ...]
            wasmc run [OPTIONS] MODULE --invoke NAME [ARG ...]
            """,
        discussion: """
            MODULE is a .wasm, a .wat or a compiled .so.
            Without --invoke, MODULE runs as a WASI command (_start, WASI preview1 and \
            wasi-threads): everything after MODULE goes to the program unchanged (argv[0] is \
            MODULE's file name); `--` right after MODULE is dropped. Only --dir folders are \
            reachable and only --env variables are set. A memory the module imports is created \
            from the import's limits. Exit status: the program's proc_exit code, 0 when _start \
            returns; 1 error; 2 trap, printed as `trap: <message>` on stderr. --timeout \
            interrupts the running code (every thread) when it expires: a trap, \
            `trap: interrupted (--timeout 5s)`.
            With --invoke right after MODULE (or before it), the export is called: arguments \
            are read by its parameter types: i32/i64 in decimal (signed or unsigned) or 0x hex; \
            f32/f64 in decimal, nan, nan:0x..., inf, -inf; references as null. Results print as \
            plain numbers: integers signed decimal, floats shortest round-trip (1, 2.5, 1e+20, \
            inf, -inf, -0; NaNs as nan, -nan or nan:0x200000 with sign and payload), references \
            as null, ref.func or ref.extern N. A word starting with - that is not a number is an \
            unknown option unless it follows `--`. A module that \
            imports WASI gets it (a reactor's _initialize runs first).
            Exit status: 0 success; 1 error (bad module, unknown export, bad arguments, \
            unresolved imports, a memory or table over a --max limit, a missing --dir folder, a \
            malformed --env, an unknown WASI function, no _start); 2 trap, printed as \
            `trap: <message>` on stderr; 3 a wasm exception no try_table caught, printed as \
            `uncaught exception: tag "NAME" (TYPES): PAYLOAD` on stderr.
            """
    )

    @OptionGroup var options: RunOptions

    @Argument(parsing: .captureForPassthrough, help: "MODULE, then the program's arguments (or --invoke NAME and the function's).")
    var moduleAndArguments: [String] = []

    func run() throws {
        guard let module = moduleAndArguments.first else { fail("missing MODULE (see `wasmc run --help`)") }
        // The passthrough capture takes --help too when it comes before MODULE.
        if module == "--help" || module == "-h" { throw CleanExit.helpRequest(self) }
        // Options go before MODULE: an option-looking word there is one wasmc does not know.
        if module.hasPrefix("-") && module != "-" { fail("unknown option '\(module)' (see `wasmc run --help`)") }
        let rest = Array(moduleAndArguments.dropFirst())
        if options.function != nil || RunOptions.startsInvokeForm(rest) {
            let invoke: InvokeForm
            do {
                invoke = try InvokeForm.parse(rest)
            } catch {
                fail(InvokeForm.message(for: error))
            }
            InvokeRun(module: module, options: options.merged(with: invoke.options), arguments: invoke.arguments).run()
        } else {
            let arguments = rest.first == "--" ? Array(rest.dropFirst()) : rest
            CommandRun(module: module, options: options, arguments: arguments).run()
        }
    }
}

/// What follows MODULE in the --invoke form: options anywhere, the function's arguments.
struct InvokeForm: ParsableArguments {
    @OptionGroup var options: RunOptions
    @Argument(parsing: .allUnrecognized)
    var arguments: [String] = []
}

/// Options of `wasmc run`, before MODULE (and, in the --invoke form, anywhere).
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("invoke"), help: "Call this exported function instead of running _start.")
    var function: String?

    @Option(name: .customLong("dir"), help: ArgumentHelp("Preopen a host folder for the program, as GUEST (default: HOST); repeatable.", valueName: "HOST[::GUEST]"))
    var dirs: [String] = []

    @Option(name: .customLong("env"), help: ArgumentHelp("Set a variable of the program's environment; repeatable.", valueName: "NAME=VALUE"))
    var env: [String] = []

    @Flag(name: .customShort("O"), help: "Compile through the -O tier (system cc -O2), as `wasmc compile -O`.")
    var optimize = false

    @Option(help: CPULevel.help)
    var cpu: CPULevel?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor fill the cache of compiled modules.")
    var noCache = false

    @Option(name: .customLong("max-memory-pages"),
            help: "Most pages (64 KiB) a memory the module defines may have (a 32-bit memory has at most 65536 anyway): over it at instantiation is an error, memory.grow past it returns -1.")
    var maxMemoryPages: UInt64?

    @Option(name: .customLong("max-table-elements"),
            help: "Most elements a table the module defines may have (default 10000000): over it at instantiation is an error, table.grow past it returns -1.")
    var maxTableElements: UInt64?

    @Option(name: .customLong("max-stack-bytes"),
            help: "Most bytes of native stack the wasm code may use before trapping with \"call stack exhausted\" (default: the thread's stack less a reserve).")
    var maxStackBytes: Int?

    @Option(name: .customLong("timeout"),
            help: ArgumentHelp("Interrupt the program after this long (500ms, 5s, 2m, 1h): it traps with \"interrupted\" (exit status 2).", valueName: "DURATION"))
    var timeout: String?

    var limits: ResourceLimits {
        ResourceLimits(maxMemoryPages: maxMemoryPages, maxTableElements: maxTableElements, maxStackBytes: maxStackBytes)
    }

    /// Options taking a value, and flags, that may come between MODULE and --invoke.
    static let valued: Set<String> = ["--cpu", "--dir", "--env", "--max-memory-pages", "--max-table-elements", "--max-stack-bytes", "--timeout"]
    static let flags: Set<String> = ["-O", "--no-cache"]

    /// True when the tokens after MODULE are wasmc options followed by `--invoke`.
    static func startsInvokeForm(_ rest: [String]) -> Bool {
        var i = 0
        while i < rest.count {
            let token = rest[i]
            let name = token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token
            if name == "--invoke" { return true }
            if flags.contains(token) { i += 1; continue }
            if valued.contains(name) { i += token.contains("=") ? 1 : 2; continue }
            return false
        }
        return false
    }

    /// These options, with the ones given after MODULE taking precedence.
    func merged(with after: RunOptions) -> RunOptions {
        var m = self
        m.function = after.function ?? function
        m.dirs = dirs + after.dirs
        m.env = env + after.env
        m.optimize = optimize || after.optimize
        m.cpu = after.cpu ?? cpu
        m.noCache = noCache || after.noCache
        m.maxMemoryPages = after.maxMemoryPages ?? maxMemoryPages
        m.maxTableElements = after.maxTableElements ?? maxTableElements
        m.maxStackBytes = after.maxStackBytes ?? maxStackBytes
        m.timeout = after.timeout ?? timeout
        return m
    }

    /// The WASI view of these options: argv, --env (checked), --dir.
    func wasiConfiguration(programName: String, arguments: [String]) -> WASIConfiguration {
        var environment: [(name: String, value: String)] = []
        for item in env {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                fail("malformed --env \"\(item)\": expected NAME=VALUE")
            }
            environment.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        return WASIConfiguration(arguments: [programName] + arguments, environment: environment,
                                 preopens: dirs.map(WASIPreopen.init(parsing:)))
    }
}

/// Loads MODULE (.so, or compiled from .wasm/.wat through the cache), errors exit 1.
func loadModule(_ path: String, options: RunOptions) -> CompiledModule {
    do {
        // By content, not by name: `\0asm` is a binary, ELF a compiled module, else text.
        let bytes = try InputFile.read(path)
        if InputFile.kind(of: bytes, path: path) == .compiledModule { return try CompiledModule.load(path: path) }
        let wasm = try Compiler.wasm(from: bytes, path: path)
        let compileOptions = CompileOptions(optimize: options.optimize, cpu: options.cpu ?? .host)
        if options.noCache { return try CompiledModule.compile(wasm: wasm, options: compileOptions) }
        return try ModuleCache(directory: ModuleCache.defaultDirectory()).load(wasm: wasm, options: compileOptions).module
    } catch {
        fail(describe(error, file: path))
    }
}

/// Ends the process now, whatever other threads are doing (wasi-threads: any thread's
/// proc_exit or trap, or _start returning, ends the program).
func endProcess(_ status: Int32) -> Never {
    processEnding.lock()
    fflush(nil)
    _exit(status)
}

/// Held by the thread that ends the process: a --timeout's fallback that fires while the main
/// thread is already printing its trap (or exiting) waits for the exit instead of printing the
/// trap a second time. Recursive: endWithTrap ends through endProcess.
private let processEnding = NSRecursiveLock()

/// Prints a trap the way `run` does and ends the process with the trap status.
func endWithTrap(_ trap: Trap) -> Never {
    processEnding.lock()
    if trap.code == .interrupted, let timeout = expiredTimeout.load() {
        printError("trap: \(trap.message) (--timeout \(timeout))")
        endProcess(2)
    }
    printError("trap: \(trap.message)")
    endProcess(2)
}
