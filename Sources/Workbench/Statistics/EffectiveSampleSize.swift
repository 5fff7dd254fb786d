import Foundation

extension ConvergenceStatistics {
    /// The effective sample size of the chains as given, not split (`posterior`'s `.ess`;
    /// Vehtari et al. 2021, sec. 3.2; Geyer 1992). For M chains of N draws, S = MN:
    ///
    /// - γ̂ₘ(t) are the biased autocovariances of each chain (``autocovariance(_:)``);
    /// - W = mean over m of γ̂ₘ(0) · N/(N − 1) (the within-chain variance);
    /// - var⁺ = W(N − 1)/N + var(chain means) (divisor M − 1; the last term only when M > 1);
    /// - ρ̂ₜ = 1 − (W − mean over m of γ̂ₘ(t)) / var⁺, with ρ̂₀ = 1;
    /// - Geyer's initial positive sequence: the pairs (ρ̂ₜ, ρ̂ₜ₊₁), t = 0, 2, 4, …, are kept
    ///   while their sum is positive (and t < N − 5); the even member of the first non-positive
    ///   pair is kept when it is itself positive; then Geyer's initial monotone sequence
    ///   replaces any pair whose sum exceeds that of the pair before by the average of the
    ///   earlier pair;
    /// - τ̂ = −1 + 2 Σ_{t<T} ρ̂ₜ + ρ̂_T, T the last even lag reached, bounded below by
    ///   1/log₁₀ S (so ESS ≤ S log₁₀ S), and ESS = S/τ̂.
    ///
    /// The loops follow `posterior`'s `.ess` step for step, including one quirk of its R
    /// indexing: when the positive sequence stops at T = 0 (N ≤ 5, or ρ̂₁ ≤ −1),
    /// `sum(rho_hat_t[1:0])` is ρ̂₀, so τ̂ = 2 (ArviZ gives τ̂ = 0, capped). For split-chain ESS
    /// call it on ``splitChains(_:)``, or use ``meanESS(_:)``.
    ///
    /// - Returns: nil when there are no chains, fewer than 3 draws per chain, a non-finite
    ///   draw, or a constant quantity.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func basicESS(_ chains: [[Double]]) throws -> Double? {
        geyerESS(try ChainMatrix(validating: chains))
    }

    /// The ESS of the mean: ``basicESS(_:)`` of the split chains (`posterior`'s `ess_mean`).
    /// Use it on transformed draws, e.g. x², for the ESS of E[x²].
    ///
    /// - Returns: nil when undefined (see ``ConvergenceStatistics``).
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func meanESS(_ chains: [[Double]]) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        guard isDefinedForSplitStatistics(matrix) else { return nil }
        return geyerESS(matrix.split())
    }

    /// Bulk-ESS (`posterior`'s `ess_bulk`, Vehtari et al. 2021 sec. 4.1): ``basicESS(_:)`` of the
    /// rank-normalised split chains, z = Φ⁻¹((r − 3/8)/(S + 1/4)) (``rankNormalize(_:)`` of
    /// ``splitChains(_:)``). It measures sampling efficiency in the bulk of the distribution and
    /// is defined even where the mean is not.
    ///
    /// - Returns: nil when undefined (see ``ConvergenceStatistics``).
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func bulkESS(_ chains: [[Double]]) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        guard isDefinedForSplitStatistics(matrix) else { return nil }
        return geyerESS(rankNormalized(matrix, splitting: true))
    }

    /// Tail-ESS (`posterior`'s `ess_tail`, Vehtari et al. 2021 sec. 4.3): the smaller of the
    /// ``quantileESS(_:probability:)`` at p = 0.05 and p = 0.95, i.e. of ``basicESS(_:)`` of the
    /// split indicator chains I(x ≤ Q(p)), Q the type-7 quantile of all draws.
    ///
    /// - Returns: nil when undefined (see ``ConvergenceStatistics``), including when either
    ///   indicator is constant.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func tailESS(_ chains: [[Double]]) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        guard isDefinedForSplitStatistics(matrix) else { return nil }
        let sorted = matrix.values.sorted()
        return tailESS(matrix, sortedValues: sorted)
    }

    /// The ESS of the p-quantile (`posterior`'s `ess_quantile`, Vehtari et al. 2021 sec. 4.3):
    /// ``basicESS(_:)`` of the split chains of the indicator I(x ≤ Q(p)), Q the type-7 quantile
    /// of all draws (``quantileType7(_:probability:)``). As in `posterior`, p = 1 is replaced by
    /// (S − 1/2)/S.
    ///
    /// - Returns: nil when undefined (see ``ConvergenceStatistics``), when the indicator is
    ///   constant, or when `probability` is not in [0, 1].
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func quantileESS(_ chains: [[Double]], probability: Double) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        guard probability >= 0, probability <= 1, isDefinedForSplitStatistics(matrix) else {
            return nil
        }
        let sorted = matrix.values.sorted()
        return quantileESS(matrix, sortedValues: sorted, probability: probability)
    }

    // MARK: Internal

    /// The conditions shared by the split statistics: chains present, ≥ 4 draws each, all
    /// draws finite, quantity not constant.
    static func isDefinedForSplitStatistics(_ matrix: ChainMatrix) -> Bool {
        matrix.chainCount > 0 && matrix.drawCount >= minimumDrawsPerChain
            && matrix.isFiniteAndVarying
    }

    /// Tail-ESS of a matrix that passed ``isDefinedForSplitStatistics(_:)``, given its draws
    /// sorted ascending. `posterior`'s `min(q05, q95)` is NA when either is, and so is this.
    static func tailESS(_ matrix: ChainMatrix, sortedValues: [Double]) -> Double? {
        guard let lower = quantileESS(matrix, sortedValues: sortedValues, probability: 0.05),
              let upper = quantileESS(matrix, sortedValues: sortedValues, probability: 0.95)
        else { return nil }
        return min(lower, upper)
    }

    /// Quantile-ESS of a matrix that passed ``isDefinedForSplitStatistics(_:)``.
    static func quantileESS(
        _ matrix: ChainMatrix, sortedValues: [Double], probability: Double
    ) -> Double? {
        let count = Double(sortedValues.count)
        let p = probability == 1 ? (count - 0.5) / count : probability
        let threshold = sortedValues.withUnsafeBufferPointer { sortedQuantile($0, p) }
        return geyerESS(matrix.split { $0 <= threshold ? 1 : 0 })
    }

    /// `posterior`'s `.ess` on a matrix as given; see ``basicESS(_:)``. The autocovariances
    /// are computed only up to the lag where the initial positive sequence stops
    /// (``LaggedAutocovariance``); `directLagLimit` is exposed for the tests that check this
    /// against the all-FFT computation.
    static func geyerESS(
        _ matrix: ChainMatrix, directLagLimit: Int = LaggedAutocovariance.defaultDirectLagLimit
    ) -> Double? {
        let chains = matrix.chainCount
        let n = matrix.drawCount
        guard chains > 0, n >= 3, matrix.isFiniteAndVarying else { return nil }
        var acov = LaggedAutocovariance(matrix, directLagLimit: directLagLimit)
        guard let lag0 = acov(0) else { return nil }

        let meanVariance = lag0 * Double(n) / Double(n - 1)
        var variancePlus = meanVariance * Double(n - 1) / Double(n)
        if chains > 1 {
            variancePlus += sampleVariance(acov.chainMeans)
        }
        func rho(_ t: Int) -> Double {
            guard let gamma = acov(t) else { return .nan }
            return 1 - (meanVariance - gamma) / variancePlus
        }

        // Geyer's initial positive sequence over pairs (ρ̂ₜ, ρ̂ₜ₊₁), t even; rhoHat grows with
        // t (posterior allocates N entries, of which only these are ever read).
        var rhoHat = [1.0, rho(1)]
        var t = 0
        var even = 1.0
        var odd = rhoHat[1]
        while t < n - 5, !(even + odd).isNaN, even + odd > 0 {
            t += 2
            even = rho(t)
            odd = rho(t + 1)
            rhoHat.append(contentsOf: even + odd >= 0 ? [even, odd] : [0, 0])
        }
        let maxT = t
        // The improved estimate keeps the last even term when it is positive.
        if even > 0 { rhoHat[maxT] = even }

        // Geyer's initial monotone sequence.
        t = 0
        while t <= maxT - 4 {
            t += 2
            if rhoHat[t] + rhoHat[t + 1] > rhoHat[t - 2] + rhoHat[t - 1] {
                rhoHat[t] = (rhoHat[t - 2] + rhoHat[t - 1]) / 2
                rhoHat[t + 1] = rhoHat[t]
            }
        }

        let draws = Double(chains * n)
        // R: sum(rho_hat_t[1:max_t]); for max_t = 0, 1:0 is c(1, 0), which selects ρ̂₀.
        var partial = 0.0
        if maxT == 0 {
            partial = rhoHat[0]
        } else {
            for lag in 0..<maxT { partial += rhoHat[lag] }
        }
        var tau = -1 + 2 * partial + rhoHat[maxT]
        guard tau.isFinite else { return nil }
        // Safety bound: ESS ≤ S log₁₀ S.
        tau = max(tau, 1 / log10(draws))
        return draws / tau
    }
}
