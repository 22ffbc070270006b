// What a careless or hostile user can hand `wasmc`: damaged files, files named for another
// kind, outputs that are devices or links, mistyped options. Each gets `error: FILE...` and
// exit status 1 (2 only for a trap), never a crash or a replaced file.
import Foundation
import Testing

@Suite struct CLIReliabilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let calc = root.appendingPathComponent("examples/calc.wat").path

    @Test func truncatedSharedObjectIsAnErrorNotACrash() throws {
        let d = try tempDir()
        let so = d.appendingPathComponent("calc.so").path, cut = d.appendingPathComponent("t.so").path
        #expect(try wasmc(["compile", Self.calc, "-o", so]).status == 0)
        try Data(try Data(contentsOf: URL(fileURLWithPath: so)).prefix(1000)).write(to: URL(fileURLWithPath: cut))
        let r = try wasmc(["run", cut, "--invoke", "fac", "5"])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("error: \(cut): not a loadable compiled module: truncated: segment "), "\(r)")
    }

    @Test func inputKindIsDecidedByContent() throws {
        let d = try tempDir()
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = d.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        // An empty or garbage .wasm is a malformed binary, not an empty text module.
        let empty = try file("empty.wasm", [])
        let e = try wasmc(["compile", empty, "-o", d.appendingPathComponent("e.so").path])
        #expect(e.status == 1 && e.stderr == "error: \(empty): malformed module (offset 0x0): unexpected end of section or function\n", "\(e)")
        let garbage = try file("garbage.wasm", Array("(module)".utf8))
        let g = try wasmc(["run", garbage, "--invoke", "f"])
        #expect(g.status == 1 && g.stderr == "error: \(garbage): malformed module (offset 0x0): magic header not detected\n", "\(g)")
        // A binary named .txt is a binary; text named .bin is text.
        let binary = try file("module.txt", [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
        #expect(try wasmc(["run", binary, "--invoke", "f"]).stderr == "error: \(binary): no exported function \"f\"\n")
        let text = try file("module.bin", Array("(module (func (export \"f\") (result i32) (i32.const 3)))".utf8))
        #expect(try wasmc(["run", text, "--invoke", "f"]).stdout == "3\n")
        // A compiled module without the .so suffix runs; compiling it again is a clear error.
        let so = d.appendingPathComponent("calc-compiled").path
        #expect(try wasmc(["compile", Self.calc, "-o", so]).status == 0)
        #expect(try wasmc(["run", so, "--invoke", "fac", "5"]).stdout == "120\n")
        let again = try wasmc(["compile", so, "-o", so + ".so"])
        #expect(again.status == 1 && again.stderr.hasPrefix("error: \(so): a compiled module (ELF)"), "\(again)")
    }

    @Test func errorsNameTheFileAndLineInTheUsersTerms() throws {
        let d = try tempDir()
        let missing = d.appendingPathComponent("none.wat").path
        let m = try wasmc(["run", missing, "--invoke", "f"])
        #expect(m.status == 1 && m.stderr == "error: \(missing): cannot read: No such file or directory\n", "\(m)")
        let bad = d.appendingPathComponent("bad.wat")
        try "(module\n  (func (local i32) (local.get 5)))".write(to: bad, atomically: true, encoding: .utf8)
        let t = try wasmc(["compile", bad.path, "-o", d.appendingPathComponent("bad.so").path])
        #expect(t.status == 1 && t.stderr == "error: \(bad.path):2:32: unknown local 5\n", "\(t)")
        #expect(!t.stderr.contains("Location("), "\(t)")
        // Unwritable outputs: the OS's reason, no temporary name, no tcc or Foundation wording.
        let notADir = d.appendingPathComponent("file")
        try "x".write(to: notADir, atomically: true, encoding: .utf8)
        let o = try wasmc(["compile", Self.calc, "-o", notADir.path + "/x.so"])
        #expect(o.status == 1 && o.stderr == "error: \(notADir.path)/x.so: cannot write: Not a directory\n", "\(o)")
        let c = try wasmc(["compile", Self.calc, "-o", d.appendingPathComponent("ok.so").path, "--emit-c", notADir.path + "/x.c"])
        #expect(c.status == 1 && c.stderr == "error: \(notADir.path)/x.c: cannot write: Not a directory\n", "\(c)")
        let dir = try wasmc(["compile", Self.calc, "-o", d.path])
        #expect(dir.status == 1 && dir.stderr == "error: \(d.path): cannot write: Is a directory\n", "\(dir)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() == ["bad.wat", "file"])
    }

    @Test func outputGoesThroughLinksAndIntoDevicesAndFifos() throws {
        let d = try tempDir()
        // A symbolic link stays a link; its target gets the module.
        let target = d.appendingPathComponent("target.so").path, link = d.appendingPathComponent("link.so").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.so")
        #expect(try wasmc(["compile", Self.calc, "-o", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.so")
        #expect(try wasmc(["run", target, "--invoke", "fac", "5"]).stdout == "120\n")
        // A device node stays a device (as root, /dev/null itself would be replaced otherwise).
        let device = d.appendingPathComponent("null").path
        if mknod(device, S_IFCHR | 0o666, dev_t(0x103)) == 0 {  // makedev(1, 3): /dev/null
            #expect(try wasmc(["compile", Self.calc, "-o", device]).status == 0)
            var st = stat()
            #expect(lstat(device, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
        } else {
            // Not root: /dev/null is not ours to replace anyway; the same path is taken.
            #expect(try wasmc(["compile", Self.calc, "-o", "/dev/null"]).status == 0)
        }
        // A FIFO gets the bytes written into it.
        let fifo = d.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let copy = d.appendingPathComponent("from-pipe").path
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "exec timeout 60 cat \"$0\" > \"$1\"", fifo, copy]
        try reader.run()
        let r = try wasmc(["compile", Self.calc, "-o", fifo])
        reader.waitUntilExit()
        #expect(r.status == 0, "\(r)")
        let received = try Data(contentsOf: URL(fileURLWithPath: copy))
        #expect(received.count > 1000 && received.prefix(4) == Data([0x7F, 0x45, 0x4C, 0x46]))
        try FileManager.default.removeItem(atPath: copy)
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() == ["link.so", "null", "pipe", "target.so"])
    }
}
