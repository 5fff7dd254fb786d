import Testing
import Workbench
import WorkbenchTesting
@testable import BAOAB

@Suite struct BAOABTests {
    /// The workbench's conformance kit: determinism under a seed, the gradient cost per step
    /// it declares, no divergence at a tiny step, hyperparameter validation.
    @Test func conformsToTheWorkbench() {
        let failures = Conformance.check(sampler: BAOAB.plugin)
        #expect(failures.isEmpty, "\(failures)")
    }
}
