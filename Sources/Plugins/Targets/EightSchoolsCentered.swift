import Foundation
import Workbench

/// `eight-schools-centered`: posteriordb's eight schools in the centered parameterisation,
/// the classic funnel-shaped real posterior: μ ~ N(0, 5), τ ~ half-Cauchy(0, 5),
/// θ_j ~ N(μ, τ), y_j ~ N(θ_j, σ_j), j = 1..8; N = 8 data.
///
/// Sampling scale θ = (μ, s = log τ, θ_1..8); with the Jacobian of τ = e^s,
/// U = μ²/50 + log(1 + τ²/25) − s + Σ_j [(θ_j − μ)²/(2τ²) + s] + Σ_j (y_j − θ_j)²/(2σ_j²).
/// Gradient: ∂μ = μ/25 − Σ (θ_j − μ)/τ²; ∂s = (2τ²/25)/(1 + τ²/25) − 1 + 8 − Σ (θ_j − μ)²/τ²;
/// ∂θ_j = (θ_j − μ)/τ² − (y_j − θ_j)/σ_j². The likelihood terms are the data (minibatches of
/// schools are scaled by 8/|B|).
///
/// Model scale: (μ, τ, θ_1..8), τ = e^s. Reference: posteriordb's draws, the same posterior as
/// the noncentered model. Chains start uniform(−2, 2) on the sampling scale.
public struct EightSchoolsCentered: EightSchoolsModel {
    public var id: String { Self.id }
    let y: [Double]
    let sigma: [Double]
    public let reference: Reference

    public var parameterNames: [String] { ["mu", "log_tau"] + (1...8).map { "theta[\($0)]" } }

    public var modelScale: ModelScale { .logScaled(names: PosteriorDB.eightSchoolsNames, logCoordinates: [1]) }

    public func potential(at x: [Double]) -> Double {
        let mu = x[0], s = x[1], tau = exp(s)
        var u = mu * mu / 50 + log1p(tau * tau / 25) - s
        for j in 0..<8 {
            let d = (x[2 + j] - mu) / tau
            let r = y[j] - x[2 + j]
            u += 0.5 * d * d + s + r * r / (2 * sigma[j] * sigma[j])
        }
        return u
    }

    func gradient<S: Sequence<Int>>(at x: [Double], schools: S, weight: Double, into g: inout [Double]) {
        let mu = x[0], tau = exp(x[1])
        let precision = 1 / (tau * tau)
        let t2 = tau * tau / 25
        g[0] = mu / 25
        g[1] = 2 * t2 / (1 + t2) - 1 + 8
        for j in 0..<8 {
            let d = x[2 + j] - mu
            g[0] -= d * precision
            g[1] -= d * d * precision
            g[2 + j] = d * precision
        }
        for j in schools {
            g[2 + j] -= weight * (y[j] - x[2 + j]) / (sigma[j] * sigma[j])
        }
    }
}

extension EightSchoolsCentered: TargetDefinition {
    public static let id = "eight-schools-centered"
    public static let summary = "posteriordb eight schools, centered: the funnel-shaped real posterior (log τ sampled)"

    public static func make(options: NoParameters) throws -> any Target { try load() }
}
