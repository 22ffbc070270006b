// Proposals the 3.0 suite tests that wasmc does not implement yet, and the suite files (by
// name, as its README groups them) that test nothing else. A script of such a file is not
// run: each of its commands is counted as skipped, "unsupported: <feature>". Take a feature
// out of this table when it lands, so its files run.
import Foundation

enum UnsupportedFeatures {
    struct Feature {
        var name: String
        var files: Set<String> = []
        var prefixes: [String] = []
    }

    static let table: [Feature] = [
        Feature(name: "GC", files: [
            "array", "array_copy", "array_fill", "array_init_data", "array_init_elem", "array_new_data",
            "array_new_elem", "binary-gc", "br_on_cast", "br_on_cast_fail", "extern", "i31", "ref_cast",
            "ref_eq", "ref_test", "struct", "type-canon", "type-equivalence", "type-rec", "type-subtyping",
        ]),
    ]

    /// The unimplemented feature the script named `name` (any folder and extension) tests, if any.
    static func feature(ofFile name: String) -> String? {
        let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
        return table.first { $0.files.contains(stem) || $0.prefixes.contains(where: stem.hasPrefix) }?.name
    }
}
