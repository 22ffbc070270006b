import Foundation
import WasmcRuntime

/// Instantiation (spec §4.5.4): fills the native instance through the descriptor's offsets,
/// links imports, evaluates globals and segments, applies active segments, runs start.
extension InstanceStorage {
    func instantiate(imports externs: [Extern]) throws {
        try instantiate(module.module, imports: externs)
    }

    /// `m` borrowed: a copy of a `Module` retains (and then releases) every one of its fields.
    private func instantiate(_ m: borrowing Module, imports externs: [Extern]) throws {
        let d = module.descriptor
        for (t, id) in module.typeIDs.enumerated() { typeIDs[t] = id }
        let functionTypes = m.allFunctionTypeIndices
        register(functionCount: functionTypes.count)

        // Functions: imports first, in import order, then own code.
        var fi = 0, mi = 0, ti = 0, gi = 0
        for (imp, ext) in zip(m.imports, externs) {
            switch ext {
            case .function(let f):
                imports.append(f)
                try linkFunction(f, typeIndex: functionTypes[fi], into: funcs + fi)
                fi += 1
            case .memory(let mem):
                imports.append(mem)
                wasmc_memory_retain(mem.object)
                memoryObjects.append(mem.object)
                memories[mi] = mem.definition
                memoryObjectSlots[mi] = mem.object
                mi += 1
            case .table(let table):
                imports.append(table)
                // This instance may store its own funcrefs into the table.
                table.keepAlive.add(self)
                tables.append(table)
                tableSlots[ti] = table.table
                ti += 1
            case .global(let global):
                imports.append(global)
                if global.type.mutable && global.type.valueType.heapType?.isFunc == true { global.keepAlive.add(self) }
                globals[gi] = global.cell
                gi += 1
            case .tag(let tag):
                imports.append(tag)
                tagSlots[tags.count] = UnsafePointer(tag.raw)
                tags.append(tag)
            }
            _ = imp
        }
        for (j, t) in m.functions.enumerated() {
            let f = funcs + fi + j
            f.pointee.type_id = module.typeIDs[Int(t)]
            f.pointee.code = d.function_code[j]
            f.pointee.tail = d.function_tail?[j]
            f.pointee.ctx = header
            f.pointee.array_call = unsafeBitCast(d.type_array_call[Int(t)], to: UnsafeMutableRawPointer?.self)
        }

        for t in m.tags {
            let tag = Tag(type: TypeRegistry.shared.type(of: module.typeIDs[Int(t)]))
            tagSlots[tags.count] = UnsafePointer(tag.raw)
            tags.append(tag)
        }

        // Memories: own non-shared ones keep their definition inside the instance.
        var owned = 0
        for (k, type) in m.memories.enumerated() {
            let def: UnsafeMutablePointer<wasmc_memory>? = type.shared ? nil : ownedMemories + owned
            if !type.shared { owned += 1 }
            let obj = try Memory.create(type, limits: limits, index: mi + k, definition: def)
            memoryObjects.append(obj)
            memories[mi + k] = wasmc_memory_definition(obj)
            memoryObjectSlots[mi + k] = obj
        }
        // Memories whose base may move that this instance's calls may run code on: its own and
        // imported ones, and those of the instances whose functions it imports.
        var moving = memoryObjects.filter { wasmc_memory_can_move($0) != 0 }
        for case let f as Function in imports {
            for m in (f.owner as? InstanceStorage)?.movingMemories ?? [] where !moving.contains(m) { moving.append(m) }
        }
        movingMemories = moving
        // Tables: their initialiser (3.0) may read imported globals, which are in place.
        for (k, var type) in m.tables.enumerated() {
            type.elementType = TypeRegistry.canonical(type.elementType, module.typeIDs)
            var initial = Value.defaultValue(type.elementType)
            if k < m.tableInitializers.count, let e = m.tableInitializers[k] {
                initial = Value.fromReference(type.elementType, try ConstEval(storage: self).evaluate(e).ref)
            }
            let table = try Table(type, initial: initial, limits: limits, index: ti + k)
            tables.append(table)
            tableSlots[ti + k] = table.table
        }

        // Globals, in order: an initialiser may read imported (and earlier) globals.
        let eval = ConstEval(storage: self)
        for (k, g) in m.globals.enumerated() {
            let cell = definedGlobals + k
            cell.pointee = try eval.evaluate(g.initializer)
            // An exnref (global.get of an imported global) is a counted reference here too.
            if g.type.valueType.heapType == .exn { wasmc_exception_retain(cell.pointee.ref?.assumingMemoryBound(to: wasmc_exception.self)) }
            globals[gi + k] = cell
        }

        // Segments: passive ones stay for memory.init/table.init; the rest count as dropped
        // once applied.
        for (i, seg) in m.elements.enumerated() {
            let items = try allocate(bytes: seg.items.count * MemoryLayout<UnsafeMutableRawPointer?>.stride)
                .bindMemory(to: UnsafeMutableRawPointer?.self, capacity: max(seg.items.count, 1))
            for (k, item) in seg.items.enumerated() {
                items[k] = try eval.evaluate(item).ref
                // A segment holds its exnrefs as counted references (a passive one's are never
                // released: elem.drop leaves them, a leak).
                if seg.type.heapType == .exn { wasmc_exception_retain(items[k]?.assumingMemoryBound(to: wasmc_exception.self)) }
            }
            elemSegments[i] = items
            elemSizes[i] = UInt32(seg.items.count)
        }
        for (i, seg) in m.data.enumerated() {
            let bytes = try allocate(bytes: seg.bytes.count)
            seg.bytes.withUnsafeBytes { if let b = $0.baseAddress { bytes.copyMemory(from: b, byteCount: $0.count) } }
            dataSegments[i] = UnsafePointer(bytes.assumingMemoryBound(to: UInt8.self))
            dataSizes[i] = UInt32(seg.bytes.count)
        }
        for (i, seg) in m.elements.enumerated() {
            switch seg.mode {
            case .passive: continue
            case .declarative: break
            case .active(let tableIndex, let offsetExpr):
                let offsetValue = try eval.evaluate(offsetExpr)
                let offset = tables[Int(tableIndex)].type.is64 ? offsetValue.i64 : UInt64(offsetValue.i32)
                let table = tables[Int(tableIndex)].table
                let n = UInt64(elemSizes[i])
                let size = UInt64(wasmc_table_length(table))
                guard offset <= size, n <= size - offset else { throw Trap(.tableOutOfBounds) }
                if seg.type.heapType == .exn {
                    wasmc_table_init_host(table, UInt32(offset), elemSegments[i], UInt32(n))
                } else {
                    for k in 0..<Int(n) { table.pointee.elements[Int(offset) + k] = elemSegments[i]![k] }
                }
            }
            if seg.type.heapType == .exn {
                for k in 0..<Int(elemSizes[i]) { wasmc_exception_release(elemSegments[i]![k]?.assumingMemoryBound(to: wasmc_exception.self)) }
            }
            elemSegments[i] = nil
            elemSizes[i] = 0
        }
        for (i, seg) in m.data.enumerated() {
            guard case .active(let memoryIndex, let offsetExpr) = seg.mode else { continue }
            let offsetValue = try eval.evaluate(offsetExpr)
            let offset = m.allMemories[Int(memoryIndex)].is64 ? offsetValue.i64 : UInt64(offsetValue.i32)
            let mem = memories[Int(memoryIndex)]!
            let n = UInt64(dataSizes[i])
            let length = wasmc_memory_pages(memoryObjectSlots[Int(memoryIndex)]) * 65536
            guard offset <= length, n <= length - offset else { throw Trap(.memoryOutOfBounds) }
            if n > 0 { (mem.pointee.base! + Int(offset)).update(from: dataSegments[i]!, count: Int(n)) }
            dataSegments[i] = nil
            dataSizes[i] = 0
        }

        if let start = m.start {
            let type = m.types[Int(functionTypes[Int(start)])]
            _ = try invoke(function: Int(start), type: type, [])
        }
    }

    /// Fills funcref `slot` for an imported function: a copy of another instance's funcref,
    /// or a host-call adapter with a record that points back at the Swift function and
    /// this instance (the host function's `Caller`).
    private func linkFunction(_ f: Function, typeIndex: UInt32, into slot: UnsafeMutablePointer<wasmc_funcref>) throws {
        if let ref = f.funcref {
            slot.pointee = ref.pointee
            return
        }
        let d = module.descriptor
        let record = UnsafeMutablePointer<wasmc_host_function>.allocate(capacity: 1)
        hostRecords.append(record)
        let target = HostCallTarget(function: f, caller: self)
        hostTargets.append(target)
        record.pointee = wasmc_host_function(host: Unmanaged.passUnretained(target).toOpaque(),
                                             interrupt: 0, interrupt_group: UnsafePointer(interrupts.word), type_id: module.typeIDs[Int(typeIndex)], reserved: 0)
        slot.pointee.type_id = module.typeIDs[Int(typeIndex)]
        slot.pointee.code = d.type_host_adapter[Int(typeIndex)]
        slot.pointee.ctx = UnsafeMutableRawPointer(record).assumingMemoryBound(to: wasmc_instance.self)
        slot.pointee.array_call = unsafeBitCast(d.type_array_call[Int(typeIndex)], to: UnsafeMutableRawPointer?.self)
        slot.pointee.tail = nil
    }
}
