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
/// is the step size h (default 0.1). A proposal whose potential or gradient is not finite is
/// rejected (acceptance 0): the chain stays where it was and never becomes non-finite.
/// `info.acceptance` is the acceptance probability, `info.energyError` −log of the
/// Metropolis–Hastings ratio.
public struct MALA: MetropolisSampler {
    public let initialStepSize: Double
    public let targetAcceptance: Double

    public static let id = "mala"
    public static let summary = "Metropolis-adjusted Langevin, full gradients, dual averaging and a diagonal mass matrix"
    /// h starts at 0.1 whatever the target (dual averaging moves it from there).
    public static let stepSizePolicy = StepSizePolicy.adaptiveInitial(StepSizeDefault(0.1, scaling: .none))
    public struct Parameters: ParameterSet {
        @Real(in: 0.01...0.99, help: "acceptance the dual averaging aims at")
        public var targetAcceptance = 0.57
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(fullGradientsPerStep: 1, setupFullGradients: 1)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let d = state.position.count
        let h = state.adaptation.stepSize
        let noise = (2 * h).squareRoot()
        for i in 0..<d {
            let m = state.adaptation.inverseMass[i]
            state.proposal[i] = state.position[i] - h * m * state.gradient[i]
                + noise * state.adaptation.inverseMassRoot[i] * rng.normal()
        }
        oracle.fullGradient(at: state.proposal, into: &state.proposalGradient)
        let proposed = oracle.potential(at: state.proposal)
        // log q(θ | θ') − log q(θ' | θ), with |v|²_M = Σ v_i² / M⁻¹_i.
        var forward = 0.0, backward = 0.0
        for i in 0..<d {
            let m = state.adaptation.inverseMass[i]
            let f = state.proposal[i] - state.position[i] + h * m * state.gradient[i]
            let b = state.position[i] - state.proposal[i] + h * m * state.proposalGradient[i]
            forward += f * f / m
            backward += b * b / m
        }
        let logRatio = state.potential - proposed - (backward - forward) / (4 * h)
        var acceptance = logRatio.isNaN ? 0 : min(1, exp(logRatio))
        if !proposed.isFinite || !state.proposalGradient.allSatisfy(\.isFinite) { acceptance = 0 }
        state.acceptOrReject(acceptance, proposedPotential: proposed, rng: &rng)
        var info = StepInfo()
        info.acceptance = acceptance
        info.energyError = -logRatio
        return info
    }
}

extension MALA {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = MALA(initialStepSize: h, targetAcceptance: p.targetAcceptance)
    }
}
