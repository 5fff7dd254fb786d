import CGSL

/// The ground truth a target is compared against (TARGETS.md, "reference").
///
/// Moments are per coordinate: E[x_i], Var[x_i], E[x_i²] and Var[x_i²], which is what the bias
/// measure b² (DIAGNOSTICS.md) needs for f = x and f = x². Exact references also give each
/// coordinate's marginal density and CDF (from GSL) for histograms, W1, KS and χ² tests.
public struct Reference: Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Closed form.
        case exact
        /// Moments computed from stored reference draws.
        case draws
    }

    public let kind: Kind
    public let mean: [Double]
    public let variance: [Double]
    public let secondMoment: [Double]
    public let secondMomentVariance: [Double]
    /// Per-coordinate marginal distributions, when known in closed form.
    public let marginals: [Marginal]?
    /// Stored reference draws, row-major (count × d), when the truth is known through draws
    /// (posteriordb, or a cached `hmc`/`mala` run). `marginals`' W1/KS/χ² and `mmd` compare
    /// against them when there is no closed form.
    public let draws: [Double]?

    public init(kind: Kind, mean: [Double], variance: [Double], secondMoment: [Double],
                secondMomentVariance: [Double], marginals: [Marginal]? = nil, draws: [Double]? = nil) {
        precondition(
            [variance.count, secondMoment.count, secondMomentVariance.count].allSatisfy { $0 == mean.count },
            "reference moments must all have length d")
        precondition(draws.map { !mean.isEmpty && $0.count % mean.count == 0 } ?? true,
                     "reference draws must be a whole number of rows of length d")
        self.draws = draws
        self.kind = kind
        self.mean = mean
        self.variance = variance
        self.secondMoment = secondMoment
        self.secondMomentVariance = secondMomentVariance
        self.marginals = marginals
    }

    /// The per-coordinate standard deviation √Var[x_i].
    public var standardDeviation: [Double] { variance.map { $0.squareRoot() } }

    /// The number of stored reference draws (0 without draws).
    public var drawCount: Int { draws.map { $0.count / mean.count } ?? 0 }

    /// The stored reference draws of coordinate `i` (empty without draws).
    public func drawsOfCoordinate(_ i: Int) -> [Double] {
        guard let draws else { return [] }
        return stride(from: i, to: draws.count, by: mean.count).map { draws[$0] }
    }
}

/// A one-dimensional distribution known in closed form.
///
/// `density` and `cdf` are required. `quantile` (F⁻¹ on (0, 1)) and `partialMean`
/// (G(t) = E[X · 1{X ≤ t}] = ∫₋∞ᵗ x f(x) dx) are optional; with both, the Wasserstein-1
/// distance of sorted draws to this distribution is exact (`Wasserstein.toDistribution`),
/// without them it is integrated numerically from the CDF.
public struct Marginal: Sendable {
    public let density: @Sendable (Double) -> Double
    public let cdf: @Sendable (Double) -> Double
    public let quantile: (@Sendable (Double) -> Double)?
    public let partialMean: (@Sendable (Double) -> Double)?

    public init(density: @escaping @Sendable (Double) -> Double, cdf: @escaping @Sendable (Double) -> Double,
                quantile: (@Sendable (Double) -> Double)? = nil, partialMean: (@Sendable (Double) -> Double)? = nil) {
        self.density = density
        self.cdf = cdf
        self.quantile = quantile
        self.partialMean = partialMean
    }

    /// N(μ, σ²) from GSL: density, CDF, quantile, and G(t) = μΦ(z) − σφ(z), z = (t − μ)/σ.
    public static func gaussian(mean mu: Double, sd sigma: Double) -> Marginal {
        Marginal(
            density: { gsl_ran_gaussian_pdf($0 - mu, sigma) },
            cdf: { gsl_cdf_gaussian_P($0 - mu, sigma) },
            quantile: { mu + gsl_cdf_gaussian_Pinv($0, sigma) },
            partialMean: { t in
                let z = (t - mu) / sigma
                if z == -.infinity { return 0 }
                if z == .infinity { return mu }
                return mu * gsl_cdf_ugaussian_P(z) - sigma * gsl_ran_ugaussian_pdf(z)
            })
    }
}
