import Foundation
import Workbench

/// `eight-schools-noncentered`: posteriordb's eight schools, noncentered
/// (`data/posteriordb/`): μ ~ N(0, 5), τ ~ half-Cauchy(0, 5), θ̃_j ~ N(0, 1),
/// y_j ~ N(μ + τθ̃_j, σ_j), j = 1..8; N = 8 data (one per school).
///
/// Sampling scale θ = (μ, s = log τ, θ̃_1..8); with the Jacobian of τ = e^s,
/// U = μ²/50 + log(1 + τ²/25) − s + Σ θ̃_j²/2 + Σ_j r_j²/(2σ_j²), r_j = y_j − μ − τθ̃_j.
/// Gradient: ∂μ = μ/25 − Σ r_j/σ_j²; ∂s = (2τ²/25)/(1 + τ²/25) − 1 − Σ r_j τθ̃_j/σ_j²;
/// ∂θ̃_j = θ̃_j − r_j τ/σ_j². The likelihood terms are the data: a minibatch B of schools
/// scales Σ_{j∈B} by 8/|B|.
///
/// Model scale (`ModelScale`): (μ, τ, θ_1..8) with θ_j = μ + τθ̃_j — posteriordb's
/// parameters. Reference: posteriordb's draws (10 × 1 000, rstan), on that scale.
/// Chains start as Stan does: uniform(−2, 2) on the sampling scale.
public struct EightSchoolsNoncentered: EightSchoolsModel {
    public var id: String { Self.id }
    let y: [Double]
    let sigma: [Double]
    public let reference: Reference

    public var parameterNames: [String] { ["mu", "log_tau"] + (1...8).map { "theta_tilde[\($0)]" } }

    public var modelScale: ModelScale {
        ModelScale(
            names: PosteriorDB.eightSchoolsNames,
            toModel: { t, phi in
                let tau = exp(t[1])
                phi[0] = t[0]
                phi[1] = tau
                for j in 0..<8 { phi[2 + j] = t[0] + tau * t[2 + j] }
            },
            toSampling: { phi, t in
                t[0] = phi[0]
                t[1] = log(phi[1])
                for j in 0..<8 { t[2 + j] = (phi[2 + j] - phi[0]) / phi[1] }
            })
    }

    public func potential(at x: [Double]) -> Double {
        let mu = x[0], tau = exp(x[1])
        var u = mu * mu / 50 + log1p(tau * tau / 25) - x[1]
        for j in 0..<8 {
            let r = y[j] - mu - tau * x[2 + j]
            u += 0.5 * x[2 + j] * x[2 + j] + r * r / (2 * sigma[j] * sigma[j])
        }
        return u
    }

    func gradient<S: Sequence<Int>>(at x: [Double], schools: S, weight: Double, into g: inout [Double]) {
        let mu = x[0], tau = exp(x[1])
        let t2 = tau * tau / 25
        g[0] = mu / 25
        g[1] = 2 * t2 / (1 + t2) - 1
        for j in 0..<8 { g[2 + j] = x[2 + j] }
        for j in schools {
            let r = (y[j] - mu - tau * x[2 + j]) / (sigma[j] * sigma[j]) * weight
            g[0] -= r
            g[1] -= r * tau * x[2 + j]
            g[2 + j] -= r * tau
        }
    }
}

extension EightSchoolsNoncentered: TargetDefinition {
    public static let id = "eight-schools-noncentered"
    public static let summary = "posteriordb eight schools, noncentered (log τ sampled; reported as μ, τ, θ)"

    public static func make(options: NoParameters) throws -> any Target { try load() }
}
