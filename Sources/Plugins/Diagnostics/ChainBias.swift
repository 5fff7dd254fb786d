import Workbench

/// `chain-b2`: b² per chain from its kept (thinned) draws, then the mean and standard
/// deviation over chains — the metric of the SMILE paper's analytic benchmark (arXiv
/// 2602.06500; `analytical/analysis.py` of its public code: `flat[::thinning]` with thinning
/// 10, `np.mean((np.mean(flat**2, axis=0) − E_f)**2 / var_f)` per replication, then
/// `np.mean` and `np.std` over the 7 replications) (DIAGNOSTICS.md).
///
/// For each chain that did not diverge, from its kept draws x⁽¹⁾..x⁽ᵏ⁾ (every `thin`-th
/// post-warm-up step; the thinning doubles when a chain outgrows its cap, and the largest
/// thinning used is reported):
/// b²_c(f) = (1/d) Σ_i (mean_k f(x_i⁽ᵏ⁾) − E[f_i])² / Var[f_i] for f = x and f = x²;
/// reported: the mean over chains and the standard deviation over chains with divisor C
/// (numpy's default ddof = 0, as the paper's error bars). It differs from `moments`' b²,
/// which pools every step of every chain before squaring: the pooled estimate averages the
/// chains' Monte Carlo errors first (b² of the pooled mean ≈ bias² + variance/C), while the
/// per-chain mean keeps each chain's full variance (≈ bias² + variance), so with few or
/// short chains the per-chain value is larger. Undefined (nil) when every chain diverged,
/// a chain kept no draw, or the reference is not known.
public struct ChainBiasDiagnostic: Diagnostic {
    public static let id = "chain-b2"
    public static let summary = "b² of x and x² per chain from its thinned draws, mean and sd over chains (the SMILE paper's metric, arXiv 2602.06500)"

    public static let declaredMetrics: [MetricName] = [.chainB2SquaresMean, .chainB2SquaresSD]

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let chains = run.healthyChains
        let d = run.dimension
        var perChainX: [Double] = [], perChainX2: [Double] = []
        if reference.isAvailable && !chains.isEmpty && chains.allSatisfy({ $0.drawCount > 0 }) {
            for chain in chains {
                let (x, x2) = Self.bias(chain, dimension: d, reference: reference)
                perChainX.append(x)
                perChainX2.append(x2)
            }
        }
        let defined = !perChainX.isEmpty
        func metric(_ name: MetricName, _ value: Double, _ unit: String, _ direction: Direction) -> Metric {
            Metric(diagnostic: id, name: name, value: defined ? value : nil, unit: unit, direction: direction)
        }
        return [
            metric(MetricName("chain-b2-x-mean"), Self.mean(perChainX), "squared sd", .lowerIsBetter),
            metric(MetricName("chain-b2-x-sd"), Self.populationSD(perChainX), "squared sd", .neutral),
            metric(.chainB2SquaresMean, Self.mean(perChainX2), "squared sd", .lowerIsBetter),
            metric(.chainB2SquaresSD, Self.populationSD(perChainX2), "squared sd", .neutral),
            metric(MetricName("chain-b2-thin"), Double(chains.map(\.thin).max() ?? 0), "steps per kept draw", .neutral),
        ]
    }

    /// b²(x) and b²(x²) of one chain's kept draws.
    static func bias(_ chain: ChainRecord, dimension d: Int, reference: Reference) -> (x: Double, x2: Double) {
        var sums = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        let k = chain.drawCount
        chain.draws.withUnsafeBufferPointer { draws in
            for row in 0..<k {
                for i in 0..<d {
                    let v = draws[row * d + i]
                    sums[i] += v
                    squares[i] += v * v
                }
            }
        }
        var bx = 0.0, bx2 = 0.0
        for i in 0..<d {
            let e = sums[i] / Double(k) - reference.mean[i]
            bx += e * e / reference.variance[i]
            let e2 = squares[i] / Double(k) - reference.secondMoment[i]
            bx2 += e2 * e2 / reference.secondMomentVariance[i]
        }
        return (bx / Double(d), bx2 / Double(d))
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The standard deviation with divisor n (numpy's `np.std`).
    static func populationSD(_ values: [Double]) -> Double {
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }
}
