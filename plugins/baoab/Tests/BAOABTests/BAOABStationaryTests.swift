import Plugins
import Testing
import Workbench
@testable import BAOAB

/// What BAOAB promises beyond the conformance kit: on N(0, 1) with full gradients its
/// θ-marginal is exact at any stable step (Var θ = 1), where SGLD's is 1/(1 − h/2).
@Suite struct BAOABStationaryTests {
    let registry = try! Registry.builtin + [BAOAB.plugin]

    /// The pooled variance of coordinate 1 and its Monte Carlo standard error from the
    /// split-chain ESS of x²: se(v̂) ≈ sd(x²)/√ESS(x²).
    func varianceWithStandardError(_ run: RunRecord) throws -> (Double, Double) {
        let squares = run.chainsOfCoordinate(0) { $0 * $0 }
        let ess = try #require(try ConvergenceStatistics.meanESS(squares))
        let all = squares.flatMap { $0 }
        let mean = all.reduce(0, +) / Double(all.count)
        let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
        return (run.pooledMoments.variance[0], sd / ess.squareRoot())
    }

    /// h = 0.5, γ = 1: SGLD at this step would give 4/3; BAOAB must give 1 within 4 standard
    /// errors (≈ 0.01 with 4 × 100 000 steps), and the test must be able to tell 4/3 from 1.
    @Test func exactVarianceOnTheStandardNormalAtALargeStep() throws {
        let cell = Cell(sampler: "baoab", target: "std-normal-1d", stepSize: 0.5, seed: 3, chains: 4,
                        steps: 100_000, warmup: 1_000, maxDrawsPerChain: 100_000)
        let (run, _) = try CellRunner(registry: registry).run(cell)
        let (v, se) = try varianceWithStandardError(run)
        #expect(abs(4.0 / 3.0 - 1) > 8 * se, "the test must tell SGLD's bias from none")
        #expect(abs(v - 1) < 4 * se, "variance \(v), se \(se)")
        #expect(run.gradientEvaluations == 4 * (100_000 + 1))
    }

    /// Beyond the stability limit h < 2/√λ_max (here λ = 1) the chain must stop as diverged.
    @Test func divergesBeyondTheStabilityLimit() throws {
        let cell = Cell(sampler: "baoab", target: "std-normal-1d", stepSize: 2.5, chains: 2, steps: 5_000)
        let (run, _) = try CellRunner(registry: registry).run(cell)
        #expect(run.diverged && run.healthyChains.isEmpty)
    }
}
