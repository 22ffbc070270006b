import WasmcSyntax

/// The module binary the descriptor embeds: the original bytes without the code section
/// (id 10) and custom sections (id 0). The loader decodes it with `metadataOnly: true`.
enum ModuleBytes {
    static func strippedForDescriptor(_ wasm: [UInt8]) throws -> [UInt8] {
        guard wasm.count >= 8 else { throw WasmError(.malformed, "unexpected end", offset: wasm.count) }
        var out = Array(wasm[0..<8])
        out.reserveCapacity(wasm.count)
        var i = 8
        while i < wasm.count {
            let start = i
            let id = wasm[i]
            i += 1
            var size: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < wasm.count, shift < 35 else {
                    throw WasmError(.malformed, "malformed section size", offset: i)
                }
                let b = wasm[i]
                i += 1
                size |= UInt64(b & 0x7F) << shift
                shift += 7
                if b & 0x80 == 0 { break }
            }
            let end = i + Int(size)
            guard end <= wasm.count else { throw WasmError(.malformed, "unexpected end", offset: i) }
            if id != 0 && id != 10 { out += wasm[start..<end] }
            i = end
        }
        return out
    }
}
