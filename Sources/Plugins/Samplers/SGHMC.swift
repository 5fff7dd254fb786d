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
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGHMC(learningRate: h * h, friction: p.alpha)
    }
}

extension SGHMC {
    /// The chains of a batch, chain-major (C × d): positions, velocities, gradients, the step's
    /// deviates.
    public struct Batch: ChainBatch {
        var positions: [Double]
        var velocities: [Double]
        var gradients: [Double]
        var deviates: [Double]
        public func withPositions<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { positions.withUnsafeBufferPointer(body) }
    }

    public func batch(_ states: [State]) -> Batch {
        let positions = states.flatMap(\.position)
        let zeros = [Double](repeating: 0, count: positions.count)
        return Batch(positions: positions, velocities: states.flatMap(\.velocity), gradients: zeros, deviates: zeros)
    }

    /// `step` for every chain: the gradients of all rows, then chain c's d deviates from its
    /// own generator (the normals `step` draws coordinate by coordinate, in the same order),
    /// then one update over the C·d values with `step`'s expressions.
    @inline(__always)
    public func step(_ batch: inout Batch, oracle: inout BatchGradientOracle, rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) {
        batch.positions.withUnsafeBufferPointer { x in
            batch.gradients.withUnsafeMutableBufferPointer { oracle.stochasticGradients(at: x, into: $0) }
        }
        batch.deviates.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(rngs, rows: $0) }
        let keep = 1 - friction, noise = (2 * friction * learningRate).squareRoot()
        batch.gradients.withUnsafeBufferPointer { g in
            batch.deviates.withUnsafeBufferPointer { z in
                batch.velocities.withUnsafeMutableBufferPointer { v in
                    batch.positions.withUnsafeMutableBufferPointer { x in
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
