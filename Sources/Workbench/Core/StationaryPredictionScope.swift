/// Where a sampler's predicted stationary law (`StationaryPrediction`, the table at the end of
/// SAMPLERS.md) can be set beside a run's draws: the law is the limit of small step size, exact
/// (full-batch) gradients and a long run — the draws' time average — so a report draws it only
/// for a run that comes close to all three:
///
/// - full batch: a minibatch adds gradient noise the laws leave out (the workbench does not even
///   store a prediction for a minibatch run; `MarginalHistogram`);
/// - h ≤ ``maxStepSize`` (0.001): apart from `sgld`'s, whose N(0, 1/(1 − h/2)) holds at every
///   stable h, the laws are zero-flux Fokker–Planck solutions (arXiv 2403.08609): the h → 0
///   limit of the Euler–Maruyama chain (error O(h)) with a metric that follows θ at once (the
///   fast-adaptation limit). The samplers' metrics remember about 100 steps (EMA α = 0.99,
///   `sgrld-shampoo`'s refresh of 100 in the quick grid), so at h ≤ 0.001 that memory spans at
///   most 0.1 time units, a tenth of the target's relaxation time. At h = 0.01 it spans a whole
///   one, and the laws no longer describe the chains: the quick grid's `sgrld-shampoo`
///   (refresh 100, h = 0.009) draws variance 1.17 against its law's 2. (With the memory switched
///   off the laws hold up to h = 0.01: PluginsTests/StationaryTests.)
/// - chains × (steps − warm-up) × h ≥ ``minTimeUnits`` (200): on N(0, 1) the Langevin
///   diffusion relaxes in one time unit (x² in half of one: τ_int(x²) = 1), so the draws' ESS
///   for the variance is about the time they span, and 200 units bound its relative standard
///   error √(2/ESS) by 10 %: enough to tell the laws' variances (0.47, 1, 2) apart.
///   (Preconditioned samplers move at other speeds; this is a floor, not a guarantee.)
///
/// `seed-001` (h = 10⁻⁴, full batch, 9 × 10⁶ steps after warm-up: 900 time units) is inside.
public enum StationaryPredictionScope {
    public static let maxStepSize = 0.001
    public static let minTimeUnits = 200.0

    /// Nil when a predicted law applies to the run; else why not, in one line
    /// ("h = 0.5 > 0.001: the law is the small-step limit").
    public static func whyNot(stepSize: Double?, batchSize: BatchSize, chains: Int, steps: Int, warmup: Int) -> String? {
        guard case .full = batchSize else { return "minibatch gradients: the law assumes full batch" }
        if let h = stepSize, h > maxStepSize {
            return "h = \(formatNumber(h)) > \(formatNumber(maxStepSize)): the law is the small-step limit"
        }
        let time = Double(chains) * Double(max(steps - warmup, 0)) * (stepSize ?? 1)
        if stepSize != nil, time < minTimeUnits {
            return "\(formatNumber(time)) time units < \(formatNumber(minTimeUnits)): too short for the long-run law"
        }
        return nil
    }
}

extension CellResult {
    /// Nil when the stored predicted law (`marginal.predictedFormula`) applies to this run
    /// (`StationaryPredictionScope`), else why not; nil also without a prediction.
    public var predictionOutOfScope: String? {
        guard marginal?.predictedFormula != nil else { return nil }
        return StationaryPredictionScope.whyNot(stepSize: stepSize, batchSize: batchSize, chains: chains, steps: steps, warmup: warmup)
    }
}
