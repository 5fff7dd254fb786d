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
/// ΔE = ΔK − Δlog π with Δlog π estimated by the trapezoid rule on each position sub-step
/// from the gradients the step already has: the oracle has no minibatch potential, a
/// full-data one would cost a pass over the data, and the trapezoid is exact for quadratic
/// log π when both ends use the same minibatch. Resolution of an ambiguity: the SMILE code
/// differences minibatch log-likelihoods of two different batches, which adds the
/// batch-to-batch jump of the potential to ΔE; this ΔE measures the integrator's error under
/// the gradients it was fed. ΔE is reported, not used.
///
/// Non-finite anything: the step is reverted with a fresh unit momentum and reported as a
/// divergence (ε is fixed, so there is nothing to tune away).
public struct SGMCLMC: Sampler {
    public let stepSize: Double
    public let decoherenceLength: Double

    public static let plugin = SamplerPlugin(
        id: "sg-mclmc", summary: "MCLMC with minibatch gradients, fixed ε = h and L (the naive version of seed 000)",
        hyperparameters: [
            ParameterSpec("L", default: 0, in: 0...1e12, "momentum decoherence length; 0: √d"),
        ]
    ) { h, p in
        SGMCLMC(stepSize: h, decoherenceLength: p.number("L"))
    }

    public struct State: SamplerState {
        var dynamics: IsokineticDynamics
        public var position: [Double] { dynamics.position }
        let decoherenceLength: Double
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        var dynamics = IsokineticDynamics(position: position)
        dynamics.evaluateGradient(.stochasticClipped, oracle: &oracle)
        dynamics.randomizeMomentum(rng: &rng)
        return State(dynamics: dynamics,
                     decoherenceLength: decoherenceLength > 0 ? decoherenceLength : Double(position.count).squareRoot())
    }

    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { 2 * batchSize }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        var info = StepInfo()
        let eps = stepSize, L = state.decoherenceLength
        state.dynamics.save()
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        let (kinetic, work) = state.dynamics.mclachlanStep(
            stepSize: eps, scale: nil, source: .stochasticClipped, oracle: &oracle)
        let energyError = kinetic - work
        guard energyError.isFinite, state.dynamics.isFinite else {
            state.dynamics.restore()
            state.dynamics.randomizeMomentum(rng: &rng)
            info.diverged = true
            return info
        }
        state.dynamics.refreshMomentum(time: eps / 2, decoherenceLength: L, rng: &rng)
        info.energyError = energyError
        info.kineticChange = kinetic
        return info
    }
}
