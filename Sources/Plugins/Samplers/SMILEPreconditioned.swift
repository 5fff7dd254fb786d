import Workbench

/// `smile-precond`: `smile` plus the gradient-noise preconditioning of seed 000 (SMILE,
/// arXiv 2602.06500; SAMPLERS.md "Microcanonical family"). Per step, with g the minibatch
/// gradient at the new position: ḡ ← 0.99ḡ + 0.01g, σ̂² ← 0.99σ̂² + 0.01(g − ḡ)²,
/// σ̃ = clip(σ̂, 1e−2, 1e4) / RMS(clip(σ̂, 1e−2, 1e4)); the next steps move x ← x + s u/σ̃ and
/// the ESH update sees g/σ̃ (M^(−1/2) = 1/σ̃). The averages start at zero, so σ̃ starts at 1;
/// rejected steps do not update them. Everything else — integrator, cost 2n per step, tuner,
/// resets — is `smile`'s (see `SMILE` for the resolutions of ambiguities).
public enum SMILEPreconditioned {
    public static let plugin = SamplerPlugin(
        id: "smile-precond", summary: "smile with gradient-noise preconditioning (seed 000)",
        stepSizeDefault: StepSizeDefault(0.1, scaling: .length, adaptive: true),
        hyperparameters: SMILE.hyperparameters(),
        minimumDimension: 2
    ) { h, p in
        SMILE(stepSize: h, preconditioned: true, parameters: p)
    }
}
