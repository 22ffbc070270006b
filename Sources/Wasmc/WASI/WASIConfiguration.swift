/// What a WASI program sees of its host: arguments, environment, preopened folders and the
/// host file descriptors behind its stdio. Nothing of the host's own environment leaks in.
public struct WASIConfiguration: Sendable {
    /// argv, argv[0] included (by convention the program's name).
    public var arguments: [String]
    public var environment: [(name: String, value: String)]
    /// Host folders the program may reach, each under a guest path; fds 3, 4, ... in order.
    public var preopens: [WASIPreopen]
    /// Host descriptors for the program's fds 0, 1, 2 (borrowed: never closed by WASI).
    public var stdin: Int32
    public var stdout: Int32
    public var stderr: Int32

    public init(arguments: [String] = [], environment: [(name: String, value: String)] = [],
                preopens: [WASIPreopen] = [], stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) {
        self.arguments = arguments
        self.environment = environment
        self.preopens = preopens
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A host folder made reachable to the program under `guestPath`.
public struct WASIPreopen: Sendable {
    public var hostPath: String
    public var guestPath: String
    public init(hostPath: String, guestPath: String) {
        self.hostPath = hostPath
        self.guestPath = guestPath
    }

    /// `HOST[::GUEST]`, the CLI's `--dir` (and Wasmtime's) form; GUEST defaults to HOST.
    public init(parsing text: String) {
        if let r = text.range(of: "::") {
            self.init(hostPath: String(text[..<r.lowerBound]), guestPath: String(text[r.upperBound...]))
        } else {
            self.init(hostPath: text, guestPath: text)
        }
    }
}

/// How a WASI program ended: `proc_exit` (in any thread), or `_start` returning (code 0).
public struct WASIExit: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: UInt32
    public init(code: UInt32) { self.code = code }
    public var description: String { "exit status \(code)" }
}
