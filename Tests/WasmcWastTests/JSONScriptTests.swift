// JSON command lists (wasm-tools json-from-wast) through the real pipeline, with exact counts.
import Foundation
import Testing
import WAT
@testable import WasmcWast

@Suite struct JSONScriptTests {
    /// A fresh folder holding `script` as `name` and `modules` as .wasm (from text) or raw files.
    func folder(_ name: String, _ script: String, modules: [String: String] = [:], raw: [String: [UInt8]] = [:]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-json-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (file, wat) in modules { try Data(try wat2wasm(wat)).write(to: URL(fileURLWithPath: "\(dir)/\(file)")) }
        for (file, bytes) in raw { try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(file)")) }
        try script.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        return "\(dir)/\(name)"
    }

    @Test func commandsRunWithTheTextScriptsSemantics() throws {
        let path = try folder("t.json", """
            {"source_filename": "t.wast", "commands": [
             {"type": "module", "line": 1, "name": "M", "filename": "t.0.wasm", "module_type": "binary"},
             {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "add", "args": [{"type": "i32", "value": "-1"}, {"type": "i32", "value": "4294967295"}]}, "expected": [{"type": "i32", "value": "-2"}]},
             {"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "add", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "1"}]}, "expected": [{"type": "i32", "value": "3"}]},
             {"type": "assert_trap", "line": 4, "action": {"type": "invoke", "module": "M", "field": "div", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "0"}]}, "text": "integer divide by zero"},
             {"type": "assert_return", "line": 5, "action": {"type": "get", "field": "g"}, "expected": [{"type": "f32", "value": "1065353216"}]},
             {"type": "assert_return", "line": 6, "action": {"type": "invoke", "field": "nan", "args": []}, "expected": [{"type": "either", "values": [{"type": "f64", "value": "0"}, {"type": "f64", "value": "nan:canonical"}]}]},
             {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "id", "args": [{"type": "externref", "value": "7"}]}, "expected": [{"type": "externref", "value": "7"}]},
             {"type": "assert_return", "line": 8, "action": {"type": "invoke", "field": "id", "args": [{"type": "externref", "value": "null"}]}, "expected": [{"type": "refnull"}]},
             {"type": "register", "line": 9, "name": "M", "as": "m"},
             {"type": "assert_invalid", "line": 10, "filename": "t.1.wasm", "module_type": "binary", "text": "type mismatch"},
             {"type": "assert_malformed", "line": 11, "filename": "t.2.wat", "module_type": "text", "text": "unexpected token"},
             {"type": "assert_malformed", "line": 12, "filename": "t.3.wasm", "module_type": "binary", "text": "magic header not detected"},
             {"type": "assert_unlinkable", "line": 13, "filename": "t.4.wasm", "module_type": "binary", "text": "unknown import"},
             {"type": "assert_uninstantiable", "line": 14, "filename": "t.5.wasm", "module_type": "binary", "text": "unreachable"},
             {"type": "action", "line": 15, "action": {"type": "invoke", "field": "nan", "args": []}},
             {"type": "assert_exception", "line": 16, "action": {"type": "invoke", "field": "throws", "args": []}},
             {"type": "assert_return", "line": 17, "action": {"type": "invoke", "field": "v", "args": [{"type": "v128", "lane_type": "i16", "value": ["1", "0", "65535", "65535", "3", "0", "4", "0"]}]}, "expected": [{"type": "v128", "lane_type": "i32", "value": ["2", "4294967294", "6", "8"]}]},
             {"type": "assert_return", "line": 18, "action": {"type": "invoke", "field": "nan", "args": []}, "expected": [{"type": "anyref"}]},
             {"type": "module", "line": 19, "filename": "missing.wasm", "module_type": "binary"},
             {"type": "assert_return", "line": 20, "action": {"type": "invoke", "field": "nan", "args": []}, "expected": []},
             {"type": "no_such_command", "line": 21},
             {"type": "assert_return", "line": 22, "action": {"type": "invoke", "module": "M", "field": "qnan", "args": []}, "expected": [{"type": "v128", "lane_type": "f32", "value": ["nan:arithmetic", "nan:arithmetic", "nan:arithmetic", "2143289344"]}]},
             {"type": "assert_return", "line": 23, "action": {"type": "invoke", "module": "M", "field": "qnan", "args": []}, "expected": [{"type": "v128", "lane_type": "f32", "value": ["nan:canonical", "nan:arithmetic", "nan:arithmetic", "nan:canonical"]}]}
            ]}
            """, modules: [
                "t.0.wasm": """
                    (module
                      (global (export "g") f32 (f32.const 1))
                      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
                      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
                      (func (export "nan") (result f64) (f64.div (f64.const 0) (f64.const 0)))
                      (func (export "id") (param externref) (result externref) (local.get 0))
                      (tag $e (param i32))
                      (func (export "throws") (throw $e (i32.const 1)))
                      (func (export "v") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
                      (func (export "qnan") (result v128) (v128.const i32x4 0x7fc00001 0xffc00000 0x7fc00002 0x7fc00000)))
                    """,
                "t.1.wasm": "(module (func (result i32) (i64.const 0)))",
                "t.4.wasm": "(module (import \"nowhere\" \"f\" (func)))",
                "t.5.wasm": "(module (func $s unreachable) (start $s))",
            ], raw: ["t.2.wat": Array("(module (func (i32.const)))x".utf8), "t.3.wasm": [0, 0x61, 0x73, 0x6e]])
        let r = WastSuite.runFile(path: path, display: "t.json")
        // Failed: line 3 (wrong result), 19 (missing file), 20 (its module did not load), 21 (unknown
        // command), 23 (a canonical NaN lane holding an arithmetic NaN). Skipped: 18 (GC type).
        // Line 16 throws; 17 passes v128 lanes both ways, 22 NaN lane patterns.
        expectCounts(r, passed: 17, failed: 5, skipped: 1)
        let notes = r.notes.joined(separator: "\n")
        #expect(notes.contains("t.json:3: invoke \"add\" should return (i32.const 3) — got (i32.const 2)"), "\(notes)")
        #expect(notes.contains("t.json:18: skipped: unsupported: GC"), "\(notes)")
        #expect(notes.contains("cannot read module file"), "\(notes)")
        #expect(notes.contains("t.json:20: invoke \"nan\" should return no results — error: the module (line 19) did not load"), "\(notes)")
        #expect(notes.contains("unknown command type \"no_such_command\""), "\(notes)")
    }

    /// A file of a proposal wasmc lacks runs nothing: every command counts as skipped, once noted.
    @Test func unsupportedFeatureFilesSkipWhole() throws {
        let path = try folder("struct.json", """
            {"source_filename": "struct.wast", "commands": [
             {"type": "module", "line": 1, "filename": "struct.0.wasm", "module_type": "binary"},
             {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []}]}
            """)
        let r = WastSuite.runFile(path: path, display: "struct.json")
        expectCounts(r, passed: 0, failed: 0, skipped: 2)
        #expect(r.notes == ["struct.json: skipped 2: unsupported: GC"])
        #expect(UnsupportedFeatures.feature(ofFile: "try_table.wast") == nil)
        #expect(UnsupportedFeatures.feature(ofFile: "dir/memory64.json") == nil)
        #expect(UnsupportedFeatures.feature(ofFile: "array_copy.wast") == "GC")
        #expect(UnsupportedFeatures.feature(ofFile: "dir/type-rec.json") == "GC")
        #expect(UnsupportedFeatures.feature(ofFile: "return_call.wast") == nil)
        #expect(UnsupportedFeatures.feature(ofFile: "i64.wast") == nil)
        #expect(UnsupportedFeatures.feature(ofFile: "global.wast") == nil)
    }

    /// Extended constants are 3.0: accepted in JSON scripts; text scripts stay 2.0.
    @Test func jsonScriptsAreWasm3() throws {
        let wat = "(module (global (export \"g\") i32 (i32.add (i32.const 40) (i32.const 2))))"
        let path = try folder("x.json", """
            {"commands": [
             {"type": "module", "line": 1, "filename": "x.0.wasm", "module_type": "binary"},
             {"type": "assert_return", "line": 2, "action": {"type": "get", "field": "g"}, "expected": [{"type": "i32", "value": "42"}]}]}
            """, modules: ["x.0.wasm": wat])
        expectCounts(WastSuite.runFile(path: path, display: "x.json"), passed: 2, failed: 0)
        expectCounts(run("(assert_invalid \(wat) \"constant expression required\")"), passed: 1, failed: 0)
    }

    @Test func notAJSONCommandList() throws {
        let path = try folder("bad.json", "{\"commands\": 3}")
        let r = WastSuite.runFile(path: path, display: "bad.json")
        expectCounts(r, passed: 0, failed: 1)
        #expect(r.fileError?.hasPrefix("not a JSON command list") == true)
    }
}
