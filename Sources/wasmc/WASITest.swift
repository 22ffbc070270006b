import Foundation

/// One program of the WASI test suite and what its JSON expects.
struct WASITest: Sendable {
    enum Outcome: Sendable {
        case passed
        case failed(String)
        case skipped(String)
    }

    /// The module (.wasm, or .wat for the wasi-threads tests, which ship as text).
    let module: URL
    /// Shown in reports: the path below the searched folder's parent.
    let name: String

    /// Test programs under `path`, sorted; a .wat counts only when there is no .wasm of its name.
    static func find(under path: String) -> [WASITest] {
        let root = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let files: [URL]
        if exists && isDirectory.boolValue {
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            files = (walker?.allObjects as? [URL] ?? []).filter { !$0.pathComponents.contains { $0.hasSuffix(".dir") } }
        } else {
            files = [root]
        }
        let base = isDirectory.boolValue ? root.deletingLastPathComponent().path : root.deletingLastPathComponent().path
        let wasm = Set(files.filter { $0.pathExtension == "wasm" }.map { $0.deletingPathExtension().path })
        return files
            .filter { $0.pathExtension == "wasm" || ($0.pathExtension == "wat" && !wasm.contains($0.deletingPathExtension().path)) }
            .map { url in
                let full = url.standardizedFileURL.path
                let prefix = URL(fileURLWithPath: base).standardizedFileURL.path + "/"
                return WASITest(module: url, name: full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full)
            }
            .sorted { $0.name < $1.name }
    }

    /// What X.json asks for (legacy form, or the operation-based one).
    struct Spec {
        var args: [String] = []
        var env: [(String, String)] = []
        var root: String?
        var exitCode: Int32 = 0
        var stdout: String?
        var stderr: String?
        var unsupported: String?

        init(json url: URL) throws {
            guard FileManager.default.fileExists(atPath: url.path) else { return }
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WasmcCLIError("\(url.path): not a JSON object")
            }
            if let proposals = object["proposals"] as? [String], !proposals.isEmpty {
                unsupported = "needs the \(proposals.joined(separator: ", ")) proposal, which wasmc does not implement"
            }
            if let operations = object["operations"] as? [[String: Any]] {
                for op in operations {
                    switch op["type"] as? String {
                    case "run": try read(run: op)
                    case "wait": exitCode = Int32((op["exit_code"] as? Int) ?? 0)
                    case "read":
                        let payload = op["payload"] as? String ?? ""
                        if (op["id"] as? String ?? "stdout") == "stderr" { stderr = (stderr ?? "") + payload } else { stdout = (stdout ?? "") + payload }
                    default:
                        unsupported = unsupported ?? "operation \(op["type"] ?? "?") (network) is not supported by this runner"
                    }
                }
            } else {
                try read(run: object)
                if let code = object["exit_code"] as? Int { exitCode = Int32(code) }
                stdout = object["stdout"] as? String
                stderr = object["stderr"] as? String
            }
        }

        private mutating func read(run object: [String: Any]) throws {
            args = object["args"] as? [String] ?? []
            if let env = object["env"] as? [String: String] {
                self.env = env.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            root = object["root"] as? String
        }
    }

    func run(wasmc: String, optimize: Bool, timeout: Double) -> Outcome {
        let folder = module.deletingLastPathComponent()
        let spec: Spec
        do {
            spec = try Spec(json: module.deletingPathExtension().appendingPathExtension("json"))
        } catch {
            return .failed("cannot read its JSON: \(error)")
        }
        if let unsupported = spec.unsupported { return .skipped(unsupported) }
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("wasmc-wasi-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        var arguments = ["run", "--no-cache"]
        if optimize { arguments.append("-O") }
        do {
            try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
            if let root = spec.root {
                let copy = scratch.appendingPathComponent("root")
                try fm.copyItem(at: folder.appendingPathComponent(root), to: copy)
                try removeCleanupFiles(under: copy)
                arguments += ["--dir", "\(copy.path)::/"]
            }
        } catch {
            return .failed("cannot prepare its root folder: \(error)")
        }
        for (name, value) in spec.env { arguments += ["--env", "\(name)=\(value)"] }
        arguments += [module.path, "--"] + spec.args
        let result: ChildResult
        do {
            result = try ChildResult.run(wasmc, arguments, directory: scratch, timeout: timeout)
        } catch {
            return .failed("cannot start wasmc: \(error)")
        }
        if result.timedOut { return .failed("timed out after \(timeout) s") }
        var problems: [String] = []
        if result.status != spec.exitCode { problems.append("exit status \(result.status), expected \(spec.exitCode)") }
        if let expected = spec.stdout, result.stdout != expected { problems.append("stdout \(quoted(result.stdout)), expected \(quoted(expected))") }
        if let expected = spec.stderr, result.stderr != expected { problems.append("stderr \(quoted(result.stderr)), expected \(quoted(expected))") }
        if problems.isEmpty { return .passed }
        if spec.stderr == nil, !result.stderr.isEmpty { problems.append("stderr: \(quoted(String(result.stderr.suffix(300))))") }
        return .failed(problems.joined(separator: "; "))
    }

    private func removeCleanupFiles(under folder: URL) throws {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        for case let url as URL in walker?.allObjects ?? [] where url.pathExtension == "cleanup" {
            try FileManager.default.removeItem(at: url)
        }
    }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// A child `wasmc run`: its exit status and output. Its stdin is a pipe kept open and empty,
/// so a read from fd 0 blocks as on a terminal.
struct ChildResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    static func run(_ executable: String, _ arguments: [String], directory: URL, timeout: Double) throws -> ChildResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        let streams = ConcurrentResults<Data>(count: 2)
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { streams.set(0, output.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: readers) { streams.set(1, errors.fileHandleForReading.readDataToEndOfFile()) }
        let timedOut = done.wait(timeout: .now() + timeout) == .timedOut
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        readers.wait()
        try? input.fileHandleForWriting.close()
        let data = streams.values
        return ChildResult(status: process.terminationStatus, stdout: String(decoding: data[0], as: UTF8.self),
                           stderr: String(decoding: data[1], as: UTF8.self), timedOut: timedOut)
    }
}

struct WasmcCLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
