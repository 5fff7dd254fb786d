import Foundation
import Workbench

/// `psgld-gamma`: pSGLD with the Γ correction, as discussed in arXiv 2403.08609 ("On the convergence
/// of locally adaptive and scalable diffusion-based sampling methods for deep Bayesian neural
/// network posteriors", arXiv 2403.08609).
///
/// The RMSprop metric is made an explicit function of the current position (V = ḡ(θ)², i.e.
/// α = 0) so that its divergence can be taken, and Γ_i(θ) = Σ_j ∂G_ij/∂θ_j is added to the
/// drift. For this diagonal metric, element-wise with ḡ = ∇Ũ/N:
///
///     G_i = 1 / (λ + |ḡ_i|),   Γ_i = −G_i² · sign(ḡ_i) · ∂ḡ_i/∂θ_i,   ∂ḡ_i/∂θ_i = H_ii / N,
///     θ ← θ − h G⊙∇Ũ + h Γ + √(2h G)⊙ξ,
///
/// H the Hessian of the stochastic potential Ũ on the same minibatch as the gradient
/// (sign(0) = 0). The Hessian diagonal comes from `GradientOracle.hessianDiagonal`: in closed
/// form when the target provides it (`hessian=auto`, charged as one gradient, n), otherwise —
/// or always with `hessian=finite-difference` (`hutchinson`, its earlier name, is still accepted) — the Hutchinson estimate z ⊙ Hz with Rademacher z
/// from the chain's generator and Hz by central differences of gradients, 2n per probe. That
/// extra cost is the point of the comparison with `psgld`. The estimate is unbiased and Γ is
/// linear in it, so the drift stays unbiased.
///
/// Cost per step: n + n (closed-form diagonal) or n + 2n · probes (Hutchinson).
///
/// Defaults: λ = 0.1, `hessian=auto`, one probe. Step size: G reaches 1/λ and Γ reaches 1/λ²
/// where the gradient vanishes, so the Euler step needs h ≪ λ² (SAMPLERS.md: on the 1-D
/// standard normal at h = 1e−4, λ = 0.1 and λ = 1 give variance ≈ 1.00, λ = 0.01 gives ≈ 1.4).
///
/// Consistent: with Γ the diffusion leaves p invariant for any λ > 0; the stationary law on the
/// standard normal is N(0, 1) up to the O(h) discretisation error (which grows with h/λ²).
public struct PSGLDGamma: Sampler {
    public let stepSize: Double
    public let lambda: Double
    public let method: GradientOracle.SecondOrderMethod
    public let probes: Int

    public static let id = "psgld-gamma"
    public static let summary = "pSGLD with explicit RMSprop metric and the Γ correction (arXiv 2403.08609)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1e6, open: .lower, help: "λ in G = 1/(λ + |ḡ|); the Euler step needs h ≪ λ²")
        public var lambda = 0.1
        @Choice(help: "Hessian diagonal: closed form where the target has it, or always Hutchinson with finite differences")
        public var hessian = GradientOracle.SecondOrderMethod.auto
        @Integer(in: 1...1000, help: "Rademacher probes per Hutchinson estimate")
        public var probes = 1
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        let closedForm = target.analyticHessian && p.hessian == .auto
        return GradientCost(batchGradientsPerStep: 1 + (closedForm ? 1 : 2 * p.probes))
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        .normal(variance: 1, formula: "N(0, 1) (Γ restores the target)")
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var hessianDiagonal: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, hessianDiagonal: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let perDatum = 1 / Double(oracle.dataSize)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        oracle.hessianDiagonal(at: state.position, into: &state.hessianDiagonal, rng: &rng, method: method, probes: probes)
        for i in 0..<state.position.count {
            let g = state.gradient[i]
            let gBar = g * perDatum
            let metric = 1 / (lambda + abs(gBar))
            let sign: Double = gBar > 0 ? 1 : (gBar < 0 ? -1 : 0)
            let gamma = -metric * metric * sign * state.hessianDiagonal[i] * perDatum
            state.position[i] += -h * metric * g + h * gamma + (2 * h * metric).squareRoot() * rng.normal()
        }
        return StepInfo()
    }
}

extension PSGLDGamma {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = PSGLDGamma(stepSize: h, lambda: p.lambda,
                   method: p.hessian, probes: p.probes)
    }
}
