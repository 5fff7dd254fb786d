import Foundation
import Workbench

/// `sgld`: stochastic-gradient Langevin dynamics (Welling & Teh 2011).
///
/// θ ← θ − h_t ∇Ũ(θ) + √(2h_t) ξ, ξ ~ N(0, I), the Euler–Maruyama discretisation of
/// dθ = −∇U dt + √2 dW (SAMPLERS.md conventions). Optional polynomial schedule
/// h_t = h (b + t)^(−γ), Welling & Teh's a(b + t)^(−γ) with a = h; γ = 0 (the default) is
/// the constant step h. One minibatch gradient per step (cost n).
/// Check: full batch on N(0, σ²) the stationary variance is σ²/(1 − h/(2σ²)) exactly, so on
/// the standard normal the predicted law is N(0, 1/(1 − h/2)) (constant step only).
/// Consistent: the bias is O(h) and vanishes as h → 0.
/// Batched (`BatchedSampler`): the chains of a cell advance together, each as alone.
public struct SGLD: BatchedSampler {
    public let stepSize: Double
    public let scheduleOffset: Double
    public let scheduleDecay: Double
    /// √(2h), computed once, so a constant-step chain takes no square root per step.
    let constantNoise: Double

    public init(stepSize: Double, scheduleOffset: Double, scheduleDecay: Double) {
        self.stepSize = stepSize
        self.scheduleOffset = scheduleOffset
        self.scheduleDecay = scheduleDecay
        self.constantNoise = (2 * stepSize).squareRoot()
    }

    public static let id = "sgld"
    public static let summary = "stochastic-gradient Langevin dynamics (Welling & Teh 2011)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, help: "γ of h_t = h (b + t)^(−γ); 0 keeps h constant")
        public var scheduleDecay = 0.0
        @Real(in: 1...1e12, help: "b of h_t = h (b + t)^(−γ)")
        public var scheduleOffset = 1.0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        p.scheduleDecay == 0 ? .normal(variance: 1 / (1 - h / 2), formula: "N(0, 1/(1 − h/2))") : nil
    }

    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGLD(stepSize: h, scheduleOffset: p.scheduleOffset, scheduleDecay: p.scheduleDecay)
    }

    /// C chains (C = 1 for a chain alone; `BatchedSampler`), chain-major C × d arrays: θ, the
    /// gradients, the step's standard normal deviates (scratch, allocated once). All chains
    /// share the step count t, so the schedule's h_t is computed once per step.
    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var deviates: [Double]
        var t = 0
    }

    public func initialState<Oracle: RowGradientOracle>(position: [Double], oracle: inout Oracle,
                                                        rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, deviates: zeros)
    }

    /// θ ← θ − h_t ∇Ũ(θ) + √(2h_t) ξ for every chain: the gradients of all rows, then each
    /// chain's d deviates from its own generator, in coordinate order, then one update over the
    /// C·d values — per value the same expression whatever C, so each chain's numbers are its
    /// numbers alone.
    @inline(__always)
    public func step<Oracle: RowGradientOracle>(_ state: inout State, oracle: inout Oracle,
                                                rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) {
        let h = scheduleDecay == 0 ? stepSize : stepSize * pow(scheduleOffset + Double(state.t), -scheduleDecay)
        let noise = scheduleDecay == 0 ? constantNoise : (2 * h).squareRoot()
        // The gradient buffer is moved out of the state for the call (swapping with an empty
        // array allocates nothing), so the position is passed borrowed rather than copied: an
        // access to state.gradient overlapping the read of state.position would cost a
        // retain and a release per step.
        var gradient: [Double] = []
        swap(&gradient, &state.gradient)
        oracle.stochasticGradients(at: state.position, into: &gradient)
        swap(&gradient, &state.gradient)
        // The deviates are drawn first (the same numbers as a normal() per coordinate in the
        // update, at less cost per deviate: see `fillNormal`).
        state.deviates.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(rngs, rows: $0) }
        state.gradient.withUnsafeBufferPointer { g in
            state.deviates.withUnsafeBufferPointer { z in
                state.position.withUnsafeMutableBufferPointer { x in
                    for i in 0..<x.count { x[i] += -h * g[i] + noise * z[i] }
                }
            }
        }
        state.t += 1
    }
}
