import Foundation

/// Runs one cell: builds the target and sampler from the registry, runs the chains, and
/// returns the run record.
///
/// Seeding: chain c draws from `Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: c)`
/// and its oracle shuffles minibatches from the stream `cell.key + "#batches"`, so a cell's
/// numbers depend only on its key, seed and settings — never on other cells, thread count or
/// scheduling. Minibatches follow `cell.batching`. Chains start from `target.initialPoint`,
/// drawn from the chain's generator, or at the origin (`cell.start`).
///
/// Divergence (DIAGNOSTICS.md, `stability`): a step whose info says so, or whose recorded
/// point is non-finite or outside `DivergenceBounds` (10⁴ reference sds, 100 prior sds),
/// stops that chain; its step index is recorded.
///
/// Memory: a cell whose stored draws would not fit is refused before it runs
/// (`DrawMemory.check`), and each chain reserves only what its steps can record.
///
/// Wall-time cap (`Cell.wallTimeCap`): each chain gets an equal share of it and stops (marked
/// `truncated`) at the first check after its share has passed (checked every 256 steps). A
/// capped chain's length depends on the machine's speed, so capped results are not
/// reproducible bit for bit.
public struct CellRunner: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// Builds the target of `cell` (validating its options).
    public func makeTarget(_ cell: Cell) throws -> (any Target, ResolvedParameters) {
        try registry.target(cell.target).make(options: cell.targetOptions)
    }

    /// Runs `cell`; `prepared` reuses a target already built for the same id and options.
    public func run(_ cell: Cell, prepared: (any Target, ResolvedParameters)? = nil) throws -> (RunRecord, Reference) {
        try cell.validate()
        let plugin = try registry.sampler(cell.sampler)
        let (sampler, hyperparameters) = try plugin.make(stepSize: cell.stepSize, parameters: cell.hyperparameters)
        let (target, options) = try prepared ?? makeTarget(cell)
        if let reason = plugin.incompatibility(with: target) { throw WorkbenchError.unsupported(reason) }
        try DrawMemory.check(cell, dimension: target.recordedDimension)
        let reference = target.reference
        let start = ContinuousClock.now
        var chains: [ChainRecord] = []
        var perDatum = 0, potentials = 0
        for c in 0..<cell.chains {
            var rng = Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: c)
            var oracle = GradientOracle(
                target: target, batchSize: cell.batchSize, scheme: cell.batching,
                rng: Xoshiro256StarStar(seed: cell.seed, stream: cell.key + "#batches", index: c))
            let chain = runChain(sampler, cell: cell, target: target, reference: reference, oracle: &oracle, rng: &rng)
            chains.append(chain)
            perDatum += oracle.perDatumGradientEvaluations
            potentials += oracle.potentialEvaluations
        }
        let elapsed = start.duration(to: .now)
        let prediction = Self.isStandardNormalWithExactGradients(target, reference: reference, batchSize: cell.batchSize)
            ? plugin.standardNormalPrediction?(cell.stepSize ?? 0, hyperparameters) : nil
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let record = RunRecord(
            cell: cell, hyperparameters: hyperparameters, targetOptions: options,
            dimension: target.recordedDimension, dataSize: target.dataSize, parameterNames: target.recordedParameterNames,
            chains: chains, perDatumGradientEvaluations: perDatum, potentialEvaluations: potentials,
            wallSeconds: seconds, stationaryPrediction: prediction)
        return (record, reference)
    }

    /// Whether a run is the setting of samplers' stationary predictions: a 1-D target whose
    /// exact reference is N(0, 1), with full-batch (exact) gradients.
    static func isStandardNormalWithExactGradients(_ target: any Target, reference: Reference, batchSize: BatchSize) -> Bool {
        target.dimension == 1 && reference.kind == .exact && reference.mean == [0] && reference.variance == [1]
            && reference.marginals != nil && batchSize.resolved(dataSize: target.dataSize).isFull
    }

    private func runChain<S: Sampler>(
        _ sampler: S, cell: Cell, target: any Target, reference: Reference,
        oracle: inout GradientOracle, rng: inout Xoshiro256StarStar
    ) -> ChainRecord {
        let deadline = cell.wallTimeCap.map { ContinuousClock.now + .milliseconds(Int64(($0 / Double(cell.chains) * 1000).rounded(.up))) }
        var loop = ChainLoop(
            steps: cell.steps, warmup: cell.warmup,
            bounds: DivergenceBounds(reference: reference, priorScales: target.priorScales, dimension: target.recordedDimension),
            transform: target.modelTransform, deadline: deadline,
            record: ChainRecord(dimension: target.recordedDimension, thin: cell.thin, maxDraws: cell.maxDrawsPerChain,
                                histogram: Self.histogram(for: reference), recordedSteps: cell.steps - cell.warmup))
        let sampler = sampler.prepared(forSteps: cell.steps)
        let start = cell.start == .zero ? [Double](repeating: 0, count: target.dimension) : target.initialPoint(rng: &rng)
        var state = sampler.initialState(position: start, warmup: cell.warmup, oracle: &oracle, rng: &rng)
        sampler.run(&loop, from: &state, oracle: &oracle, rng: &rng)
        var record = loop.record
        record.steps = loop.stepsRun
        record.divergenceStep = loop.divergenceStep
        record.truncated = loop.truncated
        record.checkpoint(perDatumGradients: oracle.perDatumGradientEvaluations, force: true)
        return record
    }

    /// Bins of width 0.1 sd over mean ± 6 sd of coordinate 0, for targets whose marginal is
    /// known in closed form (bin width 0.1 on the standard normal, as in seed 001).
    public static func histogram(for reference: Reference) -> StreamingHistogram? {
        guard reference.marginals != nil, reference.variance[0].isFinite else { return nil }
        let sd = reference.variance[0].squareRoot()
        return StreamingHistogram(lower: reference.mean[0] - 6 * sd, binWidth: 0.1 * sd, bins: 120)
    }
}
