import WasmcSyntax

/// Which instruction opened a control frame.
enum FrameKind: UInt8 {
    case function, block, loop, `if`, `else`
}

/// One entry of the control stack (spec appendix, "Validation Algorithm").
struct ControlFrame {
    var kind: FrameKind
    var params: [ValueType]
    var results: [ValueType]
    /// Operand stack height when the frame was entered (its parameters excluded).
    var height: Int
    /// Set after `unreachable`, `br`, `br_table`, `return`: the rest of the frame is stack-polymorphic.
    var unreachable: Bool
    /// Height of the validator's record of initialised locals when the frame was entered: what
    /// was set inside counts as unset again after it (spec 3.0 appendix, `init_height`).
    var initHeight: Int = 0

    /// What a branch to this frame's label carries: a loop's label is its start.
    var labelTypes: [ValueType] { kind == .loop ? params : results }
}

/// Operand stack entry; `nil` is the spec's `Unknown`, a value of any type in unreachable code.
typealias Operand = ValueType?

/// Shared one-element result lists, so `block (result t)` allocates nothing.
enum SingleType {
    static let i32: [ValueType] = [.i32]
    static let i64: [ValueType] = [.i64]
    static let f32: [ValueType] = [.f32]
    static let f64: [ValueType] = [.f64]
    static let v128: [ValueType] = [.v128]
    static let funcref: [ValueType] = [.funcref]
    static let externref: [ValueType] = [.externref]
    static let exnref: [ValueType] = [.exnref]

    static func list(_ t: ValueType) -> [ValueType] {
        switch t {
        case .i32: i32
        case .i64: i64
        case .f32: f32
        case .f64: f64
        case .v128: v128
        case .funcref: funcref
        case .externref: externref
        case .ref: [t]
        }
    }
}

/// The types of a function's locals (parameters first), without expanding huge declarations.
struct LocalTypes {
    /// All locals, when there are few enough to list one by one (the common case).
    private var flat: [ValueType] = []
    /// Otherwise: runs of one type, each with the index one past its end, for binary search.
    private var runs: [(end: UInt64, type: ValueType)] = []
    private(set) var count: UInt64 = 0
    private static let flatLimit: UInt64 = 1 << 16

    mutating func reset(params: [ValueType], declarations: [LocalDecl]) {
        flat.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
        count = UInt64(params.count)
        for d in declarations { count += UInt64(d.count) }
        if count <= LocalTypes.flatLimit {
            flat.append(contentsOf: params)
            for d in declarations { flat.append(contentsOf: repeatElement(d.type, count: Int(d.count))) }
        } else {
            var end: UInt64 = 0
            for p in params { end += 1; runs.append((end, p)) }
            for d in declarations where d.count > 0 { end += UInt64(d.count); runs.append((end, d.type)) }
        }
    }

    subscript(index: UInt32) -> ValueType? {
        let i = UInt64(index)
        guard i < count else { return nil }
        if count <= LocalTypes.flatLimit { return flat[Int(i)] }
        var lo = 0, hi = runs.count - 1  // first run whose end is above i
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].end > i { hi = mid } else { lo = mid + 1 }
        }
        return runs[lo].type
    }
}
