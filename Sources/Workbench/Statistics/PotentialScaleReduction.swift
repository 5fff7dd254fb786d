extension ConvergenceStatistics {
    /// The potential scale reduction R̂ of the chains as given, not split or ranked
    /// (`posterior`'s `.rhat`; Gelman et al. 2013, BDA3 sec. 11.4, as restated in Vehtari et al.
    /// 2021 sec. 3.1). For M chains of N draws with means x̄ₘ and variances sₘ² (divisor N − 1):
    /// W = mean of sₘ², B = N · var(x̄ₘ) (divisor M − 1), and
    /// R̂ = √((B/W + N − 1)/N) = √(((N − 1)/N · W + B/N) / W).
    ///
    /// - Returns: nil when there are fewer than 2 chains or 2 draws per chain, a non-finite
    ///   draw, or a constant quantity; +∞ when every chain is constant but the chains differ
    ///   (W = 0 < B), as in `posterior`.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func basicRhat(_ chains: [[Double]]) throws -> Double? {
        basicRhat(try ChainMatrix(validating: chains))
    }

    /// The rank-normalised split-R̂ that `posterior`'s `rhat` reports (Vehtari et al. 2021,
    /// sec. 4.1–4.2): the larger of ``basicRhat(_:)`` of the rank-normalised split chains
    /// (bulk: detects differing locations) and of the rank-normalised split chains of the
    /// draws folded about their median, |x − median x| (tail: detects differing scales).
    ///
    /// - Returns: nil when undefined (see ``ConvergenceStatistics``); nil too when the folded
    ///   draws are constant (e.g. two values symmetric about the median), as `posterior`'s
    ///   `max(NA, ·)` is NA.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func rhat(_ chains: [[Double]]) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        guard isDefinedForSplitStatistics(matrix) else { return nil }
        return rankNormalizedRhat(matrix, sorted: SortedDraws(matrix, splitting: true))
    }

    // MARK: Internal

    /// Rank-normalised split-R̂ of a matrix that passed ``isDefinedForSplitStatistics(_:)``,
    /// from its draws sorted once with split destinations; `scores` are the split z-scores
    /// when the caller already has them.
    static func rankNormalizedRhat(
        _ matrix: ChainMatrix, sorted: SortedDraws, scores: ChainMatrix? = nil
    ) -> Double? {
        let chains = matrix.splitChainCount
        let draws = matrix.splitDrawCount
        let bulk = basicRhat(
            scores ?? sorted.normalScores(chainCount: chains, drawCount: draws))
        let median = sorted.values.withUnsafeBufferPointer { sortedMedian($0) }
        let tail = basicRhat(
            sorted.folded(about: median).normalScores(chainCount: chains, drawCount: draws))
        guard let bulk, let tail else { return nil }
        return max(bulk, tail)
    }

    /// `posterior`'s `.rhat` on a matrix as given; see ``basicRhat(_:)``.
    static func basicRhat(_ matrix: ChainMatrix) -> Double? {
        let n = matrix.drawCount
        guard matrix.chainCount >= 2, n >= 2, matrix.isFiniteAndVarying else { return nil }
        let (means, variances) = matrix.chainMeansAndVariances()
        let between = Double(n) * sampleVariance(means)
        let within = variances.reduce(0, +) / Double(variances.count)
        return ((between / within + Double(n) - 1) / Double(n)).squareRoot()
    }
}
