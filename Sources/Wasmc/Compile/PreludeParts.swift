import Foundation

/// The prelude's optional parts, parsed once from its `/* wasmc:part NAMES [needs NAMES] */`
/// markers (see Runtime/prelude/wasmc_prelude.h): the head before the first marker and the
/// tail from `/* wasmc:parts-end */` always go to libtcc, a part only when the code names one
/// of its NAMES, or when a part that goes needs it. Without markers the whole text is the head.
final class PreludeParts: @unchecked Sendable {
    static let shared = PreludeParts(HeaderTexts.prelude)

    let text: HeaderTexts.Text
    /// Part i is text[bounds[i]..<bounds[i + 1]]; bounds.first ends the head, bounds.last
    /// starts the tail. (All `let`: a class's `var`s would cost an exclusivity check per read.)
    let bounds: [Int]
    /// Every name a part defines, as a range of `text`, and its part. A name ending in `*`
    /// stands for every identifier starting with what precedes it.
    private let nameStart: [Int], nameEnd: [Int], namePart: [Int]
    /// The parts part i needs: needList[needFirst[i]..<needFirst[i + 1]].
    private let needList: [Int], needFirst: [Int]

    var count: Int { max(bounds.count - 1, 0) }

    init(_ text: HeaderTexts.Text) {
        self.text = text
        var bounds: [Int] = [], nameStart: [Int] = [], nameEnd: [Int] = [], namePart: [Int] = []
        var needNames: [Int] = []  // pairs of start, end; -1 ends a part's
        let marker = Array("/* wasmc:part ".utf8), close = Array("*/".utf8)
        if let end = firstRange(of: Array("/* wasmc:parts-end */".utf8), in: text, from: 0) {
            var at = 0
            while let m = firstRange(of: marker, in: text, from: at), m.lowerBound < end.lowerBound,
                  let c = firstRange(of: close, in: text, from: m.upperBound) {
                let part = bounds.count
                bounds.append(m.lowerBound)
                var needs = false
                var i = m.upperBound
                while i < c.lowerBound {
                    while i < c.lowerBound && text[i] == UInt8(ascii: " ") { i += 1 }
                    let start = i
                    while i < c.lowerBound && text[i] != UInt8(ascii: " ") { i += 1 }
                    if start == i { break }
                    if i - start == 5 && Self.equal(text, start..<i, "needs") {
                        needs = true
                    } else if needs {
                        needNames += [start, i]
                    } else {
                        nameStart.append(start); nameEnd.append(i); namePart.append(part)
                    }
                }
                needNames.append(-1)
                at = c.upperBound
            }
            bounds.append(end.lowerBound)
        }
        self.bounds = bounds
        self.nameStart = nameStart
        self.nameEnd = nameEnd
        self.namePart = namePart
        // Needs by name, resolved to parts.
        var needList: [Int] = [], needFirst: [Int] = []
        var k = 0
        for _ in 0..<max(bounds.count - 1, 0) {
            needFirst.append(needList.count)
            while needNames[k] >= 0 {
                if let p = Self.part(naming: needNames[k]..<needNames[k + 1], in: text, text, nameStart, nameEnd, namePart) {
                    needList.append(p)
                }
                k += 2
            }
            k += 1
        }
        needFirst.append(needList.count)
        self.needList = needList
        self.needFirst = needFirst
    }

    /// The part defining the identifier at `r` of `hay`, if any.
    private func part(naming r: Range<Int>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        Self.part(naming: r, in: hay, text, nameStart, nameEnd, namePart)
    }

    private static func part(naming r: Range<Int>, in hay: UnsafeBufferPointer<UInt8>, _ text: HeaderTexts.Text,
                             _ nameStart: [Int], _ nameEnd: [Int], _ namePart: [Int]) -> Int? {
        for n in nameStart.indices {
            let s = nameStart[n], e = nameEnd[n]
            if text[e - 1] == UInt8(ascii: "*") {
                let stem = e - 1 - s
                if r.count >= stem && memcmp(text.baseAddress! + s, hay.baseAddress! + r.lowerBound, stem) == 0 { return namePart[n] }
            } else if e - s == r.count && memcmp(text.baseAddress! + s, hay.baseAddress! + r.lowerBound, r.count) == 0 {
                return namePart[n]
            }
        }
        return nil
    }

    /// Which parts code using the helpers `names` needs: those defining them, and what they need.
    func select(names: [String]) -> [Bool] {
        var keep = [Bool](repeating: false, count: count)
        guard count > 0 else { return keep }
        for name in names {
            var name = name
            let p = name.withUTF8 { part(naming: 0..<$0.count, in: $0) }
            if let p { keep[p] = true }
        }
        var changed = true
        while changed {  // one pass when needs point backwards, as they do
            changed = false
            for i in stride(from: count - 1, through: 0, by: -1) where keep[i] {
                for n in needList[needFirst[i]..<needFirst[i + 1]] where !keep[n] {
                    keep[n] = true
                    changed = true
                }
            }
        }
        return keep
    }

    /// Bytes of the head, the kept parts and the tail.
    func size(keeping keep: [Bool]) -> Int {
        guard count > 0 else { return text.count }
        var n = bounds[0] + (text.count - bounds[count])
        for i in 0..<count where keep[i] { n += bounds[i + 1] - bounds[i] }
        return n
    }

    /// Appends the head, the kept parts (in order) and the tail to `out`.
    func append(keeping keep: [Bool], to out: inout [UInt8]) {
        guard count > 0 else { out += text; return }
        out += UnsafeBufferPointer(rebasing: text[..<bounds[0]])
        var i = 0
        while i < count {
            guard keep[i] else { i += 1; continue }
            var j = i + 1
            while j < count && keep[j] { j += 1 }  // consecutive kept parts in one copy
            out += UnsafeBufferPointer(rebasing: text[bounds[i]..<bounds[j]])
            i = j
        }
        out += UnsafeBufferPointer(rebasing: text[bounds[count]...])
    }

    /// Part i's text and the names it defines (for tests).
    func text(ofPart i: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[bounds[i]..<bounds[i + 1]]), as: UTF8.self)
    }
    func names(ofPart i: Int) -> [String] {
        nameStart.indices.filter { namePart[$0] == i }.map {
            String(decoding: UnsafeBufferPointer(rebasing: text[nameStart[$0]..<nameEnd[$0]]), as: UTF8.self)
        }
    }

    private static func equal(_ text: HeaderTexts.Text, _ r: Range<Int>, _ s: StaticString) -> Bool {
        r.count == s.utf8CodeUnitCount && memcmp(text.baseAddress! + r.lowerBound, s.utf8Start, r.count) == 0
    }
}
