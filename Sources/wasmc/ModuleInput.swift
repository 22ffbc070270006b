import Wasmc

/// The module named on the command line, by its content (`InputFile.kind`): a compiled module
/// is loaded, a wasm binary or text compiled in memory.
func openModule(_ path: String) throws -> CompiledModule {
    let bytes = try InputFile.read(path)
    if InputFile.kind(of: bytes, path: path) == .compiledModule { return try CompiledModule.load(path: path) }
    return try CompiledModule.compile(wasm: try Compiler.wasm(from: bytes, path: path))
}

/// An error as `FILE[:LINE:COL]: what went wrong`: errors about a file name it themselves,
/// anything else is about the module in `file`.
func describe(_ error: Error, file: String) -> String {
    if let e = error as? FileError { return e.description }
    return "\(file): \(describe(error))"
}
