import Testing
@testable import Plugins
import Workbench

/// χ² statistics of a run's moment errors against an exact reference, for tests of
/// unbiasedness in many dimensions: for each coordinate i, z_i = (Ê[f] − E[f]) / se_i with
/// f = x and f = x², se_i = sd(f) / √ESS(f) (split-chain ESS of the stored draws). Under an
/// unbiased sampler each sum Σ z_i² is ≈ χ²_d, so it should lie below d + 4√(2d) (a 4-sigma
/// bound of the χ² distribution's normal approximation).
func momentChiSquares(_ run: RunRecord, _ reference: Reference) throws -> (first: Double, second: Double, bound: Double) {
    let d = run.dimension
    var first = 0.0, second = 0.0
    for i in 0..<d {
        for (power, target) in [(1, reference.mean[i]), (2, reference.secondMoment[i])] {
            let chains = run.chainsOfCoordinate(i) { power == 1 ? $0 : $0 * $0 }
            let all = chains.flatMap { $0 }
            let mean = all.reduce(0, +) / Double(all.count)
            let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)
            let ess = try #require(try ConvergenceStatistics.meanESS(chains))
            let z = (mean - target) / (variance / ess).squareRoot()
            if power == 1 { first += z * z } else { second += z * z }
        }
    }
    return (first, second, Double(d) + 4 * (2 * Double(d)).squareRoot())
}

/// The mean of a series with its Monte Carlo standard error from the series' ESS.
func meanWithStandardError(_ series: [Double]) throws -> (mean: Double, standardError: Double, sd: Double) {
    let mean = series.reduce(0, +) / Double(series.count)
    let variance = series.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(series.count - 1)
    let ess = try #require(try ConvergenceStatistics.basicESS([series]))
    return (mean, (variance / ess).squareRoot(), variance.squareRoot())
}

/// Runs `sampler` directly for `warmup` + `steps` steps on `target` and returns the infos of
/// the steps after the warm-up, the final state and the oracle.
func runDirectly<S: Sampler>(_ sampler: S, on target: any Target, batchSize: BatchSize = .full, warmup: Int, steps: Int,
                             seed: UInt64 = 1) -> (infos: [StepInfo], state: S.State, oracle: GradientOracle) {
    var rng = Xoshiro256StarStar(seed: seed, stream: "direct", index: 0)
    var oracle = GradientOracle(target: target, batchSize: batchSize,
                                rng: Xoshiro256StarStar(seed: seed, stream: "direct#batches", index: 0))
    var state = sampler.initialState(position: target.initialPoint(rng: &rng), warmup: warmup, oracle: &oracle, rng: &rng)
    var infos: [StepInfo] = []
    infos.reserveCapacity(steps)
    for t in 0..<(warmup + steps) {
        let info = sampler.step(&state, oracle: &oracle, rng: &rng)
        if t >= warmup { infos.append(info) }
    }
    return (infos, state, oracle)
}

/// Builds the sampler `id` of the built-in registry as its concrete type.
func makeSampler<S: Sampler>(_ id: String, _ type: S.Type, stepSize: Double? = nil,
                             _ parameters: [String: ParameterValue] = [:]) throws -> S {
    try #require(try Registry.builtin.sampler(id).make(stepSize: stepSize, parameters: parameters).0 as? S)
}
