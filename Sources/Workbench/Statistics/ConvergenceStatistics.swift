/// Convergence statistics of MCMC output: rank-normalised split-R̂, bulk-ESS and tail-ESS.
///
/// Every function takes the draws of one scalar quantity as chains, `[[Double]]`, chain-major
/// (`chains[m][i]` is draw `i` of chain `m`), and reproduces Stan's `posterior` R package
/// (`R/convergence.R`: `.split_chains`, `z_scale`, `fold_draws`, `.rhat`, `.ess`,
/// `autocovariance`, `ess_bulk`, `ess_tail`, `ess_quantile`, `rhat`), which ArviZ's
/// `arviz.stats.diagnostics` (`_split_chains`, `_z_scale`, `_rhat`, `_ess`) follows too.
/// The method is that of
///
/// > Aki Vehtari, Andrew Gelman, Daniel Simpson, Bob Carpenter and Paul-Christian Bürkner (2021).
/// > Rank-normalization, folding, and localization: An improved R̂ for assessing convergence of
/// > MCMC (with discussion). *Bayesian Analysis* 16(2), 667–718. doi:10.1214/20-BA1221
///
/// In outline, for M chains of n draws:
/// 1. Split each chain in half, dropping the middle draw when n is odd: 2M chains of N = ⌊n/2⌋
///    (``splitChains(_:)``).
/// 2. Rank-normalise: rank all S = 2MN draws together (average ranks for ties) and map rank r to
///    z = Φ⁻¹((r − 3/8)/(S + 1/4)) (Blom's offset; ``rankNormalize(_:)``).
/// 3. R̂ of a matrix (``basicRhat(_:)``): W = mean of the within-chain variances (divisor N − 1),
///    B = N · var(chain means) (divisor chains − 1), R̂ = √((B/W + N − 1)/N). The reported
///    ``rhat(_:)`` is max(R̂(z), R̂(z of |x − median x|)).
/// 4. ESS of a matrix (``basicESS(_:)``): Geyer's initial positive and initial monotone sequence
///    estimators of the autocorrelation time τ on the biased autocovariances, ESS = S/τ
///    (summed directly up to the lag the sequence stops at: ``LaggedAutocovariance``).
/// 5. Bulk-ESS = ESS of the split z (``bulkESS(_:)``); tail-ESS = the smaller of the ESS of
///    I(x ≤ q₀.₀₅) and I(x ≤ q₀.₉₅) on split chains, with type-7 quantiles (``tailESS(_:)``).
///
/// ``ConvergenceSummary`` computes the three reported numbers at once, sorting the draws once.
///
/// **Undefined values.** As in `posterior`, a statistic is not defined (nil) when any draw is
/// non-finite (NaN or ±∞), when the quantity is constant (max − min below the machine epsilon
/// 2.2·10⁻¹⁶, `posterior`'s `is_constant`), when there are no chains, and — for the split,
/// rank-normalised statistics — when a chain has fewer than 4 draws. Chains of unequal
/// length throw ``ConvergenceError/unequalChainLengths(_:)``. No input makes these functions trap.
public enum ConvergenceStatistics {
    /// The fewest draws per chain for which the split, rank-normalised statistics
    /// (``bulkESS(_:)``, ``tailESS(_:)``, ``quantileESS(_:probability:)``, ``meanESS(_:)``,
    /// ``rhat(_:)``, ``ConvergenceSummary``) are defined.
    public static let minimumDrawsPerChain = 4
}

/// Why a convergence statistic could not even be attempted.
public enum ConvergenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chains do not all have the same number of draws; the payload lists every chain's length.
    case unequalChainLengths([Int])

    public var description: String {
        switch self {
        case let .unequalChainLengths(lengths):
            return "chains of unequal length: "
                + lengths.map(String.init).joined(separator: ", ")
                + " draws; every chain must have the same number of draws"
        }
    }
}
