// Every instruction of WebAssembly 2.0 and of the threads proposal, once (SIMD's rows in
// OpcodeTable+SIMD.swift).
// Columns: binary encoding, text name, immediate, kind, the feature it belongs to, its
// signature when the opcode alone fixes it, and for numeric instructions the C expression the
// lowering emits (docs/opcode-table.md). Integers are unsigned in C (u32/u64) so that arithmetic wraps
// without undefined behaviour; signed views are explicit casts.

private func sp(_ code: UInt32, _ name: String, _ imm: ImmediateKind, _ s: Special, prefix: UInt8 = 0,
                _ feature: Feature = .mvp, _ signature: InstructionSignature? = nil, constant: Bool = false) -> OpcodeInfo {
    OpcodeInfo(name: name, prefix: prefix, code: code, immediate: imm, kind: .special(s), c: "",
               feature: feature, signature: signature, constant: constant)
}
private func un(_ code: UInt32, _ name: String, _ t: ValueType, _ r: ValueType, _ c: String, prefix: UInt8 = 0,
                _ feature: Feature = .mvp, traps: NumericTrap = .none) -> OpcodeInfo {
    OpcodeInfo(name: name, prefix: prefix, code: code, immediate: .none, kind: .unary(t, r), c: c, traps: traps,
               feature: feature, signature: InstructionSignature(count: 1, t, result: r), constant: false)
}
private func bin(_ code: UInt32, _ name: String, _ t: ValueType, _ r: ValueType, _ c: String,
                 traps: NumericTrap = .none, constant: Bool = false) -> OpcodeInfo {
    OpcodeInfo(name: name, prefix: 0, code: code, immediate: .none, kind: .binary(t, r), c: c, traps: traps,
               feature: .mvp, signature: InstructionSignature(count: 2, t, t, result: r), constant: constant)
}
private func ld(_ code: UInt32, _ name: String, _ t: ValueType, _ bytes: Int, _ signed: Bool) -> OpcodeInfo {
    OpcodeInfo(name: name, prefix: 0, code: code, immediate: .memarg, kind: .load(t, bytes: bytes, signed: signed), c: "",
               feature: .mvp, signature: InstructionSignature(count: 1, .i32, result: t), constant: false)
}
private func st(_ code: UInt32, _ name: String, _ t: ValueType, _ bytes: Int) -> OpcodeInfo {
    OpcodeInfo(name: name, prefix: 0, code: code, immediate: .memarg, kind: .store(t, bytes: bytes), c: "",
               feature: .mvp, signature: InstructionSignature(count: 2, .i32, t, result: nil), constant: false)
}
/// A threads-proposal row; accesses are typed by their kind, wait/notify/fence given explicitly.
private func at(_ code: UInt32, _ name: String, _ kind: OpcodeKind, imm: ImmediateKind = .memarg,
                _ signature: InstructionSignature? = nil) -> OpcodeInfo {
    let access: InstructionSignature?
    switch kind {
    case .atomicLoad(let t, _): access = InstructionSignature(count: 1, .i32, result: t)
    case .atomicStore(let t, _): access = InstructionSignature(count: 2, .i32, t, result: nil)
    case .atomicRMW(let t, _, _): access = InstructionSignature(count: 2, .i32, t, result: t)
    case .atomicCmpxchg(let t, _): access = InstructionSignature(count: 3, .i32, t, t, result: t)
    default: access = nil
    }
    return OpcodeInfo(name: name, prefix: 0xFE, code: code, immediate: imm, kind: kind, c: "",
                      feature: .threads, signature: signature ?? access, constant: false)
}
/// `[operands] → [results]`.
private func sig(_ operands: [ValueType], _ results: [ValueType]) -> InstructionSignature {
    InstructionSignature(operands, results)
}

public enum OpcodeTable {
    /// Built as one array literal (in place) plus the generated atomic families: concatenating
    /// one array per section copied, retained and released every entry (~0.04 ms of a small
    /// module's compile, where this table is built once per process).
    public static let entries: [OpcodeInfo] = {
        var a: [OpcodeInfo] = [
            // MARK: control
            sp(0x00, "unreachable", .none, .unreachable),
            sp(0x01, "nop", .none, .nop, .mvp, sig([], [])),
            sp(0x02, "block", .block, .block),
            sp(0x03, "loop", .block, .loop),
            sp(0x04, "if", .block, .if),
            sp(0x05, "else", .none, .else),
            sp(0x0B, "end", .none, .end),
            sp(0x0C, "br", .label, .br),
            sp(0x0D, "br_if", .label, .brIf),
            sp(0x0E, "br_table", .brTable, .brTable),
            sp(0x0F, "return", .none, .return),
            sp(0x08, "throw", .tag, .throw, .exceptions),
            sp(0x0A, "throw_ref", .none, .throwRef, .exceptions),
            sp(0x1F, "try_table", .tryTable, .tryTable, .exceptions),
            sp(0x10, "call", .function, .call),
            sp(0x11, "call_indirect", .callIndirect, .callIndirect),
            sp(0x1A, "drop", .none, .drop),
            sp(0x1B, "select", .none, .select),
            sp(0x1C, "select", .selectTypes, .selectTyped, .referenceTypes),
            sp(0x20, "local.get", .local, .localGet),
            sp(0x21, "local.set", .local, .localSet),
            sp(0x22, "local.tee", .local, .localTee),
            sp(0x23, "global.get", .global, .globalGet, constant: true),
            sp(0x24, "global.set", .global, .globalSet),
            sp(0x25, "table.get", .table, .tableGet, .referenceTypes),
            sp(0x26, "table.set", .table, .tableSet, .referenceTypes),
            sp(0x3F, "memory.size", .memory, .memorySize, .mvp, sig([], [.i32])),
            sp(0x40, "memory.grow", .memory, .memoryGrow, .mvp, sig([.i32], [.i32])),
            sp(0x41, "i32.const", .i32, .i32Const, .mvp, sig([], [.i32]), constant: true),
            sp(0x42, "i64.const", .i64, .i64Const, .mvp, sig([], [.i64]), constant: true),
            sp(0x43, "f32.const", .f32, .f32Const, .mvp, sig([], [.f32]), constant: true),
            sp(0x44, "f64.const", .f64, .f64Const, .mvp, sig([], [.f64]), constant: true),
            sp(0xD0, "ref.null", .refType, .refNull, .referenceTypes, constant: true),
            sp(0xD1, "ref.is_null", .none, .refIsNull, .referenceTypes),
            sp(0xD2, "ref.func", .function, .refFunc, .referenceTypes, constant: true),
            // MARK: Wasm 3.0 tail calls and typed function references
            sp(0x12, "return_call", .function, .returnCall, .tailCall),
            sp(0x13, "return_call_indirect", .callIndirect, .returnCallIndirect, .tailCall),
            sp(0x15, "return_call_ref", .type, .returnCallRef, .tailCall),
            sp(0x14, "call_ref", .type, .callRef, .functionReferences),
            sp(0xD4, "ref.as_non_null", .none, .refAsNonNull, .functionReferences),
            sp(0xD5, "br_on_null", .label, .brOnNull, .functionReferences),
            sp(0xD6, "br_on_non_null", .label, .brOnNonNull, .functionReferences),
            // MARK: numeric
            un(0x45, "i32.eqz", .i32, .i32, "(u32)($0 == 0)"),
            bin(0x46, "i32.eq", .i32, .i32, "(u32)($0 == $1)"),
            bin(0x47, "i32.ne", .i32, .i32, "(u32)($0 != $1)"),
            bin(0x48, "i32.lt_s", .i32, .i32, "(u32)((s32)$0 < (s32)$1)"),
            bin(0x49, "i32.lt_u", .i32, .i32, "(u32)($0 < $1)"),
            bin(0x4A, "i32.gt_s", .i32, .i32, "(u32)((s32)$0 > (s32)$1)"),
            bin(0x4B, "i32.gt_u", .i32, .i32, "(u32)($0 > $1)"),
            bin(0x4C, "i32.le_s", .i32, .i32, "(u32)((s32)$0 <= (s32)$1)"),
            bin(0x4D, "i32.le_u", .i32, .i32, "(u32)($0 <= $1)"),
            bin(0x4E, "i32.ge_s", .i32, .i32, "(u32)((s32)$0 >= (s32)$1)"),
            bin(0x4F, "i32.ge_u", .i32, .i32, "(u32)($0 >= $1)"),
            un(0x50, "i64.eqz", .i64, .i32, "(u32)($0 == 0)"),
            bin(0x51, "i64.eq", .i64, .i32, "(u32)($0 == $1)"),
            bin(0x52, "i64.ne", .i64, .i32, "(u32)($0 != $1)"),
            bin(0x53, "i64.lt_s", .i64, .i32, "(u32)((s64)$0 < (s64)$1)"),
            bin(0x54, "i64.lt_u", .i64, .i32, "(u32)($0 < $1)"),
            bin(0x55, "i64.gt_s", .i64, .i32, "(u32)((s64)$0 > (s64)$1)"),
            bin(0x56, "i64.gt_u", .i64, .i32, "(u32)($0 > $1)"),
            bin(0x57, "i64.le_s", .i64, .i32, "(u32)((s64)$0 <= (s64)$1)"),
            bin(0x58, "i64.le_u", .i64, .i32, "(u32)($0 <= $1)"),
            bin(0x59, "i64.ge_s", .i64, .i32, "(u32)((s64)$0 >= (s64)$1)"),
            bin(0x5A, "i64.ge_u", .i64, .i32, "(u32)($0 >= $1)"),
            bin(0x5B, "f32.eq", .f32, .i32, "(u32)($0 == $1)"),
            bin(0x5C, "f32.ne", .f32, .i32, "(u32)($0 != $1)"),
            bin(0x5D, "f32.lt", .f32, .i32, "(u32)($0 < $1)"),
            bin(0x5E, "f32.gt", .f32, .i32, "(u32)($0 > $1)"),
            bin(0x5F, "f32.le", .f32, .i32, "(u32)($0 <= $1)"),
            bin(0x60, "f32.ge", .f32, .i32, "(u32)($0 >= $1)"),
            bin(0x61, "f64.eq", .f64, .i32, "(u32)($0 == $1)"),
            bin(0x62, "f64.ne", .f64, .i32, "(u32)($0 != $1)"),
            bin(0x63, "f64.lt", .f64, .i32, "(u32)($0 < $1)"),
            bin(0x64, "f64.gt", .f64, .i32, "(u32)($0 > $1)"),
            bin(0x65, "f64.le", .f64, .i32, "(u32)($0 <= $1)"),
            bin(0x66, "f64.ge", .f64, .i32, "(u32)($0 >= $1)"),

            un(0x67, "i32.clz", .i32, .i32, "wasmc_i32_clz($0)"),
            un(0x68, "i32.ctz", .i32, .i32, "wasmc_i32_ctz($0)"),
            un(0x69, "i32.popcnt", .i32, .i32, "wasmc_i32_popcnt($0)"),
            bin(0x6A, "i32.add", .i32, .i32, "($0 + $1)", constant: true),
            bin(0x6B, "i32.sub", .i32, .i32, "($0 - $1)", constant: true),
            bin(0x6C, "i32.mul", .i32, .i32, "($0 * $1)", constant: true),
            bin(0x6D, "i32.div_s", .i32, .i32, "wasmc_i32_div_s($0, $1)", traps: .division),
            bin(0x6E, "i32.div_u", .i32, .i32, "wasmc_i32_div_u($0, $1)", traps: .division),
            bin(0x6F, "i32.rem_s", .i32, .i32, "wasmc_i32_rem_s($0, $1)", traps: .division),
            bin(0x70, "i32.rem_u", .i32, .i32, "wasmc_i32_rem_u($0, $1)", traps: .division),
            bin(0x71, "i32.and", .i32, .i32, "($0 & $1)"),
            bin(0x72, "i32.or", .i32, .i32, "($0 | $1)"),
            bin(0x73, "i32.xor", .i32, .i32, "($0 ^ $1)"),
            bin(0x74, "i32.shl", .i32, .i32, "($0 << ($1 & 31))"),
            bin(0x75, "i32.shr_s", .i32, .i32, "(u32)((s32)$0 >> ($1 & 31))"),
            bin(0x76, "i32.shr_u", .i32, .i32, "($0 >> ($1 & 31))"),
            bin(0x77, "i32.rotl", .i32, .i32, "(($0 << ($1 & 31)) | ($0 >> ((32u - $1) & 31)))"),
            bin(0x78, "i32.rotr", .i32, .i32, "(($0 >> ($1 & 31)) | ($0 << ((32u - $1) & 31)))"),

            un(0x79, "i64.clz", .i64, .i64, "wasmc_i64_clz($0)"),
            un(0x7A, "i64.ctz", .i64, .i64, "wasmc_i64_ctz($0)"),
            un(0x7B, "i64.popcnt", .i64, .i64, "wasmc_i64_popcnt($0)"),
            bin(0x7C, "i64.add", .i64, .i64, "($0 + $1)", constant: true),
            bin(0x7D, "i64.sub", .i64, .i64, "($0 - $1)", constant: true),
            bin(0x7E, "i64.mul", .i64, .i64, "($0 * $1)", constant: true),
            bin(0x7F, "i64.div_s", .i64, .i64, "wasmc_i64_div_s($0, $1)", traps: .division),
            bin(0x80, "i64.div_u", .i64, .i64, "wasmc_i64_div_u($0, $1)", traps: .division),
            bin(0x81, "i64.rem_s", .i64, .i64, "wasmc_i64_rem_s($0, $1)", traps: .division),
            bin(0x82, "i64.rem_u", .i64, .i64, "wasmc_i64_rem_u($0, $1)", traps: .division),
            bin(0x83, "i64.and", .i64, .i64, "($0 & $1)"),
            bin(0x84, "i64.or", .i64, .i64, "($0 | $1)"),
            bin(0x85, "i64.xor", .i64, .i64, "($0 ^ $1)"),
            bin(0x86, "i64.shl", .i64, .i64, "($0 << ($1 & 63))"),
            bin(0x87, "i64.shr_s", .i64, .i64, "(u64)((s64)$0 >> ($1 & 63))"),
            bin(0x88, "i64.shr_u", .i64, .i64, "($0 >> ($1 & 63))"),
            bin(0x89, "i64.rotl", .i64, .i64, "(($0 << ($1 & 63)) | ($0 >> ((64u - $1) & 63)))"),
            bin(0x8A, "i64.rotr", .i64, .i64, "(($0 >> ($1 & 63)) | ($0 << ((64u - $1) & 63)))"),

            un(0x8B, "f32.abs", .f32, .f32, "wasmc_f32_abs($0)"),
            un(0x8C, "f32.neg", .f32, .f32, "wasmc_f32_neg($0)"),
            un(0x8D, "f32.ceil", .f32, .f32, "wasmc_f32_ceil($0)"),
            un(0x8E, "f32.floor", .f32, .f32, "wasmc_f32_floor($0)"),
            un(0x8F, "f32.trunc", .f32, .f32, "wasmc_f32_trunc($0)"),
            un(0x90, "f32.nearest", .f32, .f32, "wasmc_f32_nearest($0)"),
            un(0x91, "f32.sqrt", .f32, .f32, "wasmc_f32_sqrt($0)"),
            bin(0x92, "f32.add", .f32, .f32, "($0 + $1)"),
            bin(0x93, "f32.sub", .f32, .f32, "($0 - $1)"),
            bin(0x94, "f32.mul", .f32, .f32, "($0 * $1)"),
            bin(0x95, "f32.div", .f32, .f32, "($0 / $1)"),
            bin(0x96, "f32.min", .f32, .f32, "wasmc_f32_min($0, $1)"),
            bin(0x97, "f32.max", .f32, .f32, "wasmc_f32_max($0, $1)"),
            bin(0x98, "f32.copysign", .f32, .f32, "wasmc_f32_copysign($0, $1)"),

            un(0x99, "f64.abs", .f64, .f64, "wasmc_f64_abs($0)"),
            un(0x9A, "f64.neg", .f64, .f64, "wasmc_f64_neg($0)"),
            un(0x9B, "f64.ceil", .f64, .f64, "wasmc_f64_ceil($0)"),
            un(0x9C, "f64.floor", .f64, .f64, "wasmc_f64_floor($0)"),
            un(0x9D, "f64.trunc", .f64, .f64, "wasmc_f64_trunc($0)"),
            un(0x9E, "f64.nearest", .f64, .f64, "wasmc_f64_nearest($0)"),
            un(0x9F, "f64.sqrt", .f64, .f64, "wasmc_f64_sqrt($0)"),
            bin(0xA0, "f64.add", .f64, .f64, "($0 + $1)"),
            bin(0xA1, "f64.sub", .f64, .f64, "($0 - $1)"),
            bin(0xA2, "f64.mul", .f64, .f64, "($0 * $1)"),
            bin(0xA3, "f64.div", .f64, .f64, "($0 / $1)"),
            bin(0xA4, "f64.min", .f64, .f64, "wasmc_f64_min($0, $1)"),
            bin(0xA5, "f64.max", .f64, .f64, "wasmc_f64_max($0, $1)"),
            bin(0xA6, "f64.copysign", .f64, .f64, "wasmc_f64_copysign($0, $1)"),
            // MARK: conversions
            un(0xA7, "i32.wrap_i64", .i64, .i32, "(u32)$0"),
            un(0xA8, "i32.trunc_f32_s", .f32, .i32, "wasmc_i32_trunc_f32_s($0)", traps: .conversion),
            un(0xA9, "i32.trunc_f32_u", .f32, .i32, "wasmc_i32_trunc_f32_u($0)", traps: .conversion),
            un(0xAA, "i32.trunc_f64_s", .f64, .i32, "wasmc_i32_trunc_f64_s($0)", traps: .conversion),
            un(0xAB, "i32.trunc_f64_u", .f64, .i32, "wasmc_i32_trunc_f64_u($0)", traps: .conversion),
            un(0xAC, "i64.extend_i32_s", .i32, .i64, "(u64)(s64)(s32)$0"),
            un(0xAD, "i64.extend_i32_u", .i32, .i64, "(u64)$0"),
            un(0xAE, "i64.trunc_f32_s", .f32, .i64, "wasmc_i64_trunc_f32_s($0)", traps: .conversion),
            un(0xAF, "i64.trunc_f32_u", .f32, .i64, "wasmc_i64_trunc_f32_u($0)", traps: .conversion),
            un(0xB0, "i64.trunc_f64_s", .f64, .i64, "wasmc_i64_trunc_f64_s($0)", traps: .conversion),
            un(0xB1, "i64.trunc_f64_u", .f64, .i64, "wasmc_i64_trunc_f64_u($0)", traps: .conversion),
            un(0xB2, "f32.convert_i32_s", .i32, .f32, "(f32)(s32)$0"),
            un(0xB3, "f32.convert_i32_u", .i32, .f32, "wasmc_f32_convert_i32_u($0)"),
            un(0xB4, "f32.convert_i64_s", .i64, .f32, "wasmc_f32_convert_i64_s($0)"),
            un(0xB5, "f32.convert_i64_u", .i64, .f32, "wasmc_f32_convert_i64_u($0)"),
            un(0xB6, "f32.demote_f64", .f64, .f32, "wasmc_f32_demote_f64($0)"),
            un(0xB7, "f64.convert_i32_s", .i32, .f64, "(f64)(s32)$0"),
            un(0xB8, "f64.convert_i32_u", .i32, .f64, "(f64)$0"),
            un(0xB9, "f64.convert_i64_s", .i64, .f64, "(f64)(s64)$0"),
            un(0xBA, "f64.convert_i64_u", .i64, .f64, "wasmc_f64_convert_i64_u($0)"),
            un(0xBB, "f64.promote_f32", .f32, .f64, "wasmc_f64_promote_f32($0)"),
            un(0xBC, "i32.reinterpret_f32", .f32, .i32, "wasmc_i32_reinterpret_f32($0)"),
            un(0xBD, "i64.reinterpret_f64", .f64, .i64, "wasmc_i64_reinterpret_f64($0)"),
            un(0xBE, "f32.reinterpret_i32", .i32, .f32, "wasmc_f32_reinterpret_i32($0)"),
            un(0xBF, "f64.reinterpret_i64", .i64, .f64, "wasmc_f64_reinterpret_i64($0)"),
            un(0xC0, "i32.extend8_s", .i32, .i32, "(u32)(s32)(int8_t)$0", prefix: 0, .signExtension),
            un(0xC1, "i32.extend16_s", .i32, .i32, "(u32)(s32)(int16_t)$0", prefix: 0, .signExtension),
            un(0xC2, "i64.extend8_s", .i64, .i64, "(u64)(s64)(int8_t)$0", prefix: 0, .signExtension),
            un(0xC3, "i64.extend16_s", .i64, .i64, "(u64)(s64)(int16_t)$0", prefix: 0, .signExtension),
            un(0xC4, "i64.extend32_s", .i64, .i64, "(u64)(s64)(s32)$0", prefix: 0, .signExtension),
            // Non-trapping float-to-int (0xFC 0-7).
            un(0, "i32.trunc_sat_f32_s", .f32, .i32, "wasmc_i32_trunc_sat_f32_s($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(1, "i32.trunc_sat_f32_u", .f32, .i32, "wasmc_i32_trunc_sat_f32_u($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(2, "i32.trunc_sat_f64_s", .f64, .i32, "wasmc_i32_trunc_sat_f64_s($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(3, "i32.trunc_sat_f64_u", .f64, .i32, "wasmc_i32_trunc_sat_f64_u($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(4, "i64.trunc_sat_f32_s", .f32, .i64, "wasmc_i64_trunc_sat_f32_s($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(5, "i64.trunc_sat_f32_u", .f32, .i64, "wasmc_i64_trunc_sat_f32_u($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(6, "i64.trunc_sat_f64_s", .f64, .i64, "wasmc_i64_trunc_sat_f64_s($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            un(7, "i64.trunc_sat_f64_u", .f64, .i64, "wasmc_i64_trunc_sat_f64_u($0)", prefix: 0xFC, .nonTrappingFloatToInt),
            // MARK: memory
            ld(0x28, "i32.load", .i32, 4, false),
            ld(0x29, "i64.load", .i64, 8, false),
            ld(0x2A, "f32.load", .f32, 4, false),
            ld(0x2B, "f64.load", .f64, 8, false),
            ld(0x2C, "i32.load8_s", .i32, 1, true),
            ld(0x2D, "i32.load8_u", .i32, 1, false),
            ld(0x2E, "i32.load16_s", .i32, 2, true),
            ld(0x2F, "i32.load16_u", .i32, 2, false),
            ld(0x30, "i64.load8_s", .i64, 1, true),
            ld(0x31, "i64.load8_u", .i64, 1, false),
            ld(0x32, "i64.load16_s", .i64, 2, true),
            ld(0x33, "i64.load16_u", .i64, 2, false),
            ld(0x34, "i64.load32_s", .i64, 4, true),
            ld(0x35, "i64.load32_u", .i64, 4, false),
            st(0x36, "i32.store", .i32, 4),
            st(0x37, "i64.store", .i64, 8),
            st(0x38, "f32.store", .f32, 4),
            st(0x39, "f64.store", .f64, 8),
            st(0x3A, "i32.store8", .i32, 1),
            st(0x3B, "i32.store16", .i32, 2),
            st(0x3C, "i64.store8", .i64, 1),
            st(0x3D, "i64.store16", .i64, 2),
            st(0x3E, "i64.store32", .i64, 4),
            // MARK: bulk
            sp(8, "memory.init", .memoryInit, .memoryInit, prefix: 0xFC, .bulkMemory, sig([.i32, .i32, .i32], [])),
            sp(9, "data.drop", .data, .dataDrop, prefix: 0xFC, .bulkMemory, sig([], [])),
            sp(10, "memory.copy", .memoryCopy, .memoryCopy, prefix: 0xFC, .bulkMemory, sig([.i32, .i32, .i32], [])),
            sp(11, "memory.fill", .memory, .memoryFill, prefix: 0xFC, .bulkMemory, sig([.i32, .i32, .i32], [])),
            sp(12, "table.init", .tableInit, .tableInit, prefix: 0xFC, .bulkMemory),
            sp(13, "elem.drop", .element, .elemDrop, prefix: 0xFC, .bulkMemory, sig([], [])),
            sp(14, "table.copy", .tableCopy, .tableCopy, prefix: 0xFC, .bulkMemory),
            sp(15, "table.grow", .table, .tableGrow, prefix: 0xFC, .referenceTypes),
            sp(16, "table.size", .table, .tableSize, prefix: 0xFC, .referenceTypes, sig([], [.i32])),
            sp(17, "table.fill", .table, .tableFill, prefix: 0xFC, .referenceTypes),
            // MARK: atomics
            at(0x00, "memory.atomic.notify", .special(.atomicNotify), sig([.i32, .i32], [.i32])),
            at(0x01, "memory.atomic.wait32", .special(.atomicWait32), sig([.i32, .i32, .i64], [.i32])),
            at(0x02, "memory.atomic.wait64", .special(.atomicWait64), sig([.i32, .i64, .i64], [.i32])),
            at(0x03, "atomic.fence", .special(.atomicFence), imm: .atomicFence, sig([], [])),
            at(0x10, "i32.atomic.load", .atomicLoad(.i32, bytes: 4)),
            at(0x11, "i64.atomic.load", .atomicLoad(.i64, bytes: 8)),
            at(0x12, "i32.atomic.load8_u", .atomicLoad(.i32, bytes: 1)),
            at(0x13, "i32.atomic.load16_u", .atomicLoad(.i32, bytes: 2)),
            at(0x14, "i64.atomic.load8_u", .atomicLoad(.i64, bytes: 1)),
            at(0x15, "i64.atomic.load16_u", .atomicLoad(.i64, bytes: 2)),
            at(0x16, "i64.atomic.load32_u", .atomicLoad(.i64, bytes: 4)),
            at(0x17, "i32.atomic.store", .atomicStore(.i32, bytes: 4)),
            at(0x18, "i64.atomic.store", .atomicStore(.i64, bytes: 8)),
            at(0x19, "i32.atomic.store8", .atomicStore(.i32, bytes: 1)),
            at(0x1A, "i32.atomic.store16", .atomicStore(.i32, bytes: 2)),
            at(0x1B, "i64.atomic.store8", .atomicStore(.i64, bytes: 1)),
            at(0x1C, "i64.atomic.store16", .atomicStore(.i64, bytes: 2)),
            at(0x1D, "i64.atomic.store32", .atomicStore(.i64, bytes: 4)),
        ]
        // RMW families: 7 encodings each (i32 32/8/16, i64 64/8/16/32), from 0x1E in steps of 7.
        // (Widths and operations by switch, not in arrays: each new array element type's
        // metadata costs microseconds at a process's first compile.)
        func width(_ j: Int) -> (ValueType, Int, String) {
            switch j {
            case 0: (.i32, 4, "i32.atomic.rmw")
            case 1: (.i64, 8, "i64.atomic.rmw")
            case 2: (.i32, 1, "i32.atomic.rmw8")
            case 3: (.i32, 2, "i32.atomic.rmw16")
            case 4: (.i64, 1, "i64.atomic.rmw8")
            case 5: (.i64, 2, "i64.atomic.rmw16")
            default: (.i64, 4, "i64.atomic.rmw32")
            }
        }
        func op(_ i: Int) -> AtomicRMWOp {
            switch i {
            case 0: .add
            case 1: .sub
            case 2: .and
            case 3: .or
            case 4: .xor
            default: .xchg
            }
        }
        for i in 0..<6 {
            for j in 0..<7 {
                let (t, bytes, stem) = width(j)
                let suffix = bytes == (t == .i32 ? 4 : 8) ? "" : "_u"
                a.append(at(UInt32(0x1E + 7 * i + j), "\(stem).\(op(i).rawValue)\(suffix)", .atomicRMW(t, bytes: bytes, op(i))))
            }
        }
        for j in 0..<7 {
            let (t, bytes, stem) = width(j)
            let suffix = bytes == (t == .i32 ? 4 : 8) ? "" : "_u"
            a.append(at(UInt32(0x48 + j), "\(stem).cmpxchg\(suffix)", .atomicCmpxchg(t, bytes: bytes)))
        }
        a += simdEntries
        return a
    }()

    // Lookup tables derived from `entries`.
    public static let byName: [String: Opcode] = {
        var d: [String: Opcode] = [:]
        for (i, e) in entries.enumerated() where d[e.name] == nil || e.immediate != .selectTypes {
            d[e.name] = Opcode(rawValue: UInt16(i))
        }
        return d
    }()
    public static let bySpecial: [Special: Opcode] = {
        var d: [Special: Opcode] = [:]
        for (i, e) in entries.enumerated() {
            if case .special(let s) = e.kind { d[s] = Opcode(rawValue: UInt16(i)) }
        }
        return d
    }()

    // Per-stage views: the columns a hot loop reads, as arrays of small string-free structs
    // (copying an `OpcodeInfo` retains and releases its name and C template). Derived from
    // `entries` here, so no stage keeps a copy of its own.

    /// Decoding of one-byte opcodes, by byte; nil for prefixes and unassigned bytes.
    public static let singleByte: [OpcodeDecoding?] = decodingTable(prefix: 0)
    /// Decoding of prefixed opcodes (0xFC, 0xFE, ...): the rows of prefix byte `b` with sub-opcode
    /// `s` < `prefixSize[b]` sit at `prefixed[prefixStart[b] + s]`; `prefixSize[b]` is 0 for a byte
    /// no row uses as a prefix. (Flat arrays of types the process already has: each new array
    /// type's metadata costs microseconds at a process's first compile.)
    public static let prefixed: [OpcodeDecoding?] = (0..<256).flatMap { b in prefixSize[b] == 0 ? [] : decodingTable(prefix: UInt8(b)) }
    public static let prefixStart: [Int] = {
        var start = [Int](repeating: 0, count: 256), at = 0
        for b in 0..<256 { start[b] = at; at += prefixSize[b] }
        return start
    }()
    public static let prefixSize: [Int] = {
        var size = [Int](repeating: 0, count: 256)
        let entries = OpcodeTable.entries
        for i in entries.indices where entries[i].prefix != 0 {
            size[Int(entries[i].prefix)] = max(size[Int(entries[i].prefix)], Int(entries[i].code) + 1)
        }
        return size
    }()

    private static func decodingTable(prefix: UInt8) -> [OpcodeDecoding?] {
        let entries = entries
        var t = [OpcodeDecoding?](repeating: nil, count: prefix == 0 ? 256 : prefixSize[Int(prefix)])
        for i in entries.indices where entries[i].prefix == prefix {  // fields only: no entry copied
            t[Int(entries[i].code)] = OpcodeDecoding(opcode: Opcode(rawValue: UInt16(i)), immediate: entries[i].immediate,
                                                     control: .of(entries[i].kind), wasm3: entries[i].feature == .exceptions)
        }
        return t
    }

    /// Typing of every opcode, by `Opcode.rawValue`.
    public static let typing: [OpcodeTyping] = entries.map {
        OpcodeTyping(kind: $0.kind, immediate: $0.immediate, signature: $0.signature,
                     naturalAlignment: $0.naturalAlignment, isAtomic: $0.isAtomic)
    }
}

/// What decoding reads of an opcode: its index in `OpcodeTable.entries`, its immediate, and its
/// role in block structure (so the decoder tests one byte for ordinary instructions).
public struct OpcodeDecoding: Sendable {
    public let opcode: Opcode
    public let immediate: ImmediateKind
    public let control: Control
    /// A Wasm 3.0 instruction: illegal when decoding as 2.0.
    public let wasm3: Bool

    public enum Control: UInt8, Sendable {
        case none, block, `if`, `else`, end

        static func of(_ kind: OpcodeKind) -> Control {
            switch kind {
            case .special(.block), .special(.loop), .special(.tryTable): .block
            case .special(.if): .if
            case .special(.else): .else
            case .special(.end): .end
            default: .none
            }
        }
    }
}

/// What validation reads of an opcode.
public struct OpcodeTyping: Sendable {
    public let kind: OpcodeKind
    public let immediate: ImmediateKind
    /// Set when the opcode alone fixes the operand and result types.
    public let signature: InstructionSignature?
    /// Natural alignment exponent for memory accesses; nil when the opcode has no memarg.
    public let naturalAlignment: UInt32?
    /// Threads-proposal accesses, whose alignment must be exactly natural.
    public let isAtomic: Bool
}
