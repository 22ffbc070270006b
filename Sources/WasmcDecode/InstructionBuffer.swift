import WasmcSyntax

/// Scratch storage for one instruction sequence, reused from body to body. Appending to it
/// skips Array's per-append uniqueness and capacity checks, and each finished sequence is
/// moved out into an exactly-sized array (less memory than a growing one, fewer page faults).
final class InstructionBuffer {
    private var instructions: UnsafeMutablePointer<Instruction>
    private var offsets: UnsafeMutablePointer<UInt32>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
        instructions = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    deinit {
        instructions.deinitialize(count: count)
        instructions.deallocate()
        offsets.deallocate()
    }

    @inline(__always)
    func append(_ instruction: Instruction, at offset: Int) {
        if count == capacity { grow() }
        (instructions + count).initialize(to: instruction)
        offsets[count] = UInt32(truncatingIfNeeded: offset)
        count &+= 1
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newInstructions = UnsafeMutablePointer<Instruction>.allocate(capacity: newCapacity)
        newInstructions.moveInitialize(from: instructions, count: count)
        instructions.deallocate()
        instructions = newInstructions
        let newOffsets = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newOffsets.initialize(from: offsets, count: count)
        offsets.deallocate()
        offsets = newOffsets
        capacity = newCapacity
    }

    /// Moves the sequence out and leaves the buffer empty.
    func take() -> (instructions: [Instruction], offsets: [UInt32]) {
        let n = count
        let source = instructions, sourceOffsets = offsets
        let ins = [Instruction](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let base = buffer.baseAddress { base.moveInitialize(from: source, count: n) }
            initialized = n
        }
        let offs = [UInt32](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let base = buffer.baseAddress { base.initialize(from: sourceOffsets, count: n) }
            initialized = n
        }
        count = 0
        return (ins, offs)
    }

    /// Drops whatever a failed decode left behind.
    func removeAll() {
        instructions.deinitialize(count: count)
        count = 0
    }
}
