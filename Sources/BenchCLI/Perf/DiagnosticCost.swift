import Foundation
import Plugins
import Workbench

/// Section (c): the seconds each registered diagnostic takes on 10⁶ draws × 100 dimensions —
/// 4 chains of 250 000 draws of an AR(1) chain with ρ = 0.5 on `gaussian-iso` (so the
/// autocorrelation sequences are not trivially short), imported as `bench diagnose` does. A
/// diagnostic with a documented cap (KSD's 2 000 points, MMD's) thins to it itself; the
/// import and the draws are outside the timing.
enum DiagnosticCost {
    static let chains = 4
    static let drawsPerChain = 250_000
    static let dimension = 100
    static let autocorrelation = 0.5

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let draws = settings.scaled(drawsPerChain, floor: 100)
        let (target, options) = try settings.registry.target("gaussian-iso").make(options: [:])
        let run = try RunRecord(importing: syntheticDraws(draws), from: "synthetic AR(1)", target: target, targetOptions: options)
        var rows: [PerfRow] = []
        // Stan's ess_bulk alone (what `ess` computes first, per coordinate), for comparison
        // with ESS functions that report only that.
        let bulk = PerfSummary.repeating(settings.repetitions) {
            wallSeconds { _ = run.convergenceByCoordinate(tailAndRhat: false, squares: false) }
        }
        rows.append(PerfRow(
            section: "diagnostics", key: "bulk-ess",
            label: "bulk-ESS alone (ess_bulk of every coordinate) on \(chains) × \(draws) draws × \(dimension) dimensions",
            unit: "s", summary: bulk, goal: .atMost(1, "issue 9"), detail: nil, command: settings.command(.diagnostics)))
        for plugin in settings.registry.diagnostics {
            let diagnostic = plugin.make()
            let summary = PerfSummary.repeating(settings.repetitions) {
                wallSeconds { _ = diagnostic.evaluate(run, target: target) }
            }
            var goal: PerfGoal?
            if diagnostic.id == "ess" { goal = .atMost(1, "issue 9; bulk-ESS, tail-ESS, R̂ and bulk-ESS of x²") }
            if diagnostic.id == "ksd" { goal = .atMost(1, "issue 9, at its default cap") }
            rows.append(PerfRow(
                section: "diagnostics", key: diagnostic.id,
                label: "\(diagnostic.id) on \(chains) × \(draws) draws × \(dimension) dimensions",
                unit: "s", summary: summary, goal: goal, detail: nil, command: settings.command(.diagnostics)))
        }
        rows.append(predictiveRow(settings))
        return rows
    }

    /// `predictive` on a regression at its default cap of 1 000 draws × 3 500 test points
    /// (the size of the largest UCI test split, bike sharing's): the test log-likelihood on both
    /// scales, RMSE and the coverage of the exact mixture predictive. The synthetic target's
    /// predictions are computed before the timing, so the row is the diagnostic's own cost
    /// (a BNN adds its forward passes). Not scaled by `--scale`.
    static func predictiveRow(_ settings: PerfSettings) -> PerfRow {
        let (draws, points) = (SyntheticRegression.draws, SyntheticRegression.points)
        let target = SyntheticRegression()
        let values = (0..<draws).map(Double.init)
        let run = try! RunRecord(importing: DrawsArray(chains: 1, draws: draws, dimension: 1, values: values),
                                 from: "synthetic", target: target, targetOptions: ResolvedParameters([:], specs: [], owner: "perf"))
        let diagnostic = PredictiveDiagnostic()
        let summary = PerfSummary.repeating(settings.repetitions) {
            wallSeconds { _ = diagnostic.evaluate(run, target: target) }
        }
        return PerfRow(
            section: "diagnostics", key: "predictive-regression",
            label: "predictive on a regression, \(draws) draws × \(points) test points (predictions precomputed)",
            unit: "s", summary: summary, goal: nil, detail: nil, command: settings.command(.diagnostics))
    }

    /// A regression whose draw s (the recorded value θ = s) predicts precomputed means
    /// f_s(x_j) ~ N(0, 1) and sd σ_s ∈ [0.5, 1.5], labels y_j ~ N(0, 1.2²), y standardised by
    /// (3, 7): `predictive`'s arithmetic without forward passes.
    struct SyntheticRegression: PredictiveTarget {
        static let draws = 1_000
        static let points = 3_500
        let id = "synthetic-regression"
        let dimension = 1
        let dataSize = 1
        let means: [[Double]]
        let sds: [Double]
        let testLabels: [Double]
        let predictiveTask = PredictiveTask.regression
        var reference: Reference { .unavailable(dimension: 1) }
        var targetStandardisation: (mean: Double, sd: Double) { (3, 7) }

        init() {
            var rng = Xoshiro256StarStar(seed: 29, stream: "perf-predictive", index: 0)
            means = (0..<Self.draws).map { _ in (0..<Self.points).map { _ in rng.normal() } }
            sds = (0..<Self.draws).map { _ in 0.5 + rng.uniform() }
            testLabels = (0..<Self.points).map { _ in 1.2 * rng.normal() }
        }

        func potential(at x: [Double]) -> Double { 0.5 * x[0] * x[0] }
        func potentialGradient(at x: [Double], into gradient: inout [Double]) { gradient[0] = x[0] }
        func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) { gradient[0] = x[0] }
        func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [0] }
        func testPredictions(at theta: [Double]) -> TestPrediction {
            let s = min(max(Int(theta[0]), 0), Self.draws - 1)
            return .regression(mean: means[s], sd: [Double](repeating: sds[s], count: Self.points))
        }
    }

    /// Chains x_t = ρ x_{t−1} + √(1 − ρ²) z_t per coordinate, started from N(0, 1): stationary N(0, 1).
    static func syntheticDraws(_ draws: Int) -> DrawsArray {
        let d = dimension, rho = autocorrelation, innovation = (1 - rho * rho).squareRoot()
        var values = [Double](repeating: 0, count: chains * draws * d)
        for c in 0..<chains {
            var rng = Xoshiro256StarStar(seed: 11, stream: "perf-draws", index: c)
            var x = (0..<d).map { _ in rng.normal() }
            for t in 0..<draws {
                let base = (c * draws + t) * d
                for i in 0..<d {
                    x[i] = rho * x[i] + innovation * rng.normal()
                    values[base + i] = x[i]
                }
            }
        }
        return DrawsArray(chains: chains, draws: draws, dimension: d, values: values)
    }
}
