import Foundation

/// The first occurrence of `needle` in `hay` at or after `from`, as indices of `hay`.
func firstRange(of needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Range<Int>? {
    guard !needle.isEmpty, from < hay.count, let base = hay.baseAddress else { return nil }
    let hit = needle.withUnsafeBufferPointer { n in cMemmem(base + from, hay.count - from, n.baseAddress, n.count) }
    guard let hit else { return nil }
    let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    return start..<(start + needle.count)
}

/// glibc's memmem (not exported by the Glibc module: it needs _GNU_SOURCE).
@_silgen_name("memmem")
private func cMemmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int,
                     _ needle: UnsafeRawPointer?, _ needleLength: Int) -> UnsafeMutableRawPointer?
