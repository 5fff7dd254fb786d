import Workbench

/// `deep-ensemble`: the predictive quality of the deep ensemble a cell's chains started from
/// (`--start ensemble`), the "DE" row of the SMILE paper's tables, on the same test split as
/// `predictive`. Cells with another start get no metrics.
///
/// The ensemble's predictive is the equally weighted mixture of its M members,
/// p(y | x) = (1/M) Σ_m N(y | f_m(x), σ_m²), with each member's own noise σ_m (on a BNN target
/// the maximum-likelihood σ of its network on the training rows, `BNNRegression`'s
/// `startPoint(fromMember:)`), mapped to the original scale by the target. Metrics
/// (`PredictiveMetrics`, as `predictive` computes them for draws): `de-rmse` of the mixture
/// mean (1/M) Σ_m f_m(x_j), and `de-test-log-likelihood` mean_j log p(y_j | x_j); and the SMILE
/// paper's metrics of the same mixture as `predictive` computes them for draws (`de-lppd`,
/// `de-rmse-standardised`, `de-coverage-80`/`-90`/`-95`, `de-calibration-error`).
///
/// Deviation from the authors' code: their DE log predictive density uses the spread of the
/// member means alone, with no observation noise term (their mean-regression members have no
/// σ), which scores a few members that agree as nearly certain; the mixture above includes
/// each member's σ_m.
///
/// Why a diagnostic rather than a pseudo-sampler whose chains sit on the members: such chains
/// would be constant, and the health checks (stuck chains, undefined R̂) would flag them as
/// broken MCMC; here the ensemble's numbers ride along in every cell that starts from it —
/// the same ensemble for every sampler at a seed — and a report reads its "DE" row from them.
public struct DeepEnsembleDiagnostic: Diagnostic {
    public static let id = "deep-ensemble"
    public static let summary = "the starting deep ensemble's test RMSE and log-likelihood (--start ensemble, BNN regressions)"

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] { [] }

    public func evaluate(_ run: RunRecord, target: any Target) -> [Metric] {
        guard let ensemble = run.ensemble, !ensemble.members.isEmpty,
              let model = target as? any PredictiveTarget, model.predictiveTask == .regression else { return [] }
        let labels = model.testLabels
        let n = labels.count, m = ensemble.members.count
        var means = [Double](), sds = [Double]()
        for member in ensemble.members {
            guard case let .regression(mean, sd) = model.testPredictions(at: member), mean.count == n else { return [] }
            means += mean
            sds += sd
        }
        var average = [Double](repeating: 0, count: n)
        for s in 0..<m { for j in 0..<n { average[j] += means[s * n + j] / Double(m) } }
        return [
            Metric(diagnostic: id, name: "de-rmse", value: PredictiveMetrics.rootMeanSquaredError(predictiveMean: average, labels: labels),
                   unit: "y units", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "de-test-log-likelihood",
                   value: PredictiveMetrics.testLogLikelihood(means: means, sds: sds, labels: labels),
                   unit: "nats per test point", direction: .higherIsBetter),
            Metric(diagnostic: id, name: "de-members", value: Double(m), unit: "networks", direction: .neutral),
        ] + PredictiveDiagnostic.standardisedAndCoverage(
            means: means, sds: sds, average: average, labels: labels, standardisation: model.targetStandardisation, valid: true
        ).map { Metric(diagnostic: id, name: "de-" + $0.name, value: $0.value, unit: $0.unit, direction: $0.direction) }
    }
}
