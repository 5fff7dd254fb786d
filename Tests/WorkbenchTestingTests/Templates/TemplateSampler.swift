import Workbench

/// `template-sampler`: describe the update rule here, with its paper, in the conventions of the
/// workbench's docs/SAMPLERS.md (π ∝ exp(−U), ∇Ũ the sum-scale minibatch gradient, h the
/// step of dθ = −∇U dt + √2 dW), and say how you converted it if the paper uses another.
///
/// The example filled in: Langevin at temperature T, θ ← θ − h∇Ũ(θ) + √(2hT) ξ (T = 1 is
/// SGLD). One minibatch gradient per step.
public struct TemplateSampler: Sampler {
    public let stepSize: Double
    public let temperature: Double

    public static let id = "template-sampler"
    public static let summary = "TemplateSampler (example: Langevin at temperature T)"
    /// h is a fixed step; the tuning protocol sweeps around h₀·s² (a Langevin time step).
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    /// The hyperparameters, declared once: each property's wrapper gives its accepted values
    /// and help, its initial value the default, and its name (kebab case) the one users type
    /// (`--param template-sampler.temperature=2`). `@Integer` declares a whole number and `@Choice` one
    /// of an `enum …: String, ParameterChoice`. `bench list` and validation read them here.
    public struct Parameters: ParameterSet {
        @Real(in: 1e-3...1e3, help: "T: the injected noise is √(2hT) ξ")
        public var temperature = 1.0
        public init() {}
    }

    /// What a chain costs: one minibatch gradient (n per-datum evaluations) per step and
    /// nothing at set-up. Gradient budgets and dry runs use it; the conformance kit checks it.
    public static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public init(stepSize: Double, parameters: Parameters) {
        self.stepSize = stepSize
        temperature = parameters.temperature
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]  // allocated once: a step must not allocate
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, gradient: [Double](repeating: 0, count: position.count))
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.stochasticGradient(at: state.position, into: &state.gradient)  // ∇Ũ, costs n
        let noise = (2 * stepSize * temperature).squareRoot()
        for i in 0..<state.position.count {
            state.position[i] += -stepSize * state.gradient[i] + noise * rng.normal()
        }
        return StepInfo()
    }
}
