import Workbench

/// `smile-precond`: `smile` plus the gradient-noise preconditioning of SMILE
/// (arXiv 2602.06500; SAMPLERS.md "Microcanonical family"). Per step, with g the minibatch
/// gradient at the new position: ḡ ← 0.99ḡ + 0.01g, σ̂² ← 0.99σ̂² + 0.01(g − ḡ)²,
/// σ̃ = clip(σ̂, 1e−2, 1e4) / RMS(clip(σ̂, 1e−2, 1e4)); the next steps move x ← x + s u/σ̃ and
/// the ESH update sees g/σ̃ (M^(−1/2) = 1/σ̃). The averages start at zero, so σ̃ starts at 1;
/// rejected steps do not update them. Everything else — integrator, cost 2n per step, tuner,
/// resets — is `smile`'s (see `SMILE` for the resolutions of ambiguities).
public struct SMILEPreconditioned: SMILEConfiguration {
    /// `smile` with the preconditioner switched on: every step is its.
    public let smile: SMILE

    public static let id = "smile-precond"
    public static let summary = "smile with gradient-noise preconditioning (arXiv 2602.06500)"
    public static let stepSizePolicy = SMILE.stepSizePolicy
    public typealias Parameters = SMILE.Parameters
    public static let minimumDimension = SMILE.minimumDimension
    public static let needsGradientNoise = SMILE.needsGradientNoise

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        SMILE.gradientCost(parameters: p, target: target)
    }

    public init(stepSize h: Double, parameters p: Parameters) {
        smile = SMILE(stepSize: h, preconditioned: true, parameters: p)
    }
}
