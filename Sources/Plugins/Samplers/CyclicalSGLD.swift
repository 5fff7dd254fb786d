import Foundation
import Workbench

/// `cyclical-sgld`: cyclical SGLD (Zhang, Li, Zhang, Chen & Wilson 2020, "Cyclical stochastic
/// gradient MCMC for Bayesian deep learning", ICLR). Not BlackJAX's `csgld`, which is contour
/// SGLD.
///
/// K total steps in M cycles of c = ⌈K/M⌉ steps; at step k = 1, 2, …
///
///     r_k = ((k−1) mod c) / c,   h_k = (h₀/2)(cos(π r_k) + 1),
///
/// h₀ = h the grid's step size. If r_k < β_explore the step is plain SGD, θ ← θ − h_k∇Ũ (no
/// noise, draw not kept: `StepInfo.keep = false`); otherwise an SGLD step
/// θ ← θ − h_k∇Ũ + √(2h_k) ξ whose draw is kept. Defaults M = 4, β_explore = 0.5.
///
/// K is the run's own length unless `total-steps` sets it: the runner tells the sampler the
/// steps per chain (warm-up included) through `prepared(forSteps:)`. Steps beyond K keep
/// cycling. Cost: one minibatch gradient per step (n), exploration included.
///
/// Consistent as h₀ → 0 with cycles long enough to mix: every kept draw is an SGLD step with
/// h_k ≤ (h₀/2)(cos(πβ_explore) + 1), so on the standard normal the law of the kept draws is
/// ≈ N(0, 1) (O(h₀) bias), up to the transient at the start of each sampling phase, which
/// begins at the SGD end point (the mode) and lasts about one relaxation time.
public struct CyclicalSGLD: Sampler {
    public let stepSize: Double
    public let cycles: Int
    public let exploreFraction: Double
    /// K; 0 until `prepared(forSteps:)` fills in the run length.
    public let totalSteps: Int

    public static let id = "cyclical-sgld"
    public static let summary = "cyclical SGLD: cosine step cycles, SGD exploration then SGLD sampling (Zhang et al. 2020)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Integer(in: 1...1_000_000_000, help: "M, the number of cycles in K steps")
        public var cycles = 4
        @Real(in: 0...1, help: "β: the fraction of each cycle spent in SGD")
        public var exploreFraction = 0.5
        @Integer(in: 0...1_000_000_000_000_000, help: "K; 0: the steps per chain of the run")
        public var totalSteps = 0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        .normal(variance: 1, formula: "≈ N(0, 1) (kept SGLD steps, h_k ≤ h₀/2)")
    }

    public func prepared(forSteps steps: Int) -> CyclicalSGLD {
        totalSteps > 0 ? self : CyclicalSGLD(stepSize: stepSize, cycles: cycles, exploreFraction: exploreFraction, totalSteps: steps)
    }

    /// Steps per cycle, c = ⌈K/M⌉.
    var cycleLength: Int { max(1, (totalSteps + cycles - 1) / cycles) }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        /// Steps taken (k − 1 before the step).
        var steps = 0
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        precondition(totalSteps > 0, "cyclical-sgld needs K: set total-steps or run it through the runner")
        return State(position: position, gradient: [Double](repeating: 0, count: position.count))
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let c = cycleLength
        let r = Double(state.steps % c) / Double(c)
        state.steps += 1
        let h = stepSize / 2 * (cos(Double.pi * r) + 1)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        var info = StepInfo()
        if r < exploreFraction {
            for i in 0..<state.position.count { state.position[i] -= h * state.gradient[i] }
            info.keep = false
        } else {
            let noise = (2 * h).squareRoot()
            for i in 0..<state.position.count {
                state.position[i] += -h * state.gradient[i] + noise * rng.normal()
            }
        }
        return info
    }
}

extension CyclicalSGLD {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = CyclicalSGLD(stepSize: h, cycles: p.cycles, exploreFraction: p.exploreFraction,
                     totalSteps: p.totalSteps)
    }
}
