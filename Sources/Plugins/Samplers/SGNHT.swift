import Workbench

/// `sgnht`: the stochastic-gradient Nosé–Hoover thermostat (Ding, Fang, Babbush, Chen, Skeel
/// & Neven 2014), SAMPLERS.md "Hamiltonian and thermostat family":
/// p ← p − ζ p h − ∇Ũ(θ) h + √(2Ah) ξ;  θ ← θ + p h;  ζ ← ζ + (pᵀp/d − 1) h.
/// Defaults A = 1, ζ₀ = A; p starts from N(0, I). One minibatch gradient per step (cost n).
/// The thermostat's kinetic change ΔK = ½(|p'|² − |p|²) is reported in each step's info.
///
/// Check (full batch, N(0, 1)): at stationarity E[p²] = 1 exactly (ζ is stationary) and
/// E[θ p] = h/2, so Var θ = 1 − E[ζ θ p]; with ζ ≈ its mean A this is 1 − Ah/2 + o(h).
/// Non-finite states are left to the runner, which reports the divergence.
public struct SGNHT: Sampler {
    public let stepSize: Double
    public let diffusion: Double
    public let initialThermostat: Double

    public static let id = "sgnht"
    public static let summary = "stochastic-gradient Nosé–Hoover thermostat (Ding et al. 2014)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(name: "A", in: 0...1e6, help: "diffusion A of the injected noise")
        public var diffusion = 1.0
        @Real(in: -1...1e6, help: "initial thermostat ζ₀; −1: A")
        public var zeta0 = -1.0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public struct State: SamplerState {
        public var position: [Double]
        var momentum: [Double]
        var gradient: [Double]
        /// The thermostat variable ζ.
        public internal(set) var thermostat: Double
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, momentum: position.map { _ in rng.normal() },
              gradient: [Double](repeating: 0, count: position.count), thermostat: initialThermostat)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize, d = state.position.count
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        let damping = 1 - state.thermostat * h, noise = (2 * diffusion * h).squareRoot()
        var before = 0.0, after = 0.0
        for i in 0..<d {
            let p = state.momentum[i]
            before += p * p
            let q = damping * p - h * state.gradient[i] + noise * rng.normal()
            state.momentum[i] = q
            after += q * q
            state.position[i] += h * q
        }
        state.thermostat += (after / Double(d) - 1) * h
        var info = StepInfo()
        info.kineticChange = 0.5 * (after - before)
        info.diverged = !state.thermostat.isFinite
        return info
    }
}

extension SGNHT {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        let a = p.diffusion
        let zeta0 = p.zeta0
        self = SGNHT(stepSize: h, diffusion: a, initialThermostat: zeta0 < 0 ? a : zeta0)
    }
}
