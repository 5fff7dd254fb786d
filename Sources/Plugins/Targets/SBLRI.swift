import Foundation
import Workbench

/// `sblri`: posteriordb's Bayesian linear regression `sblri-blr` (`data/posteriordb/`):
/// β ~ N(0, 10²) (D = 5), σ ~ half-normal(0, 10), y_i ~ N(x_iᵀβ, σ), N = 100.
///
/// Sampling scale θ = (β_1..5, s = log σ); with the Jacobian of σ = e^s,
/// U = ‖β‖²/200 + σ²/200 − s + Σ_i [ s + r_i²/(2σ²) ], r_i = y_i − x_iᵀβ.
/// Gradient: ∂β = β/100 − Σ_i r_i x_i/σ²; ∂s = σ²/100 − 1 + Σ_i (1 − r_i²/σ²). The data
/// terms (per i) are scaled by N/n on a minibatch.
///
/// Model scale: (β_1..5, σ). Reference: posteriordb's draws (10 × 1 000). Chains start
/// uniform(−2, 2) on the sampling scale.
public struct SBLRI: ModelScaleTarget {
    public var id: String { Self.id }
    public let dimension: Int
    public let dataSize: Int
    /// Row-major N × D.
    let x: [Double]
    let y: [Double]
    public let reference: Reference

    public var parameterNames: [String] { (1...(dimension - 1)).map { "beta[\($0)]" } + ["log_sigma"] }

    public var modelScale: ModelScale { .logScaled(names: PosteriorDB.sblriNames, logCoordinates: [dimension - 1]) }

    public var defaultBatchSize: BatchSize { .full }

    init() throws {
        let data = try PosteriorDB.sblri.get()
        dimension = data.D + 1
        dataSize = data.N
        x = data.X.flatMap { $0 }
        y = data.y
        reference = try PosteriorDB.sblriReference.get()
    }

    public func potential(at theta: [Double]) -> Double {
        let D = dimension - 1, s = theta[D], sigma = exp(s)
        var u = sigma * sigma / 200 - s
        for k in 0..<D { u += theta[k] * theta[k] / 200 }
        for i in 0..<dataSize {
            var r = y[i]
            for k in 0..<D { r -= x[i * D + k] * theta[k] }
            u += s + r * r / (2 * sigma * sigma)
        }
        return u
    }

    public func potentialGradient(at theta: [Double], into gradient: inout [Double]) {
        self.gradient(at: theta, rows: 0..<dataSize, weight: 1, into: &gradient)
    }

    public func minibatchPotentialGradient(at theta: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        self.gradient(at: theta, rows: batch.lazy.map { Int($0) }, weight: Double(dataSize) / Double(batch.count), into: &gradient)
    }

    private func gradient<S: Sequence<Int>>(at theta: [Double], rows: S, weight: Double, into g: inout [Double]) {
        let D = dimension - 1, sigma = exp(theta[D])
        let precision = 1 / (sigma * sigma)
        for k in 0..<D { g[k] = theta[k] / 100 }
        g[D] = sigma * sigma / 100 - 1
        for i in rows {
            var r = y[i]
            for k in 0..<D { r -= x[i * D + k] * theta[k] }
            for k in 0..<D { g[k] -= weight * r * x[i * D + k] * precision }
            g[D] += weight * (1 - r * r * precision)
        }
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        stanInitialPoint(dimension: dimension, rng: &rng)
    }
}

extension SBLRI: TargetDefinition {
    public static let id = "sblri"
    public static let summary = "posteriordb Bayesian linear regression sblri-blr (N = 100, D = 5; log σ sampled)"

    public static func make(options: NoParameters) throws -> any Target { try SBLRI() }
}

/// Exported as its data (`TargetExport`).
extension SBLRI: ExportableTarget {
    public var formula: String {
        "θ = (β_1..D, s = log σ), D = 5; U(θ) = ‖β‖²/200 + σ²/200 − s + Σ_i [ s + r_i²/(2σ²) ], r_i = y_i − x_iᵀβ, σ = e^s "
            + "(X rows x_i, y); a minibatch B of n scales the data terms: Σ_i → (N/n) Σ_{i∈B}"
    }

    public var exportedArrays: [TargetArray] {
        [TargetArray("X", shape: [dataSize, dimension - 1], values: x, meaning: "the predictors, one row x_i per datum"),
         TargetArray("y", shape: [dataSize], values: y, meaning: "the responses y_i")]
    }
}
