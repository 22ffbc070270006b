import Foundation
import Testing
import Wasmc

/// What wasmc adds over WasmKit's WASI file system (WASIPathAdditions): path_link,
/// path_filestat_set_times without symlink_follow, and the sync fdflags. Each works inside a
/// preopen (so the refusals below are the sandbox's) and cannot reach a file outside it by
/// `..`, an absolute path or a symlink pointing out.
@Suite struct WASIPathTests {
    /// Pass-throughs to the preview1 calls; `open` stores the new fd at 0, `fdflags` returns
    /// fd_fdstat_get's errno and leaves fs_flags at 66, `write` writes 4 bytes from 1024.
    static let probe = """
        (module
          (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_renumber" (func $renumber (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "open") (param $dir i32) (param $lookup i32) (param $path i32) (param $len i32) (param $oflags i32) (param $rights i64) (param $fdflags i32) (result i32)
            (call $path_open (local.get $dir) (local.get $lookup) (local.get $path) (local.get $len) (local.get $oflags)
              (local.get $rights) (local.get $rights) (local.get $fdflags) (i32.const 0)))
          (func (export "link") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
            (call $path_link (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)))
          (func (export "times") (param i32 i32 i32 i32 i64 i64 i32) (result i32)
            (call $set_times (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)))
          (func (export "fdflags") (param i32) (result i32) (call $fdstat (local.get 0) (i32.const 64)))
          (func (export "setflags") (param i32 i32) (result i32) (call $set_flags (local.get 0) (local.get 1)))
          (func (export "renumber") (param i32 i32) (result i32) (call $renumber (local.get 0) (local.get 1)))
          (func (export "close") (param i32) (result i32) (call $close (local.get 0)))
          (func (export "write") (param $fd i32) (result i32)
            (i32.store (i32.const 16) (i32.const 1024))
            (i32.store (i32.const 20) (i32.const 4))
            (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))
        """

    static let preopen: UInt32 = 3
    static let success: UInt32 = 0, ebadf: UInt32 = 8, eexist: UInt32 = 20, einval: UInt32 = 28
    static let directory: UInt32 = 2, create: UInt32 = 1
    static let append: UInt32 = 1, dsync: UInt32 = 2, sync: UInt32 = 16
    static let atim: UInt32 = 1, mtim: UInt32 = 4, mtimNow: UInt32 = 8

    /// The layout of WASISandboxTests: `sandbox/` (preopened as fd 3) beside `outside/`, with
    /// symlinks inside that point out.
    struct Sandbox {
        let root: URL
        let program: WASIProgram
        var memory: Memory { program.instance.memory("memory")! }
        var inside: URL { root.appendingPathComponent("sandbox") }
        var secret: String { root.appendingPathComponent("outside/secret.txt").path }

        init() throws {
            root = try WASITests.temporaryFolder()
            let wasi = try WASISandboxTests.escapeFixture(in: root)
            program = try WASIProgram(module: try WASITests.compile(WASIPathTests.probe), wasi: wasi)
        }

        func errno(_ result: [Value]) -> UInt32 {
            guard case .i32(let e) = result.first else { return UInt32.max }
            return e
        }

        /// path_open of `path` in `dir` (all rights for a file, none for a folder: WasmKit opens
    /// a folder asked to be writable for writing): (errno, new fd).
        func open(_ path: String, in dir: UInt32 = preopen, oflags: UInt32 = 0, fdflags: UInt32 = 0) throws -> (UInt32, UInt32) {
            try memory.write(Array(path.utf8), at: 1024)
            let e = errno(try program.instance.call("open", [.i32(dir), .i32(0), .i32(1024), .i32(UInt32(path.utf8.count)), .i32(oflags),
                                                            .i64(oflags & directory != 0 ? 0 : UInt64.max), .i32(fdflags)]))
            let fd = try memory.read(at: 0, count: 4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return (e, fd)
        }

        func link(_ old: String, _ new: String, from: UInt32 = preopen, to: UInt32 = preopen, follow: Bool = false) throws -> UInt32 {
            try memory.write(Array(old.utf8), at: 1024)
            try memory.write(Array(new.utf8), at: 2048)
            return errno(try program.instance.call("link", [.i32(from), .i32(follow ? 1 : 0), .i32(1024), .i32(UInt32(old.utf8.count)),
                                                            .i32(to), .i32(2048), .i32(UInt32(new.utf8.count))]))
        }

        func setTimes(_ path: String, in dir: UInt32 = preopen, follow: Bool = false, mtime: UInt64, flags: UInt32 = mtim) throws -> UInt32 {
            try memory.write(Array(path.utf8), at: 1024)
            return errno(try program.instance.call("times", [.i32(dir), .i32(follow ? 1 : 0), .i32(1024), .i32(UInt32(path.utf8.count)),
                                                             .i64(0), .i64(mtime), .i32(flags)]))
        }

        /// (errno, fs_flags) of fd_fdstat_get.
        func fdflags(_ fd: UInt32) throws -> (UInt32, UInt32) {
            let e = errno(try program.instance.call("fdflags", [.i32(fd)]))
            let flags = try memory.read(at: 66, count: 2)
            return (e, UInt32(flags[0]) | UInt32(flags[1]) << 8)
        }

        func call(_ name: String, _ args: UInt32...) throws -> UInt32 {
            errno(try program.instance.call(name, args.map { .i32($0) }))
        }

        /// Host lstat: (inode, link count, mtime in seconds).
        func stat(_ path: String) -> (ino: UInt64, nlink: UInt64, mtime: Int)? {
            var s = Foundation.stat()
            guard lstat(path, &s) == 0 else { return nil }
            return (UInt64(s.st_ino), UInt64(s.st_nlink), s.st_mtim.tv_sec)
        }
        func insidePath(_ name: String) -> String { inside.appendingPathComponent(name).path }
    }

    @Test func linkInsideThePreopen() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        #expect(try s.link("inside.txt", "hard") == Self.success)
        #expect(s.stat(s.insidePath("hard"))?.ino == s.stat(s.insidePath("inside.txt"))?.ino)
        #expect(s.stat(s.insidePath("inside.txt"))?.nlink == 2)
        // Into a folder the guest opened, and from a path through a symlink that stays inside.
        let (e, sub) = try s.open("sub", oflags: Self.directory)
        #expect(e == Self.success)
        #expect(try s.link("sub/../inside.txt", "h2", to: sub) == Self.success)
        #expect(s.stat(s.insidePath("sub/h2"))?.ino == s.stat(s.insidePath("inside.txt"))?.ino)
        #expect(try s.link("inside.txt", "hard") == Self.eexist)
        // The last symlink is linked itself, never followed; following it is EINVAL.
        #expect(try s.link("ok-link", "ok-copy") == Self.success)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: s.insidePath("ok-copy")) == "sub/../inside.txt")
        #expect(try s.link("ok-link", "followed", follow: true) == Self.einval)
        // A closed folder fd is EBADF, a file fd ENOTDIR.
        #expect(try s.call("close", sub) == Self.success)
        #expect(try s.link("inside.txt", "h3", to: sub) == Self.ebadf)
        let (_, file) = try s.open("inside.txt")
        #expect(try s.link("inside.txt", "h3", to: file) == 54)
    }

    @Test(arguments: [
        "../outside/secret.txt",                 // dot-dot out of the preopen
        "sub/../../outside/secret.txt",          // dot-dot through a folder
        "/outside/secret.txt",                   // absolute, as the guest's root
        "dir-link/secret.txt",                   // symlink to the outside folder, on the way
        "sub/up/outside/secret.txt",             // symlink ../.. in a subfolder, on the way
        "sub/deeper/chain/secret.txt",           // symlink to a symlink that climbs out
    ])
    func linkCannotReachOutside(path: String) throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        // From outside to inside: no hard link of the secret appears.
        #expect(try s.link(path, "stolen") != Self.success)
        #expect(try s.link(path, "stolen", follow: true) != Self.success)
        #expect(s.stat(s.secret)?.nlink == 1)
        #expect(s.stat(s.insidePath("stolen")) == nil)
        // From inside to outside: nothing is created there.
        let target = path.replacingOccurrences(of: "secret.txt", with: "planted")
        #expect(try s.link("inside.txt", target) != Self.success)
        #expect(s.stat(s.root.appendingPathComponent("outside/planted").path) == nil)
        #expect(s.stat(s.insidePath("inside.txt"))?.nlink == 1)
        #expect(try s.link(s.secret, "stolen") != Self.success)
    }

    @Test func symlinksToOutsideAreLinkedNotFollowed() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        for link in ["abs-link", "rel-link"] {
            #expect(try s.link(link, link + "-copy", follow: true) != Self.success)
            // Without follow the link itself gets a second name inside: still a symlink.
            #expect(try s.link(link, link + "-copy") == Self.success)
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: s.insidePath(link + "-copy"))) != nil)
        }
        #expect(s.stat(s.secret)?.nlink == 1)
    }

    @Test func setTimesOfASymlinkItself() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        let before = try #require(s.stat(s.insidePath("inside.txt"))).mtime
        let then: UInt64 = 1_000_000_000 * 1_000_000_000  // 2001-09-09
        #expect(try s.setTimes("ok-link", mtime: then) == Self.success)
        #expect(s.stat(s.insidePath("ok-link"))?.mtime == 1_000_000_000)
        #expect(s.stat(s.insidePath("inside.txt"))?.mtime == before)
        // Following it (WasmKit's path) sets the target's; on a file and a folder directly too.
        #expect(try s.setTimes("ok-link", follow: true, mtime: then) == Self.success)
        #expect(s.stat(s.insidePath("inside.txt"))?.mtime == 1_000_000_000)
        #expect(try s.setTimes("sub", mtime: then + 1_000_000_000) == Self.success)
        #expect(s.stat(s.insidePath("sub"))?.mtime == 1_000_000_001)
        #expect(try s.setTimes("sub/deeper/..", mtime: then) == Self.success)
        #expect(s.stat(s.insidePath("sub"))?.mtime == 1_000_000_000)
        // MTIM with MTIM_NOW is EINVAL.
        #expect(try s.setTimes("inside.txt", mtime: then, flags: Self.mtim | Self.mtimNow) == Self.einval)
    }

    @Test(arguments: [
        "../outside/secret.txt", "sub/../../outside/secret.txt", "/outside/secret.txt",
        "dir-link/secret.txt", "sub/up/outside/secret.txt", "sub/deeper/chain/secret.txt",
        "abs-link", "rel-link",                   // the link's own times change, never the secret's
        "dir-link/", "sub/up/outside/", "..", "sub/../..",   // folders: the outside one, the preopen's parent
    ])
    func setTimesCannotReachOutside(path: String) throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        let outside = s.root.appendingPathComponent("outside").path
        let secretBefore = try #require(s.stat(s.secret)).mtime
        let outsideBefore = try #require(s.stat(outside)).mtime
        let rootBefore = try #require(s.stat(s.root.path)).mtime
        _ = try s.setTimes(path, mtime: 1_000_000_000 * 1_000_000_000)
        _ = try s.setTimes(path, follow: true, mtime: 1_000_000_000 * 1_000_000_000)
        #expect(s.stat(s.secret)?.mtime == secretBefore)
        #expect(s.stat(outside)?.mtime == outsideBefore)
        #expect(s.stat(s.root.path)?.mtime == rootBefore)
        if !path.hasSuffix("-link") { #expect(try s.setTimes(path, mtime: 0) != Self.success) }
    }

    @Test func syncFlagsAreReportedAndKept() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        let (e, fd) = try s.open("synced", oflags: Self.create, fdflags: Self.append | Self.sync)
        #expect(e == Self.success)
        #expect(try s.fdflags(fd) == (Self.success, Self.append | Self.sync))
        try s.memory.write(Array("data".utf8), at: 1024)
        #expect(try s.call("write", fd) == Self.success)
        #expect(try String(contentsOfFile: s.insidePath("synced"), encoding: .utf8) == "data")
        // fd_renumber carries them to the new number; fd_fdstat_set_flags replaces them.
        let (_, other) = try s.open("inside.txt")
        #expect(try s.fdflags(other) == (Self.success, 0))
        #expect(try s.call("renumber", fd, other) == Self.success)
        #expect(try s.fdflags(other) == (Self.success, Self.append | Self.sync))
        #expect(try s.fdflags(fd).0 == Self.ebadf)
        #expect(try s.call("setflags", other, Self.dsync) == Self.success)
        #expect(try s.fdflags(other) == (Self.success, Self.dsync))
        #expect(try s.call("close", other) == Self.success)
        // A new file at a reused number starts without them.
        let (_, again) = try s.open("inside.txt")
        #expect(try s.fdflags(again) == (Self.success, 0))
    }
}
