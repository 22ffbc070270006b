import WasmcRuntime

/// A wasm function: either native code in some instance (a funcref in its `funcs` array) or a
/// host function written as a Swift closure.
public final class Function: @unchecked Sendable, Hashable {
    public let type: FuncType
    /// The native funcref, for functions of an instance; nil for a host closure.
    let funcref: UnsafeMutablePointer<wasmc_funcref>?
    /// Keeps the instance that holds `funcref` alive.
    let owner: AnyObject?
    let body: (@Sendable (Caller?, [Value]) throws -> [Value])?
    /// The owning instance's stack budget (`ResourceLimits.maxStackBytes`; 0: the thread's).
    let stackBytes: Int

    /// A host function.
    public init(type: FuncType, _ body: @escaping @Sendable ([Value]) throws -> [Value]) {
        self.type = type
        self.body = { _, args in try body(args) }
        self.funcref = nil
        self.owner = nil
        self.stackBytes = 0
    }

    /// A host function that reaches the instance calling it (its memory, its exports).
    /// `caller` is nil when the function is called directly from Swift.
    public init(type: FuncType, caller body: @escaping @Sendable (Caller?, [Value]) throws -> [Value]) {
        self.type = type
        self.body = body
        self.funcref = nil
        self.owner = nil
        self.stackBytes = 0
    }

    init(type: FuncType, funcref: UnsafeMutablePointer<wasmc_funcref>, owner: AnyObject) {
        self.type = type
        self.funcref = funcref
        self.owner = owner
        self.body = nil
        self.stackBytes = (owner as? InstanceStorage)?.limits.stackBytes ?? 0
    }

    /// The Function for a funcref pointer coming out of wasm code (a result, a table element).
    static func fromRaw(_ p: UnsafeMutableRawPointer?) -> Function? {
        guard let p else { return nil }
        let ref = p.assumingMemoryBound(to: wasmc_funcref.self)
        let type = TypeRegistry.shared.type(of: ref.pointee.type_id)
        guard let owner = InstanceRegistry.shared.owner(of: p) else {
            // Not inside any live instance: cannot happen for references wasm code can hold.
            preconditionFailure("funcref \(p) outside every instance")
        }
        return Function(type: type, funcref: ref, owner: owner)
    }

    public static func == (a: Function, b: Function) -> Bool {
        if let fa = a.funcref, let fb = b.funcref { return fa == fb }
        return a === b
    }

    public func hash(into h: inout Hasher) {
        if let funcref { h.combine(UnsafeRawPointer(funcref)) } else { h.combine(ObjectIdentifier(self)) }
    }

    /// Calls the function; throws `Trap`, `WasmcError` for wrong arguments, or what a host
    /// function threw.
    public func call(_ args: [Value]) throws -> [Value] {
        try checkArguments(args)
        guard let funcref else { return try callHostBody(nil, args) }
        let count = max(type.params.count, type.results.count, 1)
        let buffer = UnsafeMutablePointer<wasmc_value>.allocate(capacity: count)
        defer { buffer.deallocate() }
        for (i, a) in args.enumerated() { try a.store(into: buffer + i) }
        let code = try withExtendedLifetime(owner) {
            try (owner as? InstanceStorage).map { storage in
                try storage.usingMovingMemories {
                    wasmc_invoke_with_stack(funcref.pointee.array_call, funcref.pointee.code, funcref.pointee.ctx, buffer, stackBytes)
                }
            } ?? wasmc_invoke_with_stack(funcref.pointee.array_call, funcref.pointee.code, funcref.pointee.ctx, buffer, stackBytes)
        }
        if code != 0 { throw HostCalls.error(forTrap: code) }
        return type.results.enumerated().map { Value.load($0.element, from: buffer + $0.offset) }
    }

    func checkArguments(_ args: [Value]) throws {
        guard args.count == type.params.count else {
            throw WasmcError("expected \(type.params.count) arguments, got \(args.count)")
        }
        for (i, (a, t)) in zip(args, type.params).enumerated() where !a.matches(t) {
            throw WasmcError("argument \(i): expected \(t), got \(a.type)")
        }
    }

    func callHostBody(_ caller: Caller?, _ args: [Value]) throws -> [Value] {
        let results = try body!(caller, args)
        guard results.count == type.results.count, zip(results, type.results).allSatisfy({ $0.matches($1) }) else {
            throw WasmcError("host function returned \(results.map(\.type)), expected \(type.results)")
        }
        return results
    }
}
