// A large synthetic module for decoder throughput: `functions` bodies of a realistic mix of
// instructions (locals, constants, arithmetic, loads/stores, blocks, branches, calls).
// Plain byte building, no dependencies, so the same file also compiles into a standalone
// release benchmark (see DecodeThroughput.swift).

func syntheticModule(functions: Int, repeats: Int) -> [UInt8] {
    func leb(_ value: Int) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }
    func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id] + leb(content.count) + content }

    var body: [UInt8] = [0x02, 0x02, 0x7F, 0x01, 0x7C]   // locals: 2 × i32, 1 × f64
    for i in 0..<repeats {
        body += [0x02, 0x40]                              // block
        body += [0x20, 0x00, 0x41] + leb(i * 37 % 5000)   // local.get 0; i32.const
        body += [0x6A, 0x22, 0x02]                        // i32.add; local.tee 2
        body += [0x28, 0x02, 0x08]                        // i32.load align=2 offset=8
        body += [0x20, 0x01, 0x6C, 0x21, 0x01]            // local.get 1; i32.mul; local.set 1
        body += [0x20, 0x01, 0x0D, 0x00]                  // local.get 1; br_if 0
        body += [0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x1A] // call 0; drop
        body += [0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]      // f64.const 1
        body += [0x20, 0x03, 0xA0, 0x21, 0x03]            // local.get 3; f64.add; local.set 3
        body += [0x20, 0x02, 0x20, 0x01, 0x36, 0x02, 0x10] // i32.store offset=16
        body += [0x0B]                                    // end
    }
    body += [0x20, 0x01, 0x0B]
    let entry = leb(body.count) + body

    var code = leb(functions)
    code.reserveCapacity(functions * entry.count + 8)
    for _ in 0..<functions { code += entry }
    let types = section(1, [0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F])
    let funcs = section(3, leb(functions) + [UInt8](repeating: 0, count: functions))
    let memory = section(5, [0x01, 0x00, 0x01])
    return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00] + types + funcs + memory + section(10, code)
}
