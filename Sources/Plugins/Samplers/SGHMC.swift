import Workbench

/// `sghmc`: stochastic-gradient Hamiltonian Monte Carlo (Chen, Fox & Guestrin 2014) in the
/// common parametrisation with learning rate η and friction α, β̂ = 0 (SAMPLERS.md
/// "Hamiltonian and thermostat family"):
/// v ← (1 − α)v − η∇Ũ(θ) + √(2αη) ξ;  θ ← θ + v.
/// The step size of sweeps is the continuous-time step h = √η (so η = h²) and the friction
/// γ = α/h; default α = 0.01. One minibatch gradient per step (cost n). v starts from its
/// stationary law N(0, η I) (v = h p with p ~ N(0, I)); the chain never resamples it.
///
/// Check (full batch, N(0, 1)): the chain is linear, and its stationary covariance gives
/// Var θ = 1 / (1 − η / (2(2 − α))) exactly — α = 1 is SGLD's 1/(1 − h/2) with h = η.
/// Non-finite states are left to the runner, which reports the divergence.
public struct SGHMC: Sampler {
    public let learningRate: Double
    public let friction: Double

    public static let id = "sghmc"
    public static let summary = "stochastic-gradient HMC (Chen, Fox & Guestrin 2014), h = √η"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .length))
    public static let hyperparameters: [ParameterSpec] = [
        ParameterSpec("alpha", default: 0.01, in: 1e-12...1, "friction α per step (γ = α/h)"),
    ]

    public static func gradientCost(parameters p: ResolvedParameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public struct State: SamplerState {
        public var position: [Double]
        public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { position.withUnsafeBufferPointer(body) }
        var velocity: [Double]
        var gradient: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let sd = learningRate.squareRoot()
        return State(position: position, velocity: position.map { _ in sd * rng.normal() },
                     gradient: [Double](repeating: 0, count: position.count))
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        let keep = 1 - friction, noise = (2 * friction * learningRate).squareRoot()
        for i in 0..<state.position.count {
            state.velocity[i] = keep * state.velocity[i] - learningRate * state.gradient[i] + noise * rng.normal()
            state.position[i] += state.velocity[i]
        }
        return StepInfo()
    }
}

extension SGHMC {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: ResolvedParameters) {
        self = SGHMC(learningRate: h * h, friction: p.number("alpha"))
    }
}
