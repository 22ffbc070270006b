import Testing
import Wasmc

/// A shared 64-bit memory past 16 GiB: its maximum (20 GiB) is reserved whole, so its base
/// never moves while one thread grows it a GiB at a time and another reads the newest byte and
/// memory.size. Only one page per GiB is touched.
@Suite struct Grow64Tests {
    static let maxPages: UInt64 = 20 << 14
    static let wat = """
    (module (import "env" "mem" (memory i64 1 \(maxPages) shared))
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
      ;; Stores v in the last word of the memory and loads it back.
      (func (export "tag_last") (param $v i64) (result i64) (local $a i64)
        (local.set $a (i64.sub (i64.shl (memory.size) (i64.const 16)) (i64.const 8)))
        (i64.atomic.store (local.get $a) (local.get $v))
        (i64.load (local.get $a)))
      ;; Reads the last byte of the memory until it has $max pages (or $cap reads); the last
      ;; size seen, or -1 if memory.size ever went down.
      (func (export "read") (param $max i64) (param $cap i32) (result i64) (local $s i64) (local $prev i64)
        (loop $l
          (local.set $s (memory.size))
          (if (i64.lt_u (local.get $s) (local.get $prev)) (then (return (i64.const -1))))
          (local.set $prev (local.get $s))
          (drop (i32.load8_u (i64.sub (i64.shl (local.get $s) (i64.const 16)) (i64.const 1))))
          (drop (i64.atomic.load (i64.sub (i64.shl (local.get $s) (i64.const 16)) (i64.const 8))))
          (local.set $cap (i32.sub (local.get $cap) (i32.const 1)))
          (br_if $l (i32.and (i64.lt_u (local.get $s) (local.get $max)) (i32.ne (local.get $cap) (i32.const 0)))))
        (local.get $s)))
    """

    @Test(arguments: [false, true]) func growsPast16GiBWhileRead(optimize: Bool) throws {
        let module = try compile(Self.wat, optimize: optimize)
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: Self.maxPages), shared: true, address: .i64))
        let imports = imports(memory)
        let step: UInt64 = 1 << 14  // 1 GiB
        // 1 page, then 19 steps of 1 GiB (a 20th would need one page more than is left).
        let grown = 1 + 19 * step
        let results = onThreads(2) { i -> [UInt64] in
            let inst = try Instance(module: module, imports: imports)
            if i == 1 {
                let last = try #require(i64(inst.call("read", [.i64(grown), .i32(200_000_000)])))
                #expect(last == grown, "reader saw size \(Int64(bitPattern: last))")
                return []
            }
            var olds: [UInt64] = []
            while true {
                let old = try #require(i64(inst.call("grow", [.i64(step)])))
                if old == UInt64.max { break }
                olds.append(old)
                let tag = (old + step) &* 0x9E37_79B9_7F4A_7C15
                #expect(try inst.call("tag_last", [.i64(tag)]) == [.i64(tag)])
            }
            return olds
        }
        let olds = try values(results).flatMap { $0 }
        #expect(olds == (0..<19).map { 1 + $0 * step })
        #expect(memory.pageCount == grown)
        #expect(memory.grow(by: step - 1) == grown)
        #expect(memory.pageCount == Self.maxPages)
        #expect(memory.grow(by: 1) == nil)
        for old in olds {
            let end = (old + step) * 65536
            let tag = (old + step) &* 0x9E37_79B9_7F4A_7C15
            #expect(try memory.read(at: end - 8, count: 8) == littleEndian(tag, width: 8))
        }
    }
}
