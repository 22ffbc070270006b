// Inline scripts through the real pipeline. Each asserts exact pass/fail/skip counts, so a
// runner that silently passes (or drops) commands fails here.
import Testing
@testable import WasmcWast

func run(_ script: String, name: String = "test.wast") -> FileReport {
    WastSuite.runScript(script, name: name)
}

func expectCounts(_ r: FileReport, passed: Int, failed: Int, skipped: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.passed == passed && r.failed == failed && r.skipped == skipped,
            "got \(r.passed)/\(r.failed)/\(r.skipped):\n\(r.text)", sourceLocation: sourceLocation)
}

@Suite struct RunnerTests {
    @Test func modulesInvokeGetRegister() {
        let r = run("""
            (module $A
              (global (export "g") i32 (i32.const 7))
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            (register "a" $A)
            (module $B
              (import "a" "add" (func $add (param i32 i32) (result i32)))
              (import "spectest" "print_i32" (func (param i32)))
              (import "spectest" "memory" (memory 1))
              (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0))))
            (invoke "twice" (i32.const 1))
            (assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
            (assert_return (invoke $A "add" (i32.const -1) (i32.const 1)) (i32.const 0))
            (assert_return (get $A "g") (i32.const 7))
            (module binary "\\00asm" "\\01\\00\\00\\00")
            (module quote "(func (export \\"q\\") (result i64) (i64.const 5))")
            (assert_return (invoke "q") (i64.const 5))
            """)
        expectCounts(r, passed: 10, failed: 0)
    }

    /// 3.0 exception handling in a text script: its modules written as text decode as 3.0.
    @Test func assertException() {
        let r = run("""
            (module
              (tag $e (export "e") (param i32))
              (func (export "throws") (param i32) (throw $e (local.get 0)))
              (func (export "catches") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h) (throw $e (local.get 0)))
                  (i32.const -1))))
            (assert_exception (invoke "throws" (i32.const 1)))
            (assert_return (invoke "catches" (i32.const 7)) (i32.const 7))
            (assert_exception (invoke "catches" (i32.const 7)))
            (assert_trap (invoke "throws" (i32.const 1)) "unreachable")
            """)
        expectCounts(r, passed: 3, failed: 2)  // the module, 2 assertions; the last two are wrong on purpose
        #expect(r.text.contains("invoke \"catches\" should throw an exception — returned (i32.const 7)"), "\(r.text)")
        #expect(r.text.contains("should trap \"unreachable\" — "), "\(r.text)")
    }

    @Test func moduleDefinitionsAndInstances() {
        let r = run("""
            (module definition $D (func (export "f") (result i32) (i32.const 9)))
            (module instance $I $D)
            (module instance $J $D)
            (assert_return (invoke $I "f") (i32.const 9))
            (assert_return (invoke "f") (i32.const 9))
            (assert_return (invoke $K "f") (i32.const 9))
            """)
        expectCounts(r, passed: 5, failed: 1)  // $K does not exist
    }

    @Test func failingAssertionsAreReportedWithTheirLines() {
        let r = run("""
            (module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 2))
            (assert_trap (invoke "one") "unreachable")
            (assert_invalid (module (func)) "type mismatch")
            (assert_malformed (module binary "\\00asm" "\\01\\00\\00\\00") "unexpected end")
            (assert_return (invoke "missing") (i32.const 1))
            (assert_unlinkable (module (func)) "unknown import")
            """)
        expectCounts(r, passed: 1, failed: 6)
        let notes = r.notes.joined(separator: "\n")
        for line in 2...7 { #expect(notes.contains("test.wast:\(line): "), "no note for line \(line)") }
        #expect(notes.contains("got (i32.const 1)"))
    }

    @Test func trapsExhaustionAndUninstantiableModules() {
        let r = run("""
            (module
              (memory 1)
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "unreachable") unreachable)
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func $loop (export "loop") (call $loop)))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
            (assert_trap (invoke "unreachable") "unreachable")
            (assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
            (assert_exhaustion (invoke "loop") "call stack exhausted")
            (assert_return (invoke "div" (i32.const 7) (i32.const 2)) (i32.const 3))
            (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
            """)
        expectCounts(r, passed: 8, failed: 0)
    }

    @Test func rejectedModules() {
        let r = run("""
            (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
            (assert_malformed (module binary "\\00asm") "unexpected end")
            (assert_malformed (module quote "(func (i32.const 0) extra") "unexpected")
            (assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
            (assert_unlinkable (module (import "spectest" "memory" (func))) "incompatible import type")
            """)
        expectCounts(r, passed: 5, failed: 0)
    }

    @Test func floatPatternsAndReferences() {
        let r = run("""
            (module
              (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
              (func (export "neg0") (result f64) (f64.const -0))
              (func (export "null") (result externref) (ref.null extern))
              (func (export "id") (param externref) (result externref) (local.get 0))
              (func $f (export "fref") (result funcref) (ref.func $f)))
            (assert_return (invoke "nan") (f32.const nan:canonical))
            (assert_return (invoke "nan") (f32.const nan:arithmetic))
            (assert_return (invoke "neg0") (f64.const -0))
            (assert_return (invoke "neg0") (f64.const 0))
            (assert_return (invoke "null") (ref.null extern))
            (assert_return (invoke "id" (ref.extern 3)) (ref.extern 3))
            (assert_return (invoke "fref") (ref.func))
            """)
        expectCounts(r, passed: 7, failed: 1)  // +0 is not -0
    }

    @Test func eitherAcceptsAnyAlternative() {
        let r = run("""
            (module (func (export "two") (result i32) (i32.const 2)))
            (assert_return (invoke "two") (either (i32.const 1) (i32.const 2)))
            (assert_return (invoke "two") (either (i32.const 3) (i32.const 4)))
            """)
        expectCounts(r, passed: 2, failed: 1)
        #expect(r.notes.joined().contains("test.wast:3:"))
    }

    @Test func threadsRunConcurrentlyAndWaitJoins() {
        let r = run("""
            (module $Mem (memory (export "shared") 1 1 shared))
            (register "mem")
            (thread $T1 (shared (module $Mem))
              (register "mem" $Mem)
              (module
                (memory (import "mem" "shared") 1 1 shared)
                (func (export "run") (i32.store (i32.const 0) (i32.const 42))))
              (invoke "run")
              (assert_return (invoke "run") (i32.const 1)))
            (thread $T2
              (assert_unlinkable (module (memory (import "mem" "shared") 1 1 shared)) "unknown import"))
            (wait $T1)
            (wait $T2)
            (module (memory (import "mem" "shared") 1 1 shared)
              (func (export "get") (result i32) (i32.load (i32.const 0))))
            (assert_return (invoke "get") (i32.const 42))
            """)
        // The thread's deliberately wrong assertion (line 9) fails; everything else passes.
        expectCounts(r, passed: 8, failed: 1)
        #expect(r.notes.joined().contains("test.wast:9:"))
    }

    @Test func onlySharedMemoryModulesCrossThreads() {
        let r = run("""
            (module $F (func (export "f")))
            (thread $T (shared (module $F))
              (invoke $F "f"))
            (wait $T)
            """)
        expectCounts(r, passed: 1, failed: 2)  // the sharing, then the invoke that lacks $F
        #expect(r.notes.joined().contains("not shareable"))
    }

    /// SIMD scripts run: v128 arguments, results compared lane by lane (float lanes by bits or
    /// as NaN patterns), and a wrong lane fails.
    @Test func simdScriptsRun() {
        let r = run("""
            (module
              (func (export "f") (param v128) (result v128) (i32x4.add (local.get 0) (v128.const i32x4 1 2 3 4)))
              (func (export "n") (result v128) (f32x4.splat (f32.const nan))))
            (assert_return (invoke "f" (v128.const i64x2 0 -1)) (v128.const i32x4 1 2 2 3))
            (assert_return (invoke "n") (v128.const f32x4 nan:canonical nan:arithmetic nan:canonical nan:arithmetic))
            (assert_return (invoke "f" (v128.const i32x4 0 0 0 0)) (v128.const i32x4 1 2 3 5))
            (assert_return (invoke "n") (v128.const f32x4 nan:canonical nan:canonical nan:canonical 0))
            (assert_invalid (module (func (result v128) (i32.const 0))) "type mismatch")
            """, name: "simd_sample.wast")
        expectCounts(r, passed: 4, failed: 2, skipped: 0)
        #expect(r.notes.joined().contains("should return (v128.const i32x4 0x1 0x2 0x3 0x5) — got (v128.const i32x4 0x1 0x2 0x3 0x4)"), "\(r.notes)")
    }

    @Test func malformedTextRejectedByTheParserPasses() {
        // No engine needed: the text parser itself rejects these.
        let r = run("""
            (assert_malformed (module quote "(func (local.get))x(") "unexpected token")
            (assert_malformed (module quote "(module (func $f) (func $f))") "duplicate func")
            """)
        expectCounts(r, passed: 2, failed: 0)
    }

    @Test func missingFilesAndBrokenScriptsFail() {
        var lines: [String] = []
        let summary = WastSuite.run(paths: ["/nonexistent/x.wast"]) { lines.append($0) }
        #expect(summary.failed == 1)
        #expect(lines.last == "0 passed, 1 failed, 0 skipped")
        let r = run("(module (func)")
        #expect(r.failed == 1 && r.fileError != nil)
    }
}
