import Foundation
import WASI
import WasmTypes
import WasmcRuntime

/// The preview1 calls WasmKit 0.4.2 lacks or gets wrong that need the host descriptor behind
/// a guest fd (HostDescriptors): path_link, path_filestat_set_times without symlink_follow,
/// and the sync fdflags of path_open. Paths are resolved by the kernel beneath the guest
/// directory's host descriptor (wasmc_open_beneath), so they cannot leave the preopen.
enum WASIPathAdditions {
    typealias HostFunction = WASIAdditions.HostFunction

    /// preview1 errno values used here.
    static let ebadf: UInt32 = 8, eexist: UInt32 = 20, einval: UInt32 = 28, enoent: UInt32 = 44,
               enotdir: UInt32 = 54, enotsup: UInt32 = 58, eperm: UInt32 = 63
    /// preview1 lookupflags.symlink_follow and fdflags.nonblock / append.
    static let symlinkFollow: UInt32 = 1, nonblock: UInt32 = 1 << 2, append: UInt32 = 1
    /// preview1 fstflags.
    static let atim: UInt32 = 1, atimNow: UInt32 = 2, mtim: UInt32 = 4, mtimNow: UInt32 = 8

    static func apply(to functions: inout [String: HostFunction], descriptors: HostDescriptors) {
        guard let fdstat = functions["fd_fdstat_get"], let setFlags = functions["fd_fdstat_set_flags"],
              let sync = functions["fd_sync"], let datasync = functions["fd_datasync"] else { return }
        if let f = functions["path_open"] {
            functions["path_open"] = pathOpen(f, descriptors, fdstat: fdstat, setFlags: setFlags)
        }
        if let f = functions["fd_close"] {
            functions["fd_close"] = after(f) { args in descriptors.closed(u32(args[0])) }
        }
        if let f = functions["fd_renumber"] {
            functions["fd_renumber"] = after(f) { args in descriptors.renumbered(u32(args[0]), to: u32(args[1])) }
        }
        functions["fd_fdstat_set_flags"] = after(setFlags) { args in
            descriptors.setSyncFlags(u32(args[0]), UInt16(truncatingIfNeeded: u32(args[1])))
        }
        functions["fd_fdstat_get"] = fdstatGet(fdstat, descriptors)
        for name in ["fd_write", "fd_pwrite"] {
            if let f = functions[name] { functions[name] = syncedWrite(f, descriptors, sync: sync, datasync: datasync) }
        }
        if let f = functions["path_link"] { functions["path_link"] = pathLink(f, descriptors, fdstat: fdstat) }
        if let f = functions["path_filestat_set_times"] {
            functions["path_filestat_set_times"] = pathFilestatSetTimes(f, descriptors, fdstat: fdstat)
        }
    }

    static func u32(_ v: WasmTypes.Value) -> UInt32 {
        if case .i32(let x) = v { return x }
        return 0
    }

    static func u64(_ v: WasmTypes.Value) -> UInt64 {
        if case .i64(let x) = v { return x }
        return 0
    }

    static func bytes(_ memory: GuestMemoryView, _ pointer: WasmTypes.Value, _ count: WasmTypes.Value) -> [UInt8] {
        memory.withUnsafeMutableBufferPointer(offset: UInt(u32(pointer)), count: Int(u32(count))) { Array($0) }
    }

    /// `base`, then `record(args)` when it succeeded.
    private static func after(_ base: HostFunction, _ record: @escaping @Sendable ([WasmTypes.Value]) -> Void) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            let result = try base.implementation(memory, args)
            if result == [.i32(WASIAdditions.success)] { record(args) }
            return result
        }
    }

    /// path_open, then: the new fd's sync flags recorded, NONBLOCK set on it (WasmKit opens
    /// without), and for a folder, a host descriptor of wasmc's own.
    private static func pathOpen(_ base: HostFunction, _ descriptors: HostDescriptors,
                                 fdstat: HostFunction, setFlags: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            let result = try base.implementation(memory, args)
            guard result == [.i32(WASIAdditions.success)] else { return result }
            let fd = memory.withUnsafeMutableBufferPointer(offset: UInt(u32(args[8])), count: 4) {
                UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))
            }
            let fdflags = u32(args[7])
            descriptors.closed(fd)
            descriptors.setSyncFlags(fd, UInt16(truncatingIfNeeded: fdflags))
            if fdflags & nonblock != 0 {
                _ = try setFlags.implementation(memory, [.i32(fd), .i32(fdflags & (nonblock | append))])
            }
            if try WASIAdditions.fileType(.i32(fd), fdstat: fdstat) == WASIAdditions.directoryType {
                let path = String(decoding: bytes(memory, args[2], args[3]), as: UTF8.self)
                descriptors.openedDirectory(fd, parent: u32(args[0]), path: path, follow: u32(args[1]) & symlinkFollow != 0)
            }
            return result
        }
    }

    /// fd_fdstat_get with the sync flags the fd was opened with (fs_flags, offset 2).
    private static func fdstatGet(_ base: HostFunction, _ descriptors: HostDescriptors) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            let result = try base.implementation(memory, args)
            let flags = descriptors.syncFlags(u32(args[0]))
            guard result == [.i32(WASIAdditions.success)], flags != 0 else { return result }
            memory.withUnsafeMutableBufferPointer(offset: UInt(u32(args[1])) + 2, count: 2) { buffer in
                let old = UInt16(littleEndian: buffer.loadUnaligned(as: UInt16.self))
                buffer.storeBytes(of: (old | flags).littleEndian, as: UInt16.self)
            }
            return result
        }
    }

    /// A write to an fd opened with DSYNC, SYNC or RSYNC returns once the data (and for SYNC
    /// and RSYNC the metadata) is on disk, as the flag promises.
    private static func syncedWrite(_ base: HostFunction, _ descriptors: HostDescriptors,
                                    sync: HostFunction, datasync: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            let result = try base.implementation(memory, args)
            let flags = descriptors.syncFlags(u32(args[0]))
            guard result == [.i32(WASIAdditions.success)], flags != 0 else { return result }
            let flush = flags & (HostDescriptors.sync | HostDescriptors.rsync) != 0 ? sync : datasync
            return try flush.implementation(memory, [args[0]])
        }
    }

    /// The errno for a guest fd without a host directory: EBADF, ENOTDIR for a file, ENOTSUP
    /// for a folder wasmc could not re-open (a kernel without openat2).
    static func notDirectory(_ fd: WasmTypes.Value, fdstat: HostFunction) throws -> UInt32 {
        switch try WASIAdditions.fileType(fd, fdstat: fdstat) {
        case nil: ebadf
        case WASIAdditions.directoryType: enotsup
        default: enotdir
        }
    }

    /// path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len): linkat
    /// between the two parents, never following the old path's last symlink. Following it
    /// (LOOKUP_SYMLINK_FOLLOW) is EINVAL, as in Wasmtime.
    private static func pathLink(_ base: HostFunction, _ descriptors: HostDescriptors, fdstat: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            let old = bytes(memory, args[2], args[3]), new = bytes(memory, args[5], args[6])
            let errno = descriptors.withDirectories(u32(args[0]), u32(args[4])) { oldDir, newDir -> UInt32 in
                if u32(args[1]) & symlinkFollow != 0 { return einval }
                return HostPath.withParent(oldDir, old) { oldParent, oldName in
                    HostPath.withParent(newDir, new) { newParent, newName in
                        if HostPath.isDot(oldName) { return eperm }
                        if HostPath.isDot(newName) { return eexist }
                        return linkat(oldParent, oldName, newParent, newName, 0) == 0 ? WASIAdditions.success : HostPath.errno(Glibc.errno)
                    }
                }
            }
            if let errno { return [.i32(errno)] }
            let bad = descriptors.withDirectory(u32(args[0])) { _ in 0 } == nil ? args[0] : args[4]
            return [.i32(try notDirectory(bad, fdstat: fdstat))]
        }
    }

    /// path_filestat_set_times(fd, flags, path, len, atim, mtim, fst_flags): without
    /// symlink_follow, the times of a symlink itself (utimensat AT_SYMLINK_NOFOLLOW); WasmKit
    /// opens the path and so follows it. With symlink_follow, WasmKit's.
    private static func pathFilestatSetTimes(_ base: HostFunction, _ descriptors: HostDescriptors, fdstat: HostFunction) -> HostFunction {
        HostFunction(type: base.type) { memory, args in
            if u32(args[1]) & symlinkFollow != 0 { return try base.implementation(memory, args) }
            guard let times = HostPath.times(atim: u64(args[4]), mtim: u64(args[5]), flags: u32(args[6])) else {
                return [.i32(einval)]
            }
            let path = bytes(memory, args[2], args[3])
            let errno = descriptors.withDirectory(u32(args[0])) { dir in HostPath.setTimes(dir, path, times) }
            if let errno { return [.i32(errno)] }
            return [.i32(try notDirectory(args[0], fdstat: fdstat))]
        }
    }
}

/// Guest paths against host directory descriptors, resolved beneath them by the kernel.
enum HostPath {
    /// Linux values Glibc's Swift overlay does not import (macros behind _GNU_SOURCE / expressions).
    static let O_PATH: Int32 = 0o10000000
    static let UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2
    /// Runs `body` with the host directory holding the last component of `path` (resolved
    /// beneath `dir`) and that component as a C string (trailing slashes kept: they ask for a
    /// folder). Returns a preview1 errno.
    static func withParent(_ dir: Int32, _ path: [UInt8], _ body: (Int32, UnsafePointer<CChar>) -> UInt32) -> UInt32 {
        let slash = UInt8(ascii: "/")
        if path.isEmpty { return WASIPathAdditions.enoent }
        if path.contains(0) { return WASIPathAdditions.einval }
        if path.first == slash { return WASIPathAdditions.eperm }
        var end = path.count
        while end > 0, path[end - 1] == slash { end -= 1 }
        let cut = path[..<end].lastIndex(of: slash)
        let name = cut.map { Array(path[($0 + 1)...]) } ?? path
        return (name + [0]).withUnsafeBufferPointer { name in
            name.baseAddress!.withMemoryRebound(to: CChar.self, capacity: name.count) { name in
                guard let cut else { return body(dir, name) }
                let parent = open(dir, Array(path[..<cut]), O_PATH | O_DIRECTORY | O_CLOEXEC)
                guard parent >= 0 else { return resolutionErrno(Glibc.errno) }
                defer { close(parent) }
                return body(parent, name)
            }
        }
    }

    /// wasmc_open_beneath for a guest path (no NUL inside: checked by the callers).
    static func open(_ dir: Int32, _ path: [UInt8], _ flags: Int32) -> Int32 {
        (path + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { wasmc_open_beneath(dir, $0, flags) }
        }
    }

    /// "." or ".." with any trailing slashes: a folder, never a link's own name.
    static func isDot(_ name: UnsafePointer<CChar>) -> Bool {
        let bare = String(cString: name).prefix { $0 != "/" }
        return bare == "." || bare == ".."
    }

    /// utimensat's times for preview1's (atim, mtim, fst_flags); nil when the flags are invalid
    /// (a time both given and "now", or unknown bits).
    static func times(atim: UInt64, mtim: UInt64, flags: UInt32) -> [timespec]? {
        typealias P = WASIPathAdditions
        guard flags & ~(P.atim | P.atimNow | P.mtim | P.mtimNow) == 0 else { return nil }
        func time(_ ns: UInt64, set: Bool, now: Bool) -> timespec? {
            switch (set, now) {
            case (true, true): nil
            case (false, true): timespec(tv_sec: 0, tv_nsec: UTIME_NOW)
            case (true, false): timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
            case (false, false): timespec(tv_sec: 0, tv_nsec: UTIME_OMIT)
            }
        }
        guard let a = time(atim, set: flags & P.atim != 0, now: flags & P.atimNow != 0),
              let m = time(mtim, set: flags & P.mtim != 0, now: flags & P.mtimNow != 0) else { return nil }
        return [a, m]
    }

    /// Sets the times of `path` beneath `dir` without following its last symlink. A path that
    /// ends in a slash or in "."/".." names a folder: that folder is opened beneath `dir` and
    /// its times set through the descriptor (utimensat would follow a trailing symlink there).
    static func setTimes(_ dir: Int32, _ path: [UInt8], _ times: [timespec]) -> UInt32 {
        withParent(dir, path) { parent, name in
            let folder = isDot(name) || path.last == UInt8(ascii: "/")
            if !folder {
                return utimensat(parent, name, times, AT_SYMLINK_NOFOLLOW) == 0 ? WASIAdditions.success : errno(Glibc.errno)
            }
            let fd = open(dir, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return resolutionErrno(Glibc.errno) }
            defer { close(fd) }
            return futimens(fd, times) == 0 ? WASIAdditions.success : errno(Glibc.errno)
        }
    }

    /// A failed resolution beneath a directory: EXDEV means the path would leave it.
    static func resolutionErrno(_ e: Int32) -> UInt32 {
        switch e {
        case EXDEV: WASIPathAdditions.eperm
        case ENOSYS: WASIPathAdditions.enotsup
        default: errno(e)
        }
    }

    /// preview1's errno for a Linux one.
    static func errno(_ e: Int32) -> UInt32 {
        switch e {
        case EACCES: 2
        case EAGAIN: 6
        case EBADF: 8
        case EBUSY: 10
        case EDQUOT: 19
        case EEXIST: 20
        case EFAULT: 21
        case EFBIG: 22
        case EINTR: 27
        case EINVAL: 28
        case EIO: 29
        case EISDIR: 31
        case ELOOP: 32
        case EMFILE: 33
        case EMLINK: 34
        case ENAMETOOLONG: 37
        case ENFILE: 41
        case ENOENT: 44
        case ENOMEM: 48
        case ENOSPC: 51
        case ENOSYS: 52
        case ENOTDIR: 54
        case ENOTEMPTY: 55
        case EOPNOTSUPP: 58
        case EPERM: 63
        case EROFS: 69
        case ETXTBSY: 74
        case EXDEV: 75
        default: 29
        }
    }
}
