import Workbench

/// `sgld-cv`: SGLD with control variates (Baker, Fearnhead, Fox & Nemeth 2019, "Control
/// variates for stochastic gradient MCMC", Statistics and Computing 29).
///
/// Set-up, once per chain: from the start point, `sgd-steps` SGD steps
/// θ ← θ − η ∇Ũ(θ) with η = `sgd-step-scale` · h give the mode estimate θ̂; then the full
/// gradient ∇U(θ̂) is stored. The chain starts at θ̂ (as in the paper, which starts
/// sampling from the optimiser's output). Each step:
///
///     ∇Ũ_cv(θ) = ∇U(θ̂) + ∇Ũ_B(θ) − ∇Ũ_B(θ̂)
///              = ∇U(θ̂) + (N/n) Σ_{i∈B} [∇U_i(θ) − ∇U_i(θ̂)]   (prior terms cancel likewise)
///     θ ← θ − h ∇Ũ_cv(θ) + √(2h) ξ
///
/// with both minibatch gradients on the same batch B (`GradientOracle.gradientOnCurrentBatch`).
///
/// Cost (counted by the oracle): set-up `sgd-steps` · n + N, then 2n per step (the minibatch
/// gradients at θ and at θ̂; the paper's alternative of caching all N per-datum gradients at
/// θ̂ trades N × d memory for n per step and is not used). Full batch, ∇Ũ_cv = ∇U exactly, so
/// the chain is SGLD at twice the cost: on the standard normal N(0, 1/(1 − h/2)).
///
/// Defaults and ambiguities: the paper leaves the optimiser's settings open; here 1000 SGD
/// steps at the sampler's own h (stable whenever SGLD is). With a tiny h, 1000 steps may stop
/// short of the mode: the estimator stays unbiased for any θ̂ (only its variance grows), so
/// the sampler is consistent like SGLD (bias O(h)) whatever θ̂ is.
public struct SGLDCV: Sampler {
    public let stepSize: Double
    public let sgdSteps: Int
    public let sgdStepSize: Double

    public static let id = "sgld-cv"
    public static let summary = "SGLD with control variates at an SGD mode estimate (Baker et al. 2019)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Integer(in: 0...1_000_000_000, help: "SGD steps to the mode estimate θ̂ (n gradients each, counted)")
        public var sgdSteps = 1000
        @Real(in: 0...1e6, open: .lower, help: "SGD step size η as a multiple of h")
        public var sgdStepScale = 1.0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 2, setupBatchGradients: p.sgdSteps, setupFullGradients: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        .normal(variance: 1 / (1 - h / 2), formula: "N(0, 1/(1 − h/2)) (as SGLD)")
    }

    public struct State: SamplerState {
        public var position: [Double]
        /// θ̂ and ∇U(θ̂).
        public let mode: [Double]
        let modeGradient: [Double]
        var gradient: [Double]
        var modeBatchGradient: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        var x = position
        var g = [Double](repeating: 0, count: x.count)
        for _ in 0..<sgdSteps {
            oracle.stochasticGradient(at: x, into: &g)
            for i in 0..<x.count { x[i] -= sgdStepSize * g[i] }
        }
        var modeGradient = g
        oracle.fullGradient(at: x, into: &modeGradient)
        return State(position: x, mode: x, modeGradient: modeGradient, gradient: g, modeBatchGradient: g)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let noise = (2 * h).squareRoot()
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        oracle.gradientOnCurrentBatch(at: state.mode, into: &state.modeBatchGradient)
        for i in 0..<state.position.count {
            let g = state.modeGradient[i] + state.gradient[i] - state.modeBatchGradient[i]
            state.position[i] += -h * g + noise * rng.normal()
        }
        return StepInfo()
    }
}

extension SGLDCV {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGLDCV(stepSize: h, sgdSteps: p.sgdSteps, sgdStepSize: p.sgdStepScale * h)
    }
}
