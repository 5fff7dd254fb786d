import Foundation
import Workbench

/// `sg-mclmc`: the MCLMC dynamics of `mclmc` fed minibatch gradients, with fixed ε = h and L
/// (SAMPLERS.md "Microcanonical family"): the naive stochastic version whose bias seed 000
/// (SMILE, arXiv 2602.06500) analyses.
///
/// One step: partial refresh for ε/2, the isokinetic McLachlan integrator with two minibatch
/// gradients ∇Ũ (each on the oracle's next minibatch, so cost 2n per step; NaN set to 0 and
/// entries clipped to ±1e6 as in the SMILE code), partial refresh for ε/2,
/// ν = √((e^(2s/L) − 1)/d). L defaults to √d (BlackJAX's starting value).
///
/// ΔE = ΔK − (log π(x') − log π(x)) with log π on all data: one full-data potential
/// evaluation per step, counted by the oracle as a potential evaluation (not a gradient) and
/// reported in the run record. Resolution of an ambiguity: the SMILE code differences the
/// minibatch log-likelihoods it gets with its gradients (of two different batches), which
/// the oracle does not offer; the path integral of the gradients cannot replace log π (see
/// `IsokineticDynamics.mclachlanStep`). ΔE is reported, not used.
///
/// Non-finite anything: the step is reverted with a fresh unit momentum and reported as a
/// divergence (ε is fixed, so there is nothing to tune away).
public struct SGMCLMC: Sampler {
    public let stepSize: Double
    public let decoherenceLength: Double

    public static let plugin = SamplerPlugin(
        id: "sg-mclmc", summary: "MCLMC with minibatch gradients, fixed ε = h and L (the naive version of seed 000)",
        stepSizeDefault: StepSizeDefault(0.3, scaling: .length),
        hyperparameters: [
            ParameterSpec("L", default: 0, in: 0...1e12, "momentum decoherence length; 0: √d"),
        ],
        minimumDimension: 2
    ) { h, p in
        SGMCLMC(stepSize: h, decoherenceLength: p.number("L"))
    }

    public struct State: SamplerState {
        var dynamics: IsokineticDynamics
        public var position: [Double] { dynamics.position }
        public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { dynamics.position.withUnsafeBufferPointer(body) }
        let decoherenceLength: Double
        var logDensity: Double
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        var dynamics = IsokineticDynamics(position: position)
        dynamics.evaluateGradient(.stochasticClipped, oracle: &oracle)
        dynamics.randomizeMomentum(rng: &rng)
        return State(dynamics: dynamics,
                     decoherenceLength: decoherenceLength > 0 ? decoherenceLength : Double(position.count).squareRoot(),
                     logDensity: -oracle.potential(at: position))
    }

    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { 2 * batchSize }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        var info = StepInfo()
        let eps = stepSize, L = state.decoherenceLength
        state.dynamics.save()
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        let kinetic = state.dynamics.mclachlanStep(
            stepSize: eps, scale: nil, source: .stochasticClipped, oracle: &oracle)
        let newLogDensity = -oracle.potential(at: state.dynamics.position)
        let energyError = kinetic - (newLogDensity - state.logDensity)
        guard energyError.isFinite, state.dynamics.isFinite else {
            state.dynamics.restore()
            state.dynamics.randomizeMomentum(rng: &rng)
            info.diverged = true
            return info
        }
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        state.logDensity = newLogDensity
        info.energyError = energyError
        info.kineticChange = kinetic
        return info
    }
}
