import Foundation
import Testing
import WAT
import WasmcSyntax
@testable import Wasmc
@testable import WasmcLower

// The prelude parts libtcc gets come from what the lowering recorded it printed (PreludeUse),
// not from the C text. Checked here against the C: every `wasmc_` name in it selects no part
// the record does not (nothing missing), and the record selects no part the C does not name
// (nothing extra).
@Suite struct PreludeUseTests {
    static func names(in c: String) -> [String] {
        var names: [String] = []
        let b = Array(c.utf8)
        let stem = Array("wasmc_".utf8)
        func ident(_ x: UInt8) -> Bool { x == 95 || (x >= 48 && x <= 57) || (x | 32 >= 97 && x | 32 <= 122) }
        var i = 0
        while i + stem.count <= b.count {
            if b[i..<(i + stem.count)].elementsEqual(stem) && (i == 0 || !ident(b[i - 1])) {
                var e = i + stem.count
                while e < b.count && ident(b[e]) { e += 1 }
                names.append(String(decoding: b[i..<e], as: UTF8.self))
                i = e
            } else {
                i += 1
            }
        }
        return names
    }

    func check(_ wasm: [UInt8], _ what: String) throws {
        let c = try Pipeline.translate(wasm: wasm, options: .init()).1
        let parts = PreludeParts.shared
        let recorded = parts.select(names: c.prelude.names)
        let named = parts.select(names: Self.names(in: c.code))
        for i in 0..<parts.count where recorded[i] != named[i] {
            Issue.record("\(what): part \(parts.names(ofPart: i)) recorded \(recorded[i]), named in the C \(named[i])")
        }
    }

    /// Every numeric instruction of the opcode table, each in its own function.
    static var everyNumericInstruction: String {
        var funcs = ""
        for e in OpcodeTable.entries {
            switch e.kind {
            case .unary(let t, let r): funcs += "(func (param \(t) \(t)) (result \(r)) local.get 0 \(e.name))\n"
            case .binary(let t, let r): funcs += "(func (param \(t) \(t)) (result \(r)) local.get 0 local.get 1 \(e.name))\n"
            default: break
            }
        }
        return "(module \(funcs))"
    }

    @Test func recordMatchesTheNumericHelpersNamed() throws {
        try check(wat2wasm(Self.everyNumericInstruction), "every numeric instruction")
        // One helper alone: the record is not "everything".
        let c = try Pipeline.translate(wasm: wat2wasm("(module (func (param f32) (result f32) local.get 0 f32.floor))"),
                                       options: .init()).1
        #expect(c.prelude.names == ["wasmc_f32_floor"])
    }

    @Test func recordMatchesTheOtherHelpersNamed() throws {
        try check(wat2wasm("""
            (module
              (memory 1 1 shared) (table 2 funcref) (type $t (func (result i32)))
              (data "ab") (elem func $f)
              (func $f (result i32) (i32.const 1))
              (func (export "all") (param i32) (result i32)
                (drop (table.get 0 (local.get 0)))
                (table.set 0 (local.get 0) (ref.null func))
                (drop (call_indirect (type $t) (local.get 0)))
                (data.drop 0) (elem.drop 0)
                (drop (memory.size))
                (drop (f32.add (f32.const nan) (f32.const -0)))
                (drop (f64.add (f64.const inf) (f64.const 1)))
                (i32.atomic.rmw.add (local.get 0) (i32.const 1))))
            """), "tables, segments, memory size, float bit patterns, atomics")
        try check(wat2wasm("(module (memory 1) (func (export \"f\") (result i32) (memory.size)))"), "an owned memory's size")
        try check(wat2wasm("(module (memory 1 1 shared) (func (export \"f\") (result i32) (memory.size)))"), "a shared memory's size")
        try check(wat2wasm("(module (table 1 funcref) (func (export \"f\") (table.set 0 (i32.const 0) (ref.null func))))"), "table.set")
    }

    @Test func recordMatchesForTheKernels() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../benchmarks/wasm")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".wasm") }.sorted()
        #expect(files.count >= 8)
        for f in files {
            try check(Array(try Data(contentsOf: dir.appendingPathComponent(f))), f)
        }
    }
}
