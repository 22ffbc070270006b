import Foundation
import Testing
import WAT
@testable import Wasmc

/// The large-module path: the C is lowered on a second thread and read by libtcc through a
/// pipe as it is written (`Pipeline.translateStreaming`), in memory and to a shared object.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct StreamingCompileTests {
    /// Enough functions for several 1 MiB chunks of C, so the pipe fills and tcc waits on it.
    static let many: String = {
        var s = "(module\n"
        for i in 0..<6000 {
            s += "  (func $f\(i) (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const \(i))) (i32.const \(i % 7))))\n"
        }
        s += "  (func (export \"sum\") (param i32) (result i32)\n"
        s += "    (i32.add (call $f5999 (local.get 0)) (call $f3 (local.get 0))))\n"
        s += "  (func (export \"div\") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))\n"
        return s
    }()

    @Test func inMemory() throws {
        let wasm = try wat2wasm(Self.many)
        let c = try Compiler.lowerToC(wasm: wasm)
        #expect(c.utf8.count > 3 << 19)  // two chunks of 1 MiB at least
        let inst = try Instance(module: CompiledModule.compile(wasm: wasm, options: .init(), streaming: true))
        let expected: UInt32 = 2 * 5999 + 5999 % 7 + 2 * 3 + 3
        #expect(try inst.call("sum", [.i32(2)]) == [.i32(expected)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(1), .i32(0)]) }
    }

    @Test func sharedObject() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/many.so"
        try Compiler.compile(wasm: wat2wasm(Self.many), toSharedObject: path, emitC: nil, options: .init(), streaming: true)
        let inst = try Instance(module: CompiledModule.load(path: path))
        let expected: UInt32 = 5999 + 5999 % 7 + 3 + 3
        #expect(try inst.call("sum", [.i32(1)]) == [.i32(expected)])
    }

    @Test func smallModulesStreamToo() throws {
        let wasm = try wat2wasm(EndToEndTests.arithmetic)
        let inst = try Instance(module: CompiledModule.compile(wasm: wasm, options: .init(), streaming: true))
        #expect(try inst.call("fact", [.i64(20)]) == [.i64(2_432_902_008_176_640_000)])
    }

    /// A lowering error while libtcc waits on the pipe: the lowering's error is reported.
    @Test func loweringErrorWins() throws {
        let wasm = try wat2wasm("(module (func (export \"f\") (param v128)))")
        #expect {
            _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: true)
        } throws: { "\($0)".contains("SIMD") }
    }

    /// libtcc stops reading at its first error: the producer must still finish (drained), and
    /// tcc's error is reported.
    @Test func consumerErrorDoesNotBlockTheProducer() throws {
        let garbage = [UInt8](repeating: UInt8(ascii: "}"), count: 4 << 20)
        #expect {
            _ = try CStream.run({ write in
                for _ in 0..<3 { try garbage.withUnsafeBufferPointer { try write($0) } }
            }, { try Tcc.compileInMemory(path: $0) })
        } throws: { "\($0)".contains("tcc:") }
    }

    /// The lean stdint declarations (no system headers) give the same layout as the real ones.
    @Test func leanHeadersCompile() throws {
        let source = Pipeline.tccSource("#include \"wasmc_abi.h\"\n#include \"wasmc_prelude.h\"\n"
            + "int ok[sizeof(uint64_t) == 8 && sizeof(size_t) == 8 && sizeof(uintptr_t) == 8 && offsetof(wasmc_descriptor, abi_version) == 4 ? 1 : -1];\n")
        #expect(!String(decoding: source, as: UTF8.self).contains("#include <stdint.h>"))
        #expect(Pipeline.inlineHeaders("#include \"wasmc_abi.h\"\n").contains("#include <stdint.h>"))
        let dir = try TemporaryDirectory()
        try Tcc.compileSharedObject(bytes: source, path: dir.path + "/lean.so")
    }
}

/// What libtcc is given for a small module: the prelude's atomics only when called.
@Suite struct TccInputTests {
    @Test func atomicsPartIsSelfContained() throws {
        let full = String(decoding: Pipeline.preludeText, as: UTF8.self)
        let without = String(decoding: Pipeline.preludeWithoutAtomics, as: UTF8.self)
        #expect(without.utf8.count < full.utf8.count - 2000)
        #expect(!without.contains("wasmc_atomic_") && without.hasSuffix("#endif\n"))
        // Every name the left-out part defines is one the check in `tccSource` looks for
        // (wasmc_atomic_...) or one only that part uses.
        let begin = full.range(of: "/* wasmc:atomics-begin")!, end = full.range(of: "/* wasmc:atomics-end */")!
        let part = full[begin.lowerBound..<end.upperBound]
        for line in part.split(separator: "\n") where line.hasPrefix("WASMC_FN") || line.hasPrefix("#define") {
            let words = line.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "#" })
            let name = line.hasPrefix("#define") ? words[1] : words.first { $0.hasPrefix("wasmc_") }!
            #expect(["wasmc_atomic_", "wasmc_cas", "wasmc_xchg", "WASMC_ALIGNED", "WASMC_CAS", "WASMC_ATOMIC"].contains { name.hasPrefix($0) },
                    "\(name)")
        }
    }

    @Test func atomicsOnlyWhenCalled() throws {
        let plain = String(decoding: Pipeline.tccSource("#include \"wasmc_abi.h\"\n#include \"wasmc_prelude.h\"\nint x;\n"), as: UTF8.self)
        #expect(!plain.contains("lock cmpxchg"))
        let atomic = String(decoding: Pipeline.tccSource("#include \"wasmc_abi.h\"\n#include \"wasmc_prelude.h\"\nvoid *p = (void *)wasmc_atomic_fence;\n"), as: UTF8.self)
        #expect(atomic.contains("lock cmpxchg"))
        let dir = try TemporaryDirectory()
        try Tcc.compileSharedObject(bytes: Array(atomic.utf8) + [0], path: dir.path + "/a.so")
    }
}

/// An invalid module on the streaming path (bodies decoded and validated one at a time) is
/// reported with the error the whole-module path reports.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct StreamingErrorTests {
    static let invalid: [String] = [
        // A type error in the 3rd function, and an export of an unknown function: validation of
        // the bodies comes first on the whole-module path.
        "(module (func) (func) (func (result i32) (i64.const 1)) (export \"x\" (func 0)))",
        "(module (func (result i32) (i32.const 1)) (func (drop (f32.add (i32.const 1) (f32.const 2)))))",
        "(module (memory 1) (func (param i32) (i32.store (local.get 0))))",
    ]

    @Test(arguments: invalid)
    func sameErrorAsWholeModule(_ wat: String) throws {
        let wasm = try wat2wasm(wat)
        let whole = try #require(throws: (any Error).self) { _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: false) }
        let streamed = try #require(throws: (any Error).self) { _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: true) }
        #expect("\(streamed)" == "\(whole)")
    }

    @Test func malformedBody() throws {
        var wasm = try wat2wasm("(module (func) (func (drop (i32.const 1))) (func (result i64) (i32.const 0)))")
        wasm[wasm.lastIndex(of: 0x41)!] = 0xFF  // unknown opcode in the last body: malformed
        let whole = try #require(throws: (any Error).self) { _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: false) }
        let streamed = try #require(throws: (any Error).self) { _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: true) }
        #expect("\(streamed)" == "\(whole)")
    }
}

/// The bytes libtcc reads on the streaming path are the whole-module path's C (lean headers,
/// full prelude), byte for byte.
@Test func streamedBytesAreTheWholeModuleC() throws {
    let wasm = try wat2wasm(StreamingCompileTests.many)
    let (_, streamed) = try Pipeline.translateStreaming(wasm: wasm, options: .init()) { path in
        try #require(FileHandle(forReadingAtPath: path)).readDataToEndOfFile()
    }
    let whole = Pipeline.inlineHeaderBytes(try Pipeline.translate(wasm: wasm, options: .init()).1, lean: true)
    #expect(streamed.count == whole.count)
    #expect([UInt8](streamed) == whole)
}

/// The same on any module: `WASMC_STREAM_CHECK=benchmarks/build/large.wasm swift test --filter
/// streamedBytesOfAFile` (the benchmark's large module is not checked in).
@Test(.enabled(if: ProcessInfo.processInfo.environment["WASMC_STREAM_CHECK"] != nil))
func streamedBytesOfAFile() throws {
    let wasm = try Compiler.readModule(path: ProcessInfo.processInfo.environment["WASMC_STREAM_CHECK"]!)
    let (_, streamed) = try Pipeline.translateStreaming(wasm: wasm, options: .init()) { path in
        try #require(FileHandle(forReadingAtPath: path)).readDataToEndOfFile()
    }
    let whole = Pipeline.inlineHeaderBytes(try Pipeline.translate(wasm: wasm, options: .init()).1, lean: true)
    #expect(streamed.count == whole.count)
    #expect([UInt8](streamed) == whole)
}
