/// The records of a batch of chains running in lock step (`ChainLoop.runBatch`), kept as
/// structure of arrays: the running means and sums of squared deviations of all chains in one
/// C × d array each, the histograms' counts in one C × (bins + 2) array. A kept step updates every
/// running chain in one pass (Welford's update over C · d contiguous values while no chain has
/// stopped), instead of a call per chain whose divisions wait on each other.
///
/// Contract: chain c's record is, bit for bit, the `ChainRecord` that recording its positions
/// one by one gives — the same operations on the same values in the same order per chain
/// (`RunningMoments.welford`, `StreamingHistogram.bin`, `DrawThinning`, the same checkpoints).
/// It relies on lock step: every running chain has kept the same steps, so the draw count,
/// the thinning and the next checkpoint are shared. A chain that stops keeps what it had.
@usableFromInline
struct BatchRecord {
    let chains: Int
    /// The recorded dimension (the model scale's for a transformed target).
    let dimension: Int
    let maxDraws: Int
    /// Kept steps of every running chain.
    private var count = 0
    private var mean: [Double]
    private var sumOfSquaredDeviations: [Double]
    /// The bins of coordinate 0 (`ChainRecord.histogram`), if the chains keep a histogram.
    private let histogramBins: (lower: Double, binWidth: Double, bins: Int)?
    /// Per chain, bins + 2 counts: underflow, the bins, overflow (`StreamingHistogram.bin`'s
    /// −1 … bins, shifted by one), so that counting a value does not branch on where it fell.
    private var histogramCounts: [Int]
    /// Scratch: each chain's (x₀ − lower) / binWidth this step.
    private var binPositions: [Double]
    private var draws: [[Double]]
    /// Draws stored by every running chain.
    private var storedDraws = 0
    private var thinning: DrawThinning
    private var checkpoints: [MomentCheckpoints]
    /// Whether chain c still records.
    private var running: [Bool]
    private var stopped = 0
    /// The first chain still recording (`chains` when none is).
    private var firstRunning = 0
    /// A stopped chain's kept steps and thinning when it stopped.
    private var stoppedAt: [(count: Int, thinning: DrawThinning)?]

    /// The record of a batch whose chains start from `records` (empty records alike: one per
    /// chain, as `CellChains` makes them), each storing at most `recordedSteps` positions.
    init(_ records: [ChainRecord], recordedSteps: Int) {
        let first = records[0]
        chains = records.count
        dimension = first.dimension
        maxDraws = first.maxDraws
        mean = Array(repeating: 0, count: chains * dimension)
        sumOfSquaredDeviations = mean
        histogramBins = first.histogram.map { ($0.lower, $0.binWidth, $0.counts.count) }
        histogramCounts = Array(repeating: 0, count: chains * (histogramBins.map { $0.bins + 2 } ?? 0))
        binPositions = Array(repeating: 0, count: chains)
        let capacity = DrawMemory.storedDraws(recordedSteps: recordedSteps, thin: first.thin, maxDraws: maxDraws) * dimension
        draws = (0..<chains).map { _ in
            var row: [Double] = []
            row.reserveCapacity(capacity)
            return row
        }
        thinning = DrawThinning(thin: first.thin)
        checkpoints = Array(repeating: MomentCheckpoints(), count: chains)
        running = Array(repeating: true, count: chains)
        stoppedAt = Array(repeating: nil, count: chains)
    }

    /// Chain c records nothing more.
    mutating func stop(_ c: Int) {
        if running[c] {
            running[c] = false
            stopped += 1
            stoppedAt[c] = (count, thinning)
            if c == firstRunning { firstRunning = running.firstIndex(of: true) ?? chains }
        }
    }

    /// Whether any chain still records.
    var isRecording: Bool { stopped < chains }

    /// Records a kept step of every running chain: row c of `points` (C × d) is chain c's
    /// position, `oracles[c]` its oracle (its gradient count after the step, for checkpoints).
    mutating func record(_ points: UnsafeBufferPointer<Double>, oracles: [GradientOracle]) {
        let d = dimension
        count += 1
        let n = Double(count)
        running.withUnsafeBufferPointer { running in
            mean.withUnsafeMutableBufferPointer { m in
                sumOfSquaredDeviations.withUnsafeMutableBufferPointer { s in
                    if stopped == 0 {
                        RunningMoments.welford(points, count: n, mean: m, sumOfSquaredDeviations: s)
                    } else {
                        for c in 0..<chains where running[c] {
                            let rows = (c * d)..<((c + 1) * d)
                            RunningMoments.welford(UnsafeBufferPointer(rebasing: points[rows]), count: n,
                                                   mean: UnsafeMutableBufferPointer(rebasing: m[rows]),
                                                   sumOfSquaredDeviations: UnsafeMutableBufferPointer(rebasing: s[rows]))
                        }
                    }
                }
            }
            if let (lower, binWidth, bins) = histogramBins {
                // The positions first, in a loop of independent divisions (in SIMD lanes when the
                // points are contiguous, d = 1); then the counts.
                binPositions.withUnsafeMutableBufferPointer { positions in
                    if d == 1 {
                        for c in 0..<chains { positions[c] = (points[c] - lower) / binWidth }
                    } else {
                        for c in 0..<chains { positions[c] = (points[c * d] - lower) / binWidth }
                    }
                }
                histogramCounts.withUnsafeMutableBufferPointer { counts in
                    binPositions.withUnsafeBufferPointer { positions in
                        let stride = bins + 2
                        for c in 0..<chains where stopped == 0 || running[c] {
                            counts[c * stride + StreamingHistogram.bin(atPosition: positions[c], bins: bins) + 1] += 1
                        }
                    }
                }
            }
            let next = thinning.next(storeIsFull: storedDraws == maxDraws)
            if next.compact {
                for c in 0..<chains where running[c] { DrawThinning.compact(&draws[c], dimension: d) }
                storedDraws = (storedDraws + 1) / 2
            }
            if next.store {
                for c in 0..<chains where running[c] { draws[c].append(contentsOf: points[(c * d)..<((c + 1) * d)]) }
                storedDraws += 1
            }
            if firstRunning < chains, count == checkpoints[firstRunning].next {
                for c in 0..<chains where running[c] {
                    checkpoints[c].observe(moments(of: c), perDatumGradients: oracles[c].perDatumGradientEvaluations)
                }
            }
        }
    }

    /// Hands each chain's record to `records[c]` (`ChainRecord.adopt`).
    func finish(into records: inout [ChainRecord]) {
        for c in 0..<chains {
            let histogram = histogramBins.map { lower, binWidth, bins in
                let row = c * (bins + 2)
                return StreamingHistogram(lower: lower, binWidth: binWidth, counts: Array(histogramCounts[(row + 1)...(row + bins)]),
                                          underflow: histogramCounts[row], overflow: histogramCounts[row + bins + 1])
            }
            records[c].adopt(moments: moments(of: c), draws: draws[c], thinning: stoppedAt[c]?.thinning ?? thinning,
                             histogram: histogram, checkpoints: checkpoints[c])
        }
    }

    /// Chain c's running moments (allocates: for checkpoints and the end only).
    private func moments(of c: Int) -> RunningMoments {
        let rows = (c * dimension)..<((c + 1) * dimension)
        return RunningMoments(count: stoppedAt[c]?.count ?? count, mean: Array(mean[rows]),
                              sumOfSquaredDeviations: Array(sumOfSquaredDeviations[rows]))
    }
}
