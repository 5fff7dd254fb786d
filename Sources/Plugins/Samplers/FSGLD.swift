import Foundation
import Workbench

/// `fsgld`: flatness-aware SGLD (Bruno, Hwang, An, Sabanis & Lim 2025, "Flatness-aware
/// stochastic gradient Langevin dynamics", arXiv 2510.02174). The gradient is taken
/// at randomly perturbed weights (random weight perturbation):
///
///     θ ← θ − h ∇Ũ(θ + σε) + √(2h/β) ξ,   ε, ξ ~ N(0, I) independent,
///
/// β the inverse (posterior) temperature. The paper proves that the invariant law approximates
/// the Gibbs law ∝ exp(−β v) of the Hessian-trace-regularised v = U + (σ²/2) tr ∇²U when σ and
/// β are coupled as σ = β^(−(1+η)/4), η > 0: `coupling=paper` sets σ that way from β and
/// `coupling-eta` (η, our default 0.1: the paper requires η > 0 and leaves it free) and then
/// ignores `sigma`; `coupling=none` (default) uses `sigma` as given. Defaults β = 1, σ = 0.01.
/// Cost: one minibatch gradient per step (n), at the perturbed point.
///
/// Consistency: it samples exp(−β U_σ), U_σ the Gaussian smoothing of U, not π (so not
/// consistent in general, and β ≠ 1 tempers). On a Gaussian target U_σ = U + const, so at
/// β = 1 it is consistent there with an O(h) bias: on the standard normal, full batch,
/// x' = (1−h)x − hσε + √(2h/β)ξ is AR(1) with stationary law N(0, (2/β + hσ²)/(2 − h)).
public struct FSGLD: Sampler {
    public let stepSize: Double
    public let beta: Double
    public let sigma: Double

    public static let id = "fsgld"
    public static let summary = "flatness-aware SGLD: gradients at randomly perturbed weights (arXiv 2510.02174)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1e12, open: .lower, help: "inverse temperature β (noise √(2h/β))")
        public var beta = 1.0
        @Real(in: 0...1e6, help: "σ of the weight perturbation θ + σε")
        public var sigma = 0.01
        @Choice(help: "paper: σ = β^(−(1+η)/4), ignoring sigma; none: sigma as given")
        public var coupling = Coupling.none
        @Real(in: 0...1e3, open: .lower, help: "η of the paper's coupling")
        public var couplingEta = 0.1
        public init() {}
    }

    /// How σ is set: as given, or coupled to β as the paper does.
    public enum Coupling: String, ParameterChoice { case none, paper }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        let beta = p.beta, sigma = effectiveSigma(p)
        return .normal(variance: (2 / beta + h * sigma * sigma) / (2 - h), formula: "N(0, (2/β + hσ²)/(2 − h))")
    }

    /// σ after the coupling option.
    static func effectiveSigma(_ p: Parameters) -> Double {
        p.coupling == .paper ? pow(p.beta, -(1 + p.couplingEta) / 4) : p.sigma
    }

    public struct State: SamplerState {
        public var position: [Double]
        var perturbed: [Double]
        var gradient: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, perturbed: zeros, gradient: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let noise = (2 * h / beta).squareRoot()
        let d = state.position.count
        for i in 0..<d { state.perturbed[i] = state.position[i] + sigma * rng.normal() }
        oracle.stochasticGradient(at: state.perturbed, into: &state.gradient)
        for i in 0..<d {
            state.position[i] += -h * state.gradient[i] + noise * rng.normal()
        }
        return StepInfo()
    }
}

extension FSGLD {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = FSGLD(stepSize: h, beta: p.beta, sigma: Self.effectiveSigma(p))
    }
}
