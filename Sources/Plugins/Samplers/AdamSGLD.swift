import Foundation
import Workbench

/// `adam-sgld`: SGLD with an adaptive (Adam) drift, as analysed in arXiv 2403.08609
/// ("Adam SGLD"). With ḡ = ∇Ũ/N, element-wise:
///
///     m ← β₁m + (1−β₁)ḡ,   v ← β₂v + (1−β₂)ḡ⊙ḡ,
///     m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)        (Adam's bias correction, t = 1, 2, …)
///     θ ← θ − h(∇Ũ + a · m̂/(√v̂ + λ)) + √(2h) ξ.
///
/// m and v start at 0. The Adam term is on the per-datum scale (a unit-free ±a per
/// coordinate once m̂/√v̂ ≈ sign ḡ); a = 0 is SGLD. Defaults β₁ = 0.9, β₂ = 0.999, a = 1,
/// λ = 1e−8. Cost: one minibatch gradient per step (n).
///
/// Not consistent: the extra drift a · m̂/(√v̂ + λ) → a · sign(∇U) (fast-adaptation limit) is
/// not compensated. On the 1-D standard normal with full-batch gradients the limit law is
/// ∝ exp(−θ²/2 − a|θ|) (variance 0.4749 at a = 1; arXiv 2403.08609 writes the λ-exact form
/// exp(−a|θ|)(|θ| + λ)^λ, indistinguishable at λ = 1e−8). β₁ = β₂ = 0 gives that limit
/// exactly (up to the O(h) discretisation error); the default memories move it (SAMPLERS.md
/// quotes 0.44 at h = 1e−4; we measure 0.444 ± 0.010 there, 4 × 10⁷ steps).
public struct AdamSGLD: Sampler {
    public let stepSize: Double
    public let beta1: Double
    public let beta2: Double
    public let a: Double
    public let lambda: Double

    public static let id = "adam-sgld"
    public static let summary = "SGLD plus an Adam drift a·m̂/(√v̂ + λ) (arXiv 2403.08609)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, open: .upper, help: "decay β₁ of the gradient average m")
        public var beta1 = 0.9
        @Real(in: 0...1, open: .upper, help: "decay β₂ of the squared-gradient average v")
        public var beta2 = 0.999
        @Real(in: 0...1e6, help: "weight a of the Adam drift (0 is SGLD)")
        public var a = 1.0
        @Real(in: 0...1e6, open: .lower, help: "λ in m̂/(√v̂ + λ)")
        public var lambda = 1e-8
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        let a = p.a
        return StationaryPrediction(formula: "∝ exp(−θ²/2 − a|θ|), a = \(formatNumber(a))") { x in
            exp(-0.5 * x * x - a * abs(x))
        }
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var m: [Double]
        var v: [Double]
        /// β₁ᵗ and β₂ᵗ, kept as running products.
        var beta1Power = 1.0
        var beta2Power = 1.0
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, m: zeros, v: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let noise = (2 * h).squareRoot()
        let perDatum = 1 / Double(oracle.dataSize)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        state.beta1Power *= beta1
        state.beta2Power *= beta2
        let correct1 = 1 / (1 - state.beta1Power), correct2 = 1 / (1 - state.beta2Power)
        for i in 0..<state.position.count {
            let g = state.gradient[i]
            let gBar = g * perDatum
            let m = beta1 * state.m[i] + (1 - beta1) * gBar
            let v = beta2 * state.v[i] + (1 - beta2) * gBar * gBar
            state.m[i] = m
            state.v[i] = v
            let adam = (m * correct1) / ((v * correct2).squareRoot() + lambda)
            state.position[i] += -h * (g + a * adam) + noise * rng.normal()
        }
        return StepInfo()
    }
}

extension AdamSGLD {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = AdamSGLD(stepSize: h, beta1: p.beta1, beta2: p.beta2, a: p.a,
                 lambda: p.lambda)
    }
}
