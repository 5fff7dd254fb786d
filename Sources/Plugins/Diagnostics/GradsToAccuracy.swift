import Workbench

/// `grads-to-accuracy`: Robnik & Seljak's cost to reach a fixed accuracy (DIAGNOSTICS.md;
/// Robnik, De Luca, Silverstein & Seljak 2023, "Microcanonical Hamiltonian Monte Carlo").
///
/// b²(t) = mean over coordinates of (Ê_t[f] − E[f])² / Var[f] for f = x and f = x², where
/// Ê_t is the running average over all chains of the kept draws up to time t, and the
/// criterion takes the larger of the two (b²(t) = max(b²_x(t), b²_x²(t)), as `moments`'s `b2`).
/// `gradients-to-accuracy` is the number of gradient evaluations (full-gradient equivalents,
/// warm-up included, summed over chains) after which b² stays below 0.01 to the end of the
/// run, and `ess-per-gradient-b2` = 100 / that number (named apart from the `ess-per-gradient`
/// diagnostic's bulk-ESS ratio, which reports and `bench compare` look up by name); the `-max`
/// variants use the maximum over coordinates instead of the mean. b² = 0.01 is the bias of an average of 100 independent
/// draws, hence the 100.
///
/// The running means come from each chain's `MomentCheckpoints` (log-spaced checkpoints, four
/// per doubling of the kept draws), so the time is resolved to about 19 %. The cost is the
/// total over chains, as in `ess-per-gradient` (the pooled average of M chains is worth M
/// times the draws); the report's `CellResult.biasTrace` plots b² against the cost per chain
/// instead. If any chain diverged,
/// or b² is still above 0.01 at the end, the gradient count is undefined (nil) and ESS per
/// gradient is 0. Imported draws have no gradient count: both are nil. The `exact` sampler
/// spends no gradient: the count is 0 and ESS per gradient undefined.
public struct GradsToAccuracyDiagnostic: Diagnostic {
    public static let id = "grads-to-accuracy"
    public static let summary = "gradients until b² of x and x² stays below 0.01 (Robnik & Seljak), mean and max over coordinates"
    /// The accuracy level b² must stay below.
    public let threshold: Double

    /// The registry's setting: b² < 0.01.
    public init() { self.init(threshold: 0.01) }

    public init(threshold: Double) {
        self.threshold = threshold
    }

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let (mean, max) = gradientsToAccuracy(run, reference: reference)
        func ess(_ gradients: Double??) -> Double? {
            guard let gradients else { return nil }  // unknown
            guard let gradients else { return 0 }  // never reached, or diverged
            return 100 / gradients
        }
        return [
            Metric(diagnostic: id, name: "gradients-to-accuracy", value: mean ?? nil, unit: "full gradients",
                   direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "ess-per-gradient-b2", value: ess(mean), unit: "draws per full gradient",
                   direction: .higherIsBetter),
            Metric(diagnostic: id, name: "gradients-to-accuracy-max", value: max ?? nil, unit: "full gradients",
                   direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "ess-per-gradient-b2-max", value: ess(max), unit: "draws per full gradient",
                   direction: .higherIsBetter),
        ]
    }

    /// The gradient counts for the mean and the max criterion: nil when unknown (imported
    /// draws), .some(nil) when never reached or diverged.
    func gradientsToAccuracy(_ run: RunRecord, reference: Reference) -> (mean: Double??, max: Double??) {
        // Unknown without gradient counts, chains, or reference moments (`Reference.unavailable`).
        guard run.gradientCount != nil, !run.chains.isEmpty, reference.isAvailable else { return (nil, nil) }
        if run.diverged { return (.some(nil), .some(nil)) }
        let checkpoints = run.chains.map(\.checkpoints)
        let count = checkpoints.map(\.counts.count).min() ?? 0
        guard count > 0 else { return (.some(nil), .some(nil)) }
        let d = run.dimension
        var gradients = [Double](repeating: 0, count: count)
        var meanCriterion = [Double](repeating: 0, count: count)
        var maxCriterion = [Double](repeating: 0, count: count)
        var pooledMean = [Double](repeating: 0, count: d), pooledSquare = [Double](repeating: 0, count: d)
        for k in 0..<count {
            var weight = 0.0
            for i in 0..<d { pooledMean[i] = 0; pooledSquare[i] = 0 }
            for chain in checkpoints {
                // Weighted by draws: the last (forced) checkpoints of chains can differ in count.
                let w = Double(chain.counts[k])
                weight += w
                gradients[k] += Double(chain.perDatumGradients[k])
                for i in 0..<d {
                    pooledMean[i] += w * chain.means[k][i]
                    pooledSquare[i] += w * chain.meanSquares[k][i]
                }
            }
            gradients[k] /= Double(run.dataSize)
            var sumX = 0.0, sumSquares = 0.0, worst = 0.0
            for i in 0..<d {
                let ex = pooledMean[i] / weight - reference.mean[i]
                let ex2 = pooledSquare[i] / weight - reference.secondMoment[i]
                let bx = ex * ex / reference.variance[i]
                let bx2 = ex2 * ex2 / reference.secondMomentVariance[i]
                sumX += bx
                sumSquares += bx2
                worst = Swift.max(worst, bx, bx2)
            }
            meanCriterion[k] = Swift.max(sumX, sumSquares) / Double(d)
            maxCriterion[k] = worst
        }
        func firstStayingBelow(_ criterion: [Double]) -> Double? {
            // The last checkpoint at or above the threshold (NaN counts as above).
            let last = criterion.lastIndex { !($0 < threshold) }
            guard let last else { return gradients[0] }
            return last + 1 < count ? gradients[last + 1] : nil
        }
        return (.some(firstStayingBelow(meanCriterion)), .some(firstStayingBelow(maxCriterion)))
    }
}
