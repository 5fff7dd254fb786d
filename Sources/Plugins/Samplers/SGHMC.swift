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
/// Batched (`BatchedSampler`): the chains of a cell advance together, each as alone.
public struct SGHMC: BatchedSampler {
    public let learningRate: Double
    public let friction: Double

    public static let id = "sghmc"
    public static let summary = "stochastic-gradient HMC (Chen, Fox & Guestrin 2014), h = √η"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 1e-12...1, help: "friction α per step (γ = α/h)")
        public var alpha = 0.01
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    /// C chains (C = 1 for a chain alone; `BatchedSampler`), chain-major C × d arrays: θ, v,
    /// the gradients, the step's standard normal deviates (scratch, allocated once).
    public struct State: SamplerState {
        public var position: [Double]
        var velocity: [Double]
        var gradient: [Double]
        var deviates: [Double]
    }

    /// v from N(0, η I): chain c's d deviates from its own generator, in coordinate order.
    public func initialState<Oracle: RowGradientOracle>(position: [Double], oracle: inout Oracle,
                                                        rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) -> State {
        let sd = learningRate.squareRoot(), zeros = [Double](repeating: 0, count: position.count)
        var velocity = zeros
        velocity.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(rngs, rows: $0) }
        for i in velocity.indices { velocity[i] = sd * velocity[i] }
        return State(position: position, velocity: velocity, gradient: zeros, deviates: zeros)
    }
}

extension SGHMC {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGHMC(learningRate: h * h, friction: p.alpha)
    }
}

extension SGHMC {
    /// v ← (1 − α)v − η∇Ũ(θ) + √(2αη) ξ; θ ← θ + v for every chain: the gradients of all rows,
    /// then each chain's d deviates from its own generator, in coordinate order, then one
    /// update over the C·d values with the same expressions whatever C.
    @inline(__always)
    public func step<Oracle: RowGradientOracle>(_ state: inout State, oracle: inout Oracle,
                                                rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) {
        oracle.stochasticGradients(at: state.position, into: &state.gradient)
        state.deviates.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(rngs, rows: $0) }
        let keep = 1 - friction, noise = (2 * friction * learningRate).squareRoot()
        state.gradient.withUnsafeBufferPointer { g in
            state.deviates.withUnsafeBufferPointer { z in
                state.velocity.withUnsafeMutableBufferPointer { v in
                    state.position.withUnsafeMutableBufferPointer { x in
                        for i in 0..<x.count {
                            v[i] = keep * v[i] - learningRate * g[i] + noise * z[i]
                            x[i] += v[i]
                        }
                    }
                }
            }
        }
    }
}
