/// Every rejection of input names what is wrong and where.
public struct WasmError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not a well-formed binary (spec: `assert_malformed`).
        case malformed
        /// Well-formed but fails validation (spec: `assert_invalid`).
        case invalid
        /// Valid but beyond what wasmc supports (SIMD, resource limits).
        case unsupported
    }
    public var kind: Kind
    /// The reason, worded as the spec test suite words it where it has a word for it.
    public var message: String
    /// Byte offset in the module binary.
    public var offset: Int?
    /// Index in the function index space, for errors inside a function body.
    public var functionIndex: UInt32?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil, function: UInt32? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.functionIndex = function
    }

    public var description: String {
        var where_: [String] = []
        if let functionIndex { where_.append("function \(functionIndex)") }
        if let offset { where_.append("offset 0x\(String(offset, radix: 16))") }
        let loc = where_.isEmpty ? "" : " (" + where_.joined(separator: ", ") + ")"
        return "\(kind.rawValue) module\(loc): \(message)"
    }
}
