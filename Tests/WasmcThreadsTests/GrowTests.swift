import Synchronization
import Testing
import Wasmc

/// memory.grow on one shared memory from several threads (wasm and host) while readers touch
/// the newest page: every success returns a distinct old size, the successes tile the memory
/// exactly up to its max, memory.size never goes down, and new pages are usable at once.
@Suite struct GrowTests {
    static let maxPages: UInt64 = 64
    static let wat = """
    (module (import "env" "mem" (memory 1 64 shared))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      ;; Stores v in the last word of page p and loads it back.
      (func (export "touch") (param $p i32) (param $v i32) (result i32) (local $a i32)
        (local.set $a (i32.sub (i32.shl (i32.add (local.get $p) (i32.const 1)) (i32.const 16)) (i32.const 4)))
        (i32.store (local.get $a) (local.get $v))
        (i32.load (local.get $a)))
      ;; Reads the last bytes of the newest page until the memory has $max pages (or $cap
      ;; reads); returns the last size seen, or -1 if memory.size ever went down.
      (func (export "read") (param $max i32) (param $cap i32) (result i32) (local $s i32) (local $prev i32)
        (loop $l
          (local.set $s (memory.size))
          (if (i32.lt_u (local.get $s) (local.get $prev)) (then (return (i32.const -1))))
          (local.set $prev (local.get $s))
          (drop (i32.atomic.load (i32.sub (i32.shl (local.get $s) (i32.const 16)) (i32.const 4))))
          (drop (i32.load8_u (i32.sub (i32.shl (local.get $s) (i32.const 16)) (i32.const 1))))
          (local.set $cap (i32.sub (local.get $cap) (i32.const 1)))
          (br_if $l (i32.and (i32.lt_u (local.get $s) (local.get $max)) (i32.ne (local.get $cap) (i32.const 0)))))
        (local.get $s)))
    """

    /// A grower's successes: (old size, pages added).
    typealias Growth = [(old: UInt64, delta: UInt64)]

    @Test func concurrentGrowthWithReaders() throws {
        let module = try compile(Self.wat)
        for _ in 0..<4 {
            let memory = try sharedMemory(min: 1, max: Self.maxPages)
            let imports = imports(memory)
            // Threads 0-2 grow from wasm (by 1, 2, 1 pages), thread 3 from the host, 4-5 read.
            let results = onThreads(6) { i -> Growth in
                let inst = try Instance(module: module, imports: imports)
                if i >= 4 {
                    let last = try #require(i32(inst.call("read", [.i32(UInt32(Self.maxPages)), .i32(50_000_000)])))
                    #expect(last == UInt32(Self.maxPages), "reader saw size \(Int32(bitPattern: last))")
                    return []
                }
                let delta: UInt64 = i == 1 ? 2 : 1
                var grown: Growth = []
                var lastSize: UInt64 = 0
                while true {
                    let old: UInt64
                    if i == 3 {
                        guard let o = memory.grow(by: delta) else { break }
                        old = o
                    } else {
                        let r = try #require(i32(inst.call("grow", [.i32(UInt32(delta))])))
                        if r == UInt32.max { break }
                        old = UInt64(r)
                    }
                    #expect(old >= lastSize, "memory.size went down")
                    lastSize = old + delta
                    grown.append((old, delta))
                    // The new pages are usable by this thread as soon as grow returned.
                    for p in old..<old + delta {
                        let tag = UInt32(p) &* 2_654_435_761
                        #expect(try inst.call("touch", [.i32(UInt32(p)), .i32(tag)]) == [.i32(tag)])
                    }
                }
                #expect(memory.pageCount >= lastSize)
                return grown
            }
            let growths = try values(results).flatMap { $0 }.sorted { $0.old < $1.old }
            // Distinct old sizes, contiguous, from the initial size up to exactly the max.
            var next: UInt64 = 1
            for g in growths {
                #expect(g.old == next, "growth from \(g.old), expected \(next)")
                next = g.old + g.delta
            }
            #expect(next == Self.maxPages)
            #expect(memory.pageCount == Self.maxPages)
            #expect(memory.grow(by: 1) == nil)
            #expect(memory.grow(by: 0) == Self.maxPages)
            // Every page tagged by its grower is still there, read from the host.
            for g in growths {
                for p in g.old..<g.old + g.delta {
                    let tag = UInt32(truncatingIfNeeded: p) &* 2_654_435_761
                    #expect(try memory.read(at: (p + 1) * 65536 - 4, count: 4) == littleEndian(UInt64(tag), width: 4))
                }
            }
        }
    }
}
