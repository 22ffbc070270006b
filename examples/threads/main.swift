// Runs one wasm worker on N threads over one shared memory: the workers claim chunks of a
// range from a shared cursor (i32.atomic.rmw.add), count the primes in each chunk, and add
// their counts to a shared total (i64.atomic.rmw.add). Usage: wasmc-threads-example [N] [LIMIT]
import Foundation
import Synchronization
import WAT
import Wasmc

let worker = """
(module
  (import "env" "memory" (memory 1 1 shared))
  ;; memory[0]: next chunk start (i32), memory[8]: primes found (i64)
  (func $isPrime (param $n i32) (result i32) (local $d i32)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return (i32.const 0))))
    (local.set $d (i32.const 2))
    (block $done (loop $next
      (br_if $done (i32.gt_u (i32.mul (local.get $d) (local.get $d)) (local.get $n)))
      (if (i32.eqz (i32.rem_u (local.get $n) (local.get $d))) (then (return (i32.const 0))))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br $next)))
    (i32.const 1))
  ;; Claims chunks until the range is exhausted; returns how many chunks this thread did.
  (func (export "work") (param $limit i32) (param $chunk i32) (result i32)
    (local $start i32) (local $n i32) (local $found i64) (local $chunks i32)
    (block $exhausted (loop $claim
      (local.set $start (i32.atomic.rmw.add (i32.const 0) (local.get $chunk)))
      (br_if $exhausted (i32.ge_u (local.get $start) (local.get $limit)))
      (local.set $found (i64.const 0))
      (local.set $n (local.get $start))
      (block $end (loop $each
        (br_if $end (i32.or (i32.ge_u (local.get $n) (local.get $limit))
                            (i32.ge_u (local.get $n) (i32.add (local.get $start) (local.get $chunk)))))
        (local.set $found (i64.add (local.get $found) (i64.extend_i32_u (call $isPrime (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $each)))
      (drop (i64.atomic.rmw.add (i32.const 8) (local.get $found)))
      (local.set $chunks (i32.add (local.get $chunks) (i32.const 1)))
      (br $claim)))
    (local.get $chunks)))
"""

let args = CommandLine.arguments
let threadCount = args.count > 1 ? Int(args[1]) ?? 4 : 4
let limit = args.count > 2 ? UInt32(args[2]) ?? 2_000_000 : 2_000_000

// Compile once; the compiled module is shared by every thread.
let module = try CompiledModule.compile(wasm: wat2wasm(worker))
// One host-created shared memory, imported by every instance.
let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 1), shared: true))
var imports = Imports()
imports.define(module: "env", name: "memory", .memory(memory))

// One instance per thread: instances are cheap, and each has its own stack limit.
let chunksPerThread = Mutex([UInt32](repeating: 0, count: threadCount))
let group = DispatchGroup()
for t in 0..<threadCount {
    group.enter()
    Thread { [module, imports, limit] in
        defer { group.leave() }
        do {
            let instance = try Instance(module: module, imports: imports)
            if case .i32(let n) = try instance.call("work", [.i32(limit), .i32(10_000)])[0] {
                chunksPerThread.withLock { $0[t] = n }
            }
        } catch {
            print("thread \(t): \(error)")
        }
    }.start()
}
group.wait()

// Read the total back from Swift.
let total = try memory.read(at: 8, count: 8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
print("primes below \(limit): \(total)")
print("chunks per thread: \(chunksPerThread.withLock { $0.map(String.init).joined(separator: " ") })")
