import CGSL
import Foundation
import Workbench

/// `funnel`: Neal's funnel in d = 10 dimensions (TARGETS.md): v ~ N(0, 3²) and
/// x_i | v ~ N(0, e^v), i = 1..d−1. Coordinates (v, x[1], …, x[d−1]).
///
/// U(v, x) = v²/18 + (d−1) v/2 + ½ e^{−v} Σ x_i²;
/// ∂U/∂v = v/9 + (d−1)/2 − ½ e^{−v} Σ x_i², ∂U/∂x_i = x_i e^{−v}.
///
/// Reference (exact): E = 0 for every coordinate; Var[v] = 9, Var[v²] = 2·9² = 162;
/// Var[x_i] = E[e^v] = e^{9/2}; Var[x_i²] = E[x⁴] − E[x²]² = 3E[e^{2v}] − e^9 = 3e^{18} − e^9.
/// Marginals: v is N(0, 9) (GSL); x_i has density p(x) = ∫ N(x; 0, e^v) N(v; 0, 9) dv and
/// CDF F(x) = ∫ Φ(x e^{−v/2}) N(v; 0, 9) dv, both by GSL's `qagi` over v ∈ (−∞, ∞)
/// (`FunnelMarginal`); the CDF the diagnostics call is tabulated once per target, shared by
/// the x_i, and interpolated to about 1e−9 (`TabulatedCDF`). Exact draws: v = 3z₀, x_i = e^{v/2} z_i. Chains start at an exact draw.
public struct FunnelTarget: ExactlySampleable {
    public var id: String { Self.id }
    public let dimension: Int
    public var dataSize: Int { 1 }
    public let reference: Reference
    public static let scale = 3.0

    public init(dimension: Int) {
        precondition(dimension >= 2)
        self.dimension = dimension
        let s2 = Self.scale * Self.scale
        let xVariance = exp(s2 / 2)
        let xMarginal = FunnelMarginal(scale: Self.scale)
        let xCDF = xMarginal.tabulatedCDF
        let k = dimension - 1
        reference = Reference(
            kind: .exact,
            mean: [Double](repeating: 0, count: dimension),
            variance: [s2] + [Double](repeating: xVariance, count: k),
            secondMoment: [s2] + [Double](repeating: xVariance, count: k),
            secondMomentVariance: [2 * s2 * s2] + [Double](repeating: 3 * exp(2 * s2) - exp(s2), count: k),
            marginals: [Marginal(density: { gsl_ran_gaussian_pdf($0, Self.scale) }, cdf: { gsl_cdf_gaussian_P($0, Self.scale) })]
                + [Marginal](repeating: Marginal(density: { xMarginal.density($0) }, cdf: { xCDF($0) }), count: k))
    }

    public var parameterNames: [String] { ["v"] + (1..<dimension).map { "x[\($0)]" } }

    /// The length scale for step sizes: the sd of x_i one sd of v below its mean, e^{−3/2} ≈
    /// 0.22 — the neck a chain must pass, far narrower than any marginal sd.
    public var lengthScale: Double { exp(-Self.scale / 2) }

    /// Per-axis standard deviations (for the anisotropic gradient-noise model).
    public var axisScales: [Double] { reference.standardDeviation }

    public func potential(at x: [Double]) -> Double {
        let v = x[0]
        var squares = 0.0
        for i in 1..<dimension { squares += x[i] * x[i] }
        return v * v / (2 * Self.scale * Self.scale) + Double(dimension - 1) * v / 2 + 0.5 * exp(-v) * squares
    }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        let v = x[0]
        let precision = exp(-v)
        var squares = 0.0
        for i in 1..<dimension {
            squares += x[i] * x[i]
            gradient[i] = x[i] * precision
        }
        gradient[0] = v / (Self.scale * Self.scale) + Double(dimension - 1) / 2 - 0.5 * precision * squares
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }

    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        let v = Self.scale * rng.normal()
        x[0] = v
        let sd = exp(v / 2)
        for i in 1..<dimension { x[i] = sd * rng.normal() }
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        drawExact(into: &x, rng: &rng)
        return x
    }
}

extension FunnelTarget: TargetDefinition {
    public static let id = "funnel"
    public static let summary = "Neal's funnel, d = 10: v ~ N(0, 3²), x_i | v ~ N(0, e^v)"

    public struct Options: ParameterSet {
        @Integer(in: 2...10_000, help: "d (v and d − 1 x's)") public var dimension = 10
        public var gradientNoise = GradientNoiseOptions<GradientNoiseModel>()
        public init() {}
    }

    /// The funnel with the gradient noise of the options, on its per-axis scales (its
    /// covariance is diagonal).
    public static func make(options: Options) throws -> any Target {
        let target = FunnelTarget(dimension: options.dimension)
        return try options.gradientNoise.applied(to: target, axisScales: target.axisScales)
    }
}

/// The marginal of one x_i of Neal's funnel with v ~ N(0, s²): a scale mixture of normals,
/// p(x) = ∫ N(x; 0, e^v) N(v; 0, s²) dv and F(x) = ∫ Φ(x e^{−v/2}) N(v; 0, s²) dv, by GSL's
/// adaptive `qagi` on (−∞, ∞) to a relative tolerance of 1e−10 (absolute 1e−14 for the tails).
/// An integration GSL reports as failed yields NaN rather than a wrong number.
public struct FunnelMarginal: Sendable {
    public let scale: Double

    public init(scale: Double) { self.scale = scale }

    public func density(_ x: Double) -> Double {
        let s = scale
        // N(x; 0, e^v) N(v; 0, s²) = exp(−x²e^{−v}/2 − v/2 − v²/(2s²)) / (2πs), in one exponent
        // so that qagi's far ends (e^{±v} overflowing) give 0, never 0·∞.
        let x2 = x * x
        return Self.value(Integration.qagi({ v in
            let spread = x2 == 0 ? 0 : 0.5 * x2 * exp(-v)
            return exp(-spread - v / 2 - v * v / (2 * s * s)) / (2 * Double.pi * s)
        }, absoluteTolerance: 1e-14, relativeTolerance: 1e-10))
    }

    public func cdf(_ x: Double) -> Double {
        let s = scale
        // F(−x) = 1 − F(x): integrate the smaller tail for accuracy.
        let tail = Self.value(Integration.qagi({ v in
            gsl_cdf_ugaussian_P(x == 0 ? 0 : -abs(x) * exp(-v / 2)) * gsl_ran_gaussian_pdf(v, s)
        }, absoluteTolerance: 1e-14, relativeTolerance: 1e-10))
        return x <= 0 ? tail : 1 - tail
    }

    /// The CDF tabulated (`TabulatedCDF`) over |x| ≤ 10⁶ (beyond it P(|x| > 10⁶) needs
    /// v > 2 ln 10⁶ ≈ 27.6 = 9.2 sd of v, a mass below 1e−19), with nodes dense on the
    /// scale of the neck, e^{−s/2}.
    public var tabulatedCDF: TabulatedCDF {
        let me = self
        return TabulatedCDF(cdf: { me.cdf($0) }, density: { me.density($0) }, center: 0, scale: exp(-scale / 2), halfWidth: 1e6)
    }

    static func value(_ r: Integration.Result) -> Double {
        r.succeeded || r.absoluteError < 1e-9 ? r.value : .nan
    }
}

/// Exported by its formula (no arrays: d is in the options) (`TargetExport`).
extension FunnelTarget: ExportableTarget {
    public var formula: String {
        "θ = (v, x_1, …, x_{d−1}); U(v, x) = v²/18 + (d−1) v/2 + ½ e^{−v} Σ_i x_i²"
    }
    public var exportedArrays: [TargetArray] { [] }
}
