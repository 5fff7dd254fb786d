import Testing
@testable import Plugins
import Workbench

/// SGLD on N(0, 1), full batch: the Euler–Maruyama chain x' = (1 − h)x + √(2h) ξ is an AR(1)
/// process with stationary variance 2h / (1 − (1 − h)²) = 1 / (1 − h/2) exactly (SAMPLERS.md).
@Suite struct SGLDTests {
    /// h = 0.1: the predicted variance 1/(1 − 0.05) = 1.0526 is 5 % above the target's; with
    /// 4 × 250 000 steps the standard error is ≈ 0.005, so the test tells the biased stationary
    /// law from N(0, 1) (checked below) and pins it within 4 standard errors.
    @Test func stationaryVarianceAtALargeStep() throws {
        let h = 0.1
        let cell = Cell(sampler: "sgld", target: "std-normal-1d", stepSize: h, seed: 3, chains: 4,
                        steps: 250_000, warmup: 1_000, maxDrawsPerChain: 250_000)
        let (run, _) = try runCell(cell)
        let (v, se) = try varianceWithStandardError(run)
        let predicted = 1 / (1 - h / 2)
        #expect(abs(predicted - 1) > 4 * se, "the test must be able to tell the bias from zero")
        #expect(abs(v - predicted) < 4 * se, "variance \(v), predicted \(predicted), se \(se)")
    }

    /// The experiment of arXiv 2403.08609: 10⁷ steps at h = 1e−4 (predicted variance 1.00005). The
    /// autocorrelation time of x² is about 1/h steps, so the standard error is ≈ 0.04; the
    /// estimate must lie within 4 of them, and the standard error must be small enough (< 0.1)
    /// for that to mean something.
    @Test func seed001VarianceAtTheSmallStep() throws {
        let h = 1e-4
        let cell = Cell(sampler: "sgld", target: "std-normal-1d", stepSize: h, seed: 1, chains: 1, steps: 10_000_000)
        let (run, _) = try runCell(cell)
        let (v, se) = try varianceWithStandardError(run)
        #expect(se < 0.1)
        #expect(abs(v - 1 / (1 - h / 2)) < 4 * se, "variance \(v), se \(se)")
        #expect(run.gradientEvaluations == 10_000_000)
    }

    @Test func sameSeedSameNumbersAcrossRuns() throws {
        let cell = Cell(sampler: "sgld", target: "gaussian-iso", targetOptions: ["noise": .text("isotropic")],
                        stepSize: 1e-3, batchSize: 64, seed: 5, chains: 2, steps: 2_000)
        let (a, ref) = try runCell(cell)
        let (b, _) = try runCell(cell)
        #expect(a.chains.map(\.draws) == b.chains.map(\.draws))
        let diagnostics = Registry.builtin.diagnostics.map { $0.make() }
        let p = Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: "")
        let ra = CellResult(run: a, reference: ref, diagnostics: diagnostics, provenance: p)
        let rb = CellResult(run: b, reference: ref, diagnostics: diagnostics, provenance: p)
        // Everything but the wall-clock rate (ess-per-gradient's ess-per-second) is a function of the seed.
        let seeded = { (r: CellResult) in r.metrics.filter { !$0.name.hasSuffix("-per-second") } }
        #expect(seeded(ra) == seeded(rb))
        #expect(a.perDatumGradientEvaluations == 2 * 2_000 * 64)
    }

    /// On gaussian-illcond the largest precision eigenvalue is 1/c_min² = 100, so Euler steps
    /// with h > 2/100 diverge; the run must stop the chains and leave the bias undefined.
    @Test func divergesBeyondTheStabilityLimit() throws {
        let cell = Cell(sampler: "sgld", target: "gaussian-illcond", stepSize: 0.03, chains: 2, steps: 20_000)
        let (run, reference) = try runCell(cell)
        #expect(run.diverged && run.healthyChains.isEmpty)
        let metrics = MomentsDiagnostic().evaluate(run, reference: reference)
        #expect(metrics.allSatisfy { $0.value == nil })
    }

    @Test func hyperparametersAreValidated() {
        #expect(throws: WorkbenchError.self) {
            try SGLD.plugin.make(stepSize: 0.1, parameters: ["schedule-decay": .number(-0.5)])
        }
        #expect(throws: WorkbenchError.self) { try SGLD.plugin.make(stepSize: 0, parameters: [:]) }
        #expect(throws: WorkbenchError.self) { try SGLD.plugin.make(stepSize: nil, parameters: [:]) }
    }
}
