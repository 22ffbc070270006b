import WasmcSyntax

// A cursor over the module's bytes. Like the reference interpreter, every read is bounded by
// the end of the whole module, not of the current section: a section or body that reads past
// its declared size is reported afterwards as "section size mismatch", and only running off
// the module itself is "unexpected end". The spec tests depend on exactly this split.

/// The spec's wording for reading past the end of the input.
let unexpectedEnd = "unexpected end of section or function"

struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int
    /// Set while decoding a function body, so errors can name the function.
    var function: UInt32?
    /// Decoding as 2.0 (`DecodeOptions.standard`): 3.0's exception-handling encodings are malformed.
    var wasm2 = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.pos = 0
    }

    var end: Int { bytes.count }
    var atEnd: Bool { pos >= bytes.count }

    func error(_ message: String, at offset: Int) -> WasmError {
        WasmError(.malformed, message, offset: offset, function: function)
    }
    func unsupported(_ message: String, at offset: Int) -> WasmError {
        WasmError(.unsupported, message, offset: offset, function: function)
    }

    // MARK: bytes

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard pos < bytes.count else { throw error(unexpectedEnd, at: bytes.count) }
        let b = bytes[pos]
        pos &+= 1
        return b
    }

    func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    /// `n` raw bytes; `n` has already been checked against the input where it came from a count.
    mutating func take(_ n: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard n >= 0, n <= bytes.count &- pos else { throw error(unexpectedEnd, at: bytes.count) }
        let slice = UnsafeBufferPointer(rebasing: bytes[pos..<(pos &+ n)])
        pos &+= n
        return slice
    }

    mutating func fixed32() throws -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(try byte()) << (8 * UInt32(i)) }
        return v
    }

    mutating func fixed64() throws -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(try byte()) << (8 * UInt64(i)) }
        return v
    }

    // MARK: LEB128, with the reference interpreter's limits

    /// Unsigned LEB128 of at most `bits` bits. Too many bytes: "integer representation too
    /// long"; bits set beyond `bits` in the last byte: "integer too large".
    @inline(__always)
    mutating func uleb(bits: Int) throws -> UInt64 {
        if pos < bytes.count, bytes[pos] < 0x80, bits >= 7 {   // one-byte fast path
            let b = bytes[pos]
            pos &+= 1
            return UInt64(b)
        }
        return try ulebSlow(bits: bits)
    }

    mutating func ulebSlow(bits: Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var n = bits
        while true {
            if n <= 0 { throw error("integer representation too long", at: pos) }
            let b = try byte()
            if n < 7 && UInt64(b & 0x7F) >= (UInt64(1) << UInt64(n)) {
                throw error("integer too large", at: pos &- 1)
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift &+= 7
            n -= 7
        }
    }

    /// Signed LEB128 of at most `bits` bits, sign-extended to 64.
    mutating func sleb(bits: Int) throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var n = bits
        while true {
            if n <= 0 { throw error("integer representation too long", at: pos) }
            let b = try byte()
            if n < 7 {
                // The unused high bits of the last byte must all equal the sign bit.
                let mask = UInt8(truncatingIfNeeded: (-1 << (n - 1)) & 0x7F)
                if b & mask != 0 && b & mask != mask { throw error("integer too large", at: pos &- 1) }
            }
            result |= UInt64(b & 0x7F) << shift
            shift &+= 7
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 { result |= ~0 << shift }
                return Int64(bitPattern: result)
            }
            n -= 7
        }
    }

    @inline(__always)
    mutating func u32() throws -> UInt32 { UInt32(truncatingIfNeeded: try uleb(bits: 32)) }

    /// A count or length: must not exceed the bytes left, counted from the count itself (as
    /// the reference interpreter does), so nothing is ever allocated from an unchecked count.
    mutating func length() throws -> Int {
        let start = pos
        let n = try u32()
        guard Int(n) <= bytes.count &- start else { throw error("length out of bounds", at: start) }
        return Int(n)
    }

    /// `vec(B)`: a checked count, then that many items.
    mutating func vector<T>(_ item: (inout Reader) throws -> T) throws -> [T] {
        let n = try length()
        var result: [T] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try item(&self)) }
        return result
    }

    /// A name: length-prefixed UTF-8.
    mutating func name() throws -> String {
        let start = pos
        let n = try length()
        let raw = try take(n)
        guard isValidUTF8(raw) else { throw error("malformed UTF-8 encoding", at: start) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// A byte that must be zero (reserved memory/table index immediates in 2.0).
    mutating func zeroByte() throws {
        let at = pos
        if try byte() != 0 { throw error("zero byte expected", at: at) }
    }
}
