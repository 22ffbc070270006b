import WasmcSyntax

// Types, imports, exports and globals (spec §5.3, §5.5.3–§5.5.10).

extension Reader {
    /// A type constructor byte. The reference decoder reads these as 7-bit signed LEB128, so a
    /// set continuation bit is "integer representation too long", not an unknown type.
    mutating func typeByte() throws -> UInt8 {
        let b = try byte()
        if b & 0x80 != 0 { throw error("integer representation too long", at: pos) }
        return b
    }

    /// `valtype`.
    mutating func valueType() throws -> ValueType {
        let at = pos
        let b = try typeByte()
        switch b {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x7B: return .v128
        default:
            guard let t = try referenceType(first: b, at: at) else { throw error("malformed value type", at: at) }
            return t
        }
    }

    mutating func referenceType() throws -> ValueType {
        let at = pos
        guard let t = try referenceType(first: try typeByte(), at: at) else { throw error("malformed reference type", at: at) }
        return t
    }

    /// `reftype` after its first byte `b`: the 2.0 shorthands or 0x64/0x63 (`ref`, `ref null`)
    /// and a heap type; nil if `b` begins no reference type.
    private mutating func referenceType(first b: UInt8, at: Int) throws -> ValueType? {
        switch b {
        case 0x70: return .funcref
        case 0x6F: return .externref
        case 0x64: return .ref(nullable: false, heap: try heapType())
        case 0x63: return .ref(nullable: true, heap: try heapType())
        case 0x69 where !wasm2: return .exnref
        default:
            if let gc = Self.gcHeapTypeNames[b] { throw unsupported("GC (\(gc)ref) not supported", at: at) }
            return nil
        }
    }

    /// `heaptype`: an abstract heap type's byte or a type index as a non-negative s33.
    mutating func heapType() throws -> HeapType {
        let at = pos
        guard let b = peek() else { throw error("unexpected end", at: at) }
        switch b {
        case 0x70: pos += 1; return .func
        case 0x6F: pos += 1; return .extern
        case 0x69 where !wasm2: pos += 1; return .exn
        default:
            if let gc = Self.gcHeapTypeNames[b] { throw unsupported("GC (\(gc) heap type) not supported", at: at) }
            let index = try sleb(bits: 33)
            guard let i = UInt32(exactly: index) else { throw error("malformed heap type", at: at) }
            return .type(i)
        }
    }

    /// GC's abstract heap types (spec 3.0 §5.3.3), which wasmc does not implement.
    static let gcHeapTypeNames: [UInt8: String] = [
        0x6E: "any", 0x6D: "eq", 0x6C: "i31", 0x6B: "struct", 0x6A: "array", 0x71: "none", 0x72: "noextern",
        0x73: "nofunc", 0x74: "noexn",
    ]

    /// `comptype` of the type section; GC's composite types and groups are refused by name.
    mutating func funcType() throws -> FuncType {
        let at = pos
        switch try typeByte() {
        case 0x60: break
        case 0x5F: throw unsupported("GC (struct types) not supported", at: at)
        case 0x5E: throw unsupported("GC (array types) not supported", at: at)
        case 0x4E: throw unsupported("GC (recursive type groups) not supported", at: at)
        case 0x50, 0x4F: throw unsupported("GC (subtypes) not supported", at: at)
        default: throw error("malformed function type", at: at)
        }
        let params = try vector { try $0.valueType() }
        let results = try vector { try $0.valueType() }
        return FuncType(params: params, results: results)
    }

    /// Limits, the shared flag and the address type. With threads the flag byte is 0–3 (bit 0:
    /// has max, bit 1: shared), and with memory64 (3.0) bit 2 makes min and max u64 (an i64
    /// address type); in plain 2.0 it is a 1-bit LEB128, so 2 is "integer too large" and a
    /// padded 0x81 0x00 is "integer representation too long".
    mutating func limits(threads: Bool, memory64: Bool) throws -> (Limits, shared: Bool, AddressType, flagsAt: Int) {
        let at = pos
        let flags: UInt8
        if threads || memory64 {
            flags = try byte()
            let allowed: UInt8 = (threads ? 3 : 1) | (memory64 ? 4 : 0)
            guard flags & ~allowed == 0 else { throw error("malformed limits flags", at: at) }
        } else {
            flags = UInt8(truncatingIfNeeded: try ulebSlow(bits: 1))
        }
        // 3.0 encodes every limit as a u64 (a 32-bit type's range is checked by validation).
        if memory64 {
            let min = try uleb(bits: 64)
            let max: UInt64? = flags & 1 != 0 ? try uleb(bits: 64) : nil
            return (Limits(min: min, max: max), flags & 2 != 0, flags & 4 != 0 ? .i64 : .i32, at)
        }
        let min = UInt64(try u32())
        let max: UInt64? = flags & 1 != 0 ? UInt64(try u32()) : nil
        return (Limits(min: min, max: max), flags & 2 != 0, .i32, at)
    }

    /// A table of the table section: `tabletype`, or 0x40 0x00 `tabletype` `expr` (3.0: with
    /// an initialiser for its elements).
    mutating func tableDefinition(_ options: DecodeOptions) throws -> (TableType, ConstExpr?) {
        guard peek() == 0x40 else { return (try tableType(options), nil) }
        pos += 1
        let at = pos
        guard try byte() == 0 else { throw error("malformed table", at: at) }
        let type = try tableType(options)
        return (type, try constExpr())
    }

    mutating func tableType(_ options: DecodeOptions) throws -> TableType {
        let elementType = try referenceType()
        let (limits, shared, address, flagsAt) = try self.limits(threads: options.threads, memory64: options.standard.memory64)
        if shared { throw error("tables cannot be shared (yet)", at: flagsAt) }
        return TableType(elementType: elementType, limits: limits, address: address)
    }

    mutating func memoryType(_ options: DecodeOptions) throws -> MemoryType {
        let (limits, shared, address, _) = try self.limits(threads: options.threads, memory64: options.standard.memory64)
        return MemoryType(limits: limits, shared: shared, address: address)
    }

    mutating func globalType() throws -> GlobalType {
        let valueType = try self.valueType()
        let at = pos
        switch try byte() {
        case 0: return GlobalType(valueType: valueType, mutable: false)
        case 1: return GlobalType(valueType: valueType, mutable: true)
        default: throw error("malformed mutability", at: at)
        }
    }

    mutating func importEntry(_ options: DecodeOptions) throws -> Import {
        let module = try name()
        let field = try name()
        let at = pos
        let descriptor: ImportDescriptor
        switch try byte() {
        case 0: descriptor = .function(typeIndex: try u32())
        case 1: descriptor = .table(try tableType(options))
        case 2: descriptor = .memory(try memoryType(options))
        case 3: descriptor = .global(try globalType())
        case 4 where !wasm2: descriptor = .tag(typeIndex: try tagType())
        default: throw error("malformed import kind", at: at)
        }
        return Import(module: module, name: field, descriptor: descriptor)
    }

    /// `tagtype`: the attribute byte (0, exception) and the type index.
    mutating func tagType() throws -> UInt32 {
        let at = pos
        guard try byte() == 0 else { throw error("malformed tag attribute", at: at) }
        return try u32()
    }

    mutating func exportEntry() throws -> Export {
        let name = try self.name()
        let at = pos
        guard let kind = ExternalKind(rawValue: try byte()), !(wasm2 && kind == .tag) else {
            throw error("malformed export kind", at: at)
        }
        return Export(name: name, kind: kind, index: try u32())
    }

    mutating func global() throws -> Global {
        let type = try globalType()
        return Global(type: type, initializer: try constExpr())
    }
}
