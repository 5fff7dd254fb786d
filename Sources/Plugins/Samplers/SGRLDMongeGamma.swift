import Workbench

/// `sgrld-monge-gamma`: the Monge-metric SGRLD of `sgrld-monge` with the metric an explicit
/// function of position and the Γ correction added (arXiv 2403.08609).
///
/// g = ḡ(θ) = ∇Ũ(θ)/N (no averaging), G = I − β g gᵀ, β = α_M²/(1 + α_M²‖g‖²), and with
/// K = ∂g/∂θ = H/N (H the Hessian of Ũ on the same minibatch), Γ_i = Σ_j ∂_j G_ij is
///
///     Γ = 2β² (gᵀKg) g − β K g − β tr(K) g
///
/// (from ∂_j β = −2β²(Kg)_j; in 1-D it is G'(θ) = −2α_M²θ/(1 + α_M²θ²)²), and
///
///     θ ← θ − h G∇Ũ + h Γ + √(2h) G^(1/2) ξ.
///
/// H g is one Hessian-vector product and tr H a trace (`GradientOracle`): with `hessian=auto`
/// and a target with closed-form second derivatives each is charged as one gradient (n);
/// otherwise — or always with `hessian=finite-difference` — H g is a central difference of
/// gradients (2n) and tr H a Hutchinson estimate zᵀHz with Rademacher z from the chain's
/// generator (2n per probe). The trace estimate is unbiased and Γ is linear in it.
///
/// Cost per step: 3n (closed form), or n + 2n + 2n · probes (finite differences).
/// Defaults α_M = 1, `hessian=auto`, one probe.
///
/// Consistent: with Γ the diffusion leaves p invariant; on the standard normal the stationary
/// law is N(0, 1) up to the O(h) discretisation error.
public struct SGRLDMongeGamma: Sampler {
    public let stepSize: Double
    public let metricScale: Double
    public let method: GradientOracle.SecondOrderMethod
    public let probes: Int

    public static let id = "sgrld-monge-gamma"
    public static let summary = "SGRLD with the Monge metric of the current gradient and the Γ correction (arXiv 2403.08609)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1e6, help: "α_M of the metric G⁻¹ = I + α_M² g gᵀ")
        public var alphaM = 1.0
        @Choice(help: "H g and tr H: closed form where the target has them, or always finite differences")
        public var hessian = GradientOracle.SecondOrderMethod.auto
        @Integer(in: 1...1000, help: "Rademacher probes per Hutchinson trace")
        public var probes = 1
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        let closedForm = target.analyticHessian && p.hessian == .auto
        return GradientCost(batchGradientsPerStep: closedForm ? 3 : 3 + 2 * p.probes)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        .normal(variance: 1, formula: "N(0, 1) (Γ restores the target)")
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var perDatumGradient: [Double]
        var hessianTimesGradient: [Double]
        var gamma: [Double]
        var noise: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, perDatumGradient: zeros, hessianTimesGradient: zeros,
                     gamma: zeros, noise: zeros)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let d = state.position.count
        let perDatum = 1 / Double(oracle.dataSize)
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in 0..<d { state.perDatumGradient[i] = state.gradient[i] * perDatum }
        // H g with g = ḡ; then K g = H g / N and tr K = tr H / N.
        oracle.hessianVectorProduct(at: state.position, vector: state.perDatumGradient,
                                    into: &state.hessianTimesGradient, method: method)
        let traceK = oracle.hessianTrace(at: state.position, rng: &rng, method: method, probes: probes) * perDatum
        let a2 = metricScale * metricScale
        var normSquared = 0.0, gKg = 0.0
        for i in 0..<d {
            let g = state.perDatumGradient[i]
            normSquared += g * g
            gKg += g * state.hessianTimesGradient[i] * perDatum
        }
        let beta = a2 / (1 + a2 * normSquared)
        for i in 0..<d {
            let g = state.perDatumGradient[i]
            state.gamma[i] = 2 * beta * beta * gKg * g - beta * state.hessianTimesGradient[i] * perDatum - beta * traceK * g
        }
        MongeMetric.step(position: &state.position, gradient: state.gradient, metricGradient: state.perDatumGradient,
                         gamma: state.gamma, noise: &state.noise, stepSize: stepSize, metricScale: metricScale, rng: &rng)
        return StepInfo()
    }
}

extension SGRLDMongeGamma {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGRLDMongeGamma(stepSize: h, metricScale: p.alphaM,
                        method: p.hessian, probes: p.probes)
    }
}
