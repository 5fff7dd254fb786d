import CGSL
import Foundation
import Testing
@testable import Workbench

/// The pure statistics behind the diagnostics, on cases small enough to compute by hand (or
/// with SciPy, quoted where used).
@Suite struct DiagnosticStatisticsTests {
    // MARK: KSD anchors (DIAGNOSTICS.md)

    /// N(0, I) and one point x: k_p(x, x) = d + ‖s(x)‖² = d + ‖x‖², so KSD = √(d + ‖x‖²).
    @Test func ksdOfOnePointUnderAStandardNormal() throws {
        let x = [1.0, 2.0, -0.5]
        let ksd = try #require(KernelDiscrepancy.imqSteinDiscrepancy(points: x, scores: x.map { -$0 }, dimension: 3))
        #expect(abs(ksd - (3 + 1 + 4 + 0.25).squareRoot()) < 1e-12)
    }

    /// N(0, 1) and the points {0, 1}: 0.696301 (DIAGNOSTICS.md).
    @Test func ksdOfZeroAndOneUnderAStandardNormal() throws {
        let ksd = try #require(KernelDiscrepancy.imqSteinDiscrepancy(points: [0, 1], scores: [0, -1], dimension: 1))
        #expect(abs(ksd - 0.696301) < 5e-7)
    }

    // MARK: Wasserstein-1

    /// {0, 1} against {0.5}: |F_a − F_b| = ½ on [0, 1), so W1 = ½; {0, 2} against {1, 3}: 1.
    @Test func wassersteinBetweenSmallSamples() {
        #expect(Wasserstein.betweenSorted([0, 1], [0.5]) == 0.5)
        #expect(Wasserstein.betweenSorted([0, 2], [1, 3]) == 1)
        #expect(Wasserstein.betweenSorted([1, 1, 1], [1]) == 0)
    }

    /// One point x against N(0, 1): W1 = E|x − Z| = x(2Φ(x) − 1) + 2φ(x) = 0.98575875… at
    /// x = 0.7; three points {−1, 0.3, 2}: 0.56273573194218 (SciPy quad of |F_n − Φ|). Both the
    /// exact path (quantile and partial mean) and the CDF-only quadrature agree.
    @Test func wassersteinToANormal() throws {
        let normal = Marginal.gaussian(mean: 0, sd: 1)
        let cdfOnly = Marginal(density: normal.density, cdf: normal.cdf)
        for marginal in [normal, cdfOnly] {
            let one = try #require(Wasserstein.toDistribution(sorted: [0.7], marginal))
            #expect(abs(one - 0.9857587536212202) < 1e-9)
            let three = try #require(Wasserstein.toDistribution(sorted: [-1, 0.3, 2], marginal))
            #expect(abs(three - 0.5627357319421812) < 1e-7)
        }
        // A shifted, scaled normal: W1(N(μ, σ²) draws, N(μ, σ²)) = σ · W1 of the standardised.
        let shifted = Marginal.gaussian(mean: 3, sd: 2)
        let scaled = try #require(Wasserstein.toDistribution(sorted: [1, 3.6, 7], shifted))
        #expect(abs(scaled - 2 * 0.5627357319421812) < 1e-9)
    }

    // MARK: Kolmogorov–Smirnov and χ²

    /// Q_KS(λ) against SciPy's `scipy.special.kolmogorov`.
    @Test func kolmogorovSurvivalMatchesSciPy() {
        #expect(abs(GoodnessOfFit.kolmogorovSurvival(0.5) - 0.9639452436648751) < 1e-12)
        #expect(abs(GoodnessOfFit.kolmogorovSurvival(1.0) - 0.26999967167735456) < 1e-12)
        #expect(abs(GoodnessOfFit.kolmogorovSurvival(2.0) - 0.0006709252557796953) < 1e-15)
        #expect(GoodnessOfFit.kolmogorovSurvival(0) == 1)
    }

    /// {0.1, 0.45, 0.8} against U(0, 1): D = max(1/3 − 0.1, …) = 0.2333… (SciPy `kstest`).
    @Test func ksStatisticOfAHandCase() throws {
        let result = try #require(GoodnessOfFit.kolmogorovSmirnov(sorted: [0.1, 0.45, 0.8], cdf: { min(1, max(0, $0)) }))
        #expect(abs(result.statistic - 0.7 / 3) < 1e-15)
        let twoSample = try #require(GoodnessOfFit.kolmogorovSmirnov(sorted: [0, 1], reference: [0.5]))
        #expect(twoSample.statistic == 0.5)
    }

    /// 4 draws in 2 equal-probability bins of U(0, 1): counts (3, 1), expected 2 each:
    /// χ² = (1 + 1)/2 = 1 with 1 df, p = P(χ²₁ > 1) = 0.31731050786291115 (SciPy).
    @Test func chiSquaredOfAHandCase() throws {
        let result = try #require(GoodnessOfFit.chiSquared([0.1, 0.2, 0.3, 0.6], cdf: { $0 }, bins: 2))
        #expect(result.statistic == 1 && result.parameter == 1)
        #expect(abs(result.pValue - 0.31731050786291115) < 1e-12)
        let balanced = try #require(GoodnessOfFit.chiSquared([0.1, 0.2, 0.6, 0.7], cdf: { $0 }, bins: 2))
        #expect(balanced.statistic == 0 && balanced.pValue == 1)
    }

    /// Calibration: on independent exact draws a test's p-value is uniform, so at α = 0.05 it
    /// rejects in a fraction of R repetitions that is Binomial(R, 0.05)/R, with standard error
    /// √(0.05 · 0.95 / R) = 0.0109 at R = 400. The bound is 3.29 standard errors (a two-sided
    /// 0.1 % tail): |rate − 0.05| < 0.036. The same seeds also check the two-sample versions
    /// against a reference sample.
    @Test func ksAndChiSquaredAreCalibratedOnExactDraws() throws {
        let repetitions = 400, n = 500
        let bound = 3.29 * (0.05 * 0.95 / Double(repetitions)).squareRoot()
        var rejections = (ks: 0, chi: 0, ks2: 0, chi2: 0)
        var rng = Xoshiro256StarStar(seed: 6, stream: "calibration", index: 0)
        let cdf: (Double) -> Double = { gsl_cdf_ugaussian_P($0) }
        for _ in 0..<repetitions {
            let x = (0..<n).map { _ in rng.normal() }.sorted()
            let y = (0..<n).map { _ in rng.normal() }.sorted()
            if try #require(GoodnessOfFit.kolmogorovSmirnov(sorted: x, cdf: cdf)).pValue < 0.05 { rejections.ks += 1 }
            if try #require(GoodnessOfFit.chiSquared(x, cdf: cdf)).pValue < 0.05 { rejections.chi += 1 }
            if try #require(GoodnessOfFit.kolmogorovSmirnov(sorted: x, reference: y)).pValue < 0.05 { rejections.ks2 += 1 }
            if try #require(GoodnessOfFit.chiSquared(x, reference: y)).pValue < 0.05 { rejections.chi2 += 1 }
        }
        for (name, count) in [("KS", rejections.ks), ("χ²", rejections.chi), ("KS two-sample", rejections.ks2),
                              ("χ² two-sample", rejections.chi2)] {
            let rate = Double(count) / Double(repetitions)
            #expect(abs(rate - 0.05) < bound, "\(name) rejects \(rate) of exact samples at α = 0.05")
        }
    }

    /// Independent draws are not thinned; an AR(1) chain with ρ = 0.9 is thinned until
    /// ρ^t < 0.05, i.e. t ≥ 29 → 32.
    @Test func thinningStopsAtLowAutocorrelation() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        let iid = (0..<4).map { _ in (0..<5_000).map { _ in rng.normal() } }
        #expect(try #require(GoodnessOfFit.thinnedUntilUncorrelated(iid)).thin == 1)
        let ar = (0..<4).map { _ -> [Double] in
            var x = 0.0
            return (0..<100_000).map { _ in x = 0.9 * x + (1 - 0.81).squareRoot() * rng.normal(); return x }
        }
        let (draws, thin) = try #require(GoodnessOfFit.thinnedUntilUncorrelated(ar))
        #expect(thin == 32)
        #expect(draws.count == 4 * 3125)
    }

    // MARK: MMD

    /// MMD²_u is unbiased: near 0 (within a few 1/n) for two samples of one distribution, and
    /// clearly positive for a mean shift of one sd.
    @Test func mmdSeparatesShiftedSamples() throws {
        var rng = Xoshiro256StarStar(seed: 9)
        let d = 2, n = 400
        let x = (0..<(n * d)).map { _ in rng.normal() }
        let y = (0..<(n * d)).map { _ in rng.normal() }
        let shifted = y.enumerated().map { $0.offset % d == 0 ? $0.element + 1 : $0.element }
        let sigma = try #require(KernelDiscrepancy.medianHeuristic(x + y, dimension: d))
        #expect(abs(sigma - 2.0.squareRoot() * 1.1774) < 0.2)  // median of ‖Z‖, Z ~ N(0, 2I₂): 2·√(ln 2)
        let same = try #require(KernelDiscrepancy.unbiasedMMDSquared(x, y, dimension: d, bandwidth: sigma))
        let apart = try #require(KernelDiscrepancy.unbiasedMMDSquared(x, shifted, dimension: d, bandwidth: sigma))
        #expect(abs(same) < 5.0 / Double(n))
        #expect(apart > 20.0 / Double(n))
    }

    /// The blocked BLAS computation equals the direct double sum (KSD with several blocks).
    @Test func ksdBlocksAgreeWithTheDirectSum() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let n = 300, d = 3
        let x = (0..<(n * d)).map { _ in rng.normal() * 1.3 }
        let s = x.map { -$0 }
        var total = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var rr = 0.0, rs = 0.0, ss = 0.0
                for k in 0..<d {
                    let r = x[i * d + k] - x[j * d + k]
                    rr += r * r
                    rs += r * (s[i * d + k] - s[j * d + k])
                    ss += s[i * d + k] * s[j * d + k]
                }
                let u = 1 + rr
                total += Double(d) * pow(u, -1.5) - 3 * rr * pow(u, -2.5) + rs * pow(u, -1.5) + ss * pow(u, -0.5)
            }
        }
        let ksd = try #require(KernelDiscrepancy.imqSteinDiscrepancy(points: x, scores: s, dimension: d))
        #expect(abs(ksd - total.squareRoot() / Double(n)) < 1e-12)
    }

    // MARK: Predictive metrics

    /// Five points, two classes. Predicted classes 0, 0, 1, 0, 1 against labels 0, 1, 1, 0, 0:
    /// accuracy 3/5. NLL = −(ln .95 + ln .38 + ln .71 + ln .83 + ln .04)/5 = 0.9533146065311453.
    /// ECE (15 bins): confidences .95 and .96 share bin 14 (accuracy ½, mean confidence .955),
    /// .62, .71, .83 are alone in bins 9, 10, 12:
    /// (2·|.5 − .955| + |0 − .62| + |1 − .71| + |1 − .83|)/5 = 0.398.
    @Test func classificationMetricsOfAHandCase() throws {
        let p: [Double] = [0.95, 0.05, 0.62, 0.38, 0.29, 0.71, 0.83, 0.17, 0.04, 0.96]
        let labels = [0, 1, 1, 0, 0]
        #expect(PredictiveMetrics.accuracy(probabilities: p, labels: labels) == 0.6)
        #expect(abs(try #require(PredictiveMetrics.negativeLogLikelihood(probabilities: p, labels: labels)) - 0.9533146065311453) < 1e-14)
        #expect(abs(try #require(PredictiveMetrics.expectedCalibrationError(probabilities: p, labels: labels)) - 0.398) < 1e-14)
        // One bin: |accuracy − mean confidence| = |0.6 − 4.07/5| = 0.214.
        #expect(abs(try #require(PredictiveMetrics.expectedCalibrationError(probabilities: p, labels: labels, bins: 1)) - 0.214) < 1e-14)
        let reference: [Double] = [0.9, 0.1, 0.4, 0.6, 0.3, 0.7, 0.8, 0.2, 0.5, 0.5]
        // Top-1 matches: rows 0, 2, 3 (row 4's tie goes to class 0, the first maximum) → 3/5.
        #expect(PredictiveMetrics.agreement(probabilities: p, reference: reference, classes: 2) == 0.6)
        // TV per row: .05, .22, .01, .03, .46 → mean 0.154.
        #expect(abs(try #require(PredictiveMetrics.totalVariation(probabilities: p, reference: reference, classes: 2)) - 0.154) < 1e-14)
        #expect(PredictiveMetrics.accuracy(probabilities: p, labels: [0, 1, 2, 0, 0]) == nil)
    }

    /// One draw with means (0, 1) and sd 1 at labels (0, 0): RMSE = √½ and test log-likelihood
    /// = (ln φ(0) + ln φ(1))/2 = −1.1689385332046727. Two draws with means 0 and 2 at y = 1:
    /// both densities are φ(1), so the mixture's log-likelihood is ln φ(1) = −1.4189385332046727.
    @Test func regressionMetricsOfAHandCase() throws {
        #expect(abs(try #require(PredictiveMetrics.rootMeanSquaredError(predictiveMean: [0, 1], labels: [0, 0])) - 0.5.squareRoot()) < 1e-15)
        #expect(abs(try #require(PredictiveMetrics.testLogLikelihood(means: [0, 1], sds: [1, 1], labels: [0, 0])) + 1.1689385332046727) < 1e-14)
        #expect(abs(try #require(PredictiveMetrics.testLogLikelihood(means: [0, 2], sds: [1, 1], labels: [1])) + 1.4189385332046727) < 1e-14)
        // Predictive draws (2 draws × 2 points) against reference draws: point 0 {0, 2} vs {1, 3}
        // gives 1, point 1 {0, 1} vs {0.5} gives ½; mean ¾.
        #expect(PredictiveMetrics.meanWasserstein(draws: [0, 0, 2, 1], reference: [1, 0.5, 3, 0.5], points: 2) == 0.75)
    }
}
