import Foundation
import Testing
import WAT
import WasmcLower
@testable import Wasmc

/// The large-module path: the C is lowered on a second thread and read by libtcc through a
/// pipe as it is written (`Pipeline.translateStreaming`), in memory and to a shared object.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct StreamingCompileTests {
    /// Enough functions for several 1 MiB chunks of C, so the pipe fills and tcc waits on it.
    static let many: String = {
        var s = "(module\n"
        for i in 0..<9000 {
            s += "  (func $f\(i) (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const \(i))) (i32.const \(i % 7))))\n"
        }
        s += "  (func (export \"sum\") (param i32) (result i32)\n"
        s += "    (i32.add (call $f8999 (local.get 0)) (call $f3 (local.get 0))))\n"
        s += "  (func (export \"div\") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))\n"
        return s
    }()

    @Test func inMemory() throws {
        let wasm = try wat2wasm(Self.many)
        let c = try Compiler.lowerToC(wasm: wasm)
        #expect(c.utf8.count > 3 << 19)  // two chunks of 1 MiB at least
        let inst = try Instance(module: CompiledModule.compile(wasm: wasm, options: .init(), streaming: true))
        let expected: UInt32 = 2 * 8999 + 8999 % 7 + 2 * 3 + 3
        #expect(try inst.call("sum", [.i32(2)]) == [.i32(expected)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("div", [.i32(1), .i32(0)]) }
    }

    @Test func sharedObject() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/many.so"
        try Compiler.compile(wasm: wat2wasm(Self.many), toSharedObject: path, emitC: nil, options: .init(), streaming: true)
        let inst = try Instance(module: CompiledModule.load(path: path))
        let expected: UInt32 = 8999 + 8999 % 7 + 3 + 3
        #expect(try inst.call("sum", [.i32(1)]) == [.i32(expected)])
    }

    @Test func smallModulesStreamToo() throws {
        let wasm = try wat2wasm(EndToEndTests.arithmetic)
        let inst = try Instance(module: CompiledModule.compile(wasm: wasm, options: .init(), streaming: true))
        #expect(try inst.call("fact", [.i64(20)]) == [.i64(2_432_902_008_176_640_000)])
    }

    /// A lowering error while libtcc waits on the pipe: the lowering's error is reported.
    @Test func loweringErrorWins() throws {
        let locals = String(repeating: " i32", count: Int(Lowerer.maxLocalsPerFunction) + 1)
        let wasm = try wat2wasm("(module (func (export \"f\") (local\(locals))))")
        #expect {
            _ = try CompiledModule.compile(wasm: wasm, options: .init(), streaming: true)
        } throws: { "\($0)".contains("too many locals") }
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
        let source = TccInputTests.forTcc(
            "int ok[sizeof(uint64_t) == 8 && sizeof(size_t) == 8 && sizeof(uintptr_t) == 8 && offsetof(wasmc_descriptor, abi_version) == 4 ? 1 : -1];\n",
            names: [])
        #expect(!String(decoding: source, as: UTF8.self).contains("#include <stdint.h>"))
        #expect(CAssembly.selfContained(GeneratedC(head: CHead(preamble: "", headers: [.abi]), code: "")).contains("#include <stdint.h>"))
        let dir = try TemporaryDirectory()
        try Tcc.compileSharedObject(bytes: source, path: dir.path + "/lean.so")
    }
}

/// What libtcc is given for a small module: of the prelude's optional parts, only those the
/// code names, with what they need.
@Suite struct TccInputTests {
    /// The libtcc input for hand-written `code` after the runtime headers, with the prelude
    /// parts defining `names`.
    static func forTcc(_ code: String, headers: [RuntimeHeader] = [.abi, .prelude], names: [String]) -> [UInt8] {
        CAssembly.forTcc(GeneratedC(head: CHead(preamble: "", headers: headers), code: code), preludeNames: names)
    }

    static func identifiers(_ s: Substring) -> [Substring] {
        s.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
    }

    /// The function a `WASMC_FN type name(...)` line defines.
    static func definedFunction(_ line: Substring) -> Substring {
        identifiers(line[..<line.firstIndex(of: "(")!]).last!
    }

    /// The markers parse into parts that cover the optional region; each part defines the
    /// names its marker lists (every function and macro it defines is listed) and needs every
    /// other part whose names it uses, before it; #if/#endif are balanced within a part.
    @Test func partsAreSelfDescribing() throws {
        let parts = PreludeParts.shared
        #expect(parts.count > 50)
        let full = String(decoding: HeaderTexts.prelude, as: UTF8.self)
        #expect(full.contains("/* wasmc:parts-end */\n#endif"))
        func defines(_ names: [String], _ id: Substring) -> Bool {
            names.contains { $0.hasSuffix("*") ? id.hasPrefix($0.dropLast()) : id == $0 }
        }
        // The head (always given) uses no part's names: a part is kept only for what the code names.
        let head = full[..<full.range(of: "/* wasmc:part ")!.lowerBound]
        var headCode = ""
        for line in head.split(separator: "\n") where !line.drop(while: { $0 == " " }).hasPrefix("/*") { headCode += line + "\n" }
        for i in 0..<parts.count {
            let names = parts.names(ofPart: i)
            #expect(!Self.identifiers(headCode[...]).contains { defines(names, $0) }, "the head uses \(names)")
        }
        for i in 0..<parts.count {
            let text = parts.text(ofPart: i), names = parts.names(ofPart: i)
            #expect(text.hasPrefix("/* wasmc:part ") && !names.isEmpty, "part \(i)")
            let marker = text[..<text.range(of: "*/")!.upperBound]
            let body = text[marker.endIndex...]
            var depth = 0
            for line in body.split(separator: "\n") {
                let l = line.drop { $0 == " " }
                if l.hasPrefix("#if") { depth += 1 }
                if l.hasPrefix("#endif") { depth -= 1 }
                #expect(depth >= 0, "\(names)")
                // What the part defines, it lists.
                if l.hasPrefix("WASMC_FN ") || l.hasPrefix("#define ") || l.hasPrefix("typedef union") {
                    let ids = Self.identifiers(l.hasPrefix("typedef") ? line.split(separator: "}").last! : l)
                    let defined = l.hasPrefix("#define") ? ids[1] : l.hasPrefix("typedef") ? ids[0] : Self.definedFunction(l)
                    #expect(defines(names, defined) || names.contains("wasmc_atomic_*"), "\(defined) in part \(names)")
                }
            }
            #expect(depth == 0, "\(names)")
            // What it uses from other parts, it needs (those come first).
            let needs = marker.contains(" needs ") ? Self.identifiers(marker[marker.range(of: " needs ")!.upperBound...]).map(String.init) : []
            var code = ""
            for line in body.split(separator: "\n") where !line.drop(while: { $0 == " " }).hasPrefix("/*") { code += line + "\n" }
            for j in 0..<parts.count where j != i {
                let other = parts.names(ofPart: j)
                let used = Self.identifiers(code[...]).contains { defines(other, $0) }
                #expect(used == other.contains { needs.contains($0) }, "part \(names) and part \(other)")
                if used { #expect(j < i, "\(names) needs the later \(other)") }
            }
        }
    }

    /// Each helper function, named alone, compiles and links with what it is given (in
    /// memory, where a missing helper is an undefined symbol).
    @Test func everyHelperCompilesAlone() throws {
        let parts = PreludeParts.shared
        var checked = 0
        for i in 0..<parts.count {
            for line in parts.text(ofPart: i).split(separator: "\n") where line.hasPrefix("WASMC_FN ") {
                let name = Self.definedFunction(line)
                let c = Self.forTcc("void *p = (void *)\(name);\nconst int wasmc_module_descriptor = 0;\n",
                                           names: [String(name)])
                let text = String(decoding: c, as: UTF8.self)
                #expect(!text.contains("wasmc_i32_popcnt") || name == "wasmc_i32_popcnt")
                _ = try Tcc.compileInMemory(bytes: c)
                checked += 1
            }
        }
        #expect(checked > 60)
    }

    /// In memory without the libc link step (-nostdlib): what tcc calls on its own (memset for
    /// a zeroed local, memmove for a struct copy) and libtcc1.a's conversions link and work.
    @Test func implicitCallsLinkWithoutLibc() throws {
        let c = Self.forTcc("""
            typedef struct { u64 a[40]; } big;
            big g1, g2;
            u64 f(u64 v) { big x = {0}; x.a[39] = v; g2 = x; g1 = g2; return g1.a[39] + g1.a[0] + g2.a[20]; }
            f64 d(u64 v) { return (f64)v; }
            u64 e(f64 v) { return (u64)v; }
            void *wasmc_module_descriptor[3] = { (void *)f, (void *)d, (void *)e };

            """, names: [])
        let code = try Tcc.compileInMemory(bytes: c)
        let table = UnsafeRawPointer(code.descriptor).assumingMemoryBound(to: UnsafeRawPointer.self)
        let f = unsafeBitCast(table[0], to: (@convention(c) (UInt64) -> UInt64).self)
        let d = unsafeBitCast(table[1], to: (@convention(c) (UInt64) -> Double).self)
        let e = unsafeBitCast(table[2], to: (@convention(c) (Double) -> UInt64).self)
        #expect(f(42) == 42)
        #expect(d(0x8000_0000_0000_0001) == 9_223_372_036_854_775_808.0)  // above Int64.max: libtcc1
        #expect(e(1e19) == 10_000_000_000_000_000_000)
        withExtendedLifetime(code) {}
    }

    /// A C error inside a function with labels, then more compiles: tcc leaves the aborted
    /// function's labels on its process-wide label stacks (freed memory once the state is
    /// deleted), and the next function with a label crashed in `label_pop` (found by the
    /// all-features fuzz run, whose modules all failed to compile until a lowering fix).
    @Test func compilingAfterACErrorInAFunctionWithLabels() throws {
        let bad = "struct s { int a; }; int f(int x) { struct s v; L: v = x; if (x) goto L; return 0; }\n"
        let good = "int g(int x) { M: if (x) { x--; goto M; } return x; }\nvoid *wasmc_module_descriptor[1] = { (void *)g };\n"
        for _ in 0..<3 {
            #expect { _ = try Tcc.compileInMemory(bad) } throws: { "\($0)".contains("cannot convert") }
            for _ in 0..<2 {
                let code = try Tcc.compileInMemory(good)
                let g = unsafeBitCast(UnsafeRawPointer(code.descriptor).assumingMemoryBound(to: UnsafeRawPointer.self)[0],
                                      to: (@convention(c) (Int32) -> Int32).self)
                #expect(g(5) == 0)
                withExtendedLifetime(code) {}
            }
        }
    }

    @Test func onlyNamedPartsAndTheirNeeds() throws {
        let plain = String(decoding: Self.forTcc("int x;\n", names: []), as: UTF8.self)
        #expect(!plain.contains("/* wasmc:part ") && plain.contains("WASMC_TRAP") && plain.hasSuffix("#endif\n\nint x;\n\0"))
        let floor = String(decoding: Self.forTcc("f32 f(f32 x) { return wasmc_f32_floor(x); }\n",
                                                        names: ["wasmc_f32_floor"]), as: UTF8.self)
        for name in ["wasmc_f32_floor", "wasmc_f32_abs", "wasmc_f32_copysign", "wasmc_bits32"] { #expect(floor.contains("wasmc:part \(name)")) }
        for name in ["wasmc_f32_ceil", "wasmc_f64_abs", "wasmc_bits64", "wasmc_atomic_"] { #expect(!floor.contains(name)) }
        // A longer name with a helper's name as its start is not that helper.
        let longer = String(decoding: Self.forTcc("int wasmc_f32_floorx;\n", names: ["wasmc_f32_floorx"]),
                            as: UTF8.self)
        #expect(!longer.contains("/* wasmc:part "))
        // Without the prelude header, no prelude.
        let none = String(decoding: Self.forTcc("int wasmc_f32_abs;\n", headers: [.abi], names: ["wasmc_f32_abs"]),
                          as: UTF8.self)
        #expect(!none.contains("WASMC_FN"))
    }

    @Test func atomicsOnlyWhenCalled() throws {
        let plain = String(decoding: Self.forTcc("int x;\n", names: []),
                           as: UTF8.self)
        #expect(!plain.contains("lock cmpxchg"))
        let atomic = String(decoding: Self.forTcc("void *p = (void *)wasmc_atomic_fence;\n",
                                                         names: ["wasmc_atomic_fence"]), as: UTF8.self)
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

/// The C the streaming path sends, from the whole-module path's parts: lean ABI header, the
/// whole prelude, the vector library (streaming cannot know beforehand whether code uses v128),
/// the code.
func wholeModuleTccHeadAndCode(_ wasm: [UInt8]) throws -> [UInt8] {
    let c = try Pipeline.translate(wasm: wasm, options: .init()).1
    #expect(!c.head.headers.contains(.simd))
    var head = c.head
    head.headers.append(.simd)
    return CAssembly.tccHead(head) + Array(c.code.utf8)
}

/// The bytes libtcc reads on the streaming path are the whole-module path's C (lean headers,
/// full prelude), byte for byte.
@Test func streamedBytesAreTheWholeModuleC() throws {
    let wasm = try wat2wasm(StreamingCompileTests.many)
    let (_, streamed) = try Pipeline.translateStreaming(wasm: wasm, options: .init()) { path in
        try #require(FileHandle(forReadingAtPath: path)).readDataToEndOfFile()
    }
    let whole = try wholeModuleTccHeadAndCode(wasm)
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
    let whole = try wholeModuleTccHeadAndCode(wasm)
    #expect(streamed.count == whole.count)
    #expect([UInt8](streamed) == whole)
}
