import Testing
import Workbench
import WorkbenchTesting
@testable import BAOAB

@Suite struct BAOABTests {
    /// The workbench's conformance kit: determinism under a seed, the declared gradient cost
    /// (one minibatch gradient per step), no divergence at a tiny step, hyperparameter validation.
    @Test func conformsToTheWorkbench() {
        let failures = Conformance.check(sampler: BAOAB.plugin, gradientsPerStep: 1)
        #expect(failures.isEmpty, "\(failures)")
    }
}
