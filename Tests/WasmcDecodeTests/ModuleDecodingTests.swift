import Testing
import WAT
import struct WasmParser.WasmFeatureSet
import WasmcDecode
import WasmcSyntax

// Modules written as text, encoded by WasmKit's wat2wasm, decode to the expected `Module`.

private func decode(_ wat: String, features: WasmFeatureSet = .default) throws -> Module {
    try Decoder.decode(try wat2wasm(wat, features: features))
}

private func op(_ name: String, _ imm: Immediate = .none) -> Instruction { Instruction(.named(name), imm) }

@Test func sectionsDecode() throws {
    let m = try decode("""
        (module
          (type $t (func (param i32 i64) (result f32)))
          (import "env" "f" (func $f (type $t)))
          (import "env" "tab" (table 1 10 funcref))
          (import "env" "mem" (memory 1 2))
          (import "env" "g" (global $g (mut i32)))
          (func $own (param i32) (result i32) (local i64 i64 f64) local.get 0)
          (table $t2 2 externref)
          (global $h i64 (i64.const -5))
          (export "own" (func $own))
          (export "h" (global $h))
          (start $own2)
          (func $own2)
          (elem (i32.const 0) $own)
          (data (i32.const 8) "hi")
        )
        """)
    #expect(m.types.count >= 2)
    #expect(m.types[0] == FuncType(params: [.i32, .i64], results: [.f32]))
    #expect(m.imports.map(\.name) == ["f", "tab", "mem", "g"])
    #expect(m.imports[1].descriptor == .table(TableType(elementType: .funcref, limits: Limits(min: 1, max: 10))))
    #expect(m.imports[2].descriptor == .memory(MemoryType(limits: Limits(min: 1, max: 2))))
    #expect(m.imports[3].descriptor == .global(GlobalType(valueType: .i32, mutable: true)))
    #expect(m.functions.count == 2)
    #expect(m.tables == [TableType(elementType: .externref, limits: Limits(min: 2))])
    #expect(m.globals == [Global(type: GlobalType(valueType: .i64, mutable: false),
                                 initializer: ConstExpr([op("i64.const", .i64(UInt64(bitPattern: -5)))]))])
    #expect(m.exports == [Export(name: "own", kind: .function, index: 1), Export(name: "h", kind: .global, index: 1)])
    #expect(m.start == 2)
    // Function indices are never null: (ref func), as Wasm 3.0 types those segments.
    #expect(m.elements == [ElementSegment(type: .ref(nullable: false, heap: .func), items: [ConstExpr([op("ref.func", .index(1))])],
                                          mode: .active(table: 0, offset: ConstExpr([op("i32.const", .i32(0))])))])
    #expect(m.data == [DataSegment(mode: .active(memory: 0, offset: ConstExpr([op("i32.const", .i32(8))])), bytes: Array("hi".utf8))])
    #expect(m.code.count == 2)
    let body = m.code[0]
    #expect(body.locals.reduce(0) { $0 + $1.count } == 3)
    #expect(body.locals.contains(LocalDecl(count: 2, type: .i64)))
    #expect(body.instructions == [op("local.get", .index(0)), op("end")])
    #expect(body.offsets.count == body.instructions.count)
}

@Test func instructionsAndImmediates() throws {
    let m = try decode("""
        (module
          (type $v (func))
          (memory 1)
          (table 1 funcref)
          (func (param i32) (result i32)
            (block $b (result i32)
              (if (result i32) (local.get 0)
                (then (i32.load offset=16 align=2  ;; align is in bytes: exponent 1
                (i32.const 4)))
                (else (br_table 0 1 $b (i32.const 7) (local.get 0)))))
            (call_indirect (type $v) (i32.const 0))
            (drop (f32.const nan:0x123))
            (drop (i64.const -9223372036854775808))
            (drop (select (result i32) (i32.const 1) (i32.const 2) (local.get 0)))
            (drop (ref.null extern))
            (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
            (memory.grow (i32.const 1))))
        """)
    let ins = m.code[0].instructions
    #expect(ins.first == op("block", .block(.value(.i32))))
    #expect(ins.contains(op("if", .block(.value(.i32)))))
    #expect(ins.contains(op("else")))
    #expect(ins.contains(op("i32.load", .memarg(MemArg(align: 1, offset: 16)))))
    #expect(ins.contains(op("br_table", .brTable(BrTable(targets: [0, 1], defaultTarget: 1)))))
    #expect(ins.contains(op("call_indirect", .indices(0, 0))))
    #expect(ins.contains(op("f32.const", .f32(0x7F80_0123))))
    #expect(ins.contains(op("i64.const", .i64(0x8000_0000_0000_0000))))
    #expect(ins.contains(Instruction(OpcodeTable.byName["select"]!, .none)) == false)
    #expect(ins.contains { $0.immediate == .valueTypes([.i32]) })
    #expect(ins.contains(op("ref.null", .valueTypes([.externref]))))
    #expect(ins.contains(op("memory.fill", .index(0))))
    #expect(ins.contains(op("memory.grow", .index(0))))
    #expect(ins.last == op("end"))
    // Offsets increase strictly and lie inside the code section.
    let offs = m.code[0].offsets
    #expect(zip(offs, offs.dropFirst()).allSatisfy { $0 < $1 })
    #expect(offs.first! > m.code[0].offset)
}

@Test func bulkMemoryNeedsAndHasDataCount() throws {
    let m = try decode("""
        (module (memory 1) (data $d "abc")
          (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)))
        """)
    #expect(m.dataCount == 1)
    #expect(m.data == [DataSegment(mode: .passive, bytes: Array("abc".utf8))])
    #expect(m.code[0].instructions.contains(op("memory.init", .indices(0, 0))))
    #expect(m.code[0].instructions.contains(op("data.drop", .index(0))))
}

@Test func atomicsAndSharedMemory() throws {
    let m = try decode("""
        (module (memory 1 4 shared)
          (func (param i32) (result i32)
            (drop (memory.atomic.notify offset=4 (local.get 0) (i32.const 1)))
            (atomic.fence)
            (i32.atomic.rmw.cmpxchg (local.get 0) (i32.const 1) (i32.const 2))))
        """, features: [.threads, .referenceTypes])
    #expect(m.memories == [MemoryType(limits: Limits(min: 1, max: 4), shared: true)])
    let ins = m.code[0].instructions
    #expect(ins.contains(op("memory.atomic.notify", .memarg(MemArg(align: 2, offset: 4)))))
    #expect(ins.contains(op("atomic.fence")))
    #expect(ins.contains(op("i32.atomic.rmw.cmpxchg", .memarg(MemArg(align: 2, offset: 0)))))
}

@Test func functionNamesFromNameSection() throws {
    let bytes = try wat2wasm("(module (func $alpha) (func $beta))", options: EncodeOptions(nameSection: true))
    let m = try Decoder.decode(bytes)
    #expect(m.functionNames == [0: "alpha", 1: "beta"])
    #expect(m.customSections.map(\.name) == ["name"])
}

@Test func elementSegmentEncodings() throws {
    let m = try decode("""
        (module (table $t 1 funcref) (table $u 1 externref) (func $f)
          (elem func $f)                                   ;; 1: passive, funcidx
          (elem (table $t) (i32.const 0) func $f $f)       ;; 2: active explicit, funcidx
          (elem declare func $f)                           ;; 3: declarative
          (elem (i32.const 0) funcref (ref.func $f))       ;; 4: active, exprs
          (elem externref (ref.null extern))               ;; 5: passive, exprs
          (elem (table $u) (i32.const 0) externref (ref.null extern)))  ;; 6
        """)
    let refF = ConstExpr([op("ref.func", .index(0))])
    #expect(m.elements.count == 6)
    #expect(m.elements[0] == ElementSegment(type: .ref(nullable: false, heap: .func), items: [refF], mode: .passive))
    #expect(m.elements[1].items == [refF, refF])
    #expect(m.elements[2].mode == .declarative)
    #expect(m.elements[3].items == [refF])
    #expect(m.elements[4] == ElementSegment(type: .externref, items: [ConstExpr([op("ref.null", .valueTypes([.externref]))])], mode: .passive))
    if case .active(let table, _) = m.elements[5].mode { #expect(table == 1) } else { Issue.record("not active") }
}

/// Every row of the opcode table decodes from its own encoding (prefix byte, LEB128 sub-opcode)
/// through the decoding view, to its own opcode and immediate kind.
@Test func everyOpcodeDecodesFromItsEncoding() {
    for (n, info) in OpcodeTable.entries.enumerated() {
        let decoding: OpcodeDecoding?
        if info.prefix == 0 {
            decoding = OpcodeTable.singleByte[Int(info.code)]
        } else {
            #expect(info.code < OpcodeTable.prefixSize[Int(info.prefix)], "\(info.name): outside its prefix's table")
            decoding = OpcodeTable.prefixed[OpcodeTable.prefixStart[Int(info.prefix)] + Int(info.code)]
        }
        #expect(decoding?.opcode == Opcode(rawValue: UInt16(n)), "\(info.name)")
        #expect(decoding?.immediate == info.immediate, "\(info.name)")
    }
    #expect(OpcodeTable.prefixSize.indices.filter { OpcodeTable.prefixSize[$0] > 0 } == [0xFC, 0xFD, 0xFE])
}
