// The `spectest` host module the official scripts import from.
import Wasmc

/// One per script file: its table, memory and globals are state the file's modules share.
final class Spectest: @unchecked Sendable {
    let externs: [String: Extern]

    init() throws {
        var e: [String: Extern] = [:]
        func printer(_ params: [WasmcSyntax.ValueType]) -> Extern {
            .function(Function(type: FuncType(params: params, results: []), { _ in [] }))
        }
        e["print"] = printer([])
        e["print_i32"] = printer([.i32])
        e["print_i64"] = printer([.i64])
        e["print_f32"] = printer([.f32])
        e["print_f64"] = printer([.f64])
        e["print_i32_f32"] = printer([.i32, .f32])
        e["print_f64_f64"] = printer([.f64, .f64])
        e["global_i32"] = .global(try Global(GlobalType(valueType: .i32, mutable: false), value: .i32(666)))
        e["global_i64"] = .global(try Global(GlobalType(valueType: .i64, mutable: false), value: .i64(666)))
        e["global_f32"] = .global(try Global(GlobalType(valueType: .f32, mutable: false), value: .f32(666.6)))
        e["global_f64"] = .global(try Global(GlobalType(valueType: .f64, mutable: false), value: .f64(666.6)))
        e["table"] = .table(try Table(TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)), initial: .funcref(nil)))
        e["table64"] = .table(try Table(TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), address: .i64), initial: .funcref(nil)))
        e["memory"] = .memory(try Memory(MemoryType(limits: Limits(min: 1, max: 2))))
        externs = e
    }
}
