/// Which edition of the core standard a module is checked against. 3.0 accepts more (extended
/// constant expressions); 2.0 rejects that with 2.0's wording, which the 2.0 spec tests expect
/// (they hold `global.get` of a defined global in an initialiser to be "unknown global").
public enum CoreStandard: Sendable, Hashable {
    case wasm2, wasm3

    /// Integer `add`/`sub`/`mul` and `global.get` of any earlier immutable global in constant
    /// expressions (the extended-const proposal, part of 3.0).
    public var extendedConstants: Bool { self == .wasm3 }
}
