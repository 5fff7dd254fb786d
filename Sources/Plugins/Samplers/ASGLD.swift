import Workbench

/// `asgld`: adaptively preconditioned SGLD ("Adaptively preconditioned stochastic gradient
/// Langevin dynamics", arXiv 1906.04324, 2019), Algorithm 1 with
/// ĝ = ∇Ũ and learning rate η = h:
///
///     μ_t ← ρμ_{t−1} + (1−ρ)ĝ,
///     C_t ← ρC_{t−1} + (1−ρ)(ĝ − μ_t)⊙(ĝ − μ_{t−1}),
///     ξ_t ~ N(μ_t, diag(max(C_t, 0))),
///     θ ← θ − h(ĝ + ψ ξ_t).
///
/// μ₀ = C₀ = 0 as in the paper. Ambiguities resolved: the paper writes ξ_t ~ N(μ_t, C_t) with
/// C_t a vector; it is read as a diagonal covariance, clipped at 0 (C_t ≥ 0 already holds,
/// since ĝ − μ_t = ρ(ĝ − μ_{t−1}), but rounding is guarded against). ĝ is the sum-scale
/// stochastic gradient ∇Ũ, so η = h keeps SAMPLERS.md's drift −h∇Ũ. Defaults ρ = 0.9, ψ = 1.
/// Cost: one minibatch gradient per step (n).
///
/// Not consistent — not a sampler of π at all: it injects no √(2h) noise; its only noise is
/// the spread of recent gradients, which vanishes with exact gradients. It is an
/// optimiser-style method and the workbench reports whatever distribution it produces. On the
/// 1-D standard normal with full-batch gradients the drift −h(1 + ψ)θ (μ ≈ θ) contracts the
/// chain and the noise shrinks with it: the stationary law is the point mass at the mode 0.
public struct ASGLD: Sampler {
    public let stepSize: Double
    public let rho: Double
    public let psi: Double

    public static let id = "asgld"
    public static let summary = "adaptively preconditioned SGLD, no injected noise (arXiv 1906.04324)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, help: "decay ρ of the gradient mean μ and spread C")
        public var rho = 0.9
        @Real(in: 0...1e6, help: "weight ψ of the adaptive noise ξ ~ N(μ, diag C)")
        public var psi = 1.0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        StationaryPrediction(formula: "δ(θ): no injected noise, the chain contracts to the mode 0", density: nil)
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var mean: [Double]
        var spread: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, mean: zeros, spread: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in 0..<state.position.count {
            let g = state.gradient[i]
            let previousMean = state.mean[i]
            let mean = rho * previousMean + (1 - rho) * g
            let spread = rho * state.spread[i] + (1 - rho) * (g - mean) * (g - previousMean)
            state.mean[i] = mean
            state.spread[i] = spread
            let xi = mean + max(spread, 0).squareRoot() * rng.normal()
            state.position[i] -= h * (g + psi * xi)
        }
        return StepInfo()
    }
}

extension ASGLD {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = ASGLD(stepSize: h, rho: p.rho, psi: p.psi)
    }
}
