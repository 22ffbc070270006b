/// A runtime header the generated code is written against: its text goes before the module's
/// own C (inlined by the compile step, or as an `#include` line for a reader).
public enum RuntimeHeader: Sendable, CaseIterable {
    /// wasmc_abi.h (Runtime/include): the instance header, values, the descriptor.
    case abi
    /// wasmc_prelude.h (Runtime/prelude): numeric, memory and atomic helpers.
    case prelude
    /// wasmc_simd.h (Runtime/prelude): `v128` and its operations, for modules that use it.
    case simd

    public var fileName: String {
        switch self {
        case .abi: "wasmc_abi.h"
        case .prelude: "wasmc_prelude.h"
        case .simd: "wasmc_simd.h"
        }
    }
}

/// What a module's C starts with, known before any function is lowered (the streaming compile
/// sends it first): a preamble, then the runtime headers in order.
public struct CHead: Sendable {
    /// The banner and, for the optimizing compiler, its pragma (which must precede the prelude).
    public var preamble: String
    public var headers: [RuntimeHeader]

    public init(preamble: String, headers: [RuntimeHeader]) {
        self.preamble = preamble
        self.headers = headers
    }

    /// The head as a C file that includes the headers (found with -I Runtime/include -I
    /// Runtime/prelude): each header's text stands in place of its line, less the newline.
    public var withIncludes: String {
        headers.reduce(preamble) { $0 + "#include \"\($1.fileName)\"\n" }
    }
}

/// One module's C as the lowering hands it over, in parts the consumers join by
/// concatenation (head, header texts, code) without ever looking inside the code.
public struct GeneratedC: Sendable {
    public var head: CHead
    /// The module's own C, after the headers.
    public var code: String
    /// The prelude helpers the code names (the libtcc input keeps only their parts).
    public var prelude: PreludeUse

    public init(head: CHead, code: String, prelude: PreludeUse = PreludeUse()) {
        self.head = head
        self.code = code
        self.prelude = prelude
    }

    /// The C as a file that includes the runtime headers (what the golden files hold).
    public var withIncludes: String { head.withIncludes + code }
}
