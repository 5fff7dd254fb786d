/// The only path from a sampler to its target's gradients; it counts what they cost.
///
/// Cost accounting (SAMPLERS.md): a minibatch gradient of n data costs n per-datum gradient
/// evaluations, a full gradient costs N. "Gradient evaluations" in ESS-per-gradient are
/// full-gradient equivalents, `perDatumGradientEvaluations / N`. Because samplers see the
/// target only through this value, a plugin cannot obtain a gradient without paying for it.
///
/// Minibatches are drawn without replacement within an epoch: the data indices are shuffled
/// (Fisher–Yates) and consumed n at a time; when fewer than n remain, the epoch ends, the
/// remainder is skipped, and the indices are reshuffled. The shuffles come from the oracle's
/// own generator, derived from the chain's seed, so batches are reproducible.
public struct GradientOracle {
    @usableFromInline let target: any Target
    /// The minibatch size n used by `stochasticGradient`; equals N for full-batch runs.
    public let batchSize: Int
    /// The dimension d of the target.
    public let dimension: Int
    @usableFromInline var permutation: [Int32]
    @usableFromInline var cursor: Int
    @usableFromInline var rng: Xoshiro256StarStar

    /// Per-datum gradient evaluations spent so far.
    public private(set) var perDatumGradientEvaluations: Int = 0
    /// Full-data evaluations of U spent so far (Metropolis tests, energy errors).
    public private(set) var potentialEvaluations: Int = 0
    /// Exact independent draws taken so far (no gradient cost).
    public private(set) var exactDraws: Int = 0

    /// An oracle over `target` with minibatches of `batchSize` (nil or ≥ N: full batch) whose
    /// shuffles come from `rng`.
    public init(target: any Target, batchSize: Int?, rng: Xoshiro256StarStar) {
        self.target = target
        self.dimension = target.dimension
        let n = target.dataSize
        self.batchSize = min(batchSize ?? n, n)
        self.rng = rng
        if self.batchSize < n {
            permutation = (0..<n).map { Int32($0) }
            cursor = n  // forces a shuffle before the first batch
        } else {
            permutation = []
            cursor = 0
        }
    }

    /// The data size N.
    public var dataSize: Int { target.dataSize }

    /// Gradient evaluations in full-gradient equivalents: per-datum evaluations / N.
    public var fullGradientEquivalents: Double {
        Double(perDatumGradientEvaluations) / Double(target.dataSize)
    }

    /// Writes the stochastic gradient ∇Ũ(x) on the next minibatch into `gradient` (the full
    /// gradient when the run is full batch). Costs n per-datum evaluations.
    public mutating func stochasticGradient(at x: [Double], into gradient: inout [Double]) {
        let n = target.dataSize
        guard batchSize < n else {
            fullGradient(at: x, into: &gradient)
            return
        }
        if cursor + batchSize > n { shuffle() }
        target.minibatchPotentialGradient(at: x, batch: permutation[cursor..<(cursor + batchSize)], into: &gradient)
        cursor += batchSize
        perDatumGradientEvaluations += batchSize
    }

    /// Writes the full gradient ∇U(x) into `gradient`. Costs N per-datum evaluations.
    public mutating func fullGradient(at x: [Double], into gradient: inout [Double]) {
        target.potentialGradient(at: x, into: &gradient)
        perDatumGradientEvaluations += target.dataSize
    }

    /// U(x) on all data (counted in `potentialEvaluations`).
    public mutating func potential(at x: [Double]) -> Double {
        potentialEvaluations += 1
        return target.potential(at: x)
    }

    /// Whether the target can draw exact independent samples.
    public var canDrawExact: Bool { target is any ExactlySampleable }

    /// Writes an exact independent draw into `x`; requires `canDrawExact`.
    public mutating func drawExact(into x: inout [Double], rng chainRNG: inout Xoshiro256StarStar) {
        guard let sampleable = target as? any ExactlySampleable else {
            preconditionFailure("drawExact on a target without an exact sampler; check canDrawExact first")
        }
        sampleable.drawExact(into: &x, rng: &chainRNG)
        exactDraws += 1
    }

    @usableFromInline
    mutating func shuffle() {
        var i = permutation.count - 1
        while i > 0 {
            let j = rng.integer(below: i + 1)
            permutation.swapAt(i, j)
            i -= 1
        }
        cursor = 0
    }
}
