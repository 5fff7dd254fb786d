import Foundation
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
        for diagnostic in settings.registry.diagnostics {
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
        return rows
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
