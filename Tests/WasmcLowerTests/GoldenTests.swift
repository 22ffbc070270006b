import Foundation
import Testing
import WAT
import WasmcDecode
import WasmcSyntax
import WasmcValidate
@testable import WasmcLower

// Generated C of small modules, checked in under Golden/ so that codegen changes show up as
// reviewable diffs. WASMC_UPDATE_GOLDEN=1 rewrites the files.

let goldenModules: [(name: String, wat: String)] = [
    ("expressions", """
    (module
      (memory 1)
      (func (export "sum3") (param i32 i32) (result i32)
        (i32.add (i32.load (local.get 0)) (i32.mul (i32.load offset=4 (local.get 1)) (i32.const 3))))
      (func (export "mix") (param f64 i64) (result f64)
        (f64.add (f64.sqrt (local.get 0)) (f64.convert_i64_s (i64.shr_s (local.get 1) (i64.const 2)))))
      (func (export "swap_store") (param i32)
        (local i32)
        (local.set 1 (i32.load (local.get 0)))
        (i32.store (local.get 0) (i32.load offset=4 (local.get 0)))
        (i32.store offset=4 (local.get 0) (local.get 1))))
    """),
    ("control", """
    (module
      (func (export "fib") (param i32) (result i32)
        (local i32 i32)
        (local.set 2 (i32.const 1))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get 0)))
            (local.set 2 (i32.add (local.get 1) (local.tee 1 (local.get 2))))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br $next)))
        (local.get 1))
      (func (export "classify") (param i32) (result i32)
        (block $c (block $b (block $a
          (br_table $a $b $c $b (local.get 0)))
          (return (i32.const 100)))
          (return (i32.const 200)))
        (if (result i32) (i32.gt_s (local.get 0) (i32.const 10))
          (then (i32.const 1)) (else (i32.const -1))))
      (func (export "count") (param i32) (result i32)
        (local i32)
        (loop $again
          (local.set 1 (i32.add (local.get 1) (i32.const 3)))
          (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1)))
    """),
    ("calls", """
    (module
      (type $bin (func (param i32 i32) (result i32)))
      (import "env" "log" (func $log (param i32)))
      (table 2 funcref)
      (elem (i32.const 0) $add $pair)
      (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
      (func $pair (param i32) (result i32 i64) (local.get 0) (i64.extend_i32_u (local.get 0)))
      (func (export "run") (param i32) (result i32)
        (call $log (local.get 0))
        (drop (drop (call $pair (local.get 0))))
        (call_indirect (type $bin) (local.get 0) (i32.const 2) (i32.const 0))))
    """),
    ("threads", """
    (module
      (memory 1 1 shared)
      (func (export "inc") (param i32) (result i32)
        (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
      (func (export "wait") (param i32 i32) (result i32)
        (memory.atomic.wait32 (local.get 0) (local.get 1) (i64.const -1)))
      (func (export "cas") (param i32 i64 i64) (result i64)
        (i64.atomic.rmw8.cmpxchg_u offset=8 (local.get 0) (local.get 1) (local.get 2)))
      ;; the old value dropped: the statement keeps the RMW and loses the store of its result
      (func (export "bump") (param i32)
        (drop (i32.atomic.rmw.sub (local.get 0) (i32.const 2)))))
    """),
    ("exceptions", """
    (module
      (tag $e (param i32 f64))
      (tag $empty)
      (func $thrower (param i32) (throw $e (local.get 0) (f64.const 1.5)))
      ;; catch with payload to a block; catch_all_ref passes the exnref; the local written in
      ;; the try body is volatile; the br out of the body unlinks the handler.
      (func (export "run") (param i32) (result i32)
        (local $x i32)
        (block $all (result exnref)
          (block $h (result i32 f64)
            (block $skip
              (try_table (catch $e $h) (catch_all_ref $all)
                (local.set $x (i32.const 7))
                (br_if $skip (i32.eqz (local.get 0)))
                (call $thrower (local.get 0))))
            (return (local.get $x)))
          (drop)
          (return (i32.add (local.get $x))))
        (throw_ref))
      ;; nested: the inner clause branches past the outer try_table, unlinking both handlers
      (func (export "nested") (result i32)
        (block $out
          (try_table (catch_all $out)
            (try_table (catch $empty $out)
              (throw $empty))))
        (i32.const 1)))
    """),
    ("multimemory", """
    (module
      (import "env" "in" (memory $in 1))
      (memory $out 1)
      ;; Both bases cached at entry; each access one dereference of its own base.
      (func (export "copy_words") (param $n i32)
        (local $i i32)
        (loop $next
          (i32.store $out (local.get $i) (i32.load $in offset=4 (local.get $i)))
          (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n)))))
      ;; Not a compound store: the load reads the other memory.
      (func (export "add_across") (param i32)
        (i32.store $out (local.get 0) (i32.add (i32.load $in (local.get 0)) (i32.const 1))))
      (func (export "sizes") (result i32)
        (i32.add (memory.size $out) (memory.grow $in (i32.const 1))))
      (func (export "bulk") (param i32 i32 i32)
        (memory.copy $out $in (local.get 0) (local.get 1) (local.get 2))
        (memory.fill $out (local.get 0) (i32.const 0) (local.get 2))))
    """),
    ("memory64", """
    (module
      (memory $m32 1)
      (memory $m64 i64 1 0x10000)
      (table $t64 i64 2 funcref)
      ;; No maximum: too large to reserve whole, its base moves when it grows.
      (memory $moves i64 1)
      ;; The 32-bit access as before; the 64-bit one checked against the current length: one
      ;; compare when offset + size fits the guard, the whole access beyond it.
      (func (export "both") (param i32 i64) (result i32)
        (i32.add (i32.load $m32 offset=4 (local.get 0)) (i32.load $m64 offset=4 (local.get 1))))
      (func (export "far") (param i64) (result i64)
        (i64.load $m64 offset=0xffffffff (local.get 0)))
      (func (export "store") (param i64 i32)
        (i32.store $m64 (local.get 0) (local.get 1)))
      (func (export "size_grow") (result i64)
        (i64.add (memory.size $m64) (memory.grow $m64 (i64.const 1))))
      (func (export "indirect") (param i64) (result i32)
        (call_indirect $t64 (result i32) (local.get 0)))
      ;; Its cached base is read again after memory.grow and after a call.
      (func $moving (export "moving") (param i64) (result i32)
        (i32.store $moves (local.get 0) (i32.const 7))
        (drop (memory.grow $moves (i64.const 1)))
        (i32.store $moves (local.get 0) (call $moving (i64.const 0)))
        (i32.add (i32.load $moves (local.get 0)) (i32.load $m64 (local.get 0)))))
    """),
    ("simd", """
    (module
      (memory 1)
      (global $bias (mut v128) (v128.const i32x4 1 2 3 4))
      ;; a[i] = a[i] * b[i] + bias over 4-lane vectors: loads, an op tree, a store
      (func (export "madd") (param i32 i32 i32)
        (local v128)
        (local.set 3 (i32x4.add (i32x4.mul (v128.load (local.get 0)) (v128.load offset=16 (local.get 1))) (global.get $bias)))
        (v128.store (local.get 2) (local.get 3)))
      ;; lane immediates, a shuffle, a lane load and store, v128 through a parameter and result
      (func (export "lanes") (param v128 i32) (result v128 i32)
        (v128.store8_lane 15 (local.get 1) (local.get 0))
        (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
          (i32x4.replace_lane 3 (local.get 0) (i32.const 7))
          (v128.load32_lane 1 (local.get 1) (local.get 0)))
        (i32x4.extract_lane 2 (local.get 0)))
      ;; tcc: f64 lanes stay f64 from the loads through the arithmetic to the variable and the
      ;; two 8-byte stores (high first); a lane moved within one variable holds its low half in
      ;; h_ until the high half is computed; a shuffle is a whole-vector call on the halves
      (func (export "axpy") (param i32 f64) (result f64)
        (local v128)
        (local.set 2 (f64x2.add (f64x2.mul (f64x2.splat (local.get 1)) (v128.load (local.get 0)))
                                (v128.load offset=16 (local.get 0))))
        (v128.store offset=32 (local.get 0) (local.get 2))
        (local.set 2 (f64x2.replace_lane 0 (local.get 2) (f64x2.extract_lane 1 (local.get 2))))
        (v128.store offset=48 (local.get 0) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 2) (local.get 2)))
        (f64x2.extract_lane 0 (local.get 2))))
    """),
    // Tail calls: `count` calls itself (a jump to T); `even`/`odd` call each other and `pick`
    // calls through the table, so these three get a tail entry tfn<f> and a trampoline fn<f>;
    // `plain` makes no tail call and is lowered as without them.
    ("tailcalls", """
    (module
      (type $t (func (param i64) (result i64)))
      (table 1 funcref)
      (elem (i32.const 0) $odd)
      (func $count (export "count") (param i64 i64) (result i64)
        (local f64)
        (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
          (else (return_call $count (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (local.get 0))))))
      (func $even (export "even") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
          (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
      (func $odd (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
      (func (export "pick") (param i64) (result i64)
        (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "plain") (param i64) (result i64)
        (call $even (local.get 0))))
    """),
]

func lowerWat(_ wat: String, optimizing: Bool = false) throws -> String {
    let wasm = try wat2wasm(wat, features: [.referenceTypes, .tailCall, .functionReferences])
    let module = try Decoder.decode(wasm)
    try Validator.validate(module)
    return try Lowerer.lower(module, wasm: wasm, options: LowerOptions(optimizingCompiler: optimizing))
}

@Test(arguments: goldenModules.map(\.name))
func generatedCMatchesGolden(name: String) throws {
    let wat = goldenModules.first { $0.name == name }!.wat
    let c = try lowerWat(wat)
    if name == "exceptions" {
        // Only functions with a try_table get handlers and volatile locals; a branch out of
        // two try_tables unlinks the outer handler (and with it the inner).
        #expect(c.contains("u32 volatile l1 = 0;"))
        #expect(c.components(separatedBy: "wasmc_handler h").count == 4)
        #expect(!c.contains("fn0(wasmc_instance *ctx, u32 volatile"))
    }
    let url = CTools.testsDir.appendingPathComponent("Golden/\(name).c")
    if ProcessInfo.processInfo.environment["WASMC_UPDATE_GOLDEN"] == "1" {
        try c.write(to: url, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(c == golden, "generated C for \(name) differs from Golden/\(name).c (WASMC_UPDATE_GOLDEN=1 to accept)")
    let t = try CTools.tccCompile(c, name: "golden_\(name)")
    #expect(t.status == 0, "\(t.output)")
}

/// Modules whose -O C is checked in (Golden/<name>.c), built by gcc -O2 as the tier does.
let goldenOptimizedModules: [(name: String, wat: String)] = [
    // Extended shuffles (docs/simd.md): sha256's byte swap as shifts and masks of the loaded
    // vector; a sign-extending gather from the high bytes; a gather whose bytes come from both
    // operands stays a shuffle.
    ("simd_fused", """
    (module
      (memory 1)
      (func (export "bswap") (param i32 i32)
        (local v128)
        (local.set 2 (v128.load (local.get 0)))
        (v128.store (local.get 1) (v128.or (v128.or (v128.or
          (i32x4.shl (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
            (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 2) (local.get 2)))) (i32.const 24))
          (i32x4.shl (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
            (i8x16.shuffle 1 5 9 13 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 2) (local.get 2)))) (i32.const 16)))
          (i32x4.shl (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
            (i8x16.shuffle 2 6 10 14 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 2) (local.get 2)))) (i32.const 8)))
          (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
            (i8x16.shuffle 3 7 11 15 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 2) (local.get 2)))))))
      (func (export "odd_bytes_s") (param v128 v128) (result v128)
        (i16x8.extend_high_i8x16_s (i8x16.shuffle 0 0 0 0 0 0 0 0 17 19 21 23 25 27 29 31 (local.get 0) (local.get 1))))
      (func (export "mixed") (param v128 v128) (result v128)
        (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 2 4 6 8 10 12 30 0 0 0 0 0 0 0 0 (local.get 0) (local.get 1)))))
    """),
]

@Test(arguments: goldenOptimizedModules.map(\.name))
func generatedOptimizedCMatchesGolden(name: String) throws {
    let c = try lowerWat(goldenOptimizedModules.first { $0.name == name }!.wat, optimizing: true)
    let url = CTools.testsDir.appendingPathComponent("Golden/\(name).c")
    if ProcessInfo.processInfo.environment["WASMC_UPDATE_GOLDEN"] == "1" {
        try c.write(to: url, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(c == golden, "generated -O C for \(name) differs from Golden/\(name).c (WASMC_UPDATE_GOLDEN=1 to accept)")
    let g = try CTools.gccCompile(c, name: "golden_\(name)", extra: ["-fPIC"])
    #expect(g.status == 0, "\(g.output)")
}

@Test func tailCallsShapeOnlyTheFunctionsThatMakeThem() throws {
    let c = try lowerWat(goldenModules.first { $0.name == "tailcalls" }!.wat)
    // Self tail call: parameters reassigned, the other local zeroed again, a jump.
    #expect(c.contains("l0 = s0l; l1 = s1l; l2 = 0; goto T;") || c.contains("goto T;"))
    #expect(c.components(separatedBy: "\nT:\n").count == 2)
    // even, odd (direct) and pick (indirect) have tail entries run by their trampolines.
    for f in [1, 2, 3] {
        #expect(c.contains("static void tfn\(f)(wasmc_instance *ctx, wasmc_tail_call *tc) {"))
        #expect(c.contains("  tc.entry = (void *)tfn\(f);\n"))
    }
    #expect(c.contains("static void *const wasmc_function_tail[5] = {0, (void *)tfn1, (void *)tfn2, (void *)tfn3, 0};"))
    // count (self only) and plain have none; plain calls even's ordinary entry.
    #expect(!c.contains("tfn0") && !c.contains("tfn4"))
    #expect(c.contains("= fn1(ctx, l0);"))
    // A module without tail calls names none of it.
    let none = try lowerWat(goldenModules.first { $0.name == "calls" }!.wat)
    #expect(!none.contains("tfn") && !none.contains("wasmc_tail") && !none.contains("wasmc_tadapt") && !none.contains("goto T;"))
}

@Test func straightLineCodeIsOneExpression() throws {
    let c = try lowerWat(goldenModules[0].wat)
    // i32.add(i32.load, i32.mul(i32.load offset=4, 3)) with no temporaries.
    #expect(c.contains("return ((*(wasmc_u32u *)(m0 + (u64)l0)) + ((*(wasmc_u32u *)(m0 + (u64)l1 + 4ull)) * 3u));"))
}

@Test func eachMemoryHasItsCachedBase() throws {
    let c = try lowerWat(goldenModules.first { $0.name == "multimemory" }!.wat)
    // The imported memory's base is read through its pointer, the defined one inline; once each.
    #expect(c.contains("  u8 *m0 = inst->memories[0]->base;\n  u8 *m1 = inst->owned_memories[0].base;\n"))
    #expect(c.contains("*(wasmc_u32u *)(m1 + (u64)l1) = (u32)(*(wasmc_u32u *)(m0 + (u64)l1 + 4ull));"))
    #expect(c.contains("*(wasmc_u32u *)(m1 + (u64)l0) = (u32)((*(wasmc_u32u *)(m0 + (u64)l0)) + 1u);"))
    #expect(!c.contains("+="))
    // No call and no check per access: the only runtime calls are the bulk and grow ones.
    #expect(c.contains("wasmc_rt_ptr->memory_copy((&inst->owned_memories[0]), l0, inst->memories[0], l1, l2);"))
    #expect(c.contains("wasmc_rt_ptr->memory_grow(inst->memory_objects[0], 1u)"))
    #expect(c.contains("inst->owned_memories[0].current_length >> 16"))
}

@Test func memory64AccessIsCheckedAnd32BitIsNot() throws {
    let c = try lowerWat(goldenModules.first { $0.name == "memory64" }!.wat)
    // Memory 0 (32-bit) keeps its unchecked access; memory 1 (64-bit, owned) compares the
    // address with its length once (cached in `n1`, an owned memory), the offset being left to
    // the guard.
    #expect(c.contains("(*(wasmc_u32u *)(m0 + (u64)l0 + 4ull))"))
    #expect(c.contains("u64 n1 = inst->owned_memories[1].current_length;"))
    #expect(c.contains("(*(wasmc_u32u *)(m1 + WASMC_BOUND64(l1, n1) + 4ull))"))
    // An offset past the guard: the whole access is checked.
    #expect(c.contains("(m1 + wasmc_bound64_full(l0, n1, 4294967303ull) + 4294967295ull)"))
    #expect(c.contains("wasmc_table_index64(l0)"))
    // Memory 2 has no maximum, so its base may move: `m2` is read again after memory.grow and
    // after the call, and only in the one function that accesses memory 2; memory 1's is not.
    // The cached lengths are read again at the same places.
    let reload = "  m2 = inst->owned_memories[2].base;\n  n1 = inst->owned_memories[1].current_length;\n  n2 = inst->owned_memories[2].current_length;\n"
    #expect(c.contains("u8 *m2 = inst->owned_memories[2].base;"))
    #expect(c.contains("s0l = wasmc_rt_ptr->memory_grow(inst->memory_objects[2], 1ull);\n" + reload))
    #expect(c.contains("s1i = fn5(ctx, 0ull);\n" + reload))
    #expect(c.components(separatedBy: "  m2 = inst").count == 3)
    #expect(!c.contains("  m1 = inst"))
    #expect(c.contains("(*(wasmc_u32u *)(m2 + WASMC_BOUND64(l0, n2)))"))
}

@Test func loopWithOneFinalBackEdgeIsDoWhile() throws {
    let c = try lowerWat(goldenModules[1].wat)
    // `count`: its only back edge is the last br_if; `fib` branches back with `br` (a label).
    #expect(c.contains("  do {\n  l1 = (l1 + 3u);\n"))
    #expect(c.contains("  } while ((l0 = (l0 - 1u)));\n  return l1;"))
    #expect(c.components(separatedBy: "do {").count == 2)
    #expect(c.contains("goto L2;"))
    // Loops hold nothing for interruption (a signal stops them); every function checks its stack.
    #expect(c.contains("  L2:;\n"))
    #expect(!c.contains("interrupt"))
    #expect(c.components(separatedBy: "WASMC_CHECK_STACK(").count == 4)
}

@Test func storeOfLoadOpIsCompoundAssignmentUnderTcc() throws {
    let wat = """
    (module (memory 1)
      (func (export "f") (param i32 f64)
        (f64.store offset=8 (local.get 0)
          (f64.add (f64.mul (local.get 1) (local.get 1)) (f64.load offset=8 (local.get 0))))
        (i32.store (local.get 0) (i32.sub (i32.load (local.get 0)) (i32.const 3)))
        (i32.store (local.get 0) (i32.sub (i32.const 3) (i32.load (local.get 0))))
        (i32.store offset=4 (local.get 0) (i32.add (i32.load (local.get 0)) (i32.const 1)))))
    """
    let c = try lowerWat(wat)
    #expect(c.contains("*(wasmc_f64u *)(m0 + (u64)l0 + 8ull) += (l1 * l1);"))
    #expect(c.contains("*(wasmc_u32u *)(m0 + (u64)l0) -= 3u;"))
    // Not commutative; and a different address: plain stores.
    #expect(c.contains("*(wasmc_u32u *)(m0 + (u64)l0) = (u32)(3u - (*(wasmc_u32u *)(m0 + (u64)l0)));"))
    #expect(c.contains("*(wasmc_u32u *)(m0 + (u64)l0 + 4ull) = (u32)((*(wasmc_u32u *)(m0 + (u64)l0)) + 1u);"))
    // The -O tier reads through its forcing helpers: unchanged.
    #expect(!(try lowerWat(wat, optimizing: true)).contains("+="))
}

@Test func lastLocalSetMovesIntoTheCondition() throws {
    let wat = """
    (module (memory 1)
      (func (export "down") (param i32) (result i32)
        (loop (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if 0 (i32.gt_u (local.get 0) (i32.const 5))))
        (local.get 0))
      (func (export "traps") (param i32) (result i32) (local i32)
        (block (local.set 1 (i32.load (local.get 0)))
               (br_if 0 (i32.div_u (local.get 1) (local.get 0))))
        (local.get 1))
      (func (export "twice") (param i32) (result i32) (local i32)
        (block (local.set 1 (i32.add (local.get 0) (i32.const 1)))
               (br_if 0 (i32.gt_u (local.get 1) (i32.mul (local.get 1) (local.get 1)))))
        (local.get 1))
      (func (export "pair") (param i32 i32) (result i32) (local i32 i32)
        (local.set 2 (i32.add (local.get 0) (i32.const 8)))
        (local.set 3 (i32.add (local.get 1) (i32.const 4)))
        (i32.store (local.get 2) (local.get 3))
        (i32.add (local.get 2) (local.get 3)))
      (func (export "dependent") (param i32) (result i32) (local i32 i32)
        (local.set 1 (i32.add (local.get 0) (i32.const 8)))
        (local.set 2 (i32.add (local.get 1) (i32.const 4)))
        (i32.store (local.get 1) (local.get 2))
        (i32.add (local.get 1) (local.get 2))))
    """
    let c = try lowerWat(wat)
    #expect(c.contains("  } while (((l0 = (l0 - 1u)) > 5u));\n"))
    // The load and the division trap differently: the assignment stays a statement.
    #expect(c.contains("  l1 = (*(wasmc_u32u *)(m0 + (u64)l0));\n"))
    // Read twice in the condition: no assignment inside it (unsequenced).
    #expect(c.contains("  l1 = (l0 + 1u);\n  if ((l1 > (l1 * l1)))"))
    // Two independent sets move into the store together (both are read again later).
    #expect(c.contains("  *(wasmc_u32u *)(m0 + (u64)(l2 = (l0 + 8u))) = (u32)(l3 = (l1 + 4u));\n"))
    // The second reads the first: it takes the first in, and is not moved again.
    #expect(c.contains("  l2 = ((l1 = (l0 + 8u)) + 4u);\n  *(wasmc_u32u *)(m0 + (u64)l1) = (u32)l2;\n"))
    // The -O tier keeps the statements (gcc gains nothing; sha256 ran slower).
    let o = try lowerWat(wat, optimizing: true)
    #expect(o.contains("  l0 = (l0 - 1u);\n  } while ((l0 > 5u));\n"))
}

@Test func deadAssignmentsAreNotWrittenUnderTcc() throws {
    let wat = """
    (module (memory 1)
      (func (export "acc") (param i32 i32) (local i32)
        (loop
          ;; matmul's shape: the tee'd address is read once more by the load of the
          ;; compound store, then never again (written first in the next iteration).
          (f64.store (local.tee 2 (i32.add (local.get 0) (local.get 1)))
            (f64.add (f64.const 1) (f64.load (local.get 2))))
          (f64.store (local.tee 2 (i32.add (local.get 2) (i32.const 8)))
            (f64.add (f64.const 1) (f64.load (local.get 2))))
          (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 16))))))
      ;; Each function below has a loop (`(loop)`): only functions with one are analysed.
      (func (export "sets") (param i32) (result i32) (local i32 i32 i64)
        (loop)
        (local.set 1 (i32.const 5))      ;; overwritten before any read
        (local.set 1 (i32.add (local.get 0) (i32.const 1)))
        (local.set 2 (i32.load (local.get 0)))   ;; never read: only its trap stays
        (local.get 1))
      (func (export "maybe") (param i32) (result i32) (local i32 i32)
        (loop)
        (if (local.get 0) (then (local.set 1 (i32.const 7))))
        (local.set 2 (i32.const 1))
        (i32.add (local.get 1) (local.get 2)))
      (func (export "other") (param i32) (local i32)  ;; l1 = l0 + 8: kept
        (loop)
        (local.set 1 (i32.add (local.get 0) (i32.const 8)))
        (i32.store (local.get 1) (i32.const 1)))
      (func (export "param-break") (result i32) (local i32)  ;; from the spec's loop.wast
        (i32.const 1)
        (loop (param i32) (result i32)
          (local.tee 0 (i32.add (i32.const 4)))
          (br_if 0 (i32.lt_u (local.get 0) (i32.const 10))))))
    """
    let c = try lowerWat(wat)
    // The first assignment is read again (by the second statement), the second is not.
    #expect(c.contains("  *(wasmc_f64u *)(m0 + (u64)(l2 = (l0 + l1))) += 0x1.0000000000000p0;\n"), "\(c)")
    #expect(c.contains("  *(wasmc_f64u *)(m0 + (u64)((l2 + 8u))) += 0x1.0000000000000p0;\n"), "\(c)")
    #expect(!c.contains("l1 = 5u"))
    #expect(c.contains("  u32 l1, l2;\n"))  // both written before any read
    #expect(c.contains("= (*(wasmc_u32u *)(m0 + (u64)l0));"))  // the load still runs (its trap)
    #expect(!c.contains("l2 = (*(wasmc_u32u *)"))
    // Read on the path where the `if` does not assign it: zeroed; the other is not.
    #expect(c.contains("  u32 l1 = 0, l2;\n"))
    // Only self-updates lose a folded assignment (see foldPendingSets).
    #expect(c.contains("  *(wasmc_u32u *)(m0 + (u64)(l1 = (l0 + 8u))) = (u32)1u;\n"), "\(c)")
    // The loop parameter is written out while the popped condition still reads l0: the
    // assignment stays (dropping it looped forever).
    #expect(c.contains("  s0i = (l0 = (s0i + 4u));\n  if ((l0 < 10u)) { goto L"), "\(c)")
    // A function without a loop is not analysed (a store there runs once per call).
    let straight = try lowerWat(wat.replacingOccurrences(of: "(loop)\n", with: ""))
    #expect(straight.contains("l1 = 5u;"), "\(straight)")
    // The -O tier keeps the assignments and zeros (gcc removes them itself).
    let o = try lowerWat(wat, optimizing: true)
    #expect(o.contains("l1 = 5u;"))
    #expect(!o.contains("  u32 l1, l2;\n"))
}

@Test func namesNeverReachTheC() throws {
    let hostile = "*/ #include <stdlib.h> int x = system(\\\"rm -rf /\\\"); /*"
    let c = try lowerWat("""
    (module (import "\(hostile)" "\(hostile)" (func (param i32)))
      (func (export "\(hostile)") (param i32) (call 0 (local.get 0))))
    """)
    #expect(!c.contains("system"))
    #expect(!c.contains("#include <stdlib.h>"))
    // The names live only in the embedded module bytes (as numbers).
    #expect(c.contains("wasmc_module_bytes"))
}

@Test func descriptorBytesDropCodeAndCustomSections() throws {
    let wasm = try wat2wasm("(module (memory 1) (func (export \"f\") (result i32) (i32.const 7)))")
    let withCustom = wasm + [0, 5, 4, 0x6E, 0x61, 0x6D, 0x65]  // custom section "name", empty
    let stripped = try ModuleBytes.strippedForDescriptor(withCustom)
    let meta = try Decoder.decode(stripped, options: .init(metadataOnly: true))
    #expect(meta.exports.map(\.name) == ["f"])
    #expect(stripped.count < wasm.count)
    #expect(!stripped.contains(10) || meta.functions.count == 1)
    // No section with id 0 or 10 is left.
    var i = 8
    while i < stripped.count {
        #expect(stripped[i] != 0 && stripped[i] != 10)
        var size = 0, shift = 0
        i += 1
        while true { let b = Int(stripped[i]); i += 1; size |= (b & 0x7F) << shift; shift += 7; if b & 0x80 == 0 { break } }
        i += size
    }
}
