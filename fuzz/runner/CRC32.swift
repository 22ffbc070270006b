import Foundation
import Wasmc

/// CRC-32 (IEEE, as Python's zlib.crc32) of memory contents: both sides of the differential
/// run hash memory the same way without a crypto library.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { update(0, UnsafeRawBufferPointer($0)) }
    }

    /// Continues `crc` (a previous result, 0 to start) over `bytes`, as zlib.crc32(bytes, crc).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = crc ^ 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// `pages:crc32` over (page index as 4 little-endian bytes, page) of the pages that are not
    /// all zero (diff.py's sparse_hash): the memories the harness exports may be hundreds of MiB.
    static func sparseHash(_ memory: Memory) -> String {
        let pages = Int(memory.pageCount)
        var crc: UInt32 = 0
        let zero = [UInt8](repeating: 0, count: 65536)
        for i in 0..<pages {
            guard let page = try? memory.read(at: UInt64(i) * 65536, count: 65536),
                  memcmp(page, zero, 65536) != 0 else { continue }
            var index = UInt32(i).littleEndian
            crc = withUnsafeBytes(of: &index) { update(crc, $0) }
            crc = page.withUnsafeBytes { update(crc, $0) }
        }
        return "\(pages):\(String(crc, radix: 16))"
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
