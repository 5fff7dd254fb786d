/// The three convergence numbers Stan reports for one scalar quantity — bulk-ESS, tail-ESS and
/// rank-normalised split-R̂ (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021) — computed as
/// Stan's `posterior` package computes `ess_bulk`, `ess_tail` and `rhat`.
///
/// `init(chains:)` sorts the draws once: the ranks (bulk), the median and the ranks of the
/// folded draws (R̂), and the 5% and 95% quantiles (tail) all follow from that one sort, and
/// the autocovariances come from GSL FFTs, so the cost is O(S log S) for S draws.
///
/// A value is nil where the statistic is not defined: no chains, fewer than 4 draws per chain,
/// a non-finite draw, or a constant quantity (see ``ConvergenceStatistics``).
public struct ConvergenceSummary: Codable, Hashable, Sendable {
    /// ``ConvergenceStatistics/bulkESS(_:)``: ESS of the rank-normalised split chains.
    public var bulkESS: Double?
    /// ``ConvergenceStatistics/tailESS(_:)``: the smaller ESS of the 5% and 95% quantile indicators.
    public var tailESS: Double?
    /// ``ConvergenceStatistics/rhat(_:)``: max of the rank-normalised split-R̂ of the draws and
    /// of the draws folded about their median.
    public var rhat: Double?

    public init(bulkESS: Double?, tailESS: Double?, rhat: Double?) {
        self.bulkESS = bulkESS
        self.tailESS = tailESS
        self.rhat = rhat
    }

    /// Computes bulk-ESS, tail-ESS and R̂ of one quantity from its chains (chain-major:
    /// `chains[m][i]` is draw i of chain m).
    ///
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)`` when the chains differ in length.
    public init(chains: [[Double]]) throws {
        let matrix = try ConvergenceStatistics.ChainMatrix(validating: chains)
        guard ConvergenceStatistics.isDefinedForSplitStatistics(matrix) else {
            self.init(bulkESS: nil, tailESS: nil, rhat: nil)
            return
        }
        let sorted = ConvergenceStatistics.SortedDraws(matrix, splitting: true)
        let z = sorted.normalScores(
            chainCount: matrix.splitChainCount, drawCount: matrix.splitDrawCount)
        self.init(
            bulkESS: ConvergenceStatistics.geyerESS(z),
            tailESS: ConvergenceStatistics.tailESS(matrix, sortedValues: sorted.values),
            rhat: ConvergenceStatistics.rankNormalizedRhat(matrix, sorted: sorted, scores: z))
    }
}
