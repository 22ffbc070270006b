import Foundation
import Testing
import WAT
@testable import Wasmc

/// Reservations count against the process-wide address-space budget while their memories
/// live and are given back when they are freed (the refusal itself is tested in a process of
/// its own: AddressBudgetCLITests). Other tests create and free memories meanwhile, so the
/// figures are compared with a slack far below what this test moves (20 TiB).
@Suite struct AddressBudgetTests {
    static let oneReservation: UInt64 = (1 << 40) + (4 << 30) + 65536
    static let slack: UInt64 = 4 << 40

    @Test func freeingInstancesGivesTheBudgetBack() throws {
        let memories = (0..<20).map { _ in "(memory i64 0 16777216)" }.joined(separator: " ")
        let module = try CompiledModule.compile(wasm: wat2wasm("(module \(memories))"))
        let before = AddressSpace.reserved
        #expect(AddressSpace.budget == 64 << 40)
        var instance: Instance? = try Instance(module: module)
        let held = AddressSpace.reserved
        #expect(held + Self.slack >= before + 20 * Self.oneReservation, "\(before) -> \(held)")
        #expect(instance != nil)
        instance = nil
        let after = AddressSpace.reserved
        #expect(after + 20 * Self.oneReservation <= held + Self.slack, "\(held) -> \(after)")
    }

    @Test func bytesAreDescribedForMessages() {
        #expect(AddressSpace.describe(64 << 40) == "64 TiB")
        #expect(AddressSpace.describe(Self.oneReservation) == "1.0 TiB")
        #expect(AddressSpace.describe((8 << 30) + 65536) == "8.0 GiB")
        #expect(AddressSpace.describe(3 << 39) == "1.5 TiB")
        #expect(AddressSpace.describe(100) == "100 bytes")
    }
}
