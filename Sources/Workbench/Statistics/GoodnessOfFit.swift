import CGSL
import Foundation

/// One-dimensional goodness-of-fit tests against a reference marginal (DIAGNOSTICS.md,
/// `marginals`): Kolmogorov–Smirnov with its p-value from the Kolmogorov distribution, and
/// Pearson's χ² on bins of equal reference probability with its p-value from GSL
/// (`gsl_cdf_chisq_Q`). Both assume independent draws: thin first
/// (``thinnedUntilUncorrelated(_:threshold:minimumDrawsPerChain:)``).
public enum GoodnessOfFit {
    /// A test's statistic and p-value.
    public struct TestResult: Equatable, Sendable {
        public let statistic: Double
        public let pValue: Double
        /// Degrees of freedom (χ²) or effective sample size n (KS, n·m/(n + m) for two samples).
        public let parameter: Double
    }

    // MARK: Kolmogorov–Smirnov

    /// One-sample KS test of `sorted` (ascending, finite) against the continuous CDF `cdf`:
    /// D = maxᵢ max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i − 1)/n), p = Q_KS((√n + 0.12 + 0.11/√n)·D)
    /// (Stephens 1970; accurate to a few per cent in p for n ≥ 5, and it keeps the test
    /// calibrated at small n where the bare asymptotic λ = √n·D is conservative).
    /// Nil for an empty sample.
    public static func kolmogorovSmirnov(sorted x: [Double], cdf: (Double) -> Double) -> TestResult? {
        guard !x.isEmpty else { return nil }
        let n = Double(x.count)
        var d = 0.0
        for (i, value) in x.enumerated() {
            let f = cdf(value)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return TestResult(statistic: d, pValue: kolmogorovPValue(d, effectiveSize: n), parameter: n)
    }

    /// Two-sample KS test of two sorted samples: D = sup |F_a − F_b|, effective size
    /// n_e = nm/(n + m), p = Q_KS((√n_e + 0.12 + 0.11/√n_e)·D). Nil when either is empty.
    public static func kolmogorovSmirnov(sorted a: [Double], reference b: [Double]) -> TestResult? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let n = Double(a.count), m = Double(b.count)
        var i = 0, j = 0
        var d = 0.0
        while i < a.count || j < b.count {
            let next = j >= b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            while i < a.count && a[i] == next { i += 1 }
            while j < b.count && b[j] == next { j += 1 }
            d = max(d, abs(Double(i) / n - Double(j) / m))
        }
        let effective = n * m / (n + m)
        return TestResult(statistic: d, pValue: kolmogorovPValue(d, effectiveSize: effective), parameter: effective)
    }

    /// P(D > d) for the KS statistic of `effectiveSize` draws, by Stephens' modification.
    public static func kolmogorovPValue(_ d: Double, effectiveSize n: Double) -> Double {
        let root = n.squareRoot()
        return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d)
    }

    /// The Kolmogorov distribution's survival function Q_KS(λ) = P(K > λ),
    /// K = sup_t |B(t)| of a Brownian bridge: Q = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} for λ ≥ 1.18,
    /// and 1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} below, where that series converges fast.
    /// Accurate to ~1e−15.
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 1.18 {
            let y = -Double.pi * Double.pi / (8 * lambda * lambda)
            var sum = 0.0
            for k in 1...20 {
                let odd = Double(2 * k - 1)
                let term = exp(odd * odd * y)
                sum += term
                if term < 1e-17 * sum { break }
            }
            return min(1, max(0, 1 - (2 * Double.pi).squareRoot() / lambda * sum))
        }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += sign * term
            if term < 1e-17 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }

    // MARK: χ²

    /// Bins for n draws: K = ⌊2n^(2/5)⌋ (Mann & Wald's rate), at most n/5 so that every
    /// expected count is ≥ 5, between 2 and 100.
    public static func binCount(draws n: Int) -> Int {
        max(2, min(100, Int(2 * pow(Double(n), 0.4)), n / 5))
    }

    /// Pearson's χ² test of `x` against the continuous CDF `cdf` on `bins` bins of equal
    /// reference probability 1/K: draw x falls in bin ⌊K·F(x)⌋, expected count n/K,
    /// χ² = Σ_k (O_k − n/K)² / (n/K), p = `gsl_cdf_chisq_Q`(χ², K − 1). Nil for fewer than
    /// 2 bins or an empty sample.
    public static func chiSquared(_ x: [Double], cdf: (Double) -> Double, bins: Int? = nil) -> TestResult? {
        guard !x.isEmpty else { return nil }
        let k = bins ?? binCount(draws: x.count)
        guard k >= 2 else { return nil }
        var counts = [Int](repeating: 0, count: k)
        for value in x {
            let u = cdf(value)
            counts[min(k - 1, max(0, Int(Double(k) * u)))] += 1
        }
        let expected = Double(x.count) / Double(k)
        let statistic = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        return TestResult(statistic: statistic, pValue: chiSquaredSurvival(statistic, degrees: Double(k - 1)),
                          parameter: Double(k - 1))
    }

    /// χ² test of homogeneity of `x` and reference draws `reference` (sorted ascending) on
    /// bins of equal reference probability: the edges are the type-7 quantiles of the
    /// reference at k/K; on the 2 × K table, χ² = Σ (O − E)²/E with E from the pooled bin
    /// totals, df = (bins with a positive total) − 1. Nil for fewer than 2 bins.
    public static func chiSquared(_ x: [Double], reference sortedReference: [Double], bins: Int? = nil) -> TestResult? {
        guard !x.isEmpty, !sortedReference.isEmpty else { return nil }
        let k = bins ?? binCount(draws: min(x.count, sortedReference.count))
        guard k >= 2 else { return nil }
        let edges = (1..<k).map {
            ConvergenceStatistics.quantileType7(sorted: sortedReference, probability: Double($0) / Double(k))!
        }
        func histogram(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: k)
            for v in values {
                // The first edge ≥ v, by binary search: bin = number of edges < v.
                var low = 0, high = edges.count
                while low < high {
                    let mid = (low + high) / 2
                    if edges[mid] < v { low = mid + 1 } else { high = mid }
                }
                counts[low] += 1
            }
            return counts
        }
        let a = histogram(x), b = histogram(sortedReference)
        let n = Double(x.count), m = Double(sortedReference.count)
        var statistic = 0.0
        var used = 0
        for bin in 0..<k where a[bin] + b[bin] > 0 {
            used += 1
            let total = a[bin] + b[bin]
            let ea = n * total / (n + m), eb = m * total / (n + m)
            statistic += (a[bin] - ea) * (a[bin] - ea) / ea + (b[bin] - eb) * (b[bin] - eb) / eb
        }
        guard used >= 2 else { return nil }
        return TestResult(statistic: statistic, pValue: chiSquaredSurvival(statistic, degrees: Double(used - 1)),
                          parameter: Double(used - 1))
    }

    /// P(χ²_ν > x) from GSL (`gsl_cdf_chisq_Q`).
    public static func chiSquaredSurvival(_ x: Double, degrees: Double) -> Double {
        GSLErrors.turnOffAbort()
        return gsl_cdf_chisq_Q(x, degrees)
    }

    // MARK: Thinning

    /// The draws of one quantity thinned until they look independent, as the tests need:
    /// every t-th draw of each chain for t = 1, 2, 4, …, the first t at which the mean lag-1
    /// autocorrelation over chains (``ConvergenceStatistics/meanLag1Autocorrelation(_:)``) is
    /// below `threshold` in magnitude. Returns the pooled thinned draws and t, or nil when a
    /// chain would keep fewer than `minimumDrawsPerChain` draws first (or the quantity is
    /// constant or non-finite, so no autocorrelation is defined).
    public static func thinnedUntilUncorrelated(
        _ chains: [[Double]], threshold: Double = 0.05, minimumDrawsPerChain: Int = 10
    ) -> (draws: [Double], thin: Int)? {
        var thin = 1
        while true {
            let thinned = chains.map { chain in stride(from: 0, to: chain.count, by: thin).map { chain[$0] } }
            guard let shortest = thinned.map(\.count).min(), shortest >= max(2, minimumDrawsPerChain) else { return nil }
            let length = shortest
            let equal = thinned.map { Array($0.prefix(length)) }
            guard let rho = (try? ConvergenceStatistics.meanLag1Autocorrelation(equal)) ?? nil else { return nil }
            if abs(rho) < threshold { return (equal.flatMap { $0 }, thin) }
            thin *= 2
        }
    }
}
