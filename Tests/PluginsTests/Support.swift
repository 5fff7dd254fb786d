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
/// by batch means: each chain's x² series is cut into 20 consecutive batches, and
/// se(v̂) ≈ sd(batch means of x²) / √(batches) (the mean's contribution is second order).
/// Batch means stay honest for chains whose autocorrelation oscillates (a lightly damped
/// SGHMC): there Geyer's truncation in the ESS of x² stops at the first negative pair sum
/// and overstated the ESS about eightfold — across 24 seeds the estimate of
/// `sghmcStationaryVarianceAtASmallStep` spread with sd 0.016 against an ESS-based 0.006.
/// Batches must be much longer than the correlation time: every caller's batches span
/// ≥ 12 000 steps (thinned draws included) for correlation times of at most a few hundred.
func varianceWithStandardError(_ run: RunRecord) throws -> (variance: Double, standardError: Double) {
    let moments = run.pooledMoments
    let batchesPerChain = 20
    var means: [Double] = []
    for chain in run.chainsOfCoordinate(0) { $0 * $0 } {
        let length = chain.count / batchesPerChain
        try #require(length >= 100, "batches of \(length) draws are too short")
        for b in 0..<batchesPerChain {
            let batch: ArraySlice<Double> = chain[(b * length)..<((b + 1) * length)]
            means.append(batch.reduce(0, +) / Double(length))
        }
    }
    let grand = means.reduce(0, +) / Double(means.count)
    let spread = means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(means.count - 1)
    return (moments.variance[0], (spread / Double(means.count)).squareRoot())
}

/// The mean of a scalar function f of the position, pooled over chains, with its Monte Carlo
/// standard error sd(f)/√ESS(f) from the stored draws (split-chain ESS, Vehtari et al. 2021).
/// `f` sees one stored draw (length d).
func meanWithStandardError(_ run: RunRecord, _ f: ([Double]) -> Double) throws -> (mean: Double, standardError: Double) {
    let d = run.dimension
    let healthy = run.healthyChains
    let length = healthy.map(\.drawCount).min() ?? 0
    let chains = healthy.map { chain in
        (0..<length).map { k in f(Array(chain.draws[(k * d)..<((k + 1) * d)])) }
    }
    let ess = try #require(try ConvergenceStatistics.meanESS(chains))
    let all = chains.flatMap { $0 }
    let mean = all.reduce(0, +) / Double(all.count)
    let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
    return (mean, sd / ess.squareRoot())
}

/// A registry with every built-in sampler and target plus test targets: `gaussian-no-hessian`
/// (gaussian-iso without closed-form second derivatives, so the oracle falls back to finite
/// differences) and `gaussian-blocks` (gaussian-iso whose parameters are laid out in blocks).
let pluginTestRegistry = try! Registry(
    samplers: Registry.builtin.samplers, targets: Registry.builtin.targets + [FirstOrderOnly.plugin, Blocked.plugin],
    diagnostics: Registry.builtin.diagnostics)

/// Runs one cell of the test registry.
func runTestCell(_ cell: Cell) throws -> (RunRecord, Reference) {
    try CellRunner(registry: pluginTestRegistry).run(cell)
}

/// Forwards everything to `base` but is not a `SecondOrderTarget`.
struct FirstOrderOnly: Target, TargetDefinition {
    static let id = "gaussian-no-hessian"
    static let summary = "gaussian-iso without closed-form Hessians"
    static func make(options: GaussianIso.Options) throws -> any Target {
        FirstOrderOnly(base: try GaussianIso.make(options: options))
    }

    let base: any Target
    var id: String { Self.id }
    var dimension: Int { base.dimension }
    var dataSize: Int { base.dataSize }
    var reference: Reference { base.reference }
    var defaultBatchSize: BatchSize { base.defaultBatchSize }
    func potential(at x: [Double]) -> Double { base.potential(at: x) }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) { base.potentialGradient(at: x, into: &gradient) }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
}

/// `base` with its parameters reported as `blocks`.
struct Blocked: Target, TargetDefinition {
    static let id = "gaussian-blocks"
    static let summary = "N(0, I) with parameter blocks"

    /// Blocks of rows × columns, comma-separated.
    enum Layout: String, ParameterChoice {
        case mixed = "2x3,4x1", column = "10x1", row = "1x10"
    }

    struct Options: ParameterSet {
        @Choice(help: "blocks") var layout = Layout.mixed
    }

    static func make(options: Options) -> any Target {
        let blocks = options.layout.rawValue.split(separator: ",").map { shape in
            let mn = shape.split(separator: "x").map { Int($0)! }
            return ParameterBlock(rows: mn[0], columns: mn[1])
        }
        return Blocked(base: GaussianTarget(id: id, scales: [Double](repeating: 1, count: 10)), blocks: blocks)
    }

    let base: GaussianTarget
    let blocks: [ParameterBlock]
    var id: String { Self.id }
    var dimension: Int { base.dimension }
    var dataSize: Int { base.dataSize }
    var reference: Reference { base.reference }
    var parameterBlocks: [ParameterBlock] { blocks }
    func potential(at x: [Double]) -> Double { base.potential(at: x) }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) { base.potentialGradient(at: x, into: &gradient) }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
}
