import Foundation

/// Runs one cell: builds the target and sampler from the registry, runs the chains, and
/// returns the run record.
///
/// Seeding: chain c draws from `Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: c)`
/// and its oracle shuffles minibatches from the stream `cell.key + "#batches"`, so a cell's
/// numbers depend only on its key, seed and settings — never on other cells, thread count or
/// scheduling. Chains start from `target.initialPoint`, drawn from the chain's generator.
///
/// Divergence (DIAGNOSTICS.md, `stability`): a step whose info says so, or whose position is
/// non-finite or has ‖θ‖ > 1e6 × ‖sd_ref‖, stops that chain; its step index is recorded.
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
        let reference = target.reference
        let start = ContinuousClock.now
        var chains: [ChainRecord] = []
        var perDatum = 0, potentials = 0
        for c in 0..<cell.chains {
            var rng = Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: c)
            var oracle = GradientOracle(
                target: target, batchSize: cell.batchSize,
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
    static func isStandardNormalWithExactGradients(_ target: any Target, reference: Reference, batchSize: Int?) -> Bool {
        target.dimension == 1 && reference.kind == .exact && reference.mean == [0] && reference.variance == [1]
            && reference.marginals != nil && (batchSize ?? target.dataSize) >= target.dataSize
    }

    private func runChain<S: Sampler>(
        _ sampler: S, cell: Cell, target: any Target, reference: Reference,
        oracle: inout GradientOracle, rng: inout Xoshiro256StarStar
    ) -> ChainRecord {
        // Draws are recorded on the model scale (`ModelScale`): φ = T(θ) goes into a buffer
        // allocated once per chain.
        let transform = target.modelTransform
        var modelPoint = [Double](repeating: 0, count: target.recordedDimension)
        var record = ChainRecord(
            dimension: target.recordedDimension, thin: cell.thin, maxDraws: cell.maxDrawsPerChain,
            histogram: Self.histogram(for: reference))
        // A reference whose moments are not known yet (`Reference.unavailable`) gives no scale:
        // then only a non-finite state counts as a divergence.
        let limit = 1e6 * reference.variance.reduce(0, +).squareRoot()
        let limitSquared = limit.isFinite ? limit * limit : .infinity
        let sampler = sampler.prepared(forSteps: cell.steps)
        let deadline = cell.wallTimeCap.map { ContinuousClock.now + .milliseconds(Int64(($0 / Double(cell.chains) * 1000).rounded(.up))) }
        var state = sampler.initialState(
            position: target.initialPoint(rng: &rng), warmup: cell.warmup, oracle: &oracle, rng: &rng)
        for step in 0..<cell.steps {
            let info = sampler.step(&state, oracle: &oracle, rng: &rng)
            record.observe(info)
            record.steps = step + 1
            let keep = step >= cell.warmup && info.keep
            let diverged: Bool
            if let transform {
                let finite = state.withPosition { Self.isFinite($0) }
                transform.toModel(state.position, into: &modelPoint)
                diverged = info.diverged || !finite
                    || !modelPoint.withUnsafeBufferPointer {
                        Self.observe($0, record: &record, keep: keep, limitSquared: limitSquared,
                                     gradients: oracle.perDatumGradientEvaluations)
                    }
            } else {
                // The hot path: the position is borrowed, not copied or retained, and the
                // closure captures nothing but the record and two numbers (no per-step context
                // to build); one call both checks and records.
                let gradients = oracle.perDatumGradientEvaluations
                diverged = info.diverged || !state.withPosition {
                    Self.observe($0, record: &record, keep: keep, limitSquared: limitSquared, gradients: gradients)
                }
            }
            if diverged {
                record.divergenceStep = step
                break
            }
            // The step test comes first: unwrapping the optional deadline calls a value witness
            // of the resilient `ContinuousClock.Instant`, a sixth of the 1-D step's cycles.
            if step & 255 == 255, let deadline, step + 1 < cell.steps, ContinuousClock.now >= deadline {
                record.truncated = true
                break
            }
        }
        record.checkpoint(perDatumGradients: oracle.perDatumGradientEvaluations, force: true)
        return record
    }

    /// Checks the recorded (model-scale) point `x` of a step for divergence (‖x‖² non-finite
    /// or above `limitSquared`; the caller checks the step's info) and, when it is healthy and
    /// `keep`, records it. Returns false when the chain diverged.
    @inline(__always)
    static func observe(_ x: UnsafeBufferPointer<Double>, record: inout ChainRecord, keep: Bool, limitSquared: Double,
                        gradients: Int) -> Bool {
        let squaredNorm = Self.squaredNorm(x)
        if !squaredNorm.isFinite || !(squaredNorm <= limitSquared) { return false }
        if keep {
            record.record(x)
            record.checkpoint(perDatumGradients: gradients)
        }
        return true
    }

    /// ‖x‖², summed in eight interleaved partial sums so that the loop runs in SIMD lanes rather
    /// than on one chain of dependent additions (which cost 4 cycles a coordinate at d = 2 952).
    /// It only decides divergence, never enters a result: its rounding differs from a
    /// sequential sum's in the last bits, which matters only at exactly the divergence limit.
    @inline(__always)
    static func squaredNorm(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = x.count
        guard let base = x.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var partial = SIMD8<Double>()
        var i = 0
        while i + 8 <= d {
            let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Double>.stride, as: SIMD8<Double>.self)
            partial += v * v
            i += 8
        }
        var sum = partial.sum()
        while i < d {
            sum += base[i] * base[i]
            i += 1
        }
        return sum
    }

    /// Whether every coordinate is finite: v · 0 is ±0 for a finite v and NaN otherwise, so the
    /// lanes' sum is finite exactly when every coordinate is (vectorised like `squaredNorm`).
    @inline(__always)
    static func isFinite(_ x: UnsafeBufferPointer<Double>) -> Bool {
        let d = x.count
        guard let base = x.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var partial = SIMD8<Double>()
        var i = 0
        while i + 8 <= d {
            partial += raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Double>.stride, as: SIMD8<Double>.self) * 0
            i += 8
        }
        var sum = partial.sum()
        while i < d {
            sum += base[i] * 0
            i += 1
        }
        return sum.isFinite
    }

    /// Bins of width 0.1 sd over mean ± 6 sd of coordinate 0, for targets whose marginal is
    /// known in closed form (bin width 0.1 on the standard normal, as in seed 001).
    public static func histogram(for reference: Reference) -> StreamingHistogram? {
        guard reference.marginals != nil, reference.variance[0].isFinite else { return nil }
        let sd = reference.variance[0].squareRoot()
        return StreamingHistogram(lower: reference.mean[0] - 6 * sd, binWidth: 0.1 * sd, bins: 120)
    }
}
