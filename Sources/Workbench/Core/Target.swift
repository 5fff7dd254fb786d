/// A distribution π(θ) ∝ exp(−U(θ)) on R^d that samplers are run against (TARGETS.md).
///
/// U(θ) = −log p(θ) − Σ_{i=1..N} log p(x_i | θ); targets without data have N = 1. Gradients
/// reach samplers only through `GradientOracle`, which counts them; a sampler never calls
/// these methods directly.
public protocol Target: Sendable {
    /// The registry id this instance was made from.
    var id: String { get }
    /// The dimension d of θ.
    var dimension: Int { get }
    /// The data size N (1 for targets without data).
    var dataSize: Int { get }
    /// Coordinate names for reports and exported draws (default x[1], …, x[d]).
    var parameterNames: [String] { get }
    /// What the truth is and how it is known.
    var reference: Reference { get }

    /// U(θ) on all data, up to an additive constant.
    func potential(at x: [Double]) -> Double
    /// ∇U(θ) on all data, written into `gradient` (length d).
    func potentialGradient(at x: [Double], into gradient: inout [Double])
    /// The unbiased minibatch estimate ∇Ũ(θ) = −∇log p(θ) − (N/n) Σ_{i∈B} ∇log p(x_i | θ) for
    /// the data indices in `batch` (n = batch.count < N), written into `gradient`.
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double])
    /// A starting point for a chain; may use `rng` (over-dispersed starts).
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double]
    /// The minibatch size used when a run does not name one (default: full batch).
    var defaultBatchSize: BatchSize { get }
    /// How θ is laid out as matrices, for samplers that precondition per block (Shampoo):
    /// consecutive blocks tiling θ in order, each stored row-major. Default: one d × 1 block.
    var parameterBlocks: [ParameterBlock] { get }
    /// The target's length scale s, which the tuning protocol scales samplers' default step
    /// sizes by (`StepSizeDefault`): the scale of its narrowest direction. Default: the smallest
    /// marginal standard deviation of `reference` when the reference has finite, positive
    /// variances; for a target recorded on another scale than it is sampled on
    /// (`ModelScaleTarget`: eight schools' τ is recorded, log τ sampled), the smallest standard
    /// deviation of the reference draws mapped back to the sampling scale; 1 when neither is
    /// known (a reference still to be built). Targets whose narrowest direction the marginal
    /// variances do not see (Neal's funnel neck, a rotated ill-conditioned Gaussian, a BNN
    /// without a reference) override it. It only centres a sweep, so a factor of a few off is
    /// harmless; the sweep's span covers it.
    var lengthScale: Double { get }
    /// Per recorded coordinate, the standard deviation of a prior centred at 0 (normal, or
    /// half-normal for a scale), for targets defined by one (the BNNs); nil (the default)
    /// otherwise. The runner flags a chain as diverged beyond 100 of these
    /// (`DivergenceBounds`), which needs no reference.
    var priorScales: [Double]? { get }
}

extension Target {
    public var priorScales: [Double]? { nil }
    public var parameterNames: [String] { (1...dimension).map { "x[\($0)]" } }
    public var defaultBatchSize: BatchSize { .full }
    public var parameterBlocks: [ParameterBlock] { [ParameterBlock(rows: dimension, columns: 1)] }
    public var lengthScale: Double {
        guard let transform = modelTransform else { return Self.lengthScale(of: reference) }
        return Self.samplingLengthScale(of: reference, transform: transform, dimension: dimension) ?? 1
    }

    /// The smallest marginal standard deviation of `reference`, or 1 when its variances are
    /// not all finite and positive (a reference still to be built).
    public static func lengthScale(of reference: Reference) -> Double {
        guard !reference.variance.isEmpty, reference.variance.allSatisfy({ $0.isFinite && $0 > 0 }) else { return 1 }
        return reference.variance.min()!.squareRoot()
    }

    /// The smallest standard deviation, on the sampling scale, of reference draws recorded on
    /// the model scale (mapped back with `transform.toSampling`); nil without draws or when a
    /// coordinate's is not finite and positive.
    static func samplingLengthScale(of reference: Reference, transform: ModelScale, dimension: Int) -> Double? {
        guard let draws = reference.draws, reference.drawCount > 1 else { return nil }
        let m = transform.dimension
        var moments = RunningMoments(dimension: dimension)
        var theta = [Double](repeating: 0, count: dimension)
        for k in 0..<reference.drawCount {
            transform.toSampling(Array(draws[(k * m)..<((k + 1) * m)]), into: &theta)
            moments.add(theta)
        }
        let sds = moments.variance.map { $0.squareRoot() }
        guard sds.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        return sds.min()
    }
}

/// One m × n block of the parameter vector: `rows · columns` consecutive coordinates of θ,
/// stored row-major (element (i, j) is θ[offset + i · columns + j]).
public struct ParameterBlock: Hashable, Codable, Sendable {
    public let rows: Int
    public let columns: Int

    public init(rows: Int, columns: Int) {
        precondition(rows >= 1 && columns >= 1, "a parameter block is at least 1 × 1")
        self.rows = rows
        self.columns = columns
    }

    /// The number of coordinates in the block.
    public var count: Int { rows * columns }
}

/// A target that provides second derivatives of its potential in closed form: Hessian-vector
/// products and the Hessian diagonal, on all data or on a minibatch (TARGETS.md, "optionally").
///
/// Samplers reach them only through `GradientOracle`, which charges them like one gradient on
/// the same data (see `GradientOracle` for the cost accounting); targets without this
/// conformance get counted finite-difference estimates from the oracle instead.
public protocol SecondOrderTarget: Target {
    /// Writes H v into `result`, with H = ∇²U(x) on all data when `batch` is nil, or the
    /// minibatch estimate ∇²Ũ(x) = −∇²log p(x) − (N/n) Σ_{i∈B} ∇²log p(x_i | x) for the data
    /// indices in `batch`.
    func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?, into result: inout [Double])
    /// Writes the diagonal of the same H (all data, or the minibatch estimate) into `result`.
    func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double])
}

/// A target that can draw independent exact samples (Gaussians, funnel, banana); the `exact`
/// sampler uses it through the oracle, at no gradient cost.
public protocol ExactlySampleable: Target {
    /// Writes one independent draw from π into `x` (length d).
    func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar)
}

/// A target that evaluates the full gradient at many points in one call: the chains of a
/// batch (`BatchGradientOracle`). Row c of the result must equal, bit for bit,
/// `potentialGradient(at:into:)` at row c (the same operations in the same order), so a chain's
/// numbers do not depend on the batch it runs in; the gain is one call (and one loop the
/// optimiser vectorises) instead of C.
public protocol BatchGradientTarget: Target {
    /// Writes ∇U at each row of `points` (chain-major, C × d) into the same row of `gradients`.
    func potentialGradients(at points: UnsafeBufferPointer<Double>, into gradients: UnsafeMutableBufferPointer<Double>)
}
