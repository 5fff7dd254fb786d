import Foundation
import Workbench

/// `sgrld-monge`: stochastic-gradient Riemannian Langevin dynamics (Patterson & Teh 2013) with
/// the Monge metric of Hartmann, Girolami & Klami (2022, "Lagrangian manifold Monte Carlo on
/// Monge patches", AISTATS), with an averaged gradient and the Γ term dropped, as analysed in
/// arXiv 2403.08609.
///
/// With ḡ = ∇Ũ/N and g its running average g ← αg + (1−α)ḡ (g₀ = 0, updated before use):
///
///     G⁻¹ = I + α_M² g gᵀ,   G = I − β g gᵀ,   β = α_M² / (1 + α_M² ‖g‖²),
///     G^(1/2) = I + (1/√(1 + α_M²‖g‖²) − 1) ĝĝᵀ,   ĝ = g/‖g‖,
///     θ ← θ − h G∇Ũ + √(2h) G^(1/2) ξ.
///
/// Everything is O(d): G∇Ũ = ∇Ũ − βg(gᵀ∇Ũ) and G^(1/2)ξ = ξ + c ĝ(ĝᵀξ); no matrix is formed.
/// Defaults α = 0.99, α_M = 1. Cost: one minibatch gradient per step (n).
///
/// Not consistent: without Γ the stationary law is p · G⁻¹ (zero-flux Fokker–Planck solution,
/// arXiv 2403.08609). On the 1-D standard normal with full-batch gradients and fast adaptation
/// (g → θ; exact when α = 0) it is ∝ (1 + α_M²θ²) e^(−θ²/2), variance
/// (1 + 3α_M²)/(1 + α_M²) = 2 at α_M = 1; the default memory moves it slightly (SAMPLERS.md
/// quotes 1.95 at h = 1e−4; we measure 2.00 ± 0.04 there, 4 × 5·10⁷ steps, and an independent
/// vectorised simulation 1.98 ± 0.02). In d dimensions the metric acts along one direction, so the
/// per-coordinate bias shrinks like 1/d.
public struct SGRLDMonge: Sampler {
    public let stepSize: Double
    public let alpha: Double
    public let metricScale: Double

    public static let id = "sgrld-monge"
    public static let summary = "SGRLD with the Monge metric on an averaged gradient, Γ dropped (arXiv 2403.08609)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, help: "decay α of the gradient average g")
        public var alpha = 0.99
        @Real(in: 0...1e6, help: "α_M of the metric G⁻¹ = I + α_M² g gᵀ")
        public var alphaM = 1.0
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        let a2 = p.alphaM * p.alphaM
        return StationaryPrediction(formula: "∝ (1 + α_M²θ²) e^(−θ²/2), α_M = \(formatNumber(p.alphaM))") { x in
            (1 + a2 * x * x) * exp(-0.5 * x * x)
        }
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        /// The running average g of ḡ.
        public var averageGradient: [Double]
        var noise: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, averageGradient: zeros, noise: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let d = state.position.count
        let perDatum = 1 / Double(oracle.dataSize)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in 0..<d {
            state.averageGradient[i] = alpha * state.averageGradient[i] + (1 - alpha) * state.gradient[i] * perDatum
        }
        MongeMetric.step(position: &state.position, gradient: state.gradient, metricGradient: state.averageGradient,
                         gamma: nil, noise: &state.noise, stepSize: stepSize, metricScale: metricScale, rng: &rng)
        return StepInfo()
    }
}

/// The Monge-metric Langevin update shared by `sgrld-monge` and `sgrld-monge-gamma`:
/// θ ← θ − h G∇Ũ + h Γ + √(2h) G^(1/2) ξ with G = I − β g gᵀ, in O(d).
enum MongeMetric {
    static func step(position: inout [Double], gradient: [Double], metricGradient g: [Double], gamma: [Double]?,
                     noise: inout [Double], stepSize h: Double, metricScale: Double, rng: inout Xoshiro256StarStar) {
        let d = position.count
        let a2 = metricScale * metricScale
        var normSquared = 0.0, gDotGradient = 0.0, gDotNoise = 0.0
        for i in 0..<d {
            noise[i] = rng.normal()
            normSquared += g[i] * g[i]
            gDotGradient += g[i] * gradient[i]
            gDotNoise += g[i] * noise[i]
        }
        let beta = a2 / (1 + a2 * normSquared)
        // G^(1/2) ξ = ξ + c ĝ(ĝᵀξ) = ξ + (c / ‖g‖²) g (gᵀξ).
        let c = 1 / (1 + a2 * normSquared).squareRoot() - 1
        let noiseShift = normSquared > 0 ? c * gDotNoise / normSquared : 0
        let scale = (2 * h).squareRoot()
        for i in 0..<d {
            let drift = gradient[i] - beta * g[i] * gDotGradient
            var update = -h * drift + scale * (noise[i] + noiseShift * g[i])
            if let gamma { update += h * gamma[i] }
            position[i] += update
        }
    }
}

extension SGRLDMonge {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGRLDMonge(stepSize: h, alpha: p.alpha, metricScale: p.alphaM)
    }
}
