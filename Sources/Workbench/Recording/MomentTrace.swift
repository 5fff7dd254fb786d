/// The running means of x and x² of one chain at log-spaced checkpoints, with the chain's
/// gradient cost at each: what `grads-to-accuracy` needs to follow the bias b²(t) of
/// Robnik & Seljak over a run (DIAGNOSTICS.md) without storing the chain.
///
/// Checkpoints fall at kept-draw counts 1, 2, …, 16 and then every factor 2^(1/8) (the next
/// count is ⌈2^(1/8) · count⌉), the same counts in every chain, so chains combine checkpoint
/// by checkpoint. A run of 10⁷ kept draws has about 170 checkpoints. Checking whether a draw is
/// a checkpoint is one integer comparison; only a checkpoint appends (2d + 2 numbers), so
/// recording allocates nothing per step beyond the amortised growth of these arrays.
public struct MomentTrace: Sendable {
    public let dimension: Int
    /// Kept draws averaged at each checkpoint.
    public private(set) var counts: [Int] = []
    /// The chain's per-datum gradient evaluations at each checkpoint, warm-up included
    /// (nil when the draws came without a gradient count, e.g. imported draws).
    public private(set) var perDatumGradients: [Int]? = []
    /// Running mean of x at each checkpoint, row-major (checkpoints × d).
    public private(set) var means: [Double] = []
    /// Running mean of x² at each checkpoint, row-major (checkpoints × d).
    public private(set) var meanSquares: [Double] = []
    /// The kept-draw count of the next checkpoint.
    public private(set) var nextCount = 1

    public init(dimension: Int) {
        self.dimension = dimension
    }

    /// The number of checkpoints recorded.
    public var checkpointCount: Int { counts.count }

    /// The checkpoint that follows `count` kept draws.
    public static func checkpoint(after count: Int) -> Int {
        count < 16 ? count + 1 : max(count + 1, Int((Double(count) * growth).rounded(.up)))
    }

    /// 2^(1/8): eight checkpoints per doubling.
    public static let growth = 1.0905077326652577

    /// Records the state of `moments` (the chain's running moments) if its count is due, or
    /// unconditionally when `force` (the end of a chain). `perDatumGradients` nil marks the
    /// trace as having no gradient count.
    @inline(__always)
    mutating func observe(_ moments: RunningMoments, perDatumGradients gradients: Int?, force: Bool = false) {
        let count = moments.count
        guard count == nextCount || (force && count > 0 && counts.last != count) else { return }
        append(moments, perDatumGradients: gradients)
    }

    private mutating func append(_ moments: RunningMoments, perDatumGradients gradients: Int?) {
        let count = moments.count
        counts.append(count)
        if let gradients { perDatumGradients?.append(gradients) } else { perDatumGradients = nil }
        means.append(contentsOf: moments.mean)
        let n = Double(count)
        for i in 0..<dimension {
            let mean = moments.mean[i]
            meanSquares.append(moments.sumOfSquaredDeviations[i] / n + mean * mean)
        }
        while nextCount <= count { nextCount = Self.checkpoint(after: nextCount) }
    }
}
