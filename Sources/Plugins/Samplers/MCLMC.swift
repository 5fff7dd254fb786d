import Foundation
import Workbench

/// `mclmc`: microcanonical Langevin Monte Carlo (Robnik, De Luca, Silverstein & Seljak 2023),
/// full gradients, with BlackJAX's tuner of ε and L (SAMPLERS.md "Microcanonical family").
///
/// One step of length ε: partial refresh u ← normalise(u + νz) for ε/2, the isokinetic
/// McLachlan integrator (b₁ = 0.1931833275037836, a = ½, b₂ = 1 − 2b₁; two full gradients),
/// another partial refresh for ε/2, with ν = √((e^(2s/L) − 1)/d) for a time s. Energy error
/// ΔE = ΔK − (log π(x') − log π(x)), log π from one full-data potential evaluation per step
/// (counted by the oracle as a potential evaluation, not a gradient). Cost: 2N per step.
///
/// Tuner (BlackJAX `mclmc_find_L_and_step_size` defaults), run inside the warm-up W
/// (its gradients count): start ε = h (default 0.25√d), L = √d (or the given `L`).
/// - Steps [0, n₁ + n₂) adapt ε to Var[ΔE]/d = `energy-variance` (5e−4): ξ = ΔE²/(d·5e−4) +
///   1e−8, w = exp(−½(ln ξ / 9)²), x̄ ← γx̄ + wξ/ε⁶, t ← γt + w, ε = (x̄/t)^(−1/6), γ =
///   (n_eff − 1)/(n_eff + 1), n_eff = 150; ε ≤ ε_max.
/// - Steps [n₁, n₁ + n₂) also collect Var[x] and then set L = √(Σ Var[x_i]).
/// - Steps [n₁ + n₂, n₁ + n₂ + n₃) run with ε fixed, store the positions, and then set
///   L = 0.4 ε · mean_i(n₃ / ESS_i) (single-chain ESS of each coordinate).
/// n₁, n₂, n₃ are `tune1`, `tune2`, `tune3` (0.1 each) of the warm-up steps: SAMPLERS.md's
/// "10 % of warm-up steps" read literally, so the rest of the warm-up is burn-in at the tuned
/// ε and L. With no warm-up (or `tune=off`) nothing is tuned.
///
/// Non-finite anything (ΔE, position, gradient, log π): the step is reverted to the previous
/// position and gradient with a fresh random unit momentum. While ε is being tuned this is
/// BlackJAX's `handle_nans` — a reset (`info.reset`) that caps ε_max ← 0.8ε; afterwards, at
/// fixed ε, it is reported as a divergence (`info.diverged`), which stops the chain.
public struct MCLMC: Sampler {
    public let initialStepSize: Double
    public let initialL: Double
    public let tunes: Bool
    public let targetEnergyVariance: Double
    public let tuneFractions: (Double, Double, Double)
    public let effectiveSamples: Double
    public let lFactor: Double

    public static let id = "mclmc"
    public static let summary = "microcanonical Langevin MC, full gradients, with the Var[ΔE]/d tuner (Robnik et al. 2023)"
    /// ε starts at h, by default BlackJAX's 0.25√d whatever the target's scale; with
    /// `tune=off`, h is the fixed ε of the whole run.
    public static let stepSizePolicy = StepSizePolicy.adaptiveInitial(StepSizeDefault(0.25, scaling: .none, growsWithDimension: true))
    public struct Parameters: ParameterSet {
        @Real(name: "L", in: 0...1e12, help: "initial momentum decoherence length; 0: √d")
        public var decoherenceLength = 0.0
        @Choice(help: "tune ε and L during the warm-up")
        public var tune = Tuning.on
        @Real(in: 1e-8...1, help: "target Var[ΔE]/d of the tuner")
        public var energyVariance = 5e-4
        @Real(in: 0...1, help: "fraction of the warm-up tuning ε")
        public var tune1 = 0.1
        @Real(in: 0...1, help: "fraction of the warm-up tuning ε and L = √ΣVar[x]")
        public var tune2 = 0.1
        @Real(in: 0...1, help: "fraction of the warm-up setting L from the ESS")
        public var tune3 = 0.1
        @Real(in: 1...1e6, help: "effective samples of the tuner's averages")
        public var nEff = 150.0
        @Real(in: 0...1e3, help: "L = l-factor · ε · mean(n/ESS) in phase 3")
        public var lFactor = 0.4
        public init() {}
    }

    /// Whether the warm-up tunes ε and L.
    public enum Tuning: String, ParameterChoice { case on, off }
    public static let minimumDimension = 2

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(fullGradientsPerStep: 2, setupFullGradients: 1)
    }

    public struct State: SamplerState {
        var dynamics: IsokineticDynamics
        public var position: [Double] { dynamics.position }
        /// log π at the position.
        var logDensity: Double
        /// ε and L now.
        public internal(set) var stepSize: Double
        public internal(set) var decoherenceLength: Double
        var stepSizeMax = Double.infinity
        /// Steps taken.
        var t = 0
        /// Phase boundaries: ε tuning ends at `phase2End`, the variance window is
        /// [phase1End, phase2End), the ESS window [phase2End, phase3End).
        let phase1End: Int, phase2End: Int, phase3End: Int
        var weightedXi = 0.0, weights = 0.0
        var variance: RunningMoments
        /// Positions of the ESS window, row-major (n₃ × d), allocated once.
        var window: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, warmup: 0, oracle: &oracle, rng: &rng)
    }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        let d = position.count
        var dynamics = IsokineticDynamics(position: position)
        dynamics.evaluateGradient(.full, oracle: &oracle)
        dynamics.randomizeMomentum(rng: &rng)
        let w = tunes ? warmup : 0
        let n1 = Int((tuneFractions.0 * Double(w)).rounded())
        let n2 = Int((tuneFractions.1 * Double(w)).rounded())
        let n3 = Int((tuneFractions.2 * Double(w)).rounded())
        return State(
            dynamics: dynamics, logDensity: -oracle.potential(at: position),
            stepSize: initialStepSize,
            decoherenceLength: initialL > 0 ? initialL : Double(d).squareRoot(),
            phase1End: n1, phase2End: n1 + n2, phase3End: n1 + n2 + n3,
            variance: RunningMoments(dimension: d), window: [Double](repeating: 0, count: n3 * d))
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        var info = StepInfo()
        let d = state.dynamics.dimension
        let eps = state.stepSize, L = state.decoherenceLength
        let tuningStepSize = state.t < state.phase2End
        state.dynamics.save()
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        let kinetic = state.dynamics.mclachlanStep(stepSize: eps, scale: nil, source: .full, oracle: &oracle)
        let newLogDensity = -oracle.potential(at: state.dynamics.position)
        let energyError = kinetic - (newLogDensity - state.logDensity)
        guard energyError.isFinite, state.dynamics.isFinite else {
            state.dynamics.restore()
            state.dynamics.randomizeMomentum(rng: &rng)
            if tuningStepSize {
                state.stepSizeMax = 0.8 * eps
                state.stepSize = min(eps, state.stepSizeMax)
                info.reset = true
            } else {
                info.diverged = true
            }
            state.t += 1
            return info
        }
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        state.logDensity = newLogDensity
        info.energyError = energyError
        info.kineticChange = kinetic

        let t = state.t
        if tuningStepSize {
            let decay = (effectiveSamples - 1) / (effectiveSamples + 1)
            let xi = energyError * energyError / (Double(d) * targetEnergyVariance) + 1e-8
            let logXi = log(xi) / 9  // 9 = 6 × BlackJAX's trust_in_estimate 1.5
            let weight = exp(-0.5 * logXi * logXi)
            state.weightedXi = decay * state.weightedXi + weight * xi / pow(eps, 6)
            state.weights = decay * state.weights + weight
            let proposed = pow(state.weightedXi / state.weights, -1.0 / 6)
            if proposed.isFinite && proposed > 0 { state.stepSize = min(proposed, state.stepSizeMax) }
        }
        if t >= state.phase1End && t < state.phase2End {
            state.variance.add(state.dynamics.position)
            if t == state.phase2End - 1 && state.variance.count >= 2 {
                var total = 0.0
                for v in state.variance.variance { total += v }
                if total.isFinite && total > 0 { state.decoherenceLength = total.squareRoot() }
            }
        }
        if t >= state.phase2End && t < state.phase3End {
            let row = (t - state.phase2End) * d
            for i in 0..<d { state.window[row + i] = state.dynamics.position[i] }
            if t == state.phase3End - 1 { setLFromESS(&state) }
        }
        state.t += 1
        return info
    }

    /// Phase 3: L = l-factor · ε · mean over coordinates of n₃/ESS_i (once per chain; this
    /// one-off computation allocates).
    private func setLFromESS(_ state: inout State) {
        let d = state.dynamics.dimension
        let n = state.phase3End - state.phase2End
        var ratio = 0.0, counted = 0
        for i in 0..<d {
            let chain = (0..<n).map { state.window[$0 * d + i] }
            if let ess = try? ConvergenceStatistics.basicESS([chain]), ess.isFinite, ess > 0 {
                ratio += Double(n) / ess
                counted += 1
            }
        }
        guard counted > 0 else { return }
        let L = lFactor * state.stepSize * ratio / Double(counted)
        if L.isFinite && L > 0 { state.decoherenceLength = L }
    }
}

extension MCLMC {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) throws {
        let fractions = (p.tune1, p.tune2, p.tune3)
        guard fractions.0 + fractions.1 + fractions.2 <= 1 else {
            throw WorkbenchError.invalidValue(
                owner: "sampler mclmc", name: "tune1 + tune2 + tune3",
                value: formatNumber(fractions.0 + fractions.1 + fractions.2), accepted: "a sum ≤ 1 (fractions of the warm-up)")
        }
        self = MCLMC(initialStepSize: h, initialL: p.decoherenceLength, tunes: p.tune == .on,
                     targetEnergyVariance: p.energyVariance, tuneFractions: fractions,
                     effectiveSamples: p.nEff, lFactor: p.lFactor)
    }
}
