/// The only path from a sampler to its target's gradients; it counts what they cost.
///
/// Cost accounting (SAMPLERS.md), in per-datum gradient evaluations, with n the minibatch size
/// (n = N for full-batch runs):
/// - a stochastic gradient ∇Ũ on a minibatch costs n; a full gradient ∇U costs N; another
///   gradient on the current minibatch (`gradientOnCurrentBatch`, e.g. control variates) costs n;
/// - a Hessian-vector product on the current minibatch costs two gradients, 2n, by central
///   finite differences of gradients (any target); when the target provides it in closed form
///   (`SecondOrderTarget`) it is charged as one gradient, n — the order of cost of Pearlmutter's
///   R-operator, which an automatic-differentiation target would use;
/// - the Hessian diagonal costs n when the target provides it in closed form (charged like one
///   Hessian-vector product), otherwise it is a Hutchinson estimate z ⊙ Hz with Rademacher z
///   and finite-difference Hz, 2n per probe; the Hessian trace likewise: n analytic (the sum of
///   the diagonal), otherwise Hutchinson zᵀHz at 2n per probe.
/// Every call is charged, whatever its inputs, so a sampler's cost per step is a fixed number
/// that its plugin declares (`SamplerPlugin.gradientCost`). "Gradient evaluations" in
/// ESS-per-gradient are full-gradient equivalents, `perDatumGradientEvaluations / N`. Because
/// samplers see the target only through this value, a plugin cannot obtain a gradient without
/// paying for it.
///
/// Minibatches follow the run's `MinibatchScheme`:
/// - `.iid` (the default): each batch is n indices drawn without replacement within the batch,
///   independently of every other batch (a partial Fisher–Yates shuffle of the first n slots
///   of the index array, O(n) per batch) — what the SMILE code, BlackJAX and SGMCMCJax
///   examples do (`jax.random.choice(key, N, (n,), replace=False)` per step);
/// - `.epoch`: the indices are shuffled (Fisher–Yates) and consumed n at a time; when fewer
///   than n remain, the epoch ends, the remainder is skipped, and the indices are reshuffled.
///   On a data set whose terms sum to zero (the synthetic gradient-noise targets) the noise
///   of an epoch's batches cancels exactly, which pulls the dynamics back (TARGETS.md).
/// The draws come from the oracle's own generator, derived from the chain's seed, so batches
/// are reproducible. A new batch is drawn by `stochasticGradient` or `drawBatch()`; second-order
/// queries and `gradientOnCurrentBatch` use the current batch (the stochastic potential Ũ the
/// sampler is currently looking at), so a sampler whose step evaluates several gradients on
/// one batch calls `drawBatch()` once and then `gradientOnCurrentBatch`.
public struct GradientOracle {
    @usableFromInline let target: any Target
    /// The target's closed-form second derivatives, if it has them (cast once, not per call).
    @usableFromInline let secondOrder: (any SecondOrderTarget)?
    /// The target's exact sampler, if it has one (cast once: a cast per draw boxed the target
    /// on the heap, an allocation per step of `exact`).
    let exactSampler: (any ExactlySampleable)?
    /// The run's batch size, resolved against N (`BatchSize.resolved(dataSize:)`): `.full` or
    /// `.size(n)` with n < N. Every full-batch test in the oracle reads it.
    public let batch: BatchSize
    /// The data one gradient reads, what each gradient is charged: n, or N for full batch.
    public let batchSize: Int
    /// How minibatches are drawn.
    public let scheme: MinibatchScheme
    /// The dimension d of the target.
    public let dimension: Int
    /// The data size N (read once from the target, not per call).
    public let dataSize: Int
    @usableFromInline var permutation: [Int32]
    @usableFromInline var cursor: Int
    @usableFromInline var rng: Xoshiro256StarStar
    /// Where the current minibatch starts in `permutation` (nil before the first one).
    @usableFromInline var batchStart: Int?
    /// Scratch vectors (length d) for finite differences and Hutchinson probes, allocated once.
    @usableFromInline var scratchPoint: [Double]
    @usableFromInline var scratchPlus: [Double]
    @usableFromInline var scratchMinus: [Double]
    @usableFromInline var scratchProbe: [Double]
    @usableFromInline var scratchProduct: [Double]

    /// Per-datum gradient evaluations spent so far.
    public private(set) var perDatumGradientEvaluations: Int = 0
    /// Full-data evaluations of U spent so far (Metropolis tests, energy errors).
    public private(set) var potentialEvaluations: Int = 0
    /// Exact independent draws taken so far (no gradient cost).
    public private(set) var exactDraws: Int = 0

    /// An oracle over `target` with batches of `batchSize` (a size of at least N is full batch)
    /// drawn by `scheme` with random numbers from `rng`.
    public init(target: any Target, batchSize: BatchSize, scheme: MinibatchScheme = .iid, rng: Xoshiro256StarStar) {
        self.target = target
        self.scheme = scheme
        self.secondOrder = target as? any SecondOrderTarget
        self.exactSampler = target as? any ExactlySampleable
        self.dimension = target.dimension
        let n = target.dataSize
        self.dataSize = n
        self.batch = batchSize.resolved(dataSize: n)
        self.batchSize = batch.count(dataSize: n)
        self.rng = rng
        let zeros = [Double](repeating: 0, count: target.dimension)
        scratchPoint = zeros
        scratchPlus = zeros
        scratchMinus = zeros
        scratchProbe = zeros
        scratchProduct = zeros
        if !batch.isFull {
            permutation = (0..<n).map { Int32($0) }
            cursor = n  // forces a shuffle before the first epoch batch
        } else {
            permutation = []
            cursor = 0
        }
    }

    /// Gradient evaluations in full-gradient equivalents: per-datum evaluations / N.
    public var fullGradientEquivalents: Double {
        Double(perDatumGradientEvaluations) / Double(dataSize)
    }

    /// The parameter blocks of the target (one d × 1 block unless the target says otherwise).
    public var parameterBlocks: [ParameterBlock] { target.parameterBlocks }

    /// Whether the target provides Hessian-vector products and the Hessian diagonal in closed
    /// form (otherwise they are finite-difference and Hutchinson estimates).
    public var hasAnalyticHessian: Bool { secondOrder != nil }

    /// Writes the stochastic gradient ∇Ũ(x) on the next minibatch into `gradient` (the full
    /// gradient when the run is full batch). Costs n per-datum evaluations.
    public mutating func stochasticGradient(at x: [Double], into gradient: inout [Double]) {
        guard !batch.isFull else {
            fullGradient(at: x, into: &gradient)
            return
        }
        advanceBatch()
        gradientOnCurrentBatch(at: x, into: &gradient)
    }

    /// Writes ∇Ũ(x) on the minibatch of the last `stochasticGradient` (the next minibatch if
    /// none was drawn yet; the full gradient when the run is full batch) into `gradient`: the
    /// same data at another point, as control variates need. Costs n.
    public mutating func gradientOnCurrentBatch(at x: [Double], into gradient: inout [Double]) {
        Self.evaluate(target, at: x, batch: currentBatch, into: &gradient)
        perDatumGradientEvaluations += batchSize
    }

    /// Writes the full gradient ∇U(x) into `gradient`. Costs N per-datum evaluations.
    public mutating func fullGradient(at x: [Double], into gradient: inout [Double]) {
        target.potentialGradient(at: x, into: &gradient)
        perDatumGradientEvaluations += dataSize
    }

    /// Charges one full gradient (N) computed elsewhere: `BatchGradientOracle`'s batched
    /// full gradients, charged per chain.
    @usableFromInline
    mutating func chargeFullGradient() {
        perDatumGradientEvaluations += dataSize
    }

    /// U(x) on all data (counted in `potentialEvaluations`).
    public mutating func potential(at x: [Double]) -> Double {
        potentialEvaluations += 1
        return target.potential(at: x)
    }

    /// Whether the target can draw exact independent samples.
    public var canDrawExact: Bool { exactSampler != nil }

    /// Writes an exact independent draw into `x`; requires `canDrawExact`.
    public mutating func drawExact(into x: inout [Double], rng chainRNG: inout Xoshiro256StarStar) {
        guard let sampleable = exactSampler else {
            preconditionFailure("drawExact on a target without an exact sampler; check canDrawExact first")
        }
        sampleable.drawExact(into: &x, rng: &chainRNG)
        exactDraws += 1
    }

    /// How a second-order quantity is obtained.
    /// The `hessian` hyperparameter of the samplers that use second derivatives (one type for all).
    public enum SecondOrderMethod: String, ParameterChoice {
        /// In closed form when the target provides it (`SecondOrderTarget`), otherwise by
        /// finite differences (and Hutchinson probes for diagonals and traces).
        case auto
        /// Always by finite differences of gradients (and Hutchinson probes), even when the
        /// target has the closed form: the cost a generic model would pay.
        case finiteDifference = "finite-difference"

        /// psgld-gamma's name for `finiteDifference` before the samplers shared this type.
        public static let aliases: [String: SecondOrderMethod] = ["hutchinson": .finiteDifference]
    }

    /// Writes H v into `result`, H the Hessian of the current stochastic potential Ũ (the
    /// minibatch of the last `stochasticGradient`; U when full batch). In closed form when
    /// available and `method` allows (cost n), otherwise by central differences
    /// (∇Ũ(x + εv) − ∇Ũ(x − εv)) / 2ε on the same minibatch, ε = ∛(2⁻⁵²) (1 + ‖x‖) / ‖v‖
    /// (cost 2n).
    public mutating func hessianVectorProduct(at x: [Double], vector v: [Double], into result: inout [Double],
                                              method: SecondOrderMethod = .auto) {
        if method == .auto, let second = secondOrder {
            second.hessianVectorProduct(at: x, vector: v, batch: currentBatch, into: &result)
            perDatumGradientEvaluations += batchSize
        } else {
            finiteDifferenceHVP(at: x, vector: v, into: &result)
        }
    }

    /// Writes the diagonal of the Hessian of the current stochastic potential Ũ into
    /// `result`: in closed form when available and `method` allows (cost n), otherwise the
    /// Hutchinson estimate (1/k) Σ_probes z ⊙ Hz with Rademacher z drawn from `rng` (the chain's
    /// generator) and finite-difference Hz (cost 2n per probe). The estimate is unbiased.
    public mutating func hessianDiagonal(at x: [Double], into result: inout [Double], rng: inout Xoshiro256StarStar,
                                         method: SecondOrderMethod = .auto, probes: Int = 1) {
        if method == .auto, let second = secondOrder {
            second.hessianDiagonal(at: x, batch: currentBatch, into: &result)
            perDatumGradientEvaluations += batchSize
            return
        }
        for i in 0..<dimension { result[i] = 0 }
        let weight = 1 / Double(probes)
        forEachHutchinsonProbe(at: x, rng: &rng, probes: probes) { probe, product in
            for i in 0..<probe.count { result[i] += weight * probe[i] * product[i] }
        }
    }

    /// The trace of the Hessian of the current stochastic potential Ũ: the sum of the
    /// closed-form diagonal when available and `method` allows (cost n), otherwise the
    /// Hutchinson estimate (1/k) Σ_probes zᵀHz (Rademacher z from `rng`, cost 2n per probe).
    public mutating func hessianTrace(at x: [Double], rng: inout Xoshiro256StarStar,
                                      method: SecondOrderMethod = .auto, probes: Int = 1) -> Double {
        if method == .auto, let second = secondOrder {
            // The diagonal goes into the (borrowed) product scratch; swapping allocates nothing.
            var diagonal: [Double] = []
            swap(&diagonal, &scratchProduct)
            defer { swap(&diagonal, &scratchProduct) }
            second.hessianDiagonal(at: x, batch: currentBatch, into: &diagonal)
            perDatumGradientEvaluations += batchSize
            var trace = 0.0
            for i in 0..<dimension { trace += diagonal[i] }
            return trace
        }
        var trace = 0.0
        forEachHutchinsonProbe(at: x, rng: &rng, probes: probes) { probe, product in
            for i in 0..<probe.count { trace += probe[i] * product[i] }
        }
        return trace / Double(probes)
    }

    /// The Hutchinson loop of `hessianDiagonal` and `hessianTrace`: for each of `probes`
    /// Rademacher vectors z (from `rng`), the finite-difference product Hz on the current
    /// minibatch (cost 2n), handed to `body` as (z, Hz). Both live in the oracle's scratch
    /// buffers, borrowed for the loop (swapping with empty arrays allocates nothing).
    @inlinable
    mutating func forEachHutchinsonProbe(at x: [Double], rng: inout Xoshiro256StarStar, probes: Int,
                                         _ body: (_ probe: [Double], _ product: [Double]) -> Void) {
        precondition(probes >= 1, "Hutchinson needs at least one probe")
        var probe: [Double] = [], product: [Double] = []
        swap(&probe, &scratchProbe)
        swap(&product, &scratchProduct)
        defer {
            swap(&probe, &scratchProbe)
            swap(&product, &scratchProduct)
        }
        for _ in 0..<probes {
            Self.fillRademacher(&probe, rng: &rng)
            finiteDifferenceHVP(at: x, vector: probe, into: &product)
            body(probe, product)
        }
    }

    /// The current minibatch's indices, as targets take them (nil when the run is full
    /// batch); draws one if none was drawn.
    @usableFromInline
    var currentBatch: ArraySlice<Int32>? {
        mutating get {
            guard !batch.isFull else { return nil }
            if batchStart == nil { advanceBatch() }
            return permutation[batchStart!..<(batchStart! + batchSize)]
        }
    }

    /// Moves to the next minibatch (no cost: nothing is evaluated). A no-op when the run is
    /// full batch.
    public mutating func drawBatch() {
        guard !batch.isFull else { return }
        advanceBatch()
    }

    /// Moves to the next minibatch: a fresh i.i.d. batch, or the epoch's next one (reshuffling
    /// at the end of an epoch).
    @usableFromInline
    mutating func advanceBatch() {
        switch scheme {
        case .iid:
            // Partial Fisher–Yates: slots 0..<n become a uniform random n-subset of the indices
            // (in random order), whatever permutation the array held before.
            let n = dataSize, count = batchSize
            permutation.withUnsafeMutableBufferPointer { indices in
                for k in 0..<count {
                    let j = k + rng.integer(below: n - k)
                    indices.swapAt(k, j)
                }
            }
            batchStart = 0
        case .epoch:
            if cursor + batchSize > permutation.count { shuffle() }
            batchStart = cursor
            cursor += batchSize
        }
    }

    /// ∇Ũ on `batch` (∇U when nil: full batch), not counted: callers count. The one path to
    /// the target's gradients; static, reading and writing only its arguments, so a mutating
    /// method can pass the oracle's own scratch buffers.
    @usableFromInline
    static func evaluate(_ target: any Target, at x: [Double], batch: ArraySlice<Int32>?, into gradient: inout [Double]) {
        if let batch {
            target.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
        } else {
            target.potentialGradient(at: x, into: &gradient)
        }
    }

    /// Central-difference H v on the current minibatch; costs 2n.
    @usableFromInline
    mutating func finiteDifferenceHVP(at x: [Double], vector v: [Double], into result: inout [Double]) {
        let d = dimension
        var xNorm = 0.0, vNorm = 0.0
        for i in 0..<d {
            xNorm += x[i] * x[i]
            vNorm += v[i] * v[i]
        }
        // ∛ of the machine epsilon balances truncation (∝ ε²) against rounding (∝ 1/ε).
        let eps = 6.055454452393343e-06 * (1 + xNorm.squareRoot()) / (vNorm > 0 ? vNorm.squareRoot() : 1)
        let batch = currentBatch
        for i in 0..<d { scratchPoint[i] = x[i] + eps * v[i] }
        Self.evaluate(target, at: scratchPoint, batch: batch, into: &scratchPlus)
        for i in 0..<d { scratchPoint[i] = x[i] - eps * v[i] }
        Self.evaluate(target, at: scratchPoint, batch: batch, into: &scratchMinus)
        let scale = 1 / (2 * eps)
        for i in 0..<d { result[i] = (scratchPlus[i] - scratchMinus[i]) * scale }
        perDatumGradientEvaluations += 2 * batchSize
    }

    /// Fills `probe` with independent ±1 entries (one random bit each) from `rng`.
    @usableFromInline
    static func fillRademacher(_ probe: inout [Double], rng: inout Xoshiro256StarStar) {
        var bits: UInt64 = 0
        for i in probe.indices {
            if i % 64 == 0 { bits = rng.next() }
            probe[i] = bits & 1 == 0 ? -1 : 1
            bits >>= 1
        }
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

/// How a run draws its minibatches (`GradientOracle`): the benchmark convention of i.i.d.
/// batches, or reshuffled epochs. Recorded in every cell, grid.json and the report.
public enum MinibatchScheme: String, Codable, CaseIterable, Sendable {
    /// A fresh batch of n distinct indices per gradient call, independent across calls.
    case iid
    /// Reshuffled epochs: every datum once per epoch, n at a time.
    case epoch
}
