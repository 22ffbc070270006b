/// How the generated C will be compiled.
public struct LowerOptions: Sendable {
    /// true: `cc -O2` compiles the C (the `-O` tier); false: libtcc (the default tier).
    public var optimizingCompiler: Bool = false
    /// Loops poll the instance's interruption word where they begin (WASMC_POLL_INTERRUPT).
    public var interruptibleLoops: Bool = false
    public init(optimizingCompiler: Bool = false, interruptibleLoops: Bool = false) {
        self.optimizingCompiler = optimizingCompiler
        self.interruptibleLoops = interruptibleLoops
    }
}
