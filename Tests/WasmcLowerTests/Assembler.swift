import Foundation
import WasmcSyntax

// A tiny line assembler for test bodies (one instruction per line, flat form), so the
// lowering can be tested without the decoder: `i32.load offset=4`, `block i32`,
// `block type=2`, `br_table 0 1 2` (last is the default), `call_indirect TYPE TABLE`.
enum Asm {
    static func valueType(_ s: String) -> ValueType {
        switch s {
        case "i32": .i32
        case "i64": .i64
        case "f32": .f32
        case "f64": .f64
        case "funcref": .funcref
        default: .externref
        }
    }

    static func parse(_ text: String) -> [Instruction] {
        var out: [Instruction] = []
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: ";").first.map(String.init) ?? ""
            let w = line.split(separator: " ").map(String.init)
            guard let name = w.first else { continue }
            let op = Opcode.named(name)
            let args = Array(w.dropFirst())
            func num(_ i: Int) -> UInt32 { UInt32(args[i])! }
            let imm: Immediate
            switch op.info.immediate {
            case .none, .atomicFence: imm = .none
            case .block:
                if args.isEmpty { imm = .block(.empty) }
                else if args[0].hasPrefix("type=") { imm = .block(.type(UInt32(args[0].dropFirst(5))!)) }
                else { imm = .block(.value(valueType(args[0]))) }
            case .label, .function, .local, .global, .table, .memory, .data, .element, .tag, .type:
                imm = .index(args.isEmpty ? 0 : num(0))
            case .tryTable:
                // try_table [RESULT] (catch TAG LABEL | catch_ref TAG LABEL | catch_all LABEL | catch_all_ref LABEL)*
                var catches: [CatchClause] = []
                var bt = BlockType.empty
                var i = 0
                while i < args.count {
                    switch args[i] {
                    case "catch": catches.append(CatchClause(kind: .catch, tag: num(i + 1), label: num(i + 2))); i += 3
                    case "catch_ref": catches.append(CatchClause(kind: .catchRef, tag: num(i + 1), label: num(i + 2))); i += 3
                    case "catch_all": catches.append(CatchClause(kind: .catchAll, label: num(i + 1))); i += 2
                    case "catch_all_ref": catches.append(CatchClause(kind: .catchAllRef, label: num(i + 1))); i += 2
                    default: bt = .value(valueType(args[i])); i += 1
                    }
                }
                imm = .tryTable(TryTable(blockType: bt, catches: catches))
            case .brTable:
                let all = args.map { UInt32($0)! }
                imm = .brTable(BrTable(targets: Array(all.dropLast()), defaultTarget: all.last!))
            case .callIndirect, .memoryInit, .tableInit, .tableCopy, .memoryCopy:
                imm = .indices(args.count > 0 ? num(0) : 0, args.count > 1 ? num(1) : 0)
            case .memarg, .memargLane:
                var off: UInt64 = 0
                var align: UInt32 = 0
                var lane: UInt8 = 0
                for a in args {
                    if a.hasPrefix("offset=") { off = UInt64(a.dropFirst(7))! }
                    if a.hasPrefix("align=") { align = UInt32(a.dropFirst(6))! }
                    if a.hasPrefix("lane=") { lane = UInt8(a.dropFirst(5))! }
                }
                imm = op.info.immediate == .memarg ? .memarg(MemArg(align: align, offset: off))
                    : .memargLane(MemArg(align: align, offset: off), lane)
            case .lane: imm = .index(args.isEmpty ? 0 : num(0))
            case .v128, .shuffle:
                // 16 bytes in order (v128.const, shuffle lanes); missing ones are 0.
                var v = V128(lo: 0, hi: 0)
                for (k, a) in args.prefix(16).enumerated() {
                    if k < 8 { v.lo |= UInt64(UInt8(a)!) << UInt64(8 * k) } else { v.hi |= UInt64(UInt8(a)!) << UInt64(8 * (k - 8)) }
                }
                imm = .v128(v)
            case .i32: imm = .i32(UInt32(bitPattern: Int32(args[0])!))
            case .i64: imm = .i64(UInt64(bitPattern: Int64(args[0])!))
            case .f32: imm = .f32(args[0].hasPrefix("0x") ? UInt32(args[0].dropFirst(2), radix: 16)! : Float(args[0])!.bitPattern)
            case .f64: imm = .f64(args[0].hasPrefix("0x") ? UInt64(args[0].dropFirst(2), radix: 16)! : Double(args[0])!.bitPattern)
            case .selectTypes, .refType: imm = .valueTypes(args.map(valueType))
            }
            out.append(Instruction(op, imm))
        }
        return out
    }

    static func body(_ text: String, locals: [ValueType] = []) -> FunctionBody {
        let ins = parse(text) + [Instruction(Opcode(.end))]
        return FunctionBody(locals: locals.map { LocalDecl(count: 1, type: $0) }, instructions: ins,
                            offsets: Array(repeating: 0, count: ins.count), offset: 0)
    }

    /// Adds a function of `type` with the given body; returns its function index.
    @discardableResult
    static func add(_ m: inout Module, type: FuncType, locals: [ValueType] = [], _ text: String) -> Int {
        let ti: UInt32
        if let i = m.types.firstIndex(of: type) { ti = UInt32(i) } else { m.types.append(type); ti = UInt32(m.types.count - 1) }
        m.functions.append(ti)
        m.code.append(body(text, locals: locals))
        return m.importedFunctions.count + m.functions.count - 1
    }

    static let emptyWasm: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
}

func ft(_ p: [ValueType], _ r: [ValueType]) -> FuncType { FuncType(params: p, results: r) }
