import Foundation

/// Writing an output file the way `cc -o` does: through symbolic links to their target, into
/// devices and FIFOs directly, and for a regular or a new file through a temporary file in the
/// target's directory renamed into place, so a failed compile never leaves a partial file.
public enum OutputFile {
    /// Calls `produce` with a path to write, then puts what it wrote at `path`. A new file gets
    /// `mode` less the umask.
    public static func write(path: String, mode: mode_t = 0o666, _ produce: (String) throws -> Void) throws {
        let target = try resolveLinks(path)
        var st = stat()
        let exists = lstat(target, &st) == 0
        let type = st.st_mode & S_IFMT
        if exists && type == S_IFDIR { throw FileError(path, "cannot write: Is a directory") }
        if exists && type != S_IFREG {
            // A device, FIFO or socket: produce in the temporary directory, then copy the bytes
            // in; renaming over it would replace the node.
            let temp = try createTemp(directory: NSTemporaryDirectory(), name: "wasmc-output", mode: mode, reportAs: path)
            defer { unlink(temp) }
            try produce(temp)
            try copy(from: temp, to: target, reportAs: path)
            return
        }
        let url = URL(fileURLWithPath: target)
        let temp = try createTemp(directory: url.deletingLastPathComponent().path, name: ".\(url.lastPathComponent)", mode: mode, reportAs: path)
        do {
            try produce(temp)
            guard rename(temp, target) == 0 else { throw InputFile.ioError(path, "cannot write") }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Writes `bytes` to `path` as `write(path:_:)` does.
    public static func write(path: String, bytes: [UInt8]) throws {
        try write(path: path) { temp in
            let fd = open(temp, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { throw InputFile.ioError(path, "cannot write") }
            defer { close(fd) }
            try writeAll(fd, bytes, reportAs: path)
        }
    }

    /// Follows symbolic links (relative ones from their own directory) to the path they name,
    /// which need not exist yet: a dangling link's target is created, as `cc -o` creates it.
    static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw InputFile.ioError(path, "cannot write") }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : URL(fileURLWithPath: current).deletingLastPathComponent().path + "/" + link
        }
        throw FileError(path, "cannot write: Too many levels of symbolic links")
    }

    /// Creates an empty file named `name.tmp-PID-RANDOM` in `directory`: proves the directory
    /// is writable before any work, and reserves a name no one else uses.
    static func createTemp(directory: String, name: String, mode: mode_t, reportAs path: String) throws -> String {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        for _ in 0..<16 {
            let temp = "\(dir)/\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 {
                close(fd)
                return temp
            }
            if errno != EEXIST { throw InputFile.ioError(path, "cannot write") }
        }
        throw FileError(path, "cannot write: no free temporary name in \(dir)")
    }

    static func copy(from temp: String, to target: String, reportAs path: String) throws {
        let bytes = try InputFile.read(temp)
        let fd = open(target, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputFile.ioError(path, "cannot write") }
        defer { close(fd) }
        try writeAll(fd, bytes, reportAs: path)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], reportAs path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputFile.ioError(path, "cannot write")
            }
            done += n
        }
    }
}
