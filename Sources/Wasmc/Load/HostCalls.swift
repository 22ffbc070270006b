import WasmcRuntime

/// The bridge for `call_host`: the runtime calls back here with the host function record;
/// errors thrown by the closure wait in a per-thread slot until the call that entered wasm
/// rethrows them.
enum HostCalls {
    /// Registers the callback with the runtime, once per process.
    static let registered: Void = {
        wasmc_set_host_callback { record, args in
            guard let record, let args, let host = record.pointee.host else { return WasmcTrapCode.hostError }
            let target = Unmanaged<HostCallTarget>.fromOpaque(host).takeUnretainedValue()
            return HostCalls.dispatch(target.function, caller: Caller(storage: target.caller, target: target), args)
        }
    }()

    static func dispatch(_ function: Function, caller: Caller, _ args: UnsafeMutablePointer<wasmc_value>) -> UInt32 {
        let type = function.type
        let values = type.params.enumerated().map { Value.load($0.element, from: args + $0.offset) }
        do {
            let results = try function.funcref == nil ? function.callHostBody(caller, values) : function.call(values)
            for (i, r) in results.enumerated() { try r.store(into: args + i) }
            return 0
        } catch let trap as Trap where trap.code != .hostError {
            return trap.code.rawValue
        } catch let exception as WasmException {
            do {
                try exception.setPending()
                return WasmcTrapCode.exception
            } catch {
                setPending(error)
                return TrapCode.hostError.rawValue
            }
        } catch {
            setPending(error)
            return TrapCode.hostError.rawValue
        }
    }

    static func setPending(_ error: Error) {
        if let old = wasmc_thread_pending_error() { Unmanaged<ErrorBox>.fromOpaque(old).release() }
        wasmc_thread_set_pending_error(Unmanaged.passRetained(ErrorBox(error)).toOpaque())
    }

    /// The error to throw for a trap code returned by wasmc_invoke.
    static func error(forTrap code: UInt32) -> Error {
        let detail = wasmc_thread_take_trap_detail()
        if code == WasmcTrapCode.exception { return WasmException.takeUncaught() }
        if let pending = wasmc_thread_pending_error() {
            wasmc_thread_set_pending_error(nil)
            let error = Unmanaged<ErrorBox>.fromOpaque(pending).takeRetainedValue().error
            // Another trap (an interruption) may have unwound the call before its host error did.
            if code == TrapCode.hostError.rawValue { return error }
        }
        var trap = Trap(rawCode: code)
        if detail != 0 { trap.message += " \(UInt32(truncatingIfNeeded: detail))" }
        return trap
    }
}

final class ErrorBox {
    let error: Error
    init(_ error: Error) { self.error = error }
}

enum WasmcTrapCode {
    static let hostError = TrapCode.hostError.rawValue
    /// WASMC_TRAP_EXCEPTION: not a trap, an uncaught wasm exception.
    static let exception = UInt32(WASMC_TRAP_EXCEPTION.rawValue)
}
