import Foundation
import Testing
import Wasmc

/// The preopen sandbox: from a preopened folder, no path reaches a file outside it, whether
/// by `..`, an absolute path, a symlink inside the preopen pointing out (to the file, or to a
/// folder on the way), or a symlink the program creates. A file inside is reachable (so each
/// refusal below is the sandbox's, not a broken test).
@Suite struct WASISandboxTests {
    /// `open(path, len, follow)`: path_open on fd 3, then fd_read of up to 64 bytes into
    /// 4096. Returns errno, or 0 with the bytes read at 8. `symlink(target, len, path, len)`
    /// and `rename(old, len, new, len)` in fd 3.
    static let probe = """
        (module
          (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "open") (param $path i32) (param $len i32) (param $follow i32) (result i32) (local $e i32)
            (local.set $e (call $path_open (i32.const 3) (local.get $follow) (local.get $path) (local.get $len)
              (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
            (if (local.get $e) (then (return (local.get $e))))
            (i32.store (i32.const 16) (i32.const 4096))
            (i32.store (i32.const 20) (i32.const 64))
            (call $fd_read (i32.load (i32.const 0)) (i32.const 16) (i32.const 1) (i32.const 8)))
          (func (export "symlink") (param i32 i32 i32 i32) (result i32)
            (call $path_symlink (local.get 0) (local.get 1) (i32.const 3) (local.get 2) (local.get 3)))
          (func (export "rename") (param i32 i32 i32 i32) (result i32)
            (call $path_rename (i32.const 3) (local.get 0) (local.get 1) (i32.const 3) (local.get 2) (local.get 3))))
        """

    /// `root/sandbox` (preopened as `/`: a file, subfolders, and symlinks that lead out by every
    /// route: absolute, relative, to a folder, climbing, chained) beside `root/outside/secret.txt`.
    static func escapeFixture(in root: URL) throws -> WASIHost {
        let fm = FileManager.default
        let inside = root.appendingPathComponent("sandbox"), outside = root.appendingPathComponent("outside")
        try fm.createDirectory(at: inside.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try "inside".write(to: inside.appendingPathComponent("inside.txt"), atomically: true, encoding: .utf8)
        try "secret".write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let secret = outside.appendingPathComponent("secret.txt").path
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("abs-link").path, withDestinationPath: secret)
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("rel-link").path, withDestinationPath: "../outside/secret.txt")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("dir-link").path, withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("sub/up").path, withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("sub/deeper/chain").path, withDestinationPath: "../up/outside")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("ok-link").path, withDestinationPath: "sub/../inside.txt")
        return try WASIHost(WASIConfiguration(preopens: [WASIPreopen(hostPath: inside.path, guestPath: "/")]))
    }

    struct Sandbox {
        let root: URL
        let program: WASIProgram
        var memory: Memory { program.instance.memory("memory")! }

        init() throws {
            root = try WASITests.temporaryFolder()
            let wasi = try WASISandboxTests.escapeFixture(in: root)
            program = try WASIProgram(module: try WASITests.compile(WASISandboxTests.probe), wasi: wasi)
        }

        /// errno of opening `path` (following symlinks when `follow`), and what was read.
        func open(_ path: String, follow: Bool = true) throws -> (errno: UInt32, text: String) {
            try memory.write(Array(path.utf8), at: 1024)
            let result = try program.instance.call("open", [.i32(1024), .i32(UInt32(path.utf8.count)), .i32(follow ? 1 : 0)])
            guard case .i32(let errno) = result[0] else { return (UInt32.max, "") }
            if errno != 0 { return (errno, "") }
            let count = try memory.read(at: 8, count: 4).reversed().reduce(0) { $0 << 8 | Int($1) }
            return (0, String(decoding: try memory.read(at: 4096, count: count), as: UTF8.self))
        }

        func call(_ name: String, _ a: String, _ b: String) throws -> UInt32 {
            try memory.write(Array(a.utf8), at: 1024)
            try memory.write(Array(b.utf8), at: 2048)
            let r = try program.instance.call(name, [.i32(1024), .i32(UInt32(a.utf8.count)), .i32(2048), .i32(UInt32(b.utf8.count))])
            guard case .i32(let errno) = r[0] else { return UInt32.max }
            return errno
        }
    }

    @Test func insideIsReachable() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        #expect(try s.open("inside.txt") == (0, "inside"))
        #expect(try s.open("sub/../inside.txt") == (0, "inside"))
        #expect(try s.open("ok-link") == (0, "inside"))
    }

    @Test(arguments: [
        "../outside/secret.txt",                 // dot-dot out of the preopen
        "sub/../../outside/secret.txt",          // dot-dot through a folder
        "/outside/secret.txt",                   // absolute, as the guest's root
        "abs-link",                              // symlink to the file's absolute host path
        "rel-link",                              // symlink ../outside/secret.txt
        "dir-link/secret.txt",                   // symlink to the outside folder, on the way
        "sub/up/outside/secret.txt",             // symlink ../.. in a subfolder, on the way
        "sub/deeper/chain/secret.txt",           // symlink to a symlink that climbs out
    ])
    func escapeIsRefused(path: String) throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        for follow in [true, false] {
            let (errno, text) = try s.open(path, follow: follow)
            #expect(errno != 0, "\(path) (follow \(follow)) opened, read \"\(text)\"")
            #expect(!text.contains("secret"))
        }
        // The absolute host path too, as the program would spell it.
        #expect(try s.open(s.root.appendingPathComponent("outside/secret.txt").path).errno != 0)
    }

    @Test func programMadeLinksAndRenamesStayInside() throws {
        let s = try Sandbox()
        defer { try? FileManager.default.removeItem(at: s.root) }
        let secret = s.root.appendingPathComponent("outside/secret.txt").path
        #expect(try s.call("symlink", secret, "made-abs") != 0)           // refused outright (EPERM)
        #expect(try s.call("symlink", "../outside/secret.txt", "made-rel") == 0)  // may exist...
        #expect(try s.open("made-rel").errno != 0)                           // ...but never resolves out
        #expect(try s.call("rename", "inside.txt", "../outside/moved.txt") != 0)
        #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("outside/moved.txt").path))
        #expect(try s.open("inside.txt") == (0, "inside"))
    }
}
