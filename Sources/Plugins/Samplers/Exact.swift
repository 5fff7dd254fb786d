import Workbench

/// `exact`: independent draws from a target that can sample itself (Gaussians, funnel,
/// banana; SAMPLERS.md "Reference samplers"). Each step replaces the position by a fresh exact
/// draw; it costs no gradient, so its ESS per gradient is undefined. It calibrates the
/// diagnostics: on it, every bias measure must sit at its Monte Carlo floor.
public struct ExactSampler: Sampler {
    public static let plugin = SamplerPlugin(
        id: "exact", summary: "independent exact draws (targets with an exact sampler)",
        usesStepSize: false, needsExactSampler: true,
        gradientCost: { _, _ in .free },
        standardNormalPrediction: { _, _ in .normal(variance: 1, formula: "N(0, 1): exact draws") }
    ) { _, _ in ExactSampler() }

    public struct State: SamplerState {
        public var position: [Double]
        public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { position.withUnsafeBufferPointer(body) }
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.drawExact(into: &state.position, rng: &rng)
        return StepInfo()
    }

    /// Exact draws cost no gradients (the conformance kit checks the declaration).
    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { 0 }
}
