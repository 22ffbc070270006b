import Foundation

/// Reading the user's input files, with the OS's reason when that fails, and telling what a
/// file holds by its content rather than its name.
public enum InputFile {
    /// What an input file holds.
    public enum Kind: Equatable, Sendable {
        /// A wasm binary: starts with `\0asm`, or is named `.wasm` (then anything else in it is
        /// a malformed binary, which the decoder reports).
        case binary
        /// An ELF file: a module compiled by `wasmc compile`.
        case compiledModule
        /// Anything else: the text format.
        case text
    }

    public static func kind(of bytes: [UInt8], path: String) -> Kind {
        if bytes.starts(with: [0x00, 0x61, 0x73, 0x6D]) { return .binary }
        if bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return .compiledModule }
        if path.hasSuffix(".wasm") { return .binary }
        return .text
    }

    /// The file's bytes; `FileError(path, "cannot read: <OS reason>")` when it cannot be read.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, "cannot read") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ioError(path, "cannot read") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw FileError(path, "cannot read: Is a directory") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(st.st_size, 0)))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "cannot read")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// "PATH: what: <strerror(errno)>".
    static func ioError(_ path: String, _ what: String) -> FileError {
        FileError(path, "\(what): \(String(cString: strerror(errno)))")
    }
}
