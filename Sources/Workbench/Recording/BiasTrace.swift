/// The running means of x and x² of one chain at log-spaced checkpoints, with the chain's
/// gradient cost at each: enough to follow b²(t) (DIAGNOSTICS.md `grads-to-accuracy`) over a
/// run without storing the chain. Checkpoints fall at kept-draw counts 1, 2, …, 8 and then
/// every factor 2^(1/4) (four per doubling; the same counts in every chain, so chains combine
/// checkpoint by checkpoint). Only a checkpoint allocates (2d numbers).
public struct MomentCheckpoints: Sendable {
    /// Kept draws averaged at each checkpoint.
    public private(set) var counts: [Int] = []
    /// The chain's per-datum gradient evaluations at each checkpoint, warm-up included.
    public private(set) var perDatumGradients: [Int] = []
    /// Running means of x and of x² at each checkpoint.
    public private(set) var means: [[Double]] = []
    public private(set) var meanSquares: [[Double]] = []
    /// The kept-draw count of the next checkpoint.
    private(set) var next = 1

    public init() {}

    /// Records `moments` if its count is a checkpoint (or, with `force`, if it is new). The
    /// test runs on every kept step and is inlined there; the recording, rare, is not.
    @inline(__always)
    mutating func observe(_ moments: RunningMoments, perDatumGradients gradients: Int, force: Bool = false) {
        let count = moments.count
        guard count == next || (force && count > 0 && counts.last != count) else { return }
        append(moments, perDatumGradients: gradients)
    }

    @inline(never)
    private mutating func append(_ moments: RunningMoments, perDatumGradients gradients: Int) {
        let count = moments.count
        counts.append(count)
        perDatumGradients.append(gradients)
        means.append(moments.mean)
        meanSquares.append(moments.meanOfSquares)
        while next <= count { next = next < 8 ? next + 1 : max(next + 1, Int((Double(next) * 1.189207115002721).rounded(.up))) }
    }
}

/// One point of b² against cost: the bias of the running averages pooled over the healthy
/// chains after `gradientEvaluations` full-gradient equivalents per chain (warm-up included).
public struct BiasPoint: Codable, Sendable, Equatable {
    public let gradientEvaluations: Double
    /// b² of f = x: mean over coordinates of (Ê[x] − E[x])² / Var[x].
    public let firstMoment: Double
    /// b² of f = x²: mean over coordinates of (Ê[x²] − E[x²])² / Var[x²].
    public let secondMoment: Double
}

extension RunRecord {
    /// b²(t) at the checkpoints that every healthy chain reached (DIAGNOSTICS.md
    /// `grads-to-accuracy`: running averages over all chains), nil when no chain is healthy or
    /// the reference's moments are not known (`Reference.unavailable`, a BNN before
    /// `bench reference`).
    public func biasTrace(reference: Reference) -> [BiasPoint]? {
        let chains = healthyChains
        guard !chains.isEmpty, reference.isAvailable else { return nil }
        let secondVariance = reference.secondMomentVariance
        let k = chains.map(\.checkpoints.counts.count).min() ?? 0
        var points: [BiasPoint] = []
        for c in 0..<k {
            var first = 0.0, second = 0.0, gradients = 0.0
            for i in 0..<dimension {
                var m = 0.0, s = 0.0
                for chain in chains {
                    m += chain.checkpoints.means[c][i]
                    s += chain.checkpoints.meanSquares[c][i]
                }
                m /= Double(chains.count)
                s /= Double(chains.count)
                first += (m - reference.mean[i]) * (m - reference.mean[i]) / reference.variance[i]
                second += (s - reference.secondMoment[i]) * (s - reference.secondMoment[i]) / secondVariance[i]
            }
            for chain in chains { gradients += Double(chain.checkpoints.perDatumGradients[c]) }
            points.append(BiasPoint(gradientEvaluations: gradients / Double(chains.count) / Double(dataSize),
                                    firstMoment: first / Double(dimension), secondMoment: second / Double(dimension)))
        }
        return points
    }
}
