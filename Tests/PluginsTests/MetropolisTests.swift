import Foundation
import Testing
@testable import Plugins
import Workbench

/// `mala` and `hmc`: dual-averaged step size, diagonal mass matrix, exact N(0, I) moments.
@Suite struct MetropolisTests {
    /// After the warm-up (W = 2 000) the mean acceptance of the next 4 000 steps is the target
    /// (0.57 for MALA, 0.8 for HMC) within 4 × √(se² + se_tune²): se is the Monte Carlo error
    /// of the mean acceptance (from the ESS of the acceptance series) and se_tune = sd(α)/√n_f
    /// the error of the dual averaging's own estimate of the acceptance, an average over the
    /// n_f = 0.15 W steps of the final adaptation phase.
    @Test(arguments: [("mala", 0.57), ("hmc", 0.8)])
    func hitsTheTargetAcceptance(id: String, targetAcceptance: Double) throws {
        let target = try makeTarget("gaussian-iso")
        let sampler = try #require(try Registry.builtin.sampler(id).make(stepSize: 0.1, parameters: [:]).0)
        let acceptance = try acceptances(sampler, target)
        let (mean, se, sd) = try meanWithStandardError(acceptance)
        let tuning = sd / (0.15 * 2_000).squareRoot()
        let tolerance = 4 * (se * se + tuning * tuning).squareRoot()
        #expect(abs(mean - targetAcceptance) < tolerance, "\(id): acceptance \(mean), tolerance \(tolerance)")
    }

    private func acceptances<S: Sampler>(_ sampler: S, _ target: any Target) throws -> [Double] {
        runDirectly(sampler, on: target, warmup: 2_000, steps: 4_000, seed: 3).infos.map(\.acceptance)
    }

    /// N(0, I_100) moments: per-coordinate χ² of the errors of E[x] and E[x²] within the
    /// 4-sigma bound (see `momentChiSquares`), and the cost: N per gradient.
    @Test(arguments: ["mala", "hmc"])
    func reproducesStandardNormalMoments(id: String) throws {
        let cell = Cell(sampler: id, target: "gaussian-iso", stepSize: 0.1, seed: 12, chains: 4,
                        steps: id == "mala" ? 8_000 : 3_000, warmup: 1_000)
        let (run, reference) = try runCell(cell)
        #expect(!run.diverged)
        let chi = try momentChiSquares(run, reference)
        #expect(chi.first < chi.bound && chi.second < chi.bound, "\(id): \(chi)")
        let perStep = id == "mala" ? 1 : 10
        #expect(run.perDatumGradientEvaluations == 4 * (perStep * cell.steps + 1))
    }

    /// A step size that overflows is never a crash: every proposal is rejected (acceptance 0),
    /// the chain stays finite, and the dual averaging brings the step back.
    @Test(arguments: ["mala", "hmc"])
    func anOverflowingStepIsRejected(id: String) throws {
        let cell = Cell(sampler: id, target: "gaussian-iso",
                        stepSize: 1e100, seed: 1, chains: 2, steps: 2_000, warmup: 1_500)
        let (run, _) = try runCell(cell)
        #expect(!run.diverged)
        #expect(run.chains.allSatisfy { $0.acceptance.mean[0] > 0 && $0.acceptance.mean[0] < 1 })
    }
}
