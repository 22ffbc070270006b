import Foundation
import Wasmc

/// Whatever the host had for SIGSEGV/SIGBUS before wasmc installed its handler keeps working
/// for the signals that are not wasm's: `signal-chain-case bus|plain|default-fault|
/// default-raise|ignore`, each in its own process (SignalChainTests spawns them), the host's
/// disposition set first. Prints `signal-chain-case: ok` (or, for the cases that must end
/// in the default action, the steps reached before it).
enum SignalChainCases {
    nonisolated(unsafe) static var hostSignals = 0
    nonisolated(unsafe) static var fixFd: Int32 = -1
    nonisolated(unsafe) static var protectedPage: UnsafeMutableRawPointer?

    static func main(_ args: [String]) -> Int32 {
        guard let name = args.first else { print("signal-chain-case: which case?"); return 2 }
        var failures: [String] = []
        func expect(_ ok: Bool, _ what: String) { if !ok { failures.append(what) } }
        switch name {
        case "bus":
            var sa = sigaction()
            sa.__sigaction_handler.sa_sigaction = { _, _, _ in
                SignalChainCases.hostSignals += 1
                // A store past the end of a mapped file: give the file its page, run it again.
                if SignalChainCases.fixFd >= 0 { ftruncate(SignalChainCases.fixFd, 4096) }
            }
            sa.sa_flags = SA_SIGINFO
            sigaction(SIGBUS, &sa, nil)
        case "plain":
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { _ in
                SignalChainCases.hostSignals += 1
                if let page = SignalChainCases.protectedPage { mprotect(page, 4096, PROT_READ | PROT_WRITE) }
            }
            sigaction(SIGSEGV, &sa, nil)
        case "ignore":
            signal(SIGSEGV, SIG_IGN)
        case "default-fault", "default-raise":
            // Explicitly: a Swift program starts with the runtime's backtracer installed.
            signal(SIGSEGV, SIG_DFL)
        default:
            print("signal-chain-case: unknown case \(name)")
            return 2
        }
        do {
            let instance = try Instance(module: CompiledModule.compile(wasm: SignalChain.module))
            func trapsOOB() -> Bool {
                do { _ = try instance.call("oob"); return false } catch let t as Trap { return t.code == .memoryOutOfBounds } catch { return false }
            }
            expect(trapsOOB(), "a wasm out-of-bounds load traps")
            expect(hostSignals == 0, "a wasm trap is not forwarded to the host")
            switch name {
            case "bus":
                let path = NSTemporaryDirectory() + "/wasmc-sigbus-\(getpid())"
                fixFd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
                unlink(path)
                let map = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fixFd, 0)!
                map.storeBytes(of: 42, as: UInt8.self)  // beyond the (empty) file: SIGBUS
                expect(hostSignals == 1, "a real SIGBUS reached the host's handler (count \(hostSignals))")
                expect(map.load(as: UInt8.self) == 42, "the store completed after the host's handler")
                raise(SIGBUS)
                expect(hostSignals == 2, "raise(SIGBUS) reached the host's handler (count \(hostSignals))")
            case "plain":
                let page = mmap(nil, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
                protectedPage = page
                page.storeBytes(of: 42, as: UInt8.self)
                expect(hostSignals == 1, "a host fault reached the plain sa_handler (count \(hostSignals))")
                expect(page.load(as: UInt8.self) == 42, "the store completed after the host's handler")
                raise(SIGSEGV)
                expect(hostSignals == 2, "raise(SIGSEGV) reached the plain sa_handler (count \(hostSignals))")
            case "ignore":
                raise(SIGSEGV)
                expect(trapsOOB(), "after an ignored raise(SIGSEGV), wasm still traps")
                print("signal-chain-case: ignored raise ok")
                faultOutsideWasm()  // a fault cannot be ignored: the default action ends the process
                failures.append("survived a host fault with SIGSEGV ignored")
            case "default-fault":
                print("signal-chain-case: wasm trap ok")
                faultOutsideWasm()
                failures.append("survived a host fault with the default disposition")
            case "default-raise":
                print("signal-chain-case: wasm trap ok")
                raise(SIGSEGV)
                failures.append("survived raise(SIGSEGV) with the default disposition")
            default:
                break
            }
            expect(trapsOOB(), "wasm still traps afterwards")
        } catch {
            failures.append("setup failed: \(error)")
        }
        if failures.isEmpty { print("signal-chain-case: ok"); return 0 }
        for f in failures { print("signal-chain-case: FAILED: \(f)") }
        return 1
    }

    static func faultOutsideWasm() {
        let page = mmap(nil, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        page.storeBytes(of: 1, as: UInt8.self)
    }
}
