import Testing
import WAT
import WasmcDecode
import WasmcSyntax

// Hand-written malformed binaries give the spec's message and the right offset.

let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

func leb(_ value: Int) -> [UInt8] {
    var v = value, out: [UInt8] = []
    repeat {
        var b = UInt8(v & 0x7F)
        v >>= 7
        if v != 0 { b |= 0x80 }
        out.append(b)
    } while v != 0
    return out
}

func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id] + leb(content.count) + content }

/// A module with one `() -> ()` function whose body (after its locals) is `body`.
func moduleWithBody(_ body: [UInt8], locals: [UInt8] = [0x00], memory: Bool = false, extra: [UInt8] = []) -> [UInt8] {
    let code = locals + body
    return header + section(1, [0x01, 0x60, 0x00, 0x00]) + section(3, [0x01, 0x00])
        + (memory ? section(5, [0x01, 0x00, 0x01]) : []) + extra
        + section(10, [0x01] + leb(code.count) + code)
}

/// Decodes and returns the error, failing the test when there is none.
func decodeError(_ bytes: [UInt8], options: DecodeOptions = .init()) -> WasmError? {
    do {
        _ = try Decoder.decode(bytes, options: options)
        Issue.record("decoded, but should have failed")
        return nil
    } catch let e as WasmError {
        return e
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}

func expectMalformed(_ bytes: [UInt8], _ message: String, at offset: Int? = nil, function: UInt32? = nil,
                     options: DecodeOptions = .init(), sourceLocation: SourceLocation = #_sourceLocation) {
    guard let e = decodeError(bytes, options: options) else { return }
    #expect(e.kind == .malformed, sourceLocation: sourceLocation)
    #expect(e.message.hasPrefix(message), "got \(e.message)", sourceLocation: sourceLocation)
    if let offset { #expect(e.offset == offset, sourceLocation: sourceLocation) }
    #expect(e.functionIndex == function, sourceLocation: sourceLocation)
}

@Test func headerErrors() {
    expectMalformed([], "unexpected end", at: 0)
    expectMalformed([0x00, 0x61, 0x73], "unexpected end")
    expectMalformed([0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00], "magic header not detected", at: 0)
    expectMalformed([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00], "unknown binary version", at: 4)
    expectMalformed(header + [0x0E, 0x00], "malformed section id", at: 8)  // 13 is 3.0's tag section
    // Import section, then a type section: out of order.
    expectMalformed(header + section(2, [0x00]) + section(1, [0x00]), "unexpected content after last section", at: 11)
    expectMalformed(header + section(6, [0x00]) + section(6, [0x00]), "unexpected content after last section", at: 11)
    // Section longer than what follows it.
    expectMalformed(header + [0x01, 0x09, 0x00], "length out of bounds", at: 9)
    // Type section says 5 bytes but its content takes 4.
    expectMalformed(header + [0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00], "section size mismatch", at: 10)
}

@Test func leb128Limits() {
    // Function section count, as u32.
    expectMalformed(header + section(3, [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), "integer representation too long", at: 15)
    expectMalformed(header + section(3, [0x80, 0x80, 0x80, 0x80, 0x10]), "integer too large", at: 14)
    // i32.const: bits beyond 32 must match the sign.
    expectMalformed(moduleWithBody([0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1A, 0x0B]), "integer too large", function: 0)
    // i64.const -1 padded to 10 bytes is fine, 11 bytes is too long.
    let minus1: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x7F]
    #expect(throws: Never.self) { try Decoder.decode(moduleWithBody([0x42] + minus1 + [0x1A, 0x0B])) }
    expectMalformed(moduleWithBody([0x42] + Array(repeating: 0xFF, count: 10) + [0x7F, 0x1A, 0x0B]),
                    "integer representation too long", function: 0)
}

@Test func paddedPrefixedOpcodes() throws {
    // f32.const 0; 0xFC with sub-opcode 0 padded to 3 bytes (i32.trunc_sat_f32_s); drop; end.
    let m = try Decoder.decode(moduleWithBody([0x43, 0, 0, 0, 0, 0xFC, 0x80, 0x80, 0x00, 0x1A, 0x0B]))
    #expect(m.code[0].instructions.map(\.opcode) == ["f32.const", "i32.trunc_sat_f32_s", "drop", "end"].map { Opcode.named($0) })
    #expect(m.code[0].offsets.count == 4)
    expectMalformed(moduleWithBody([0xFC, 0x40, 0x0B]), "illegal opcode", function: 0)
    expectMalformed(moduleWithBody([0xFE, 0x04, 0x0B]), "illegal opcode", function: 0)
    expectMalformed(moduleWithBody([0x06, 0x0B]), "illegal opcode", function: 0)
}

@Test func simdEncodings() throws {
    // v128.const (16 bytes, little-endian halves), i8x16.shuffle, drop; f32x4.relaxed_madd is
    // sub-opcode 0x105 (two LEB128 bytes).
    let const16: [UInt8] = [0xFD, 0x0C] + Array(0..<16)
    let m = try Decoder.decode(moduleWithBody(const16 + const16 + [0xFD, 0x0D] + Array(repeating: 31, count: 16) + [0x1A, 0x0B]))
    #expect(m.code[0].instructions[0].immediate == .v128(V128(lo: 0x0706_0504_0302_0100, hi: 0x0F0E_0D0C_0B0A_0908)))
    #expect(m.code[0].instructions[2].opcode == Opcode.named("i8x16.shuffle"))
    let relaxed = try Decoder.decode(moduleWithBody(const16 + const16 + const16 + [0xFD, 0x85, 0x02, 0x1A, 0x0B]))
    #expect(relaxed.code[0].instructions[3].opcode == Opcode.named("f32x4.relaxed_madd"))
    // Errors name the function and the byte offset: an unassigned sub-opcode, a v128.const cut
    // short, a lane load missing its lane byte. The body starts at offset 22 (one local byte).
    expectMalformed(moduleWithBody([0xFD, 0xC0, 0x02, 0x0B]), "illegal opcode fd 320", at: 23, function: 0)
    expectMalformed(moduleWithBody([0xFD, 0x0C, 1, 2, 3]), "unexpected end", function: 0)
    expectMalformed(moduleWithBody([0x41, 0x00] + const16 + [0xFD, 0x54, 0x00, 0x00], memory: true), "unexpected end", function: 0)
}

@Test func functionBodies() {
    // Two local declarations of 2^31 each: 2^32 locals, one too many.
    let locals: [UInt8] = [0x02, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7E]
    expectMalformed(moduleWithBody([0x0B], locals: locals), "too many locals", function: 0)
    // memory.size with a non-zero reserved byte (2.0); in 3.0 the byte is a memory index.
    let size1 = moduleWithBody([0x3F, 0x01, 0x1A, 0x0B], memory: true)
    expectMalformed(size1, "zero byte expected", function: 0, options: DecodeOptions(threads: true, standard: .wasm2))
    #expect((try? Decoder.decode(size1))?.code.first?.instructions.first?.immediate == .index(1))
    // Missing `end` at the end of the module.
    expectMalformed(moduleWithBody([0x01]), "unexpected end", function: 0)
    // `else` outside an `if`.
    expectMalformed(moduleWithBody([0x02, 0x40, 0x05, 0x0B, 0x0B]), "END opcode expected", function: 0)
    // memory.init without a data count section.
    let initBody: [UInt8] = [0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x08, 0x00, 0x00, 0x0B]
    expectMalformed(moduleWithBody(initBody, memory: true) + section(11, [0x01, 0x01, 0x00]), "data count section required")
    #expect(throws: Never.self) {
        try Decoder.decode(moduleWithBody(initBody, memory: true, extra: section(12, [0x01])) + section(11, [0x01, 0x01, 0x00]))
    }
    // A body error names its function: one imported function comes first.
    let imports = section(2, [0x01, 0x01, 0x61, 0x01, 0x62, 0x00, 0x00])
    let code: [UInt8] = [0x00, 0xFF, 0x0B]
    let bytes = header + section(1, [0x01, 0x60, 0x00, 0x00]) + imports + section(3, [0x01, 0x00])
        + section(10, [0x01] + leb(code.count) + code)
    expectMalformed(bytes, "illegal opcode", at: bytes.count - 2, function: 1)
}

@Test func countsAndLengths() {
    expectMalformed(header + section(1, [0x01, 0x60, 0x00, 0x00]) + section(3, [0x01, 0x00]),
                    "function and code section have inconsistent lengths")
    expectMalformed(header + section(12, [0x01]), "data count and data section have inconsistent lengths")
    // A vector count beyond the bytes that remain is refused before anything is allocated.
    expectMalformed(header + section(1, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), "length out of bounds", at: 10)
    expectMalformed(header + section(2, [0x01, 0x00, 0x00, 0x05]), "malformed import kind", at: 13)  // 4 is a tag
    expectMalformed(header + section(6, [0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B]), "malformed mutability", at: 12)
    expectMalformed(header + section(4, [0x01, 0x7F, 0x00, 0x00]), "malformed reference type", at: 11)
    // GC's abstract heap types are refused by name, not as malformed bytes.
    let none = decodeError(header + section(4, [0x01, 0x71, 0x00, 0x00]))
    #expect(none?.kind == .unsupported)
    #expect(none?.message == "GC (noneref) not supported")
    #expect(none?.offset == 11)
    // Export name with a lone continuation byte.
    expectMalformed(header + section(7, [0x01, 0x01, 0x80, 0x00, 0x00]), "malformed UTF-8 encoding", at: 11)
    // Surrogate (ED A0 80) and overlong (C0 80) encodings are malformed too.
    expectMalformed(header + section(7, [0x01, 0x03, 0xED, 0xA0, 0x80, 0x00, 0x00]), "malformed UTF-8 encoding")
    expectMalformed(header + section(7, [0x01, 0x02, 0xC0, 0x80, 0x00, 0x00]), "malformed UTF-8 encoding")
}

@Test func limitsFlagsPerMode() {
    let shared = header + section(5, [0x01, 0x03, 0x01, 0x02])
    #expect((try? Decoder.decode(shared))?.memories == [MemoryType(limits: Limits(min: 1, max: 2), shared: true)])
    let plain2 = DecodeOptions(threads: false, standard: .wasm2)
    expectMalformed(shared, "integer too large", at: 11, options: plain2)
    expectMalformed(header + section(5, [0x01, 0x81, 0x00, 0x00]), "malformed limits flag", at: 11)
    expectMalformed(header + section(5, [0x01, 0x81, 0x00, 0x00]), "integer representation too long", options: plain2)
    // 3.0: flag bit 2 is an i64 address type, with u64 limits; 2.0 with threads refuses it.
    let memory64 = header + section(5, [0x01, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20])
    #expect((try? Decoder.decode(memory64))?.memories == [MemoryType(limits: Limits(min: 1, max: 1 << 33), address: .i64)])
    expectMalformed(memory64, "malformed limits flag", at: 11, options: DecodeOptions(threads: true, standard: .wasm2))
    expectMalformed(header + section(4, [0x01, 0x70, 0x02, 0x00]), "tables cannot be shared")
}

@Test func metadataOnlyAllowsMissingCode() throws {
    let bytes = header + section(1, [0x01, 0x60, 0x00, 0x00]) + section(3, [0x02, 0x00, 0x00])
        + section(7, [0x01, 0x01, 0x66, 0x00, 0x01])
    let m = try Decoder.decode(bytes, options: DecodeOptions(metadataOnly: true))
    #expect(m.functions == [0, 0])
    #expect(m.code.isEmpty)
    #expect(m.exports == [Export(name: "f", kind: .function, index: 1)])
    expectMalformed(bytes, "function and code section have inconsistent lengths")
}

@Test func malformedNameSectionIsIgnored() throws {
    // A `name` custom section whose function-name subsection runs past its end.
    let custom = [0x04] + Array("name".utf8) + [0x01, 0x05, 0x01, 0x00, 0x09, 0x61]
    let m = try Decoder.decode(header + section(0, custom))
    #expect(m.functionNames.isEmpty)
    #expect(m.customSections.first?.name == "name")
}

/// Truncations and byte substitutions of a real module must all end in a thrown `WasmError`
/// or a decoded module: never a crash.
@Test func hostileBytesNeverCrash() throws {
    let valid = try wat2wasm("""
        (module (type (func (param i32) (result i32))) (import "a" "b" (func (type 0)))
          (memory 1 2) (table 2 funcref) (global (mut i64) (i64.const 7))
          (func (type 0) (block (result i32) (local.get 0) (br_if 0 (i32.const 1)) (i32.load offset=3)))
          (elem (i32.const 0) 0 1) (data (i32.const 1) "xyz") (export "f" (func 1)))
        """)
    #expect(throws: Never.self) { try Decoder.decode(valid) }
    var thrown = 0
    for n in 0..<valid.count {
        do { _ = try Decoder.decode(Array(valid[0..<n])) } catch is WasmError { thrown += 1 }
    }
    // Only four cuts leave a well-formed module: after the header, after the type section,
    // after the import section, and just before the data section.
    #expect(valid.count - thrown == 4)
    // Each substitution is decoded or rejected with a WasmError (anything else thrown fails
    // the test) whose offset lies within the input; both outcomes occur.
    var decoded = 0, rejected = 0, badOffsets: [String] = []
    for i in 8..<valid.count {
        for v: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF, valid[i] &+ 1] where v != valid[i] {
            var bytes = valid
            bytes[i] = v
            do {
                _ = try Decoder.decode(bytes)
                decoded += 1
            } catch let e as WasmError {
                rejected += 1
                if let offset = e.offset, offset > bytes.count { badOffsets.append("byte \(i) = \(v): \(e)") }
            }
        }
    }
    #expect(decoded > 0 && rejected > decoded, "decoded \(decoded), rejected \(rejected)")
    #expect(badOffsets.isEmpty, "\(badOffsets.prefix(3))")
}

/// Nesting depth is data, not recursion: 100 000 nested blocks decode without deep stacks.
@Test func deepNestingDecodes() throws {
    let depth = 100_000
    let body = Array(repeating: [UInt8]([0x02, 0x40]), count: depth).flatMap { $0 }
        + [UInt8](repeating: 0x0B, count: depth + 1)
    let m = try Decoder.decode(moduleWithBody(body))
    #expect(m.code[0].instructions.count == 2 * depth + 1)
    #expect(m.code[0].offsets.last == UInt32(m.code[0].offset) + UInt32(leb(body.count + 1).count + 1 + body.count - 1))
}
