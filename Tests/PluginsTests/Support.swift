import Testing
@testable import Plugins
import Workbench

/// Runs one cell of the built-in registry.
func runCell(_ cell: Cell) throws -> (RunRecord, Reference) {
    try CellRunner(registry: .builtin).run(cell)
}

/// Builds a built-in target with options.
func makeTarget(_ id: String, _ options: [String: ParameterValue] = [:]) throws -> any Target {
    try Registry.builtin.target(id).make(options: options).0
}

/// The pooled variance estimate of coordinate 0 of a run, and its Monte Carlo standard error
/// from the effective sample size of x² (split-chain ESS, Vehtari et al. 2021):
/// v̂ = Ê[x²] − Ê[x]², se(v̂) ≈ sd(x²) / √ESS(x²) (the mean's contribution is second order).
func varianceWithStandardError(_ run: RunRecord) throws -> (variance: Double, standardError: Double) {
    let moments = run.pooledMoments
    let squares = run.chainsOfCoordinate(0) { $0 * $0 }
    let ess = try #require(try ConvergenceStatistics.meanESS(squares))
    let all = squares.flatMap { $0 }
    let mean = all.reduce(0, +) / Double(all.count)
    let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
    return (moments.variance[0], sd / ess.squareRoot())
}
