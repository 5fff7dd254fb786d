/// The three convergence numbers Stan reports for one scalar quantity — bulk-ESS, tail-ESS and
/// rank-normalised split-R̂ (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021) — computed as
/// Stan's `posterior` package computes `ess_bulk`, `ess_tail` and `rhat`.
///
/// `init(chains:)` sorts the draws once: the ranks (bulk), the median and the ranks of the
/// folded draws (R̂), and the 5% and 95% quantiles (tail) all follow from that one sort, and
/// the autocovariances stop at Geyer's truncation lag (``ConvergenceStatistics``), so the cost
/// is one O(S) radix sort plus O(S) per autocovariance lag used.
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
        self = ConvergenceStatistics.CoordinateStatistics(matrix, tailAndRhat: true).summary
    }
}

extension ConvergenceStatistics {
    /// What the diagnostics report of one coordinate x, from one sort of its draws: the
    /// ``ConvergenceSummary`` of x (tail-ESS and R̂ only when asked for) and the bulk-ESS of x²
    /// (``bulkESS(_:)`` of the squared draws, ranked from the same sort: ``SortedDraws/squared()``).
    struct CoordinateStatistics {
        var summary = ConvergenceSummary(bulkESS: nil, tailESS: nil, rhat: nil)
        var squaresBulkESS: Double?

        init(_ matrix: ChainMatrix, tailAndRhat: Bool, squares: Bool = false) {
            guard isDefinedForSplitStatistics(matrix) else { return }
            let chains = matrix.splitChainCount, draws = matrix.splitDrawCount
            let sorted = SortedDraws(matrix, splitting: true)
            let z = sorted.normalScores(chainCount: chains, drawCount: draws)
            summary.bulkESS = geyerESS(z)
            if tailAndRhat {
                summary.tailESS = tailESS(matrix, sortedValues: sorted.values)
                summary.rhat = rankNormalizedRhat(matrix, sorted: sorted, scores: z)
            }
            if squares {
                // bulkESS(x²) is defined when x² is finite and not constant: check the extremes.
                let squared = sorted.squared()
                if let low = squared.values.first, let high = squared.values.last,
                   high.isFinite, abs(high - low) >= Double.ulpOfOne {
                    squaresBulkESS = geyerESS(squared.normalScores(chainCount: chains, drawCount: draws))
                }
            }
        }
    }
}
