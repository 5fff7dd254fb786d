import Foundation
import Workbench

/// `marginals`: per-coordinate one-dimensional distances to the reference marginal
/// (DIAGNOSTICS.md), on the stored draws of the healthy chains.
///
/// - Wasserstein-1 from all pooled stored draws, exact in 1-D from the sorted draws against
///   the reference quantile function (`Wasserstein.toDistribution`) or, for references known
///   through draws, against those (`Wasserstein.betweenSorted`). Reported as the mean and the
///   max over coordinates (in x units) and the max of W1ᵢ/sdᵢ (in reference sd).
/// - Kolmogorov–Smirnov statistic with its p-value from the Kolmogorov distribution, and
///   Pearson's χ² on K bins of equal reference probability with its p-value from GSL
///   (`gsl_cdf_chisq_Q`), K = ⌊2n^(2/5)⌋ capped so that every expected count is ≥ 5
///   (`GoodnessOfFit`); two-sample versions against reference draws.
///   The tests need independent draws, so each coordinate's chains are thinned by 1, 2, 4, …
///   until their mean lag-1 autocorrelation is below 0.05 in magnitude
///   (`GoodnessOfFit.thinnedUntilUncorrelated`); `thinning-max` reports the largest thinning
///   used, in steps (stored-draw thinning × the chains' own thinning), and `tested-draws-min`
///   the fewest draws a test saw. Reported: the largest KS statistic, and the smallest p-value
///   of each test, raw and Bonferroni-adjusted for the k tested coordinates
///   (min(1, k · p_min)), so that `-adjusted` below α rejects "every tested marginal is right"
///   at level α. A coordinate is not tested when thinning would leave fewer than 10 draws per
///   chain first (`tested-coordinates` says how many were); with none, the tests are nil.
///
/// The 1-D histogram density against the reference density, for plotting, is recorded by the
/// runner (`CellResult.marginal`). Everything is nil when the reference has neither marginals
/// nor draws, or every chain diverged.
public struct MarginalsDiagnostic: Diagnostic {
    public static let id = "marginals"
    public static let summary = "per-coordinate W1, KS (Kolmogorov p) and χ² (GSL p) against the reference marginals"
    /// The magnitude of the lag-1 autocorrelation the tested draws must stay below.
    public let autocorrelationThreshold: Double

    /// The registry's setting: |lag-1 autocorrelation| < 0.05.
    public init() { self.init(autocorrelationThreshold: 0.05) }

    public init(autocorrelationThreshold: Double) {
        self.autocorrelationThreshold = autocorrelationThreshold
    }

    /// One coordinate's numbers.
    public struct CoordinateResult: Sendable {
        public let wasserstein: Double?
        public let ks: GoodnessOfFit.TestResult?
        public let chiSquared: GoodnessOfFit.TestResult?
        /// The thinning of the stored draws the tests used (nil when they could not run).
        public let thinning: Int?
        public let testedDraws: Int
    }

    /// The W1, KS and χ² of coordinate `i`.
    public func coordinate(_ i: Int, of run: RunRecord, reference: Reference,
                           sortedReferenceDraws: [Double]? = nil) -> CoordinateResult {
        let chains = run.chainsOfCoordinate(i)
        let sorted = chains.flatMap { $0 }.bucketSorted()
        let marginal = reference.marginals?[i]
        let referenceDraws = marginal == nil ? (sortedReferenceDraws ?? reference.drawsOfCoordinate(i).bucketSorted()) : nil
        var w1: Double?
        if let marginal {
            w1 = Wasserstein.toDistribution(sorted: sorted, marginal)
        } else if let referenceDraws, !referenceDraws.isEmpty {
            w1 = Wasserstein.betweenSorted(sorted, referenceDraws)
        }
        guard let (tested, thin) = GoodnessOfFit.thinnedUntilUncorrelated(chains, threshold: autocorrelationThreshold) else {
            return CoordinateResult(wasserstein: w1, ks: nil, chiSquared: nil, thinning: nil, testedDraws: 0)
        }
        let testedSorted = tested.bucketSorted()
        var ks: GoodnessOfFit.TestResult?, chi: GoodnessOfFit.TestResult?
        if let marginal {
            ks = GoodnessOfFit.kolmogorovSmirnov(sorted: testedSorted, cdf: marginal.cdf)
            chi = GoodnessOfFit.chiSquared(testedSorted, cdf: marginal.cdf)
        } else if let referenceDraws, !referenceDraws.isEmpty {
            ks = GoodnessOfFit.kolmogorovSmirnov(sorted: testedSorted, reference: referenceDraws)
            chi = GoodnessOfFit.chiSquared(testedSorted, reference: referenceDraws)
        }
        return CoordinateResult(wasserstein: w1, ks: ks, chiSquared: chi, thinning: thin, testedDraws: tested.count)
    }

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let d = run.dimension
        let available = reference.marginals != nil || reference.drawCount > 0
        let defined = available && !run.healthyChains.isEmpty
        // Coordinates in parallel, each a pure function of its draws: deterministic.
        let results = defined ? concurrentMap(d) { coordinate($0, of: run, reference: reference) } : []
        func all(_ values: [Double?]) -> [Double]? {
            let known = values.compactMap { $0 }
            return defined && known.count == d && d > 0 ? known : nil
        }
        let w1 = all(results.map(\.wasserstein))
        let sd = reference.standardDeviation
        let w1sd = w1.map { zip($0, sd).map { $0 / $1 } }
        // The tests run on the coordinates whose thinning succeeded.
        let tested = results.filter { $0.ks != nil || $0.chiSquared != nil }
        func some(_ values: [Double?]) -> [Double]? {
            let known = values.compactMap { $0 }
            return known.isEmpty ? nil : known
        }
        let ksStatistic = some(tested.map { $0.ks?.statistic })
        let ksP = some(tested.map { $0.ks?.pValue })
        let chiP = some(tested.map { $0.chiSquared?.pValue })
        let chainThin = Double(run.healthyChains.first?.thin ?? 1)
        let thinning = some(tested.map { $0.thinning.map { Double($0) * chainThin } })
        let adjusted = { (p: Double) in min(1, Double(tested.count) * p) }
        return [
            Metric(diagnostic: id, name: "w1-mean", value: w1.map { $0.reduce(0, +) / Double(d) }, unit: "x units",
                   direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "w1-max", value: w1?.max(), unit: "x units", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "w1-max-sd", value: w1sd?.max(), unit: "sd", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "ks-statistic-max", value: ksStatistic?.max(), unit: "probability",
                   direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "ks-p-min", value: ksP?.min(), unit: "p-value", direction: .higherIsBetter),
            Metric(diagnostic: id, name: "ks-p-min-adjusted", value: ksP?.min().map(adjusted), unit: "p-value (Bonferroni)",
                   direction: .higherIsBetter),
            Metric(diagnostic: id, name: "chi2-p-min", value: chiP?.min(), unit: "p-value", direction: .higherIsBetter),
            Metric(diagnostic: id, name: "chi2-p-min-adjusted", value: chiP?.min().map(adjusted), unit: "p-value (Bonferroni)",
                   direction: .higherIsBetter),
            Metric(diagnostic: id, name: "thinning-max", value: thinning?.max(), unit: "steps between tested draws",
                   direction: .neutral),
            Metric(diagnostic: id, name: "tested-draws-min", value: some(tested.map { Double($0.testedDraws) })?.min(),
                   unit: "draws", direction: .neutral),
            Metric(diagnostic: id, name: "tested-coordinates", value: defined ? Double(tested.count) : nil,
                   unit: "coordinates", direction: .neutral),
        ]
    }
}
