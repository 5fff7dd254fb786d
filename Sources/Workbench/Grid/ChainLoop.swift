import Foundation

/// The runner's loop over the steps of one chain: step, check for divergence, record.
///
/// `CellChains` sets it up and reads the result; the chain runner a `SamplerPlugin` captures
/// when its type is registered runs it. Its body is inlinable so that it is compiled where the
/// sampler's type is concrete: `step` and the read of `position` are then direct, and the
/// optimiser can inline them.
/// Nothing here is a sampler's to change: the chain's record is what the runner makes of the
/// positions a sampler's steps produce.
public struct ChainLoop {
    @usableFromInline let steps: Int
    @usableFromInline let warmup: Int
    /// A recorded point outside these (or non-finite) is a divergence.
    @usableFromInline let bounds: DivergenceBounds
    @usableFromInline let transform: ModelScale?
    @usableFromInline let deadline: ContinuousClock.Instant?
    @usableFromInline var record: ChainRecord
    /// Steps run, the step at which the chain diverged, whether the deadline stopped it.
    @usableFromInline var stepsRun = 0
    @usableFromInline var divergenceStep: Int?
    @usableFromInline var truncated = false
    /// Why an external sampler's batch could not finish (set on the batch's first loop).
    var fault: ExternalSamplerFault?
    /// An external sampler's cell: the name its child's stderr is kept under (`Cell.fileStem`).
    var logName: String?

    init(steps: Int, warmup: Int, bounds: DivergenceBounds, transform: ModelScale?, deadline: ContinuousClock.Instant?,
         record: ChainRecord) {
        self.steps = steps
        self.warmup = warmup
        self.bounds = bounds
        self.transform = transform
        self.deadline = deadline
        self.record = record
    }

    /// Runs the chain from `state` until its last step, a divergence or the deadline.
    @inlinable
    public mutating func run<S: Sampler>(_ sampler: S, from state: inout S.State, oracle: inout GradientOracle,
                                         rng: inout Xoshiro256StarStar) {
        // Draws are recorded on the model scale (`ModelScale`): φ = T(θ) goes into a buffer
        // allocated once per chain.
        var modelPoint = [Double](repeating: 0, count: transform?.dimension ?? 0)
        for step in 0..<steps {
            let info = sampler.step(&state, oracle: &oracle, rng: &rng)
            let gradients = oracle.perDatumGradientEvaluations
            let healthy: Bool
            if let transform {
                healthy = advance(step: step, info: info, theta: state.position, transform: transform, modelPoint: &modelPoint,
                                  gradients: gradients)
            } else {
                // The hot path: the position is read in place (`run` is compiled for the
                // concrete state, where `position` is its stored array).
                healthy = state.position.withUnsafeBufferPointer { advance(step: step, info: info, position: $0, gradients: gradients) }
            }
            if !healthy { break }
            // The step test comes first: unwrapping the optional deadline calls a value witness
            // of the resilient `ContinuousClock.Instant`, too dear for every step (BENCHMARKS.md).
            if step & 255 == 255, let deadline, step + 1 < steps, ContinuousClock.now >= deadline {
                truncated = true
                break
            }
        }
    }

    /// Takes step `step`'s outcome — its info, the position it reached (recorded as is: no
    /// model-scale transform), the chain's gradient count after it — and records it; returns
    /// false, with the divergence step noted, when the chain diverged there. The per-step
    /// bookkeeping of `run` (`advanceBatch` does the same for all the chains of a batch).
    @inlinable @inline(__always)
    mutating func advance(step: Int, info: StepInfo, position: UnsafeBufferPointer<Double>, gradients: Int) -> Bool {
        if info.reportsOutcome { record.observe(info) }
        stepsRun = step + 1
        let sampling = step >= warmup
        guard !info.diverged, observe(position, bounded: sampling, keep: sampling && info.keep, gradients: gradients) else {
            divergenceStep = step
            return false
        }
        return true
    }

    /// `advance` for a target recorded on the model scale: the chain diverged when θ has a
    /// non-finite coordinate or φ = T(θ), written into `modelPoint`, is out of bounds; else φ
    /// is recorded.
    @inlinable @inline(__always)
    mutating func advance(step: Int, info: StepInfo, theta: [Double], transform: ModelScale, modelPoint: inout [Double],
                          gradients: Int) -> Bool {
        if info.reportsOutcome { record.observe(info) }
        stepsRun = step + 1
        let sampling = step >= warmup
        let finite = theta.withUnsafeBufferPointer { Self.isFinite($0) }
        transform.toModel(theta, into: &modelPoint)
        guard !info.diverged, finite,
              modelPoint.withUnsafeBufferPointer({ observe($0, bounded: sampling, keep: sampling && info.keep, gradients: gradients) })
        else {
            divergenceStep = step
            return false
        }
        return true
    }

    /// Checks the recorded (model-scale) point `x` of a step for divergence (outside `bounds`:
    /// their per-coordinate bounds when `bounded` — after the warm-up —, their loose warm-up
    /// norm bound before; the caller checks the step's info) and, when it is healthy and
    /// `keep`, records it. Returns false when the chain diverged. Adaptive samplers make far,
    /// finite excursions in the warm-up and come back (hmc's first trajectories at its initial
    /// step size on sblri go beyond 10⁴ reference sds); a chain that stays blown up is caught
    /// at its first sampling step.
    @inlinable @inline(__always)
    mutating func observe(_ x: UnsafeBufferPointer<Double>, bounded: Bool, keep: Bool, gradients: Int) -> Bool {
        if bounds.diverges(x, bounded: bounded) { return false }
        if keep { record.record(x, perDatumGradients: gradients) }
        return true
    }

    /// Whether every coordinate is finite: v · 0 is ±0 for a finite v and NaN otherwise, so the
    /// sum is finite exactly when every coordinate is (vectorised like `DivergenceBounds.exceeded`).
    @inlinable @inline(__always)
    static func isFinite(_ x: UnsafeBufferPointer<Double>) -> Bool {
        interleavedSum(x) { $0 * 0 }.isFinite
    }

    /// Σ term(xᵢ) in eight partial sums (i mod 8), then the remainder: independent additions the
    /// optimiser puts in SIMD lanes. Plain scalars, since SIMD types are slow in the unoptimised
    /// builds the tests run.
    @inlinable @inline(__always)
    static func interleavedSum(_ x: UnsafeBufferPointer<Double>, _ term: (Double) -> Double) -> Double {
        guard let p = x.baseAddress else { return 0 }
        let d = x.count
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var i = 0
        while i + 8 <= d {
            s0 += term(p[i]); s1 += term(p[i + 1]); s2 += term(p[i + 2]); s3 += term(p[i + 3])
            s4 += term(p[i + 4]); s5 += term(p[i + 5]); s6 += term(p[i + 6]); s7 += term(p[i + 7])
            i += 8
        }
        var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        while i < d {
            sum += term(p[i])
            i += 1
        }
        return sum
    }
}
