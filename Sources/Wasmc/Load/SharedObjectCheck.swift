import Foundation

/// Checks a file before dlopen: the dynamic loader trusts the ELF header and program headers
/// and crashes the process on a truncated or damaged file, so each is checked against the
/// file first and a damaged file is refused with a message naming what is wrong.
enum SharedObjectCheck {
    #if arch(x86_64)
    static let machine: UInt16 = 62 /* EM_X86_64 */
    #elseif arch(arm64)
    static let machine: UInt16 = 183 /* EM_AARCH64 */
    #endif
    static let headerSize = 64
    static let programHeaderSize = 56
    static let loadSegment: UInt32 = 1 /* PT_LOAD */

    /// Throws a `FileError` naming what is wrong unless `bytes` is a 64-bit little-endian shared
    /// object for this machine whose program headers and segments lie within the file.
    static func check(_ bytes: [UInt8], path: String) throws {
        func refuse(_ why: String) -> FileError { FileError(path, "not a loadable compiled module: \(why)") }
        guard bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw refuse("not an ELF file")
        }
        guard bytes.count >= headerSize else { throw refuse("truncated ELF header (\(bytes.count) bytes)") }
        guard bytes[4] == 2, bytes[5] == 1 else { throw refuse("not a 64-bit little-endian ELF file") }
        func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        guard u16(16) == 3 /* ET_DYN */ else { throw refuse("not a shared object (ELF type \(u16(16)))") }
        guard u16(18) == machine else { throw refuse("built for another machine (ELF machine \(u16(18)))") }
        let size = UInt64(bytes.count)
        let phoff = u64(32), phentsize = u16(54), phnum = u16(56)
        guard phnum > 0, phentsize == programHeaderSize else { throw refuse("bad program header table") }
        let tableEnd = phoff.addingReportingOverflow(UInt64(phnum) * UInt64(phentsize))
        guard !tableEnd.overflow, tableEnd.partialValue <= size else {
            throw refuse("truncated: program headers end at byte \(tableEnd.partialValue), the file has \(size)")
        }
        var loads = 0
        for i in 0..<Int(phnum) {
            let ph = Int(phoff) + i * programHeaderSize
            let type = u32(ph), offset = u64(ph + 8), fileSize = u64(ph + 32), memSize = u64(ph + 40)
            let end = offset.addingReportingOverflow(fileSize)
            guard !end.overflow, end.partialValue <= size else {
                throw refuse("truncated: segment \(i) ends at byte \(end.partialValue), the file has \(size)")
            }
            if type == loadSegment {
                guard fileSize <= memSize else { throw refuse("segment \(i) is larger in the file than in memory") }
                loads += 1
            }
        }
        guard loads > 0 else { throw refuse("no loadable segment") }
    }
}
