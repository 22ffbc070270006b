import Foundation
import Testing
import WAT
@testable import Wasmc

/// Real outputs of `Compiler.compile` (what `wasmc compile` writes), both tiers and the
/// streaming path: a .so needs no symbol from the process that loads it, and still runs.
@Suite struct SharedObjectSymbolsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Multi-value results (tcc copies the result struct with memmove) and a struct of many
    /// results, plus a local-heavy function.
    static let multiValue = """
        (module
          (func (export "many") (param i64) (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0)
            (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0) (i64.const 7))
          (func (export "sum") (param i64) (result i64)
            (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (call 0 (local.get 0))
            (local.set 1) (local.set 2) (local.set 3) (local.set 4) (local.set 5) (local.set 6)
            (local.set 7) (local.set 8) (local.set 9) (local.set 10) (local.set 11) (local.set 12)
            (i64.add (local.get 1) (i64.mul (local.get 12) (i64.const 11)))))
        """

    func run(_ exe: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(exe) \(args)")
        return out
    }

    /// Undefined dynamic symbols that are not weak (`nm -D --undefined-only` lines "U name").
    func strongUndefined(_ so: String) throws -> [String] {
        try run("/usr/bin/nm", ["-D", "--undefined-only", so]).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("w ") }
    }

    @Test(arguments: [(false, false), (false, true), (true, false)])
    func compiledModulesNeedNoSymbols(optimize: Bool, streaming: Bool) throws {
        let dir = try TemporaryDirectory()
        var modules: [(String, [UInt8])] = []
        for name in ["calc", "grow", "primes"] {
            modules.append((name, try Compiler.readModule(path: Self.root.appendingPathComponent("examples/\(name).wat").path)))
        }
        modules.append(("multivalue", try wat2wasm(Self.multiValue)))
        for (name, wasm) in modules {
            let so = dir.path + "/\(name).so"
            try Compiler.compile(wasm: wasm, toSharedObject: so, emitC: nil,
                                 options: CompileOptions(optimize: optimize), streaming: streaming)
            #expect(try strongUndefined(so) == [], "\(name) (optimize: \(optimize), streaming: \(streaming))")
            if !optimize {
                let dynamic = try run("/usr/bin/readelf", ["-d", so])
                #expect(!dynamic.contains("TEXTREL") && !dynamic.contains("NEEDED"), "\(name): \(dynamic)")
            }
            let module = try CompiledModule.load(path: so)
            switch name {
            case "calc":
                let inst = try Instance(module: module)
                #expect(try inst.call("divmod", [.i32(0xFFFF_FFF9), .i32(2)]) == [.i32(0xFFFF_FFFD), .i32(0xFFFF_FFFF)])
            case "multivalue":
                let inst = try Instance(module: module)
                #expect(try inst.call("sum", [.i64(5)]) == [.i64(62)])  // 7 + 5 * 11
                #expect(try inst.call("many", [.i64(1)]).count == 12)
            default:
                #expect(module.module.exports.count > 0)
            }
        }
    }
}
