import WasmcRuntime

/// Why wasm code stopped: mirrors `enum wasmc_trap_code` in wasmc_abi.h.
public enum TrapCode: UInt32, Sendable, Hashable {
    case unreachable = 1
    case memoryOutOfBounds
    case tableOutOfBounds
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case callStackExhausted
    case unalignedAtomic
    case expectedSharedMemory
    case hostError
    /// The instance's `InterruptHandle` asked (`wasmc run --timeout`, `InterruptHandle.interrupt()`).
    case interrupted
    /// `ref.as_non_null` (and `br_on_non_null`'s kin) of a null reference.
    case nullReference
    /// `call_ref` or `return_call_ref` of a null function reference.
    case nullFunctionReference
    /// `throw_ref` of a null exnref.
    case nullExceptionReference
}

/// A wasm trap, with the spec's wording as its message ("integer divide by zero").
public struct Trap: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: TrapCode
    public var message: String
    public init(_ code: TrapCode) {
        self.code = code
        self.message = String(cString: wasmc_trap_message(code.rawValue))
    }
    init(rawCode: UInt32) {
        self.init(TrapCode(rawValue: rawCode) ?? .unreachable)
    }
    public var description: String { "trap: \(message)" }
}

/// A module that cannot be linked with the imports given ("unknown import", "incompatible import type").
public struct LinkError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Misuse of the API (no such export, wrong arguments) or a failure of the toolchain.
public struct WasmcError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
