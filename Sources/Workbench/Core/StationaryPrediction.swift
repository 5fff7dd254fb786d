import Foundation

/// A sampler's own prediction of its stationary law on the 1-D standard normal target with
/// exact (full-batch) gradients — the experiment of arXiv 2403.08609 and the table at the end of
/// SAMPLERS.md. `density` is unnormalised (the workbench normalises it numerically); it is nil
/// when the law has no density (a point mass), and `formula` then says what it is.
public struct StationaryPrediction: Sendable {
    /// The law in words and symbols, e.g. "∝ (λ + |θ|) e^(−θ²/2)".
    public let formula: String
    public let density: (@Sendable (Double) -> Double)?

    public init(formula: String, density: (@Sendable (Double) -> Double)?) {
        self.formula = formula
        self.density = density
    }

    /// A centred normal law N(0, v).
    public static func normal(variance v: Double, formula: String? = nil) -> StationaryPrediction {
        StationaryPrediction(formula: formula ?? "N(0, \(formatNumber(v)))") { x in Foundation.exp(-0.5 * x * x / v) }
    }

    /// The normalising constant, mean-zero variance Var = ∫θ²p/∫p and the normalised density
    /// function, by composite Simpson's rule on [−limit, limit] with a node at 0 (where the
    /// predicted laws have their kinks); nil without a density.
    public func normalized(limit: Double = 12, intervals: Int = 24_000) -> (density: @Sendable (Double) -> Double, variance: Double)? {
        guard let density else { return nil }
        let n = intervals + intervals % 2
        let width = 2 * limit / Double(n)
        var z = 0.0, second = 0.0
        for k in 0...n {
            let x = -limit + Double(k) * width
            let w: Double = (k == 0 || k == n) ? 1 : (k % 2 == 1 ? 4 : 2)
            let p = density(x)
            z += w * p
            second += w * p * x * x
        }
        z *= width / 3
        second *= width / 3
        guard z > 0, z.isFinite else { return nil }
        let norm = z
        return ({ x in density(x) / norm }, second / z)
    }
}

