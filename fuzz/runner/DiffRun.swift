import Foundation
import Wasmc

/// The wasmc side of the differential run against Wasmtime (fuzz/diff.py holds the other side
/// and the comparison). Every module gets one shared memory `env.memory` (1..16 pages), the
/// shape `wasm-tools smith --module-shape fuzz/shape.wat` generates against; every exported
/// function takes no arguments and is called once, in name order, on the same instance.
enum DiffRun {
    /// `--optimize`: build with the system C compiler at -O2 (CompileOptions.optimize), which
    /// exploits any undefined behaviour left in the generated C.
    nonisolated(unsafe) static var options = CompileOptions()
    /// `--max-memory-pages N`: the cap diff.py also gives Wasmtime (its store's memory_size), so
    /// that growth and over-large minimums fail alike on both, and a fuzz module cannot take
    /// gigabytes of the machine.
    nonisolated(unsafe) static var limits = ResourceLimits()

    static func main(_ arguments: [String]) -> Int32 {
        var files = arguments[...]
        while let option = files.first, option.hasPrefix("--") {
            files = files.dropFirst()
            switch option {
            case "--optimize": options.optimize = true
            case "--max-memory-pages":
                guard let n = files.first.flatMap({ UInt64($0) }) else {
                    FileHandle.standardError.write(Data("error: --max-memory-pages needs a number\n".utf8))
                    return 2
                }
                limits.maxMemoryPages = n
                files = files.dropFirst()
            default:
                FileHandle.standardError.write(Data("error: unknown option \(option)\n".utf8))
                return 2
            }
        }
        // On a 512 MiB stack, like the Wasmtime side (fuzz/diff.py), so that smith's fuel rather
        // than the stack ends deep recursion on both.
        let done = DispatchSemaphore(value: 0)
        let paths = Array(files)
        let thread = Thread {
            for file in paths { print(run(file: file)) }
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()
        return 0
    }

    static func run(file: String) -> String {
        var fields = ["\"file\": \(jsonString(file))"]
        guard let data = FileManager.default.contents(atPath: file) else {
            return "{\(fields[0]), \"status\": \"unreadable\"}"
        }
        let memory: Memory
        do {
            memory = try Memory(MemoryType(limits: Limits(min: 1, max: 16), shared: true))
        } catch {
            return "{\(fields[0]), \"status\": \"host-error\", \"error\": \(jsonString("\(error)"))}"
        }
        var imports = Imports()
        imports.define(module: "env", name: "memory", .memory(memory))

        let compiled: CompiledModule
        do {
            compiled = try CompiledModule.compile(wasm: [UInt8](data), options: options)
        } catch {
            return "{\(fields[0]), \"status\": \"compile-error\", \"error\": \(jsonString("\(error)"))}"
        }
        let instance: Instance
        do {
            instance = try Instance(module: compiled, imports: imports, limits: limits)
        } catch let trap as Trap {
            fields.append("\"status\": \"instantiate-trap\", \"trap\": \(jsonString(kind(trap.code)))")
            fields.append("\"mem\": \(jsonString(hash(memory)))")
            return "{" + fields.joined(separator: ", ") + "}"
        } catch let limit as ResourceLimitError {
            // A memory or table over its cap: diff.py gives Wasmtime the same caps.
            return "{\(fields[0]), \"status\": \"resource-limit\", \"error\": \"\(limit.kind.rawValue)\"}"
        } catch is WasmException {
            // The start function threw: Wasmtime reports it as a trap of instantiation too.
            fields.append("\"status\": \"instantiate-trap\", \"trap\": \"exception\"")
            fields.append("\"mem\": \(jsonString(hash(memory)))")
            return "{" + fields.joined(separator: ", ") + "}"
        } catch {
            return "{\(fields[0]), \"status\": \"link-error\", \"error\": \(jsonString("\(error)"))}"
        }
        fields.append("\"status\": \"ok\"")
        var calls: [String] = []
        let names = compiled.module.exports.filter { $0.kind == .function }.map(\.name).sorted()
        for name in names {
            do {
                let results = try instance.call(name)
                calls.append("{\"name\": \(jsonString(name)), \"results\": [\(results.map { jsonString(format($0)) }.joined(separator: ", "))]}")
            } catch let trap as Trap {
                calls.append("{\"name\": \(jsonString(name)), \"trap\": \(jsonString(kind(trap.code)))}")
            } catch is WasmException {
                // An uncaught wasm exception (diff.py --exceptions): compared as its own class.
                calls.append("{\"name\": \(jsonString(name)), \"trap\": \"exception\"}")
            } catch {
                calls.append("{\"name\": \(jsonString(name)), \"error\": \(jsonString("\(error)"))}")
            }
        }
        fields.append("\"calls\": [\(calls.joined(separator: ", "))]")
        fields.append("\"mem\": \(jsonString(hash(memory)))")
        // The memories diff.py exported (its MEMORY_EXPORT prefix): the module's own, beside env.memory.
        let memories = compiled.module.exports.filter { $0.kind == .memory && $0.name.hasPrefix("wasmc_fuzz_mem") }.map(\.name).sorted()
        let hashes = memories.compactMap { name in instance.memory(name).map { "\(jsonString(name)): \(jsonString(CRC32.sparseHash($0)))" } }
        if !hashes.isEmpty { fields.append("\"mems\": {\(hashes.joined(separator: ", "))}") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func format(_ v: Value) -> String {
        switch v {
        case .i32(let x): "i32:\(x)"
        case .i64(let x): "i64:\(x)"
        case .f32(let x): "f32:0x" + String(x.bitPattern, radix: 16)
        case .f64(let x): "f64:0x" + String(x.bitPattern, radix: 16)
        case .funcref(let f): f == nil ? "funcref:null" : "funcref"
        case .externref(let e): e.map { "externref:\($0)" } ?? "externref:null"
        case .exnref(let e): e == nil ? "exnref:null" : "exnref"
        case .v128(let v): "v128:\(v)"
        }
    }

    /// Trap classes both engines can name (Wasmtime says "table out of bounds" where the spec
    /// says "undefined element").
    static func kind(_ code: TrapCode) -> String {
        switch code {
        case .unreachable: "unreachable"
        case .memoryOutOfBounds: "memory"
        case .tableOutOfBounds, .undefinedElement: "table"
        case .uninitializedElement: "null"
        case .indirectCallTypeMismatch: "signature"
        case .integerDivideByZero: "div0"
        case .integerOverflow: "overflow"
        case .invalidConversionToInteger: "conversion"
        case .callStackExhausted: "stack"
        case .unalignedAtomic: "unaligned"
        case .expectedSharedMemory: "expected-shared"
        case .hostError: "host"
        case .interrupted: "interrupted"
        case .nullReference, .nullFunctionReference, .nullExceptionReference: "null-reference"
        }
    }

    static func hash(_ memory: Memory) -> String {
        let pages = memory.pageCount
        let bytes = (try? memory.read(at: 0, count: Int(pages * MemoryType.pageSize))) ?? []
        return "\(pages):\(String(CRC32.checksum(bytes), radix: 16))"
    }
}
