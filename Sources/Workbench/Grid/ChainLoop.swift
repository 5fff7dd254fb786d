import Foundation

/// The runner's loop over the steps of one chain: step, check for divergence, record.
///
/// `CellRunner` sets it up and reads the result; `Sampler.run(_:from:oracle:rng:)` runs it.
/// Its body is inlinable so that the default implementation of that requirement is compiled
/// into each sampler's conformance, where `step` and `withPosition` are direct calls on the
/// concrete state that the optimiser can inline (through the `any Sampler` the runner holds,
/// they were calls through the witness table, with an unspecialised closure per step).
/// Nothing here is a sampler's to change: the chain's record is what the runner makes of the
/// positions a sampler's steps produce.
public struct ChainLoop {
    @usableFromInline let steps: Int
    @usableFromInline let warmup: Int
    /// ‖x‖² above this (or non-finite) is a divergence.
    @usableFromInline let limitSquared: Double
    @usableFromInline let transform: ModelScale?
    @usableFromInline let deadline: ContinuousClock.Instant?
    @usableFromInline var record: ChainRecord
    /// Steps run, the step at which the chain diverged, whether the deadline stopped it.
    @usableFromInline var stepsRun = 0
    @usableFromInline var divergenceStep: Int?
    @usableFromInline var truncated = false

    init(steps: Int, warmup: Int, limitSquared: Double, transform: ModelScale?, deadline: ContinuousClock.Instant?,
         record: ChainRecord) {
        self.steps = steps
        self.warmup = warmup
        self.limitSquared = limitSquared
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
            record.observe(info)
            stepsRun = step + 1
            let keep = step >= warmup && info.keep
            let diverged: Bool
            if let transform {
                let finite = state.withPosition { Self.isFinite($0) }
                transform.toModel(state.position, into: &modelPoint)
                let gradients = oracle.perDatumGradientEvaluations
                diverged = info.diverged || !finite
                    || !modelPoint.withUnsafeBufferPointer { observe($0, keep: keep, gradients: gradients) }
            } else {
                // The hot path: the position is borrowed, not copied or retained; one call both
                // checks and records.
                let gradients = oracle.perDatumGradientEvaluations
                diverged = info.diverged || !state.withPosition { observe($0, keep: keep, gradients: gradients) }
            }
            if diverged {
                divergenceStep = step
                break
            }
            // The step test comes first: unwrapping the optional deadline calls a value witness
            // of the resilient `ContinuousClock.Instant`, a sixth of the 1-D step's cycles.
            if step & 255 == 255, let deadline, step + 1 < steps, ContinuousClock.now >= deadline {
                truncated = true
                break
            }
        }
    }

    /// Checks the recorded (model-scale) point `x` of a step for divergence (‖x‖² non-finite
    /// or above `limitSquared`; the caller checks the step's info) and, when it is healthy and
    /// `keep`, records it. Returns false when the chain diverged.
    @inlinable @inline(__always)
    mutating func observe(_ x: UnsafeBufferPointer<Double>, keep: Bool, gradients: Int) -> Bool {
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
    @inlinable @inline(__always)
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
    @inlinable @inline(__always)
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
}
