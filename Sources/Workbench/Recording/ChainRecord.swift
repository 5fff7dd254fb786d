/// Everything kept from one chain, filled step by step with bounded memory.
///
/// - Streaming moments of every post-warm-up kept position (all steps, not only thinned ones).
/// - Thinned draws: every `thin`-th kept position. When `maxDraws` are stored, every second
///   stored draw is dropped and `thin` doubles, so memory stays at most `maxDraws × d` values
///   and the stored draws stay equally spaced; storage grows with what is recorded (see
///   `init`), never `maxDraws × d` up front.
/// - A histogram of coordinate 0 (for 1-D marginal plots) when bins are given.
/// - Step-info summaries: divergence step, resets, acceptance, ΔE moments.
/// - The running means of x and x² at log-spaced checkpoints with the gradient count at each
///   (`checkpoints`, for b²(t): `grads-to-accuracy` and the report).
public struct ChainRecord: Sendable {
    public let dimension: Int
    public let maxDraws: Int
    public private(set) var moments: RunningMoments
    /// Stored draws, row-major (drawCount × d).
    public private(set) var draws: [Double] = []
    /// Steps between stored draws (the initial thinning, doubled at each compaction).
    public var thin: Int { thinning.thin }
    private var thinning: DrawThinning
    public private(set) var histogram: StreamingHistogram?
    /// Steps run, warm-up included (fewer than asked when the chain diverged).
    public internal(set) var steps = 0
    /// The step (0-based, warm-up included) at which the chain diverged, if it did.
    public internal(set) var divergenceStep: Int?
    /// Whether the chain was stopped by the cell's wall-time cap before its last step.
    public internal(set) var truncated = false
    public private(set) var resets = 0
    public private(set) var acceptance = RunningMoments(dimension: 1)
    public private(set) var energyError = RunningMoments(dimension: 1)
    /// Running means of x and x² at log-spaced checkpoints (`MomentCheckpoints`), for b²(t).
    public private(set) var checkpoints = MomentCheckpoints()

    /// - Parameter recordedSteps: the most positions `record` will be given (the chain's
    ///   post-warm-up steps), when known: storage for the draws they can leave,
    ///   min(maxDraws, ⌈recordedSteps / thin⌉) × d values (`DrawMemory.storedDraws`), is reserved
    ///   at once, so recording never allocates. Without it the buffer grows by doubling as draws
    ///   arrive (a few times per chain, never in steady state: it stops at maxDraws × d, and
    ///   compaction keeps its capacity). Never maxDraws × d up front: a large `maxDraws` with few
    ///   steps costs only what is recorded.
    public init(dimension: Int, thin: Int, maxDraws: Int, histogram: StreamingHistogram? = nil, recordedSteps: Int? = nil) {
        precondition(thin >= 1 && maxDraws >= 2)
        self.dimension = dimension
        self.thinning = DrawThinning(thin: thin)
        self.maxDraws = maxDraws
        self.moments = RunningMoments(dimension: dimension)
        self.histogram = histogram
        if let recordedSteps {
            draws.reserveCapacity(DrawMemory.storedDraws(recordedSteps: recordedSteps, thin: thin, maxDraws: maxDraws) * dimension)
        }
    }

    /// A record of draws made elsewhere (`bench diagnose`): every draw is stored (thin 1) and
    /// enters the moments; there are no checkpoints, as there is no gradient count. A draw with a
    /// non-finite coordinate marks the chain diverged there (as the runner does), and the
    /// draws after it are dropped.
    ///
    /// - Parameter draws: row-major (count × d).
    public init(importing draws: [Double], dimension: Int, histogram: StreamingHistogram? = nil) {
        precondition(dimension > 0 && draws.count % dimension == 0)
        let count = draws.count / dimension
        self.init(dimension: dimension, thin: 1, maxDraws: max(2, count), histogram: histogram, recordedSteps: count)
        var x = [Double](repeating: 0, count: dimension)
        for k in 0..<count {
            var finite = true
            for i in 0..<dimension {
                x[i] = draws[k * dimension + i]
                if !x[i].isFinite { finite = false }
            }
            steps = k + 1
            guard finite else {
                divergenceStep = k
                break
            }
            record(x)
        }
    }

    public var drawCount: Int { draws.count / dimension }

    /// Records the info of any step (warm-up included).
    public mutating func observe(_ info: StepInfo) {
        if info.reset { resets += 1 }
        if !info.acceptance.isNaN { acceptance.add(info.acceptance) }
        if !info.energyError.isNaN { energyError.add(info.energyError) }
    }

    /// Records a kept post-warm-up position.
    public mutating func record(_ x: [Double]) {
        x.withUnsafeBufferPointer { record($0) }
    }

    /// Records a kept post-warm-up position (length d) from borrowed storage.
    public mutating func record(_ x: UnsafeBufferPointer<Double>) {
        moments.add(x)
        histogram?.add(x[0])
        let next = thinning.next(storeIsFull: draws.count == maxDraws * dimension)
        if next.compact { DrawThinning.compact(&draws, dimension: dimension) }
        if next.store { draws.append(contentsOf: x) }
    }

    /// Records a kept post-warm-up position (length d) from borrowed storage, then notes the
    /// chain's gradient cost at it if it is a checkpoint: ``record(_:)`` and
    /// ``checkpoint(perDatumGradients:force:)`` in one call, the runner's per-step one.
    public mutating func record(_ x: UnsafeBufferPointer<Double>, perDatumGradients: Int) {
        record(x)
        checkpoint(perDatumGradients: perDatumGradients)
    }

    /// Notes the chain's gradient cost after the last recorded draw, at the checkpoints of
    /// `checkpoints` (or unconditionally with `force`, at the end of the chain).
    public mutating func checkpoint(perDatumGradients: Int, force: Bool = false) {
        checkpoints.observe(moments, perDatumGradients: perDatumGradients, force: force)
    }

    /// Takes what a batch recorded for this chain (`BatchRecord`): its moments, stored draws
    /// with their thinning, histogram and checkpoints.
    mutating func adopt(moments: RunningMoments, draws: [Double], thinning: DrawThinning, histogram: StreamingHistogram?,
                        checkpoints: MomentCheckpoints) {
        self.moments = moments
        self.draws = draws
        self.thinning = thinning
        self.histogram = histogram
        self.checkpoints = checkpoints
    }

    /// The stored draws of coordinate `i`.
    public func coordinate(_ i: Int) -> [Double] {
        stride(from: i, to: draws.count, by: dimension).map { draws[$0] }
    }
}
