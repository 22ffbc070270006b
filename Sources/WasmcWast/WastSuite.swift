// Runs script files (in parallel, each independent) and prints the per-file and total results.
import Foundation
import Wasmc

public struct WastSummary: Sendable, Equatable {
    public var passed = 0, failed = 0, skipped = 0
    /// Each file's counts, in run order: (name as displayed, passed, failed, skipped).
    public var files: [FileCounts] = []
    /// The final line, exactly `N passed, N failed, N skipped`.
    public var line: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

public enum WastSuite {
    /// Runs the script `text` (named `name` in notes) to completion, threads included.
    /// `threads`: accept the threads proposal's encodings; off for the core 2.0 suite, whose
    /// `binary.wast` expects other errors for the same limits-flag bytes.
    /// `optimize`: compile every module through the `-O` tier (system `cc -O2`) instead of
    /// libtcc, for the x86-64 level `cpu`.
    public static func runScript(_ text: String, name: String, verbose: Bool = false, threads: Bool = true,
                                 optimize: Bool = false, cpu: CPULevel = .host) -> FileReport {
        let report = FileReport(file: name, verbose: verbose)
        let forms: [ScriptForm]
        do {
            forms = try ScriptForms.split(text)
        } catch {
            report.recordFileError("\(error)")
            return report
        }
        let spectest: Spectest
        do { spectest = try Spectest() } catch {
            report.recordFileError("cannot create the spectest module: \(error)")
            return report
        }
        // Text scripts are read by WasmKit's 2.0 text parser: they are 2.0 scripts (threads aside).
        let options = CompileOptions(optimize: optimize, threads: threads, standard: .wasm2, cpu: cpu)
        let ctx = ScriptContext(file: FileContext(report: report, spectest: spectest, options: options))
        let job = ScriptRunner.SharedChild(ctx: ctx, body: forms)
        // Its own big-stack thread: deep recursion tests need room whoever calls us.
        ScriptThread { ScriptRunner.run(job.body, in: job.ctx) }.join()
        return report
    }

    public static func runFile(path: String, display: String? = nil, verbose: Bool = false,
                               optimize: Bool = false, cpu: CPULevel = .host) -> FileReport {
        let name = display ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            let r = FileReport(file: name)
            r.recordFileError("cannot read file")
            return r
        }
        // As the reference interpreter runs the suite: scripts in a `threads` folder with the
        // threads proposal, the others as plain WebAssembly 2.0.
        let threads = path.split(separator: "/").contains("threads")
        if path.hasSuffix(".json") {
            return runJSON(data, folder: (path as NSString).deletingLastPathComponent, name: name, verbose: verbose,
                           threads: threads, optimize: optimize, cpu: cpu)
        }
        return runScript(String(decoding: data, as: UTF8.self), name: name, verbose: verbose, threads: threads, optimize: optimize, cpu: cpu)
    }

    /// Runs a JSON command list (`wasm-tools json-from-wast`), its module files in `folder`.
    /// A file of a proposal wasmc lacks (UnsupportedFeatures) is not run: all its commands skip.
    public static func runJSON(_ data: Data, folder: String, name: String, verbose: Bool = false, threads: Bool = false,
                               optimize: Bool = false, cpu: CPULevel = .host) -> FileReport {
        let report = FileReport(file: name, verbose: verbose)
        let script: JSONScript
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            script = try decoder.decode(JSONScript.self, from: data)
        } catch {
            report.recordFileError("not a JSON command list (wasm-tools json-from-wast): \(error)")
            return report
        }
        if let feature = UnsupportedFeatures.feature(ofFile: script.sourceFilename ?? name) {
            report.recordSkippedFile(count: script.commands.count, reason: "unsupported: \(feature)")
            return report
        }
        let spectest: Spectest
        do { spectest = try Spectest() } catch {
            report.recordFileError("cannot create the spectest module: \(error)")
            return report
        }
        let options = CompileOptions(optimize: optimize, threads: threads, standard: .wasm3, cpu: cpu)
        let ctx = ScriptContext(file: FileContext(report: report, spectest: spectest, options: options))
        let job = JSONJob(ctx: ctx, script: script, folder: folder)
        ScriptThread { JSONRunner.run(job.script, folder: job.folder, in: job.ctx) }.join()
        return report
    }

    /// Hands the context to the script thread that alone uses it.
    struct JSONJob: @unchecked Sendable {
        let ctx: ScriptContext
        let script: JSONScript
        let folder: String
    }

    /// The scripts (.wast, and .json command lists) named by `paths`: files as given, folders searched recursively (sorted).
    /// A path that does not exist, or a folder without scripts, is returned in `missing`.
    /// Files found in a folder are displayed relative to it (`threads/atomic.wast`).
    public static func collect(_ paths: [String]) -> (files: [(path: String, display: String)], missing: [String]) {
        var files: [(path: String, display: String)] = [], missing: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { missing.append(p); continue }
            guard isDir.boolValue else { files.append((p, p)); continue }
            let found = (fm.enumerator(atPath: p)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".wast") || $0.hasSuffix(".json") }
                .sorted()
                .map { ((p as NSString).appendingPathComponent($0), $0) }
            if found.isEmpty { missing.append(p) } else { files += found }
        }
        return (files, missing)
    }

    /// Runs every file on `jobs` worker threads; `emit` gets each file's report text in input
    /// order, then the final summary line. Missing paths count as failures. With `isolation`,
    /// each file runs in a child process (`wasmc wast --child`), so a crash or a hang in one
    /// file is reported as that file's failure and the run goes on.
    public static func run(paths: [String], jobs: Int = 2, verbose: Bool = false, optimize: Bool = false, cpu: CPULevel = .host,
                           isolation: Isolation? = nil, emit: (String) -> Void) -> WastSummary {
        let (files, missing) = collect(paths)
        var summary = WastSummary()
        for m in missing {
            emit("FAIL \(m): no such file, or a folder without .wast or .json files")
            summary.failed += 1
        }
        let results = ResultSlots(count: files.count)
        let next = Counter()
        var workers: [ScriptThread] = []
        for _ in 0..<max(1, min(jobs, files.count)) {
            workers.append(ScriptThread {
                while let i = next.take(below: files.count) {
                    let (path, display) = files[i]
                    if let isolation {
                        results.put(i, isolation.run(path: path, display: display, verbose: verbose, optimize: optimize, cpu: cpu))
                    } else {
                        results.put(i, FileOutcome(runFile(path: path, display: display, verbose: verbose, optimize: optimize, cpu: cpu)))
                    }
                }
            })
        }
        for i in files.indices {
            let r = results.wait(i)
            emit(r.text)
            summary.passed += r.passed
            summary.failed += r.failed
            summary.skipped += r.skipped
            summary.files.append(FileCounts(name: files[i].display, passed: r.passed, failed: r.failed, skipped: r.skipped))
        }
        for w in workers { w.join() }
        emit(summary.line)
        return summary
    }
}

public struct FileCounts: Sendable, Equatable {
    public var name: String
    public var passed: Int, failed: Int, skipped: Int
}

/// A finished file: its printed report and its counts.
public struct FileOutcome: Sendable {
    public var text: String
    public var passed: Int, failed: Int, skipped: Int
    init(_ r: FileReport) {
        text = r.text
        (passed, failed, skipped) = (r.passed, r.failed, r.skipped)
    }
    init(text: String, passed: Int, failed: Int, skipped: Int) {
        self.text = text
        (self.passed, self.failed, self.skipped) = (passed, failed, skipped)
    }
}

/// Hands out indexes 0, 1, 2, ... to worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// One slot per file, filled by workers and read in order by the printer.
final class ResultSlots: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [FileOutcome?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func put(_ i: Int, _ r: FileOutcome) {
        condition.lock()
        slots[i] = r
        condition.broadcast()
        condition.unlock()
    }
    func wait(_ i: Int) -> FileOutcome {
        condition.lock()
        defer { condition.unlock() }
        while slots[i] == nil { condition.wait() }
        return slots[i]!
    }
}
