import Foundation
import Testing
import WasmcRuntime
@testable import Wasmc

/// Files that are not loadable compiled modules: each refused with a message naming the file
/// and what is wrong, never a crash inside the dynamic loader.
@Suite struct LoaderErrorTests {
    func sharedObject(_ c: String, in dir: TemporaryDirectory, name: String) throws -> String {
        let path = dir.path + "/\(name).so"
        try Tcc.compileSharedObject(c, path: path)
        return path
    }

    func loadError(_ path: String) -> String {
        do {
            _ = try CompiledModule.load(path: path)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func noDescriptor() throws {
        let dir = try TemporaryDirectory()
        let so = try sharedObject("int some_other_symbol = 1;", in: dir, name: "plain")
        #expect(loadError(so) == "\(so): not a wasmc module (no wasmc_module_descriptor)")
    }

    @Test func badMagicAndVersionMismatch() throws {
        let dir = try TemporaryDirectory()
        let magic = try sharedObject("struct { unsigned magic, abi; } wasmc_module_descriptor = { 0x12345678u, 2u };", in: dir, name: "magic")
        #expect(loadError(magic) == "not a wasmc module descriptor (bad magic)")
        let version = try sharedObject("struct { unsigned magic, abi; } wasmc_module_descriptor = { 0x434D5357u, 999u };", in: dir, name: "version")
        #expect(loadError(version).hasPrefix("module was compiled for wasmc ABI version 999, this loader supports \(WASMC_ABI_VERSION)"),
                "\(loadError(version))")
    }

    /// A feature no CPU has (a bit wasmc does not define), checked against the real CPU.
    @Test func aFeatureTheCPULacksIsRefusedByName() throws {
        let dir = try TemporaryDirectory()
        let so = try sharedObject("struct { unsigned magic, abi, cpu; } wasmc_module_descriptor = { 0x434D5357u, \(WASMC_ABI_VERSION)u, 0x80000000u | \(WASMC_CPU_SSE3.rawValue)u };", in: dir, name: "cpu")
        let error = loadError(so)
        #expect(error.hasPrefix("module was compiled for CPU features this CPU lacks: \(CPUFeatures.host.contains(CPUFeatures(WASMC_CPU_SSE3)) ? "" : "SSE3 ")bit 31 ("), "\(error)")
    }

    @Test func damagedFilesAreRefusedBeforeDlopen() throws {
        let dir = try TemporaryDirectory()
        let good = dir.path + "/calc.so"
        try Compiler.compile(wasm: try Compiler.readModule(path: SharedObjectSymbolsTests.root.appendingPathComponent("examples/calc.wat").path),
                             toSharedObject: good)
        let bytes = try InputFile.read(good)
        func variant(_ name: String, _ b: [UInt8]) throws -> String {
            let path = dir.path + "/\(name).so"
            try Data(b).write(to: URL(fileURLWithPath: path))
            return loadError(path)
        }
        #expect(try variant("empty", []).hasSuffix("not a loadable compiled module: not an ELF file"))
        #expect(try variant("text", Array("hello".utf8)).hasSuffix("not an ELF file"))
        #expect(try variant("header", Array(bytes[0..<40])).hasSuffix("truncated ELF header (40 bytes)"))
        let truncated = try variant("truncated", Array(bytes[0..<1000]))
        #expect(truncated.contains("truncated.so: not a loadable compiled module: truncated: segment"), "\(truncated)")
        #expect(truncated.hasSuffix("the file has 1000"), "\(truncated)")
        var farHeaders = bytes
        farHeaders[32] = 0xFF; farHeaders[33] = 0xFF; farHeaders[34] = 0xFF  // e_phoff past the end
        #expect(try variant("phoff", farHeaders).contains("truncated: program headers end at byte"))
        var notShared = bytes
        notShared[16] = 2  // ET_EXEC
        #expect(try variant("exec", notShared).hasSuffix("not a shared object (ELF type 2)"))
        // No prefix of the file crashes the process: one that cuts into a segment is refused;
        // one that only loses section headers (which the dynamic loader never reads) loads.
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            let message = try variant("cut", Array(bytes[0..<cut]))
            if cut <= 1000 {
                #expect(message.contains("not a loadable compiled module"), "cut at \(cut): \(message)")
            } else {
                #expect(message == "loaded" || message.contains("not a loadable compiled module"), "cut at \(cut): \(message)")
            }
        }
        #expect(try variant("whole", bytes) == "loaded")
    }
}
