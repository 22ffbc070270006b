import WasmcRuntime

/// Evaluates constant expressions (global initialisers, segment offsets, element items)
/// against a partly built instance.
struct ConstEval {
    let storage: InstanceStorage

    private static let i32Const = Opcode.named("i32.const"), i64Const = Opcode.named("i64.const")
    private static let f32Const = Opcode.named("f32.const"), f64Const = Opcode.named("f64.const")
    private static let refNull = Opcode.named("ref.null"), refFunc = Opcode.named("ref.func")
    private static let globalGet = Opcode.named("global.get"), v128Const = Opcode.named("v128.const")
    private static let i32Add = Opcode.named("i32.add"), i32Sub = Opcode.named("i32.sub"), i32Mul = Opcode.named("i32.mul")
    private static let i64Add = Opcode.named("i64.add"), i64Sub = Opcode.named("i64.sub"), i64Mul = Opcode.named("i64.mul")

    func evaluate(_ expr: ConstExpr) throws -> wasmc_value {
        var stack: [wasmc_value] = []
        func pop() throws -> wasmc_value {
            guard let v = stack.popLast() else { throw WasmcError("malformed constant expression") }
            return v
        }
        for ins in expr.instructions {
            var v = wasmc_value()
            v.i64 = 0
            switch ins.opcode {
            case Self.i32Const: if case .i32(let x) = ins.immediate { v.i32 = x }
            case Self.i64Const: if case .i64(let x) = ins.immediate { v.i64 = x }
            case Self.f32Const: if case .f32(let x) = ins.immediate { v.i32 = x }
            case Self.f64Const: if case .f64(let x) = ins.immediate { v.i64 = x }
            case Self.v128Const: if case .v128(let x) = ins.immediate { x.store(into: &v) }
            case Self.refNull: v.ref = nil
            case Self.refFunc: v.ref = UnsafeMutableRawPointer(storage.funcs + Int(ins.index))
            case Self.globalGet:
                guard let cell = storage.globals[Int(ins.index)] else { throw WasmcError("global \(ins.index) not initialised") }
                v = cell.pointee
            case Self.i32Add, Self.i32Sub, Self.i32Mul:
                let b = try pop().i32, a = try pop().i32
                v.i32 = ins.opcode == Self.i32Add ? a &+ b : ins.opcode == Self.i32Sub ? a &- b : a &* b
            case Self.i64Add, Self.i64Sub, Self.i64Mul:
                let b = try pop().i64, a = try pop().i64
                v.i64 = ins.opcode == Self.i64Add ? a &+ b : ins.opcode == Self.i64Sub ? a &- b : a &* b
            default:
                if ins.opcode.info.name == "end" { continue }
                throw WasmcError("unsupported instruction \(ins.opcode) in a constant expression")
            }
            stack.append(v)
        }
        return try pop()
    }
}
