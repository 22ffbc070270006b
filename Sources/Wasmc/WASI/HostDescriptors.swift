import Foundation
import Synchronization
import WasmcRuntime

/// What wasmc keeps per guest fd beside WasmKit's fd table, which is internal to it: a host
/// descriptor of its own for each guest directory (preopens and folders the guest opened),
/// so that path_link and path_filestat_set_times can work relative to it, and the sync
/// fdflags the guest asked for (WasmKit opens without them). Updated by the wrappers of
/// path_open, fd_close, fd_renumber and fd_fdstat_set_flags.
final class HostDescriptors: Sendable {
    /// preview1 fdflags that WasmKit drops at path_open: wasmc keeps their promise itself by
    /// syncing after each write (fd_write, fd_pwrite).
    static let dsync: UInt16 = 1 << 1, rsync: UInt16 = 1 << 3, sync: UInt16 = 1 << 4
    static let syncFlags = dsync | rsync | sync

    private struct Table {
        var directories: [UInt32: Int32] = [:]
        var syncFlags: [UInt32: UInt16] = [:]
    }
    private let table = Mutex(Table())
    /// Guest fds with sync flags: writes skip the lock while there are none.
    private let syncCount = Atomic<Int>(0)

    /// Preopens are guest fds 3, 4, ... in order (as WasmKit numbers them).
    init(preopens: [WASIPreopen]) throws {
        var directories: [UInt32: Int32] = [:]
        for (i, preopen) in preopens.enumerated() {
            let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                for d in directories.values { _ = Foundation.close(d) }
                throw WasmcError("preopened folder \"\(preopen.hostPath)\": \(String(cString: strerror(errno)))")
            }
            directories[UInt32(3 + i)] = fd
        }
        table.withLock { $0.directories = directories }
    }

    deinit {
        table.withLock { for fd in $0.directories.values { _ = close(fd) } }
    }

    /// Runs `body` with the host directory behind guest fd `fd`, under the table's lock (so
    /// that a concurrent fd_close cannot close it meanwhile); nil when there is none.
    func withDirectory<T>(_ fd: UInt32, _ body: (Int32) throws -> T) rethrows -> T? {
        try table.withLock { t in
            guard let host = t.directories[fd] else { return nil }
            return try body(host)
        }
    }

    func withDirectories<T>(_ a: UInt32, _ b: UInt32, _ body: (Int32, Int32) throws -> T) rethrows -> T? {
        try table.withLock { t in
            guard let x = t.directories[a], let y = t.directories[b] else { return nil }
            return try body(x, y)
        }
    }

    /// Records a folder the guest opened as `fd`: `path` resolved beneath the host directory
    /// of guest fd `parent`, by the kernel, so never outside it.
    func openedDirectory(_ fd: UInt32, parent: UInt32, path: String, follow: Bool) {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)
        let host = withDirectory(parent) { wasmc_open_beneath($0, path, flags) } ?? -1
        if host >= 0 { table.withLock { $0.directories[fd] = host } }
    }

    func setSyncFlags(_ fd: UInt32, _ flags: UInt16) {
        let flags = flags & Self.syncFlags
        table.withLock { t in
            let had = t.syncFlags[fd] != nil
            t.syncFlags[fd] = flags == 0 ? nil : flags
            let has = flags != 0
            if had != has { syncCount.add(has ? 1 : -1, ordering: .relaxed) }
        }
    }

    func syncFlags(_ fd: UInt32) -> UInt16 {
        if syncCount.load(ordering: .relaxed) == 0 { return 0 }
        return table.withLock { $0.syncFlags[fd] ?? 0 }
    }

    /// The guest closed `fd`.
    func closed(_ fd: UInt32) {
        setSyncFlags(fd, 0)
        table.withLock { t in
            if let host = t.directories.removeValue(forKey: fd) { _ = close(host) }
        }
    }

    /// The guest renumbered `from` to `to` (closing what `to` was).
    func renumbered(_ from: UInt32, to: UInt32) {
        if from == to { return }
        let flags = syncFlags(from)
        closed(to)
        setSyncFlags(from, 0)
        setSyncFlags(to, flags)
        table.withLock { t in
            if let host = t.directories.removeValue(forKey: from) { t.directories[to] = host }
        }
    }
}
