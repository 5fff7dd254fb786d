import Foundation
import Workbench

/// `hmc`: Hamiltonian Monte Carlo (Duane et al. 1987; Neal 2011) with full gradients, a
/// fixed number L of leapfrog steps and a diagonal mass matrix (SAMPLERS.md "Reference
/// samplers").
///
/// Each step draws p ~ N(0, M), runs L leapfrog steps of length ε·j (j uniform in
/// [1 − jitter, 1 + jitter], against the resonances of a fixed trajectory length) for
/// H(θ, p) = U(θ) + ½ pᵀM⁻¹p, and accepts with probability min(1, e^(−ΔH)). Cost per step:
/// L full gradients (the gradient at the current point is kept) and one full-data potential
/// evaluation, through the oracle. `info.energyError` is ΔH, `info.kineticChange` the change
/// of ½ pᵀM⁻¹p, `info.acceptance` the acceptance probability.
///
/// Warm-up (`MetropolisAdaptation`): ε by dual averaging towards acceptance 0.8 (Stan's
/// default), M⁻¹ from the variance of the warm-up positions; the first ε is the step size h
/// (default 0.1). A trajectory that reaches a non-finite potential or gradient is rejected
/// (acceptance 0): the chain stays where it was.
public struct HMC: MetropolisSampler {
    public let initialStepSize: Double
    public let targetAcceptance: Double
    public let leapfrogSteps: Int
    public let jitter: Double

    public static let id = "hmc"
    public static let summary = "Hamiltonian Monte Carlo, full gradients, dual averaging and a diagonal mass matrix"
    /// ε starts at h = 0.1 whatever the target (dual averaging moves it from there).
    public static let stepSizePolicy = StepSizePolicy.adaptiveInitial(StepSizeDefault(0.1, scaling: .none))
    public struct Parameters: ParameterSet {
        @Integer(in: 1...10_000, help: "leapfrog steps L per iteration")
        public var leapfrogSteps = 10
        @Real(in: 0...0.9, help: "ε is multiplied by a uniform draw in [1 − jitter, 1 + jitter]")
        public var jitter = 0.1
        @Real(in: 0.01...0.99, help: "acceptance the dual averaging aims at")
        public var targetAcceptance = 0.8
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(fullGradientsPerStep: p.leapfrogSteps, setupFullGradients: 1)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let d = state.position.count
        let eps = state.adaptation.stepSize * (1 + jitter * (2 * rng.uniform() - 1))
        var kineticBefore = 0.0
        for i in 0..<d {
            // p ~ N(0, M), M = 1/M⁻¹.
            let p = rng.normal() / state.adaptation.inverseMassRoot[i]
            state.momentum[i] = p
            kineticBefore += 0.5 * p * p * state.adaptation.inverseMass[i]
            state.proposal[i] = state.position[i]
            state.proposalGradient[i] = state.gradient[i]
        }
        var finite = true
        for _ in 0..<leapfrogSteps {
            for i in 0..<d {
                state.momentum[i] -= 0.5 * eps * state.proposalGradient[i]
                state.proposal[i] += eps * state.adaptation.inverseMass[i] * state.momentum[i]
            }
            oracle.fullGradient(at: state.proposal, into: &state.proposalGradient)
            var check = 0.0
            for i in 0..<d {
                state.momentum[i] -= 0.5 * eps * state.proposalGradient[i]
                check += state.proposalGradient[i] * 0
            }
            if check != 0 { finite = false }  // NaN or ±∞ somewhere
        }
        var kineticAfter = 0.0
        for i in 0..<d { kineticAfter += 0.5 * state.momentum[i] * state.momentum[i] * state.adaptation.inverseMass[i] }
        let proposed = oracle.potential(at: state.proposal)
        let energyError = (proposed + kineticAfter) - (state.potential + kineticBefore)
        var acceptance = energyError.isNaN ? 0 : min(1, exp(-energyError))
        if !finite || !proposed.isFinite { acceptance = 0 }
        state.acceptOrReject(acceptance, proposedPotential: proposed, rng: &rng)
        var info = StepInfo()
        info.acceptance = acceptance
        info.energyError = energyError
        info.kineticChange = kineticAfter - kineticBefore
        return info
    }
}

extension HMC {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = HMC(initialStepSize: h, targetAcceptance: p.targetAcceptance,
            leapfrogSteps: p.leapfrogSteps, jitter: p.jitter)
    }
}
