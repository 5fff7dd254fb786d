import CGSL
import Foundation
import Workbench

/// `banana`: the 2-D banana (TARGETS.md): x₁ ~ N(0, s²), x₂ | x₁ ~ N(b(x₁² − s²), 1) with
/// s = 10, b = 0.03.
///
/// U = x₁²/(2s²) + ½ (x₂ − b(x₁² − s²))²; ∂U/∂x₁ = x₁/s² − 2b x₁ r, ∂U/∂x₂ = r with
/// r = x₂ − b(x₁² − s²).
///
/// Reference (exact). With x₁ = s z and W = b(x₁² − s²) = bs²(z² − 1), x₂ = W + ε:
/// E[x₁] = E[x₂] = 0; Var[x₁] = s², Var[x₁²] = 2s⁴; Var[x₂] = 1 + 2b²s⁴ (= 19, sd ≈ 4.3589);
/// E[x₂⁴] = E[W⁴] + 6E[W²] + 3 = 60b⁴s⁸ + 12b²s⁴ + 3 (E[(z² − 1)⁴] = 60), so
/// Var[x₂²] = E[x₂⁴] − Var[x₂]² (= 4610). Marginals: x₁ is N(0, s²) (GSL); x₂ has density
/// ∫ N(x₂; b(x₁² − s²), 1) N(x₁; 0, s²) dx₁ and CDF ∫ Φ(x₂ − b(x₁² − s²)) N(x₁; 0, s²) dx₁,
/// by GSL's `qagi`, the CDF tabulated once per target and interpolated to about 1e−9
/// (`TabulatedCDF`). Exact draws follow the definition; chains start at an exact draw.
public struct BananaTarget: ExactlySampleable {
    public var id: String { Self.id }
    public var dimension: Int { 2 }
    public var dataSize: Int { 1 }
    public let curvature: Double
    public let scale: Double
    public let reference: Reference

    public init(curvature b: Double = 0.03, scale s: Double = 10) {
        curvature = b
        self.scale = s
        let s2 = s * s, s4 = s2 * s2
        let v2 = 1 + 2 * b * b * s4
        let fourth2 = 60 * pow(b, 4) * s4 * s4 + 12 * b * b * s4 + 3
        // x₂'s CDF, tabulated once per target (`TabulatedCDF`) over |x₂| ≤ 100bs² + 40: beyond it
        // x₂ needs |x₁| > 10 sd or |ε| > 40 (mass < 1e−22); the exact CDF answers there.
        let y2CDF = TabulatedCDF(
            cdf: { y in
                FunnelMarginal.value(Integration.qagi({ x1 in
                    gsl_cdf_ugaussian_P(y - (b == 0 ? 0 : b * (x1 * x1 - s2))) * gsl_ran_gaussian_pdf(x1, s)
                }, absoluteTolerance: 1e-14))
            },
            density: { Self.secondMarginalDensity($0, curvature: b, scale: s) },
            center: 0, scale: v2.squareRoot(), halfWidth: 100 * b * s2 + 40)
        reference = Reference(
            kind: .exact, mean: [0, 0], variance: [s2, v2], secondMoment: [s2, v2],
            secondMomentVariance: [2 * s4, fourth2 - v2 * v2],
            marginals: [
                Marginal(density: { gsl_ran_gaussian_pdf($0, s) }, cdf: { gsl_cdf_gaussian_P($0, s) }),
                Marginal(
                    density: { Self.secondMarginalDensity($0, curvature: b, scale: s) },
                    cdf: { y2CDF($0) }),
            ])
    }

    /// The density of x₂, ∫ φ(x₂ − b(x₁² − s²)) N(x₁; 0, s²) dx₁, integrated over w = x₁²:
    /// ∫₀^∞ φ(x₂ − b(w − s²)) e^{−w/(2s²)} / (s√(2π) √w) dw, by GSL's `qags` (which takes the
    /// integrable w^{−1/2} at 0) on [0, c] and [c, c + 200s²] with c = max(s², x₂/b + s²) the
    /// peak (the mass beyond is below e^{−100}). Over x₁ the integrand has two peaks of width
    /// 1/(2b|x₁|) at x₁ = ±√(x₂/b + s²), which `qagi` missed for x₂ ≳ 10 (it answered 1e−17
    /// where the density is 5e−3); over w it is one peak of width 1/b.
    static func secondMarginalDensity(_ y: Double, curvature b: Double, scale s: Double) -> Double {
        let s2 = s * s
        let f = { (w: Double) -> Double in
            w <= 0 ? 0 : gsl_ran_ugaussian_pdf(y - b * (w - s2)) * exp(-w / (2 * s2)) / (s * (2 * Double.pi * w).squareRoot())
        }
        let c = b > 0 ? max(s2, y / b + s2) : s2
        let near = Integration.qags(f, from: 0, to: c, absoluteTolerance: 1e-15)
        let far = Integration.qags(f, from: c, to: c + 200 * s2, absoluteTolerance: 1e-15)
        return FunnelMarginal.value(near) + FunnelMarginal.value(far)
    }

    public var parameterNames: [String] { ["x[1]", "x[2]"] }

    public func potential(at x: [Double]) -> Double {
        let r = x[1] - curvature * (x[0] * x[0] - scale * scale)
        return x[0] * x[0] / (2 * scale * scale) + 0.5 * r * r
    }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        let r = x[1] - curvature * (x[0] * x[0] - scale * scale)
        gradient[0] = x[0] / (scale * scale) - 2 * curvature * x[0] * r
        gradient[1] = r
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }

    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        x[0] = scale * rng.normal()
        x[1] = curvature * (x[0] * x[0] - scale * scale) + rng.normal()
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        var x = [0.0, 0.0]
        drawExact(into: &x, rng: &rng)
        return x
    }
}

extension BananaTarget: TargetDefinition {
    public static let id = "banana"
    public static let summary = "2-D banana: x₁ ~ N(0, 10²), x₂ | x₁ ~ N(0.03(x₁² − 100), 1)"

    public struct Options: ParameterSet {
        @Real(in: 0...10, help: "b of x₂ | x₁ ~ N(b(x₁² − 100), 1)") public var curvature = 0.03
        public var gradientNoise = GradientNoiseOptions<LowDimensionalNoiseModel>()
        public init() {}
    }

    /// The banana with the gradient noise of the options, on its marginal standard deviations:
    /// Cov(x₁, x₂) = b E[x₁³] − … = 0, so its covariance is diagonal.
    public static func make(options: Options) throws -> any Target {
        let target = BananaTarget(curvature: options.curvature)
        return try options.gradientNoise.applied(to: target, axisScales: target.reference.standardDeviation)
    }
}

/// Exported as its two numbers (`TargetExport`).
extension BananaTarget: ExportableTarget {
    public var formula: String { "U(x) = x₁²/(2s²) + ½ (x₂ − b(x₁² − s²))² with b = `curvature`, s = `scale`" }
    public var exportedArrays: [TargetArray] {
        [TargetArray("curvature", shape: [], values: [curvature], meaning: "b"),
         TargetArray("scale", shape: [], values: [scale], meaning: "s, the standard deviation of x₁")]
    }
}
