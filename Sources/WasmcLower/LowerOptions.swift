/// How the generated C will be compiled.
public struct LowerOptions: Sendable {
    /// true: `cc -O2` compiles the C (the `-O` tier); false: libtcc (the default tier).
    public var optimizingCompiler: Bool = false
    public init(optimizingCompiler: Bool = false) {
        self.optimizingCompiler = optimizingCompiler
    }
}
