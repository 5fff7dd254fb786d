import Workbench

/// `exact`: independent draws from a target that can sample itself (Gaussians, funnel,
/// banana; SAMPLERS.md "Reference samplers"). Each step replaces the position by a fresh exact
/// draw; it costs no gradient, so its ESS per gradient is undefined. It calibrates the
/// diagnostics: on it, every bias measure must sit at its Monte Carlo floor.
public struct ExactSampler: Sampler {
    public static let id = "exact"
    public static let summary = "independent exact draws (targets with an exact sampler)"
    public static let stepSizePolicy = StepSizePolicy.none
    public static let needsExactSampler = true

    public static func gradientCost(parameters p: NoParameters, target: TargetCapabilities) -> GradientCost {
        .free
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: NoParameters) -> StationaryPrediction? {
        .normal(variance: 1, formula: "N(0, 1): exact draws")
    }

    public struct State: SamplerState {
        public var position: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.drawExact(into: &state.position, rng: &rng)
        return StepInfo()
    }

}

extension ExactSampler {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: NoParameters) {
        self = ExactSampler()
    }
}
