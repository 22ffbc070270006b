import WasmcSyntax

// The `name` custom section (spec §7.4.1). Only function names are kept, for debugging; the
// section is advisory, so anything malformed in it makes us ignore it rather than fail.

/// Function names by index, or nil when the section does not parse.
func parseFunctionNames(_ payload: UnsafeBufferPointer<UInt8>) -> [UInt32: String]? {
    var r = Reader(payload)
    var names: [UInt32: String] = [:]
    do {
        while !r.atEnd {
            let id = try r.byte()
            let size = try r.length()
            let start = r.pos
            guard id == 1 else {      // not the function-names subsection: skip it
                _ = try r.take(size)
                continue
            }
            let count = try r.length()
            for _ in 0..<count {
                let index = try r.u32()
                names[index] = try r.name()
            }
            guard r.pos == start &+ size else { return nil }
        }
    } catch {
        return nil
    }
    return names
}
