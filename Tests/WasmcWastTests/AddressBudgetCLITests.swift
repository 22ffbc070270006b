import Foundation
import Testing

/// The address-space budget, in a process of its own (the budget is process-wide, and filling
/// it inside the test process would starve the tests running beside it): a module declaring 70
/// memories of up to 1 TiB each is refused at the first one past the 64 TiB budget, with an
/// error naming that memory and the sizes, instead of an obscure mmap failure.
@Suite struct AddressBudgetCLITests {
    @Test func instantiationPastTheBudgetFailsWithAClearError() throws {
        let memories = (0..<70).map { _ in "(memory i64 0 16777216)" }.joined(separator: " ")
        let path = try TimeoutCLITests.module("(module \(memories) (func (export \"f\") (result i32) (i32.const 1)))", "budget.wat")
        let r = try WASICLITests.run(["run", path, "--invoke", "f"])
        #expect(r.status == 1, "\(r)")
        // 64 TiB holds 63 reservations of 1 TiB + a 4 GiB guard + a page: memory 63 is refused.
        #expect(r.stderr == "error: \(path): memory 63: reserving 1.0 TiB of address space would pass wasmc's budget of 64 TiB "
                    + "for all memories (63.2 TiB already reserved); free instances or memories, lower the memory's maximum "
                    + "or ResourceLimits.maxMemoryPages, or raise AddressSpace.budget\n", "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
