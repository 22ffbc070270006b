// Strict UTF-8 (Unicode 3.9, table 3-7): no overlong forms, no surrogates, nothing above
// U+10FFFF. Names that fail are "malformed UTF-8 encoding" (spec §5.2.4).

func isValidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = s.count
    while i < n {
        let b0 = s[i]
        if b0 < 0x80 { i &+= 1; continue }
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF   // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return false
        }
        guard n &- i >= len else { return false }
        let b1 = s[i &+ 1]
        guard b1 >= lo && b1 <= hi else { return false }
        for k in 2..<len where s[i &+ k] & 0xC0 != 0x80 { return false }
        i &+= len
    }
    return true
}
