import Foundation

/// CRC-32 (IEEE, as Python's zlib.crc32) of memory contents: both sides of the differential
/// run hash memory the same way without a crypto library.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        bytes.withUnsafeBufferPointer { buf in
            table.withUnsafeBufferPointer { t in
                for b in buf { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Minimal JSON string escaping for the runner's output lines.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where u.value < 0x20 || u.value > 0x7E: out += String(format: "\\u%04x", min(u.value, 0xFFFD))
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
