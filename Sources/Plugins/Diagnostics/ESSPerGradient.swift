import Workbench

/// `ess-per-gradient`: sampling efficiency per unit of cost (DIAGNOSTICS.md).
///
/// ESS = min over coordinates of the bulk-ESS (Vehtari et al. 2021, as `ess` computes it) of
/// f(x) = x and f(x) = x², on the stored draws of the healthy chains
/// (`RunRecord.minimumBulkESS()`), divided by
/// - `ess-per-gradient`: the gradient evaluations in full-gradient equivalents (per-datum
///   evaluations / N, SAMPLERS.md), warm-up included, over all chains;
/// - `ess-per-step`: the sampler steps (minibatch steps) over all chains, warm-up included;
/// - `ess-per-second`: the wall time of the run.
/// `ess-min` is the numerator itself. Each ratio is nil when its denominator is unknown
/// (imported draws) or zero (the `exact` sampler spends no gradient), and all are nil when
/// the ESS is undefined (every chain diverged, a constant coordinate, too few draws).
public struct ESSPerGradientDiagnostic: Diagnostic {
    public static let id = "ess-per-gradient"
    public static let summary = "min bulk-ESS of x and x² per full gradient, per step and per second"

    public static let declaredMetrics: [MetricName] = [.essMin, .essPerGradient]

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let (x, squares) = run.minimumBulkESS()
        let ess = x.flatMap { x in squares.map { min(x, $0) } }
        func per(_ denominator: Double?) -> Double? {
            guard let ess, let denominator, denominator > 0 else { return nil }
            return ess / denominator
        }
        return [
            Metric(diagnostic: id, name: .essMin, value: ess, unit: "draws", direction: .higherIsBetter),
            Metric(diagnostic: id, name: .essPerGradient, value: per(run.gradientCount),
                   unit: "draws per full gradient", direction: .higherIsBetter),
            Metric(diagnostic: id, name: "ess-per-step", value: per(run.stepCount.map(Double.init)),
                   unit: "draws per step", direction: .higherIsBetter),
            Metric(diagnostic: id, name: "ess-per-second", value: per(run.knownWallSeconds),
                   unit: "draws per second", direction: .higherIsBetter),
        ]
    }
}
