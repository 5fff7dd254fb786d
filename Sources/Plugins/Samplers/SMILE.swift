import CGSL
import Foundation
import Workbench

/// `smile`: stochastic microcanonical Langevin dynamics with the energy-variance step-size
/// tuner of SMILE (arXiv 2602.06500, ICML 2026; public code EmanuelSommer/SMILE,
/// `SMILET` kernel), SAMPLERS.md "Microcanonical family". `smile-precond` is this sampler
/// with gradient-noise preconditioning (see `SMILEPreconditioned`).
///
/// One step: the isokinetic McLachlan integrator of `sg-mclmc` (two minibatch gradients on
/// one batch drawn for the step, cost 2n, NaN → 0, clipped to ±1e6) with step ε and no explicit momentum refresh — the
/// gradient noise supplies it; the momentum starts at zero (so the first update turns it to
/// the gradient direction). ΔE = ΔK − (log π(x') − log π(x)) with log π on all data (one
/// potential evaluation per step, counted apart from gradients; see `SGMCLMC` for why).
///
/// Tuner, from running averages with rate β = 0.01 of m = E|ΔE| and s² = Var|ΔE|, a
/// Gamma law of |ΔE| with mean m and variance s² (`EnergyErrorLaw`: the code's Wilson–Hilferty
/// quantiles where they are defined, exact ones where not), thresholds from the statistics
/// before this step:
/// - |ΔE| > Q(p_reset) (or ΔE not finite): reject — keep x and its gradient, zero the momentum,
///   report a reset;
/// - |ΔE| > Q(1 − 2a/3) (or not finite): ε ← ε(1 − δ); |ΔE| < Q(a/3): ε ← ε(1 + δ);
///   ε ∈ [1e−8, 10], ε starts at h; no rejection or adaptation in the first 10 steps
///   (non-finite steps are rejected even then).
/// Defaults are the authors' tuned configurations (`smile_tuning` of their image and UCI
/// configs): p_reset = 0.98, a = 0.1, δ = 0.02, β = 0.01. `reset-quantile=1` never resets and
/// `adapt=never` keeps ε = h; with both the step needs no energy error, so no potential is
/// evaluated (`smile-naive`, `psmile-naive`: the authors' `smiley` and `noisysmile` as their
/// UCI configs run them).
///
/// Exact gradients: SMILE has no momentum refresh but the gradient noise, so at full batch it
/// is deterministic microcanonical dynamics, which do not sample (on N(0, I) they are
/// integrable) — the paper's full-batch counterpart is MILE (`mclmc`), and the authors never
/// run SMILE without minibatches (their batch ablation stops at 12 000 of 12 032 rows). Such a
/// cell is declined before it runs (`needsGradientNoise`).
///
/// Deviations from the code, besides `EnergyErrorLaw`'s: ΔE uses log π on all data (see
/// `SGMCLMC`; the code differences minibatch log densities of two different batches, so its
/// |ΔE| mostly measures batch-to-batch noise); the averages are standard bias-corrected
/// exponential averages (divided by 1 − (1 − β)^n after n updates) where the code seeds them
/// with the first values and corrects by 1 − 0.5^(t−4). Like the code, ε keeps adapting after
/// the warm-up (`adapt=always`); `adapt=warmup` freezes it after the warm-up. On a rejection
/// the gradient at the kept x is restored (the code keeps the gradient of the rejected point,
/// and the log density of the rejected point). ΔE of a non-finite step is not averaged in.
/// The code zeroes the momentum and the stored gradient between its warm-up and sampling
/// runs; a chain here is one run.
/// A step that starts from zero momentum (the first, and the one after each reset) has no
/// defined energy error — the ESH kinetic energy (d − 1) ln|v| is −∞ at v = 0, and the
/// formula for ΔK, which assumes |u| = 1, misses the first kick's share, so |ΔE| ≈ b₁ε|g|:
/// such a step is never rejected for its |ΔE|, does not enter the averages or adapt ε, and
/// reports no ΔE. (Treating it like any other step makes a reset trigger the next one: on
/// N(0, I₁₀₀) with exact gradients 80 % of steps became resets.)
public struct SMILE: Sampler {
    public let stepSize: Double
    public let preconditioned: Bool
    public let adaptsAfterWarmup: Bool
    public let tailMass: Double
    public let adaptionStrength: Double
    public let smoothing: Double
    public let resetProbability: Double
    public let adapts: Bool
    /// z_p for the reset, upper and lower thresholds.
    let zReset: Double, zUpper: Double, zLower: Double

    public static let id = "smile"
    public static let summary = "stochastic microcanonical Langevin with the energy-variance tuner (arXiv 2602.06500)"
    public static let stepSizePolicy = StepSizePolicy.adaptiveInitial(StepSizeDefault(0.1, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 1e-6...0.99, help: "tail mass of the adaptation thresholds Q(a/3), Q(1 − 2a/3)")
        public var a = 0.1
        @Real(in: 0...0.99, help: "relative step-size change per adaptation")
        public var delta = 0.02
        @Real(in: 1e-6...1, help: "rate β of the running averages of |ΔE|")
        public var rate = 0.01
        @Real(in: 0.5...1, help: "reject steps with |ΔE| above this quantile (1: never)")
        public var resetQuantile = 0.98
        @Choice(help: "adapt ε during the whole run, the warm-up only, or never (ε = h)")
        public var adapt = Adaptation.always
        public init() {}
    }

    /// When ε adapts.
    public enum Adaptation: String, ParameterChoice { case always, warmup, never }
    public static let minimumDimension = 2
    public static let needsGradientNoise = true

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 2, setupBatchGradients: 1)
    }

    public init(stepSize h: Double, parameters p: Parameters) {
        self = SMILE(stepSize: h, preconditioned: false, parameters: p)
    }

    init(stepSize: Double, preconditioned: Bool, parameters p: Parameters) {
        self.stepSize = stepSize
        self.preconditioned = preconditioned
        adaptsAfterWarmup = p.adapt == .always
        adapts = p.adapt != .never
        tailMass = p.a
        adaptionStrength = p.delta
        smoothing = p.rate
        resetProbability = p.resetQuantile
        zReset = gsl_cdf_ugaussian_Pinv(resetProbability)
        zUpper = gsl_cdf_ugaussian_Pinv(1 - 2 * tailMass / 3)
        zLower = gsl_cdf_ugaussian_Pinv(tailMass / 3)
    }

    public struct State: SamplerState {
        var dynamics: IsokineticDynamics
        public var position: [Double] { dynamics.position }
        /// The current ε.
        public internal(set) var stepSize: Double
        var logDensity: Double
        var t = 0
        let warmup: Int
        /// The momentum is zero (start, or after a reset).
        var fromRest = true
        /// Raw exponential averages of |ΔE| and of its squared deviation, and their updates.
        var meanRaw = 0.0, varianceRaw = 0.0, updates = 0
        /// Preconditioning (smile-precond): EMAs of g and of (g − ḡ)², and M^(−1/2) = 1/σ̃.
        var gradientMean: [Double]
        var gradientVariance: [Double]
        var scale: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, warmup: 0, oracle: &oracle, rng: &rng)
    }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        var dynamics = IsokineticDynamics(position: position)
        dynamics.evaluateGradient(.stochasticClipped, oracle: &oracle)
        let d = position.count
        return State(dynamics: dynamics, stepSize: stepSize, logDensity: tunes ? -oracle.potential(at: position) : 0, warmup: warmup,
                     gradientMean: [Double](repeating: 0, count: preconditioned ? d : 0),
                     gradientVariance: [Double](repeating: 0, count: preconditioned ? d : 0),
                     scale: [Double](repeating: 1, count: d))
    }

    /// Whether the step needs its energy error: it can reset or adapt ε.
    var tunes: Bool { adapts || resetProbability < 1 }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        var info = StepInfo()
        state.dynamics.save()
        oracle.drawBatch()
        let kinetic = state.dynamics.mclachlanStep(
            stepSize: state.stepSize, scale: preconditioned ? state.scale : nil,
            source: .stochasticClipped, oracle: &oracle)
        if !tunes {
            // No resets, no adaptation: no energy error needed (the authors' naive variants).
            if preconditioned { updatePreconditioner(&state) }
            state.fromRest = false
            state.t += 1
            return info
        }
        let newLogDensity = -oracle.potential(at: state.dynamics.position)
        let energyError = kinetic - (newLogDensity - state.logDensity)
        let size = abs(energyError)
        let finite = energyError.isFinite && state.dynamics.isFinite
        let fromRest = state.fromRest
        state.fromRest = false
        if !fromRest {
            info.energyError = energyError
            info.kineticChange = kinetic
        }

        let active = state.t >= 10 && state.updates > 0 && !fromRest
        var upper = Double.infinity, lower = -Double.infinity, resetAt = Double.infinity
        if active {
            let correction = 1 - pow(1 - smoothing, Double(state.updates))
            let law = EnergyErrorLaw(mean: state.meanRaw / correction, variance: state.varianceRaw / correction)
            resetAt = law.quantile(resetProbability, normalScore: zReset)
            if adapts {
                upper = law.quantile(1 - 2 * tailMass / 3, normalScore: zUpper)
                lower = law.quantile(tailMass / 3, normalScore: zLower)
            }
        }
        if !finite || size > resetAt {
            state.dynamics.restore()
            for i in 0..<state.dynamics.dimension { state.dynamics.momentum[i] = 0 }
            state.fromRest = true
            info.reset = true
        } else {
            state.logDensity = newLogDensity
        }
        if adapts && (active || !finite) && state.t >= 10 && (adaptsAfterWarmup || state.t < state.warmup) {
            if !finite || size > upper {
                state.stepSize *= 1 - adaptionStrength
            } else if size < lower {
                state.stepSize *= 1 + adaptionStrength
            }
            state.stepSize = min(max(state.stepSize, 1e-8), 10)
        }
        if finite && !fromRest {
            state.updates += 1
            state.meanRaw = (1 - smoothing) * state.meanRaw + smoothing * size
            let correction = 1 - pow(1 - smoothing, Double(state.updates))
            let deviation = size - state.meanRaw / correction
            state.varianceRaw = (1 - smoothing) * state.varianceRaw + smoothing * deviation * deviation
        }
        if preconditioned && !info.reset { updatePreconditioner(&state) }
        state.t += 1
        return info
    }

    /// smile-precond: ḡ ← 0.99ḡ + 0.01g, σ̂² ← 0.99σ̂² + 0.01(g − ḡ)² with g the gradient at the
    /// new position (sum scale), σ = clip(σ̂, 1e−2, 1e4), σ̃ = σ / RMS(σ), M^(−1/2) = 1/σ̃.
    private func updatePreconditioner(_ state: inout State) {
        let d = state.dynamics.dimension
        var sumOfSquares = 0.0
        for i in 0..<d {
            let g = state.dynamics.gradient[i]
            state.gradientMean[i] = 0.99 * state.gradientMean[i] + 0.01 * g
            let deviation = g - state.gradientMean[i]
            state.gradientVariance[i] = 0.99 * state.gradientVariance[i] + 0.01 * deviation * deviation
            let sigma = min(max(state.gradientVariance[i].squareRoot(), 1e-2), 1e4)
            state.scale[i] = sigma
            sumOfSquares += sigma * sigma
        }
        let rms = (sumOfSquares / Double(d)).squareRoot()
        for i in 0..<d { state.scale[i] = rms / state.scale[i] }
    }
}
