import Workbench

/// `predictive`: posterior-predictive quality on the test split of a target that provides
/// predictions (`PredictiveTarget`: the BNN targets), after the NeurIPS 2021
/// approximate-inference competition (DIAGNOSTICS.md, "BNN predictive quality").
///
/// The predictive averages over at most `cap` kept draws of the healthy chains, thinned
/// evenly (default 1 000). Metrics (`PredictiveMetrics`):
/// - regression: `rmse` of the predictive mean, `test-log-likelihood`
///   mean_j log (1/S) Σ_s N(y_j | f_s(x_j), σ_s²) (both on the original scale of y); the SMILE
///   paper's `lppd` and `rmse-standardised` (the same on the standardised scale), `coverage-80`,
///   `coverage-90`, `coverage-95` and `calibration-error` (`standardisedAndCoverage`); against a
///   reference, `w1-predictive`: the mean over test points of W1 between the draws f_s(x_j)
///   and the reference's;
/// - classification: `accuracy`, `nll` and `ece` (15 equal-width confidence bins); against a
///   reference, `agreement` (top-1 match rate) and `total-variation` ½ Σ_c |p̂_c − p_ref,c|.
/// A target without predictions gets no predictive metrics (an empty list).
public struct PredictiveDiagnostic: Diagnostic {
    public static let id = "predictive"
    public static let summary = "test RMSE/log-likelihood (also standardised: LPPD), interval coverage, or accuracy/NLL/ECE, and agreement with a reference predictive (BNN targets)"
    public let cap: Int

    /// The registry's setting: at most 1 000 draws.
    public init() { self.init(cap: 1_000) }

    public init(cap: Int) {
        self.cap = cap
    }

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] { [] }

    public func evaluate(_ run: RunRecord, target: any Target) -> [Metric] {
        guard let model = target as? any PredictiveTarget else { return [] }
        return evaluate(run, model: model)
    }

    func evaluate(_ run: RunRecord, model: some PredictiveTarget) -> [Metric] {
        let (draws, count) = run.evenlyThinnedDraws(cap: cap)
        let d = run.dimension
        let labels = model.testLabels
        let n = labels.count
        let predictions = (0..<count).map { model.testPredictions(at: Array(draws[(($0) * d)..<(($0 + 1) * d)])) }
        func metric(_ name: String, _ value: Double?, _ unit: String, _ direction: Direction) -> Metric {
            Metric(diagnostic: id, name: name, value: count > 0 ? value : nil, unit: unit, direction: direction)
        }
        switch model.predictiveTask {
        case .regression:
            var means = [Double](), sds = [Double]()
            means.reserveCapacity(count * n)
            sds.reserveCapacity(count * n)
            for case let .regression(mean, sd) in predictions {
                means += mean
                sds += sd
            }
            let valid = means.count == count * n && count > 0
            var average = [Double](repeating: 0, count: n)
            if valid {
                for s in 0..<count { for j in 0..<n { average[j] += means[s * n + j] / Double(count) } }
            }
            var result = [
                metric("rmse", valid ? PredictiveMetrics.rootMeanSquaredError(predictiveMean: average, labels: labels) : nil,
                       "y units", .lowerIsBetter),
                metric("test-log-likelihood", valid ? PredictiveMetrics.testLogLikelihood(means: means, sds: sds, labels: labels) : nil,
                       "nats per test point", .higherIsBetter),
            ]
            result += Self.standardisedAndCoverage(means: means, sds: sds, average: average, labels: labels,
                                              standardisation: model.targetStandardisation, valid: valid).map {
                metric($0.name, $0.value, $0.unit, $0.direction)
            }
            if case let .draws(reference)? = model.referencePredictive {
                result.append(metric("w1-predictive",
                                     valid ? PredictiveMetrics.meanWasserstein(draws: means, reference: reference, points: n) : nil,
                                     "y units", .lowerIsBetter))
            }
            return result
        case let .classification(classes):
            var average = [Double](repeating: 0, count: n * classes)
            var valid = count > 0
            for case let .classification(p) in predictions {
                guard p.count == n * classes else { valid = false; break }
                for k in 0..<p.count { average[k] += p[k] / Double(count) }
            }
            valid = valid && predictions.allSatisfy { if case .classification = $0 { true } else { false } }
            let classLabels = labels.map { Int($0) }
            var result = [
                metric("accuracy", valid ? PredictiveMetrics.accuracy(probabilities: average, labels: classLabels) : nil,
                       "fraction", .higherIsBetter),
                metric("nll", valid ? PredictiveMetrics.negativeLogLikelihood(probabilities: average, labels: classLabels) : nil,
                       "nats per test point", .lowerIsBetter),
                metric("ece", valid ? PredictiveMetrics.expectedCalibrationError(probabilities: average, labels: classLabels, bins: 15) : nil,
                       "probability (15 bins)", .lowerIsBetter),
            ]
            if case let .probabilities(reference)? = model.referencePredictive {
                result.append(metric("agreement", valid ? PredictiveMetrics.agreement(probabilities: average, reference: reference, classes: classes) : nil,
                                     "fraction", .higherIsBetter))
                result.append(metric("total-variation", valid ? PredictiveMetrics.totalVariation(probabilities: average, reference: reference, classes: classes) : nil,
                                     "probability", .lowerIsBetter))
            }
            return result
        }
    }

    /// The regression metrics of the SMILE paper (arXiv 2602.06500; its code's
    /// `src/inference/metrics.py`): `lppd` and `rmse-standardised`, the test log-likelihood
    /// and RMSE on the standardised scale y_std = (y − mean_y)/sd_y
    /// (`PredictiveTarget.targetStandardisation`), so that lppd = test-log-likelihood + log sd_y
    /// and rmse-standardised = rmse / sd_y; `coverage-80`, `coverage-90`, `coverage-95`, the
    /// fraction of test points inside the central predictive interval of that level (exact
    /// mixture CDF, `PredictiveMetrics.predictiveCDF`; scale-free, no direction: closer to the
    /// nominal level is better); and `calibration-error`, √(Σ_k (ĉ_k − c_k)²)/3 over the three
    /// levels (`PredictiveMetrics.coverageCalibrationError`).
    static func standardisedAndCoverage(means: [Double], sds: [Double], average: [Double], labels: [Double],
                                 standardisation: (mean: Double, sd: Double), valid: Bool)
        -> [(name: String, value: Double?, unit: String, direction: Direction)] {
        let (shift, scale) = standardisation
        let usable = valid && scale > 0 && scale.isFinite && shift.isFinite
        var lppd: Double?, rmse: Double?, coverages = [Double?](repeating: nil, count: PredictiveMetrics.nominalCoverages.count)
        var calibration: Double?
        if usable {
            let y = labels.map { ($0 - shift) / scale }
            lppd = PredictiveMetrics.testLogLikelihood(means: means.map { ($0 - shift) / scale }, sds: sds.map { $0 / scale }, labels: y)
            rmse = PredictiveMetrics.rootMeanSquaredError(predictiveMean: average.map { ($0 - shift) / scale }, labels: y)
            if let u = PredictiveMetrics.predictiveCDF(means: means, sds: sds, labels: labels) {
                coverages = PredictiveMetrics.nominalCoverages.map { PredictiveMetrics.centralIntervalCoverage(predictiveCDF: u, level: $0) }
                let observed = coverages.compactMap { $0 }
                calibration = PredictiveMetrics.coverageCalibrationError(nominal: PredictiveMetrics.nominalCoverages, observed: observed)
            }
        }
        return [
            ("lppd", lppd, "nats per test point (standardised y)", .higherIsBetter),
            ("rmse-standardised", rmse, "standardised y units (sd of y)", .lowerIsBetter),
        ] + zip(PredictiveMetrics.nominalCoverages, coverages).map { level, value in
            ("coverage-\(Int((level * 100).rounded()))", value, "fraction (nominal \(level))", Direction.neutral)
        } + [
            ("calibration-error", calibration, "coverage (levels 0.8, 0.9, 0.95)", .lowerIsBetter),
        ]
    }
}
