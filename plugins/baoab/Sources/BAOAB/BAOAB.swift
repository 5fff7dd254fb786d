import Foundation
import Workbench

/// `baoab`: the BAOAB splitting of underdamped Langevin dynamics (Leimkuhler & Matthews 2013,
/// "Rational construction of stochastic numerical methods for molecular sampling"), fed
/// stochastic gradients as in SGMCMCJax's `baoab` diffusion.
///
/// Dynamics, with unit mass and temperature (π(θ) ∝ exp(−U(θ)) is the θ-marginal of the
/// invariant law ∝ exp(−U(θ) − |p|²/2)): dθ = p dt, dp = −∇U dt − γp dt + √(2γ) dW.
/// One step of length h, with ∇Ũ the minibatch gradient and ξ ~ N(0, I):
///
///     B  p ← p − (h/2) ∇Ũ(θ)
///     A  θ ← θ + (h/2) p
///     O  p ← c p + √(1 − c²) ξ,   c = exp(−γh)
///     A  θ ← θ + (h/2) p
///     B  p ← p − (h/2) ∇Ũ(θ)      (a fresh minibatch, reused by the next step's first B)
///
/// Conversion to the workbench's conventions (SAMPLERS.md): SGMCMCJax writes the kicks with
/// its estimate ĝ of ∇log π, which is −∇Ũ at the same sum scale (N/n Σ_B); its `dt` is h and
/// its noise multiplier τ is 1 (temperature 1). h is the time step of the underdamped SDE, as
/// for `sghmc` (not the overdamped step of SGLD): as γ → ∞ BAOAB becomes the Leimkuhler–
/// Matthews scheme θ ← θ − (h²/2)∇U + (h/2)(ξ_n + ξ_{n+1}), an overdamped step of h²/2, so
/// BAOAB at h compares with SGLD at h²/2 in that limit.
///
/// Cost: one minibatch gradient per step (n), plus one at set-up for the first B (SGMCMCJax
/// takes the full gradient there; a minibatch keeps every gradient the same price). The
/// momentum starts from its stationary law N(0, I) (SGMCMCJax starts it at zero).
///
/// Check: full batch on N(0, 1) the θ-marginal is exactly N(0, 1) for every h < 2 and γ > 0
/// (the harmonic oscillator's configurational sampling of BAOAB is exact; Var[p] = 1 − h²/4),
/// where SGLD has variance 1/(1 − h/2).
public struct BAOAB: Sampler {
    public let stepSize: Double
    public let friction: Double

    public static let id = "baoab"
    public static let summary = "BAOAB underdamped Langevin with stochastic gradients (Leimkuhler & Matthews 2013)"
    /// h is a time step of the underdamped SDE, a length like sghmc's.
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 1e-6...1e6, help: "γ, the friction of the momentum")
        public var friction = 1.0
        public init() {}
    }

    /// One minibatch gradient per step, and one at set-up for the first kick.
    public static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1, setupBatchGradients: 1)
    }

    public init(stepSize: Double, parameters: Parameters) {
        self.stepSize = stepSize
        friction = parameters.friction
    }

    public struct State: SamplerState {
        public var position: [Double]
        public var momentum: [Double]
        /// ∇Ũ at `position`, carried to the next step's first kick.
        var gradient: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        var state = State(position: position, momentum: position.map { _ in rng.normal() },
                          gradient: [Double](repeating: 0, count: position.count))
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        return state
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let half = stepSize / 2
        let c = exp(-friction * stepSize)
        let s = (1 - c * c).squareRoot()
        for i in 0..<state.position.count {
            state.momentum[i] -= half * state.gradient[i]                  // B
            state.position[i] += half * state.momentum[i]                  // A
            state.momentum[i] = c * state.momentum[i] + s * rng.normal()   // O
            state.position[i] += half * state.momentum[i]                  // A
        }
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        var finite = true
        for i in 0..<state.position.count {
            state.momentum[i] -= half * state.gradient[i]                  // B
            finite = finite && state.position[i].isFinite && state.momentum[i].isFinite
        }
        var info = StepInfo()
        info.diverged = !finite
        return info
    }
}
