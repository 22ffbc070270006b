// Users of Wasmc get the spec types (FuncType, MemoryType, ...) with it.
@_exported import WasmcSyntax
