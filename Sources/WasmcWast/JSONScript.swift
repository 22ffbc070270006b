// A script as the JSON command list of `wasm-tools json-from-wast` (or WABT's `wast2json`):
// the text already turned into binary modules (.wasm files beside the JSON), so scripts that
// WasmKit's text parser cannot read still run. Only the fields the runner uses are decoded.
// Keys are decoded from snake case (`module_type` → `moduleType`).
import Foundation

struct JSONScript: Decodable {
    var sourceFilename: String?
    var commands: [JSONCommand]
}

struct JSONCommand: Decodable {
    var type: String
    var line: Int
    /// The module file; with `moduleType` "text", a .wat file that is kept as text.
    var filename: String?
    var moduleType: String?
    /// A binary encoding of a text module, when the converter could write one.
    var binaryFilename: String?
    var name: String?
    var `as`: String?
    var instance: String?
    var module: String?
    var action: JSONAction?
    var expected: [JSONValue]?
    var text: String?
}

struct JSONAction: Decodable {
    var type: String
    var module: String?
    var field: String
    var args: [JSONValue]?
}

/// A constant or expectation: `value` is a decimal string (floats as their bits), or
/// `nan:canonical`, `nan:arithmetic`, `null`; a reference without `value` means any non-null one.
struct JSONValue: Decodable {
    var type: String
    var value: JSONScalar?
    var values: [JSONValue]?
    var laneType: String?
}

/// `value` is a string, or a list of lane strings for v128.
enum JSONScalar: Decodable {
    case text(String)
    case lanes([String])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .text(s) } else { self = .lanes(try c.decode([String].self)) }
    }
}
