import Foundation
import Workbench

/// `mala`: the Metropolis-adjusted Langevin algorithm (Roberts & Tweedie 1996) with full
/// gradients and a diagonal inverse mass M⁻¹ (SAMPLERS.md "Reference samplers").
///
/// Proposal in the workbench's convention (drift −h∇U, noise √(2h)): θ' = θ − h M⁻¹∇U(θ) +
/// √(2h) M^(−1/2) ξ, accepted with probability min(1, e^(−U(θ') + U(θ)) q(θ | θ') / q(θ' | θ)),
/// log q(b | a) = −|b − a + hM⁻¹∇U(a)|²_M / (4h). Cost per step: one full gradient (N) and one
/// full-data potential evaluation, both through the oracle.
///
/// Warm-up (`MetropolisAdaptation`): h by dual averaging towards acceptance 0.57 (Roberts &
/// Rosenthal's optimum for MALA), M⁻¹ from the variance of the warm-up positions. The first h
/// is `step-size` (default 0.1). A proposal whose potential or gradient is not finite is
/// rejected (acceptance 0): the chain stays where it was and never becomes non-finite.
/// `info.acceptance` is the acceptance probability, `info.energyError` −log of the
/// Metropolis–Hastings ratio.
public struct MALA: Sampler {
    public let initialStepSize: Double
    public let targetAcceptance: Double

    public static let plugin = SamplerPlugin(
        id: "mala", summary: "Metropolis-adjusted Langevin, full gradients, dual averaging and a diagonal mass matrix",
        hyperparameters: [
            ParameterSpec("step-size", default: 0.1, in: 1e-12...1e300, "initial h (adapted during the warm-up)"),
            ParameterSpec("target-acceptance", default: 0.57, in: 0.01...0.99, "acceptance the dual averaging aims at"),
        ],
        usesStepSize: false
    ) { _, p in
        MALA(initialStepSize: p.number("step-size"), targetAcceptance: p.number("target-acceptance"))
    }

    public struct State: SamplerState {
        var chain: MetropolisChain
        public var position: [Double] { chain.position }
        public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { chain.position.withUnsafeBufferPointer(body) }
        /// The current step size h.
        public var stepSize: Double { chain.adaptation.stepSize }
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, warmup: 0, oracle: &oracle, rng: &rng)
    }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        State(chain: MetropolisChain(position: position, warmup: warmup, stepSize: initialStepSize,
                                     targetAcceptance: targetAcceptance, oracle: &oracle))
    }

    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { dataSize }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let d = state.chain.position.count
        let h = state.chain.adaptation.stepSize
        let noise = (2 * h).squareRoot()
        for i in 0..<d {
            let m = state.chain.adaptation.inverseMass[i]
            state.chain.proposal[i] = state.chain.position[i] - h * m * state.chain.gradient[i]
                + noise * state.chain.adaptation.inverseMassRoot[i] * rng.normal()
        }
        oracle.fullGradient(at: state.chain.proposal, into: &state.chain.proposalGradient)
        let proposed = oracle.potential(at: state.chain.proposal)
        // log q(θ | θ') − log q(θ' | θ), with |v|²_M = Σ v_i² / M⁻¹_i.
        var forward = 0.0, backward = 0.0
        for i in 0..<d {
            let m = state.chain.adaptation.inverseMass[i]
            let f = state.chain.proposal[i] - state.chain.position[i] + h * m * state.chain.gradient[i]
            let b = state.chain.position[i] - state.chain.proposal[i] + h * m * state.chain.proposalGradient[i]
            forward += f * f / m
            backward += b * b / m
        }
        let logRatio = state.chain.potential - proposed - (backward - forward) / (4 * h)
        var acceptance = logRatio.isNaN ? 0 : min(1, exp(logRatio))
        if !proposed.isFinite || !state.chain.proposalGradient.allSatisfy(\.isFinite) { acceptance = 0 }
        state.chain.acceptOrReject(acceptance, proposedPotential: proposed, rng: &rng)
        var info = StepInfo()
        info.acceptance = acceptance
        info.energyError = -logRatio
        return info
    }
}
