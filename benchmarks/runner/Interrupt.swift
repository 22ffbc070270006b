// --interrupt-latency N: how long InterruptHandle.interrupt() takes to stop a loop running on
// another thread, from the call to interrupt() to the moment the interrupted call has thrown
// (on its own thread), N times on one instance.
import Foundation
import Wasmc

struct InterruptLatency {
    var microseconds: [Double]
    var ok: Bool
}

final class LatencyRun: @unchecked Sendable {
    let ended = DispatchSemaphore(value: 0)
    var endTime = 0.0
    var error: Error?
}

func measureInterruptLatency(_ compiled: CompiledModule, export: String, count: Int) throws -> InterruptLatency {
    let instance = try Instance(module: compiled)
    guard let memory = instance.memory("memory") else { throw WasmcError("the module must export its memory") }
    nonisolated(unsafe) let target = instance
    var samples: [Double] = []
    var ok = true
    for _ in 0..<count {
        _ = try instance.call("reset")
        let run = LatencyRun()
        let thread = Thread {
            do { _ = try target.call(export) } catch { run.error = error }
            run.endTime = now()
            run.ended.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        // Until the loop runs (it counts at address 0).
        while try memory.read(at: 0, count: 4) == [0, 0, 0, 0] { usleep(100) }
        usleep(1000)
        let start = now()
        instance.interrupts.interrupt()
        run.ended.wait()
        samples.append((run.endTime - start) * 1e6)
        ok = ok && (run.error as? Trap)?.code == .interrupted
        instance.interrupts.reset()
    }
    return InterruptLatency(microseconds: samples, ok: ok)
}
