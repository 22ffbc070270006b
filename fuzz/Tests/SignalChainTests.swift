import Foundation
import Testing

/// What the host had for SIGSEGV/SIGBUS before wasmc keeps working for faults that are not
/// wasm's: each case in its own `wasmc-fuzz-run signal-chain-case` process (the SA_SIGINFO
/// SIGSEGV case is ProcessTests.hostSignalHandlerInstalledFirstKeepsItsSignals).
@Suite struct SignalChainTests {
    static func run(_ args: [String]) throws -> (reason: Process.TerminationReason, status: Int32, output: String) {
        try ProcessTests.runUntilEnd(args)
    }

    @Test(arguments: ["bus", "plain"]) func hostHandlerGetsItsSignals(name: String) throws {
        let r = try Self.run(["signal-chain-case", name])
        #expect(r.reason == .exit && r.status == 0, "\(r.output)")
        #expect(r.output.contains("signal-chain-case: ok"), "\(r.output)")
    }

    /// With the default disposition, a host fault or a raised SIGSEGV still ends the process
    /// by SIGSEGV (not a hang, not a swallowed signal) after wasm traps worked.
    @Test(arguments: ["default-fault", "default-raise"]) func defaultActionStillKills(name: String) throws {
        let r = try Self.run(["signal-chain-case", name])
        #expect(r.reason == .uncaughtSignal && r.status == SIGSEGV, "\(r.reason) \(r.status): \(r.output)")
        #expect(r.output.contains("signal-chain-case: wasm trap ok"), "\(r.output)")
    }

    /// SIG_IGN: a raised SIGSEGV is ignored and wasm traps keep working; a real fault, which
    /// cannot be ignored, ends the process by SIGSEGV.
    @Test func ignoredSignalStaysIgnoredButFaultsKill() throws {
        let r = try Self.run(["signal-chain-case", "ignore"])
        #expect(r.output.contains("signal-chain-case: ignored raise ok"), "\(r.output)")
        #expect(r.reason == .uncaughtSignal && r.status == SIGSEGV, "\(r.reason) \(r.status): \(r.output)")
    }
}
