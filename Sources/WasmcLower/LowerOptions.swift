/// How the generated C will be compiled.
public struct LowerOptions: Sendable {
    /// true: `cc -O2` compiles the C (the `-O` tier); false: libtcc (the default tier).
    public var optimizingCompiler: Bool = false
    /// The -O tier's target has a byte shuffle (`pshufb`, x86-64-v2 and up): shuffles under
    /// extends are left to it instead of being rewritten as lane shifts (ExtendedShuffle.swift),
    /// which measured no faster there (benchmarks/TCC-SHAPE.md).
    public var byteShuffle: Bool = false
    public init(optimizingCompiler: Bool = false, byteShuffle: Bool = false) {
        self.optimizingCompiler = optimizingCompiler
        self.byteShuffle = byteShuffle
    }
}
