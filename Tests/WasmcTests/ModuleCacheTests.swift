import Foundation
import Testing
import WAT
@testable import Wasmc

/// The compiled-module cache: keys are SHA-256 (checked against FIPS 180-4's vectors), a second
/// load is a hit, options make another entry.
@Suite struct ModuleCacheTests {
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func secondLoadIsAHit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = ModuleCache(directory: folder.path)
        let wasm = try wat2wasm("(module (func (export \"f\") (result i32) (i32.const 42)))")
        let first = try cache.load(wasm: wasm)
        #expect(!first.hit)
        let second = try cache.load(wasm: wasm)
        #expect(second.hit)
        #expect(try Instance(module: second.module).call("f") == [.i32(42)])
        #expect(cache.entryPath(wasm: wasm, options: CompileOptions(optimize: true)) != cache.entryPath(wasm: wasm, options: CompileOptions()))
        #expect(cache.entryPath(wasm: wasm + [0], options: CompileOptions()) != cache.entryPath(wasm: wasm, options: CompileOptions()))
    }
}
