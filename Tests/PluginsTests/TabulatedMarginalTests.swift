import CGSL
import Foundation
import Plugins
import Testing
import Workbench

/// Issue 16, item 9: the marginals without a closed form are tabulated once and interpolated;
/// the interpolation agrees with direct integration off the nodes.
@Suite struct TabulatedMarginalTests {
    /// Points spread over the bulk and the tails, none of them a node.
    func probes(scale: Double) -> [Double] {
        var rng = Xoshiro256StarStar(seed: 7, stream: "tabulated-cdf", index: 0)
        return (0..<300).map { _ in scale * sinh(3 * rng.normal()) } + [0, 1e-7, -2.5e-3, 17.3 * scale]
    }

    @Test func funnelMarginalCDFMatchesDirectIntegration() {
        let exact = FunnelMarginal(scale: FunnelTarget.scale)
        let table = exact.tabulatedCDF
        var worst = 0.0
        for x in probes(scale: 1) { worst = max(worst, abs(table(x) - exact.cdf(x))) }
        #expect(worst < 1e-8, "largest |tabulated − integrated| = \(worst)")
        #expect(table.nodeCount < 5_000)
        // Beyond the table the exact CDF answers.
        #expect(table(2e6) == exact.cdf(2e6))
        #expect(table(.nan).isNaN || table(.nan) == exact.cdf(.nan))
    }

    @Test func bananaMarginalCDFMatchesDirectIntegration() throws {
        let target = BananaTarget()
        let cdf = try #require(target.reference.marginals?[1].cdf)
        let b = target.curvature, s = target.scale
        // The integral the table replaces (as BananaTarget defined it before tabulation).
        func direct(_ y: Double) -> Double {
            Integration.qagi({ x1 in
                gsl_cdf_ugaussian_P(y - b * (x1 * x1 - s * s)) * gsl_ran_gaussian_pdf(x1, s)
            }, absoluteTolerance: 1e-14).value
        }
        // The density (the table's slopes) is the CDF's derivative, in the upper tail too.
        let density = try #require(target.reference.marginals?[1].density)
        for y in [-3.5, 0, 5, 11.6, 16.4, 25, 30, 37, 45] {
            let e = 1e-3, derivative = (direct(y + e) - direct(y - e)) / (2 * e)
            #expect(abs(density(y) - derivative) <= 1e-6 * max(1e-3, derivative), "density at \(y): \(density(y)) vs \(derivative)")
        }
        var worst = 0.0
        for y in probes(scale: 4) { worst = max(worst, abs(cdf(y) - direct(y))) }
        #expect(worst < 1e-8, "largest |tabulated − integrated| = \(worst)")
    }

    /// The diagnostic that motivated it: `marginals` on 4 chains of 10⁴ funnel draws, the
    /// table built on first use, well under a second in a release build (the tests run a debug
    /// build, about ten times slower, hence the bound here).
    @Test func marginalsOnTheFunnelIsFast() throws {
        let target = FunnelTarget(dimension: 10)
        var rng = Xoshiro256StarStar(seed: 1, stream: "funnel-draws", index: 0)
        var chains: [ChainRecord] = []
        var x = [Double](repeating: 0, count: 10)
        for _ in 0..<4 {
            var chain = ChainRecord(dimension: 10, thin: 1, maxDraws: 10_000, recordedSteps: 10_000)
            for _ in 0..<10_000 {
                target.drawExact(into: &x, rng: &rng)
                chain.record(x)
            }
            chains.append(chain)
        }
        let run = RunRecord(
            cell: Cell(sampler: "exact", target: "funnel", stepSize: nil, steps: 10_000, warmup: 0),
            hyperparameters: try ResolvedParameters([:], specs: [], owner: "sampler exact"),
            targetOptions: try ResolvedParameters([:], specs: [], owner: "target funnel"),
            dimension: 10, dataSize: 1, parameterNames: target.parameterNames, chains: chains,
            perDatumGradientEvaluations: 0, potentialEvaluations: 0, wallSeconds: 0, stationaryPrediction: nil)
        let start = ContinuousClock.now
        let metrics = MarginalsDiagnostic().evaluate(run, reference: target.reference)
        let seconds = Double((ContinuousClock.now - start).components.seconds)
        #expect(seconds < 20, "marginals took \(seconds) s")
        let p = try #require(metrics.first { $0.name == "ks-p-min-adjusted" }?.value)
        #expect(p > 0.001, "exact draws must pass the KS test against the tabulated CDF (p = \(p))")
    }
}
