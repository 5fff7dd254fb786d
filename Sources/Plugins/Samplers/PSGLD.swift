import Foundation
import Workbench

/// `psgld`: preconditioned SGLD with the RMSprop metric (Li, Chen, Carlson & Carin 2016,
/// "Preconditioned stochastic gradient Langevin dynamics for deep neural networks", AAAI),
/// with the Γ term dropped as in the paper.
///
/// With ḡ = ∇Ũ/N the per-datum gradient, element-wise:
///
///     V ← αV + (1−α) ḡ⊙ḡ,   G = 1 / (λ + √V),
///     θ ← θ − h G⊙∇Ũ + √(2h G)⊙ξ.
///
/// Conventions: the paper writes θ ← θ + (ε/2)(G ∇log p̃ + Γ) + N(0, εG) and drops (1−α)Γ;
/// with ε = 2h that is the update above (SAMPLERS.md's h, drift h, noise variance 2h).
/// V starts at 0 and is updated before it is used, as in the paper's Algorithm 1 (so the first
/// steps see a small V and a large G; no bias correction). λ is relative to the per-datum
/// gradient scale. Defaults α = 0.99, λ = 1e−5. Cost: one minibatch gradient per step (n).
///
/// Not consistent: without Γ the diffusion's stationary law is p · G⁻¹ (zero-flux
/// Fokker–Planck solution, arXiv 2403.08609), not p. On the 1-D standard normal with full-batch
/// gradients and fast adaptation (V → θ², i.e. α → 0 or a memory h/(1−α) much shorter than
/// the dynamics) it is ∝ (λ + |θ|) e^(−θ²/2), variance (λ + 2√(2/π)) / (λ + √(2/π)) → 2 as
/// λ → 0. A finite EMA memory (time h/(1−α)) moves it: SAMPLERS.md quotes 1.98 at h = 1e−4;
/// we measure 1.93 ± 0.02 there (4 × 5·10⁷ steps), and an independent vectorised simulation
/// gives 1.932 ± 0.008, so the table's figure looks high.
/// α = 0 makes the metric an explicit function of θ, where the formula is exact up to the
/// O(h) discretisation error.
public struct PSGLD: Sampler {
    public let stepSize: Double
    public let alpha: Double
    public let lambda: Double

    public static let id = "psgld"
    public static let summary = "preconditioned SGLD, RMSprop metric, Γ dropped (Li et al. 2016)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, help: "decay α of the squared-gradient average V")
        public var alpha = 0.99
        @Real(in: 0...1e6, open: .lower, help: "λ in G = 1/(λ + √V), on the per-datum gradient scale")
        public var lambda = 1e-5
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        let lambda = p.lambda
        return StationaryPrediction(formula: "∝ (λ + |θ|) e^(−θ²/2), λ = \(formatNumber(lambda))") { x in
            (lambda + abs(x)) * exp(-0.5 * x * x)
        }
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        /// The running average V of ḡ⊙ḡ.
        public var squaredGradientAverage: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, squaredGradientAverage: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let perDatum = 1 / Double(oracle.dataSize)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in 0..<state.position.count {
            let g = state.gradient[i]
            let gBar = g * perDatum
            let v = alpha * state.squaredGradientAverage[i] + (1 - alpha) * gBar * gBar
            state.squaredGradientAverage[i] = v
            let metric = 1 / (lambda + v.squareRoot())
            state.position[i] += -h * metric * g + (2 * h * metric).squareRoot() * rng.normal()
        }
        return StepInfo()
    }
}

extension PSGLD {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = PSGLD(stepSize: h, alpha: p.alpha, lambda: p.lambda)
    }
}
