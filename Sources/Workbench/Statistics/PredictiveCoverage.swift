import CGSL

/// Regression calibration of the posterior predictive: the coverage of its central intervals
/// and the calibration error the SMILE paper's code computes from them (DIAGNOSTICS.md, "BNN
/// predictive quality"). The predictive of test point j is the mixture
/// F_j(y) = (1/S) Σ_s Φ((y − μ_sj)/σ_sj) of the draws' Gaussians.
extension PredictiveMetrics {
    /// The nominal levels of the central predictive intervals: the SMILE paper's
    /// `nominal_coverages: [0.8, 0.9, 0.95]`.
    public static let nominalCoverages: [Double] = [0.8, 0.9, 0.95]

    /// The predictive CDF at each label (the probability integral transform),
    /// u_j = F_j(y_j) = (1/S) Σ_s Φ((y_j − μ_sj)/σ_sj), exactly (GSL `gsl_cdf_ugaussian_P`).
    /// `means` and `sds` are S × n (draw-major). Nil for empty or mismatched input, or a
    /// standard deviation that is not positive and finite.
    ///
    /// Coverage needs no quantiles: F_j is continuous and strictly increasing, so y_j lies in
    /// the central interval [F_j⁻¹(½ − c/2), F_j⁻¹(½ + c/2)] exactly when
    /// ½ − c/2 ≤ u_j ≤ ½ + c/2 — one pass over the S × n Gaussians for every level at once.
    public static func predictiveCDF(means: [Double], sds: [Double], labels: [Double]) -> [Double]? {
        let n = labels.count
        guard n > 0, means.count == sds.count, means.count % n == 0, !means.isEmpty else { return nil }
        let draws = means.count / n
        var u = [Double](repeating: 0, count: n)
        for s in 0..<draws {
            for j in 0..<n {
                let sd = sds[s * n + j]
                guard sd > 0, sd.isFinite else { return nil }
                u[j] += gsl_cdf_ugaussian_P((labels[j] - means[s * n + j]) / sd)
            }
        }
        for j in 0..<n {
            guard u[j].isFinite else { return nil }
            u[j] /= Double(draws)
        }
        return u
    }

    /// The fraction of test points whose label lies in the central predictive interval of
    /// level `level` (both ends included), from the predictive CDF at the labels
    /// (`predictiveCDF`): the fraction with ½ − level/2 ≤ u_j ≤ ½ + level/2.
    public static func centralIntervalCoverage(predictiveCDF u: [Double], level: Double) -> Double? {
        guard !u.isEmpty, level > 0, level < 1 else { return nil }
        let low = 0.5 - level / 2, high = 0.5 + level / 2
        return Double(u.filter { $0 >= low && $0 <= high }.count) / Double(u.count)
    }

    /// The regression calibration error of the SMILE paper's code (`calibration_error_regression`
    /// with the weights `coverage_weighting` gives at its configured `kappa: 0`, w_k = 1/K):
    /// √(mean_k w_k (ĉ_k − c_k)²) = √(Σ_k (ĉ_k − c_k)²) / K over the K nominal levels c_k and
    /// observed coverages ĉ_k — the root-mean-square coverage gap divided by √K.
    public static func coverageCalibrationError(nominal: [Double], observed: [Double]) -> Double? {
        guard !nominal.isEmpty, nominal.count == observed.count else { return nil }
        var sum = 0.0
        for (c, o) in zip(nominal, observed) { sum += (o - c) * (o - c) }
        return sum.squareRoot() / Double(nominal.count)
    }
}
