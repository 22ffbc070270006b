import Foundation
import WasmcRuntime

/// An exception tag (Wasm 3.0): what `throw` names and `catch` compares. Every tag a module
/// defines is a new Tag per instance; an imported tag is the exporter's object, so instances
/// that share it catch each other's exceptions. The host makes its own to import them, or to
/// throw wasm exceptions from a host function (`WasmException`).
public final class Tag: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// Its parameters are the payload's types; results are always empty.
    public let type: FuncType
    /// The runtime's tag record; its address is the tag's identity in generated code.
    let raw: UnsafeMutablePointer<wasmc_tag>

    public init(type: FuncType) {
        self.type = type
        raw = .allocate(capacity: 1)
        raw.pointee = wasmc_tag(type_id: TypeRegistry.shared.id(of: type), param_count: UInt32(type.params.count))
        TagRegistry.shared.add(self)
    }

    deinit {
        TagRegistry.shared.remove(raw)
        raw.deallocate()
    }

    public static func == (a: Tag, b: Tag) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
    public var description: String { "tag \(type)" }
}

/// A wasm exception that no try_table caught, thrown as a Swift error from `Function.call` and
/// `Instance.call`; and what a host function throws to raise a wasm exception in the wasm code
/// that called it (its tag must be one that code knows: imported, or exported by it).
public struct WasmException: Error, @unchecked Sendable, CustomStringConvertible {
    public let tag: Tag
    /// The payload, as the tag's parameter types.
    public let payload: [Value]

    /// Throws `WasmcError` when the payload does not match the tag's parameters.
    public init(tag: Tag, payload: [Value]) throws {
        guard payload.map(\.type) == tag.type.params else {
            throw WasmcError("exception payload \(payload.map(\.type)) does not match tag parameters \(tag.type.params)")
        }
        self.tag = tag
        self.payload = payload
    }

    init(uncheckedTag tag: Tag, payload: [Value]) {
        self.tag = tag
        self.payload = payload
    }

    /// "uncaught exception: tag (i32 f32) -> (), payload 1 2.5" (`wasmc run --invoke` prints it).
    public var description: String {
        let values = payload.map { String(describing: $0) }.joined(separator: " ")
        return "uncaught exception (tag of type \(tag.type))" + (payload.isEmpty ? "" : ": \(values)")
    }
}

/// Live tags by the address of their record, so an exception coming out of wasm finds its Tag.
final class TagRegistry: @unchecked Sendable {
    static let shared = TagRegistry()
    private struct Entry { weak var tag: Tag? }
    private let lock = NSLock()
    private var entries: [UnsafeMutableRawPointer: Entry] = [:]

    func add(_ tag: Tag) {
        lock.lock()
        entries[UnsafeMutableRawPointer(tag.raw)] = Entry(tag: tag)
        lock.unlock()
    }

    func remove(_ raw: UnsafeMutablePointer<wasmc_tag>) {
        lock.lock()
        entries[UnsafeMutableRawPointer(raw)] = nil
        lock.unlock()
    }

    func tag(at p: UnsafeRawPointer) -> Tag? {
        lock.lock()
        defer { lock.unlock() }
        return entries[UnsafeMutableRawPointer(mutating: p)]?.tag
    }
}

extension WasmException {
    /// The Swift error for the exception that made a wasm call return WASMC_TRAP_EXCEPTION;
    /// the runtime's object is freed unless an exnref to it may exist.
    static func takeUncaught() -> Error {
        guard let e = wasmc_thread_take_exception() else { return Trap(.hostError) }
        defer { wasmc_exception_drop(e) }
        guard let tagPointer = e.pointee.tag, let tag = TagRegistry.shared.tag(at: UnsafeRawPointer(tagPointer)) else {
            return WasmcError("an exception of a tag no live instance holds reached the host")
        }
        let base = UnsafeMutableRawPointer(e) + MemoryLayout<wasmc_exception>.size
        let values = base.assumingMemoryBound(to: wasmc_value.self)
        return WasmException(uncheckedTag: tag, payload: tag.type.params.enumerated().map { Value.load($0.element, from: values + $0.offset) })
    }

    /// Hands this exception to the runtime, to be thrown where the host function was called.
    func setPending() throws {
        let count = payload.count
        let buffer = UnsafeMutablePointer<wasmc_value>.allocate(capacity: max(count, 1))
        defer { buffer.deallocate() }
        for (i, v) in payload.enumerated() { try v.store(into: buffer + i) }
        var mask: UInt64 = 0
        for (k, t) in tag.type.params.enumerated() where t.heapType == .exn {
            // Exnrefs in a payload are counted references, found by a 64-bit mask.
            guard k < 64 else { throw WasmcError("exception of \(tag): exnref payload value at position \(k) (wasmc's limit: exnrefs among the first 64 payload values)") }
            mask |= 1 << UInt64(k)
        }
        guard let e = wasmc_exception_create(tag.raw, buffer, UInt32(count), mask) else { throw WasmcError("out of memory") }
        // The record must outlive the exception: kept alive with the tag's other holders.
        TagKeepAlive.shared.add(tag)
        wasmc_thread_set_exception(e)
    }
}

/// Tags the host threw exceptions of: their records must outlive those exceptions.
enum TagKeepAlive {
    static let shared = KeepAlive()
}

extension CompiledModule {
    /// The (module, name) under which `instance` of this module imported `tag`, if it did.
    public func importedTagName(of tag: Tag, in instance: Instance) -> (module: String, name: String)? {
        let imported = module.imports.filter { $0.descriptor.kind == .tag }
        for (imp, t) in zip(imported, instance.storage.tags) where t === tag { return (imp.module, imp.name) }
        return nil
    }
}

/// The runtime's registry of kept exceptions on the calling thread (docs/exceptions.md,
/// lifetime): how many it holds, and a collection now. For tests and diagnostics.
public enum ExceptionLifetime {
    /// Kept exceptions (an exnref to them may exist) not yet freed, made on this thread.
    public static var keptOnThisThread: Int { Int(wasmc_thread_kept_exceptions()) }
    /// Frees this thread's kept exceptions that nothing holds now.
    public static func collect() { wasmc_thread_collect_exceptions() }
}
