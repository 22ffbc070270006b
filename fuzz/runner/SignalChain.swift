import Foundation
import Wasmc

/// Checks that a SIGSEGV handler the host installed before wasmc still receives the faults
/// that are not wasmc's (its own memory faults, `raise`), from any thread, while wasm traps
/// keep working. Run in its own process (ProcessTests.hostSignalHandlerInstalledFirstKeepsItsSignals spawns it):
/// the host handler must be in place before wasmc installs its own.
enum SignalChain {
    nonisolated(unsafe) static var hostSignals = 0
    nonisolated(unsafe) static var protectedPage: UnsafeMutableRawPointer?

    static func main(_ args: [String]) -> Int32 {
        var sa = sigaction()
        sa.__sigaction_handler.sa_sigaction = { _, _, _ in
            SignalChain.hostSignals += 1
            // The host's own fault: make the page writable and let the access run again.
            if let page = SignalChain.protectedPage { mprotect(page, 4096, PROT_READ | PROT_WRITE) }
        }
        sa.sa_flags = SA_SIGINFO
        sigaction(SIGSEGV, &sa, nil)

        var failures: [String] = []
        func expect(_ ok: Bool, _ what: String) { if !ok { failures.append(what) } }
        do {
            let module = try CompiledModule.compile(wasm: Self.module)
            let instance = try Instance(module: module)
            func trapsOOB() -> Bool { Self.trapsOOB(instance) }
            expect(trapsOOB(), "wasm out-of-bounds load traps (wasmc's handler, chained in front of the host's)")
            expect(hostSignals == 0, "a wasm trap is not forwarded to the host handler")

            // A fault of the host's own, outside wasm: the host handler must see it.
            let page = mmap(nil, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
            protectedPage = page
            page.storeBytes(of: 42, as: UInt8.self)
            expect(hostSignals == 1, "host fault reached the host handler (count \(hostSignals))")
            expect(page.load(as: UInt8.self) == 42, "the faulting store completed after the host handler")

            raise(SIGSEGV)
            expect(hostSignals == 2, "raise(SIGSEGV) reached the host handler (count \(hostSignals))")

            // Same from another thread, which has its own wasmc thread state.
            mprotect(page, 4096, PROT_NONE)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var threadOK = false
            let handOff = HandOff(instance: instance, page: page)
            let t = Thread {
                let trapped = SignalChain.trapsOOB(handOff.instance)
                handOff.page.storeBytes(of: 43, as: UInt8.self)
                let ok = (try? handOff.instance.call("seven")) == [.i32(7)]
                threadOK = trapped && ok && handOff.page.load(as: UInt8.self) == 43
                done.signal()
            }
            t.stackSize = 1 << 20
            t.start()
            done.wait()
            expect(threadOK, "on a second thread: wasm trap, host fault, then a normal call")
            expect(hostSignals == 3, "host fault on the second thread reached the host handler (count \(hostSignals))")
            expect(trapsOOB(), "wasm still traps cleanly afterwards")
            expect((try? instance.call("seven")) == [.i32(7)], "the instance still works afterwards")
        } catch {
            failures.append("setup failed: \(error)")
        }
        if failures.isEmpty { print("signal-chain: ok"); return 0 }
        for f in failures { print("signal-chain: FAILED: \(f)") }
        return 1
    }

    static func trapsOOB(_ instance: Instance) -> Bool {
        do { _ = try instance.call("oob"); return false } catch let t as Trap { return t.code == .memoryOutOfBounds } catch { return false }
    }

    /// The instance and the host's page, passed to the second thread while the main thread waits
    /// for it: used by one thread at a time.
    final class HandOff: @unchecked Sendable {
        let instance: Instance
        let page: UnsafeMutableRawPointer
        init(instance: Instance, page: UnsafeMutableRawPointer) { self.instance = instance; self.page = page }
    }

    /// (memory 1) (func (export "oob") (result i32) (i32.load (i32.const 65536)))
    /// (func (export "seven") (result i32) (i32.const 7))
    static let module: [UInt8] = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
        0x03, 0x03, 0x02, 0x00, 0x00,
        0x05, 0x03, 0x01, 0x00, 0x01,
        0x07, 0x0f, 0x02, 0x03, 0x6f, 0x6f, 0x62, 0x00, 0x00,
        0x05, 0x73, 0x65, 0x76, 0x65, 0x6e, 0x00, 0x01,
        0x0a, 0x10, 0x02,
        0x09, 0x00, 0x41, 0x80, 0x80, 0x04, 0x28, 0x02, 0x00, 0x0b,
        0x04, 0x00, 0x41, 0x07, 0x0b,
    ]
}
