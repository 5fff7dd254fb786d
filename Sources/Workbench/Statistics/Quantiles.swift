import CGSL

extension ConvergenceStatistics {
    /// The type-7 sample quantile (Hyndman & Fan 1996; R's `quantile` default, which `posterior`
    /// uses for tail-ESS) of data already sorted ascending: with h = (n − 1)p and i = ⌊h⌋,
    /// Q(p) = (1 − (h − i))·x₍ᵢ₎ + (h − i)·x₍ᵢ₊₁₎ (0-based order statistics), by GSL's
    /// `gsl_stats_quantile_from_sorted_data`.
    ///
    /// - Returns: nil when `sorted` is empty or `probability` is not in [0, 1]. The order is
    ///   not checked: unsorted input gives a meaningless number, never a trap.
    public static func quantileType7(sorted: [Double], probability: Double) -> Double? {
        guard !sorted.isEmpty, probability >= 0, probability <= 1 else { return nil }
        return sorted.withUnsafeBufferPointer { sortedQuantile($0, probability) }
    }

    /// The type-7 sample quantile of `values` (see ``quantileType7(sorted:probability:)``), after
    /// sorting a copy. Nil when `values` is empty or has a NaN, or `probability` is not in [0, 1].
    public static func quantileType7(_ values: [Double], probability: Double) -> Double? {
        guard !values.contains(where: \.isNaN) else { return nil }
        return quantileType7(sorted: values.sorted(), probability: probability)
    }

    /// The sample median as R's `median` computes it: the middle order statistic, or the mean
    /// (x₍ₙ/₂₋₁₎ + x₍ₙ/₂₎)/2 of the two middle ones when n is even (GSL
    /// `gsl_stats_median_from_sorted_data`). Nil when `values` is empty or has a NaN.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return nil }
        return values.sorted().withUnsafeBufferPointer { sortedMedian($0) }
    }

    /// Type-7 quantile of a non-empty ascending buffer; `probability` in [0, 1].
    @inline(__always)
    static func sortedQuantile(_ sorted: UnsafeBufferPointer<Double>, _ probability: Double) -> Double {
        gsl_stats_quantile_from_sorted_data(sorted.baseAddress, 1, sorted.count, probability)
    }

    /// Median of a non-empty ascending buffer.
    @inline(__always)
    static func sortedMedian(_ sorted: UnsafeBufferPointer<Double>) -> Double {
        gsl_stats_median_from_sorted_data(sorted.baseAddress, 1, sorted.count)
    }
}
