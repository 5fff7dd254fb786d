import Testing
import Workbench
import WorkbenchTesting
@testable import BAOAB

@Suite struct BAOABTests {
    /// The workbench's conformance kit: determinism under a seed, the gradient cost per step and at
    /// set-up it declares, with and without closed-form Hessians, no divergence at a tiny
    /// step, hyperparameter validation.
    @Test func conformsToTheWorkbench() {
        let failures = Conformance.check(sampler: BAOAB.self)
        #expect(failures.isEmpty, "\(failures)")
    }
}
