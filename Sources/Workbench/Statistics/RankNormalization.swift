import CGSL
import Synchronization

extension ConvergenceStatistics {
    /// Splits each chain in half (`posterior`'s `.split_chains`, ArviZ's `_split_chains`): chain m
    /// of n draws gives x[0..<⌊n/2⌋] and x[n−⌊n/2⌋..<n], so the middle draw is dropped when n is
    /// odd. The result holds the M first halves, then the M second halves: 2M chains of ⌊n/2⌋.
    /// Chains of one draw are returned unsplit, as `posterior` does; no chains give no chains.
    ///
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func splitChains(_ chains: [[Double]]) throws -> [[Double]] {
        try ChainMatrix(validating: chains).split().chains
    }

    /// The 1-based ranks of `values`, ties given the average of the ranks they span (R's
    /// `rank(ties.method = "average")`), so that e.g. [10, 20, 20, 30] ranks as [1, 2.5, 2.5, 4].
    /// Nil when a value is NaN; ±∞ rank as the extremes.
    public static func averageRanks(_ values: [Double]) -> [Double]? {
        guard !values.contains(where: \.isNaN) else { return nil }
        let matrix = ChainMatrix(chainCount: 1, drawCount: values.count, values: values)
        let sorted = SortedDraws(matrix, splitting: false)
        return [Double](unsafeUninitializedCapacity: values.count) { ranks, initialized in
            sorted.assignTieAveragedScores(into: ranks, SortedDraws.averageRank)
            initialized = values.count
        }
    }

    /// Rank normalisation (`posterior`'s `z_scale`, Vehtari et al. 2021 eq. 14): rank all S draws
    /// of all chains together, ties averaged, and map rank r to z = Φ⁻¹((r − 3/8)/(S + 1/4))
    /// (Blom 1958; Φ⁻¹ by GSL `gsl_cdf_ugaussian_Pinv`). The chains are not split here: call
    /// it on ``splitChains(_:)`` for the split-chain statistics.
    ///
    /// - Returns: the z-scores in the shape of `chains`, or nil when there are no draws or a
    ///   draw is not finite.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func rankNormalize(_ chains: [[Double]]) throws -> [[Double]]? {
        let matrix = try ChainMatrix(validating: chains)
        guard matrix.count > 0, matrix.isFinite else { return nil }
        return rankNormalized(matrix, splitting: false).chains
    }

    /// Folds the draws about their median (`posterior`'s `fold_draws`): |x − median(x)|, with
    /// the median of all draws of all chains. Its rank-normalised R̂ detects chains that differ
    /// in scale rather than location (Vehtari et al. 2021, sec. 4.2).
    ///
    /// - Returns: the folded draws in the shape of `chains`, or nil when there are no draws or a
    ///   draw is not finite.
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func foldAroundMedian(_ chains: [[Double]]) throws -> [[Double]]? {
        let matrix = try ChainMatrix(validating: chains)
        guard matrix.count > 0, matrix.isFinite else { return nil }
        let median = matrix.values.sorted().withUnsafeBufferPointer { sortedMedian($0) }
        return matrix.map { abs($0 - median) }.chains
    }

    /// z-scores of a finite, non-empty matrix, optionally split first; one sort.
    static func rankNormalized(_ matrix: ChainMatrix, splitting: Bool) -> ChainMatrix {
        let sorted = SortedDraws(matrix, splitting: splitting)
        return sorted.normalScores(
            chainCount: splitting ? matrix.splitChainCount : matrix.chainCount,
            drawCount: splitting ? matrix.splitDrawCount : matrix.drawCount)
    }

    /// All draws of a matrix sorted ascending, each with the flat index it takes in the target
    /// matrix (the matrix itself, or its split), or −1 when splitting drops it. Sorting happens
    /// once; the quantiles, the median, the ranks, the ranks of the folded draws and those of
    /// the squared draws all follow from it in linear time.
    struct SortedDraws {
        /// The draws, ascending.
        var values: [Double]
        /// `destinations[k]` is where `values[k]` goes in the target matrix, or −1 if dropped.
        var destinations: [Int32]
        /// The number of draws not dropped: the size S of the target matrix.
        var retainedCount: Int

        /// Sorts `matrix` (which must have fewer than 2³¹ draws). With `splitting`, destinations
        /// index the split matrix of ``ChainMatrix/split()``, and the middle draws of odd-length
        /// chains get −1. The sort (``BucketSort/sort(_:_:into:_:)``) carries each draw's
        /// destination along, so nothing is gathered afterwards.
        init(_ matrix: ChainMatrix, splitting: Bool) {
            let count = matrix.count
            precondition(count < Int(Int32.max), "SortedDraws: too many draws")
            let payload = [Int32](unsafeUninitializedCapacity: count) { payload, initialized in
                for chain in 0..<matrix.chainCount {
                    for draw in 0..<matrix.drawCount {
                        let destination = splitting ? matrix.splitDestination(chain: chain, draw: draw) : chain * matrix.drawCount + draw
                        payload[chain * matrix.drawCount + draw] = Int32(destination ?? -1)
                    }
                }
                initialized = count
            }
            // The sort writes every position of both.
            var sortedPayload: [Int32] = []
            values = [Double](unsafeUninitializedCapacity: count) { sortedValues, initializedValues in
                sortedPayload = [Int32](unsafeUninitializedCapacity: count) { sortedPayloadBuffer, initializedPayload in
                    matrix.values.withUnsafeBufferPointer { input in
                        payload.withUnsafeBufferPointer { payload in
                            BucketSort.sort(input, payload, into: sortedValues, sortedPayloadBuffer)
                        }
                    }
                    initializedPayload = count
                }
                initializedValues = count
            }
            destinations = sortedPayload
            retainedCount = splitting ? matrix.splitChainCount * matrix.splitDrawCount : count
        }

        /// Already-sorted parts (used for the folded draws).
        init(values: [Double], destinations: [Int32], retainedCount: Int) {
            self.values = values
            self.destinations = destinations
            self.retainedCount = retainedCount
        }

        /// For each run of equal values, the average rank r of its retained members among all
        /// retained draws; writes `score(r)` to their destinations. `score` runs once per run and
        /// is given the run as (ranks before it, retained members): r = before + (members + 1)/2.
        /// Every element of `target` (of ``retainedCount`` elements) is written once.
        func assignTieAveragedScores(into target: UnsafeMutableBufferPointer<Double>, _ score: (_ before: Int, _ members: Int) -> Double) {
            values.withUnsafeBufferPointer { values in
                destinations.withUnsafeBufferPointer { destinations in
                    let count = values.count
                    var start = 0
                    var ranked = 0
                    while start < count {
                        let value = values[start]
                        var end = start
                        var members = 0
                        while end < count, values[end] == value {
                            if destinations[end] >= 0 { members += 1 }
                            end += 1
                        }
                        if members > 0 {
                            // Ranks ranked+1 … ranked+members average to ranked + (members+1)/2.
                            let result = score(ranked, members)
                            for k in start..<end where destinations[k] >= 0 {
                                target[Int(destinations[k])] = result
                            }
                            ranked += members
                        }
                        start = end
                    }
                }
            }
        }

        /// The average of the ranks before + 1 … before + members.
        @inline(__always)
        static func averageRank(_ before: Int, _ members: Int) -> Double {
            Double(before) + Double(members + 1) / 2
        }

        /// The rank-normalised target matrix: z = Φ⁻¹((r − 3/8)/(S + 1/4)). Integer ranks (every
        /// draw not tied, and odd-sized runs of ties) read Φ⁻¹ from ``BlomScores``, computed once
        /// per S by the same expression; other ranks evaluate it.
        func normalScores(chainCount: Int, drawCount: Int) -> ChainMatrix {
            let table = BlomScores.table(count: retainedCount)
            let scores = [Double](unsafeUninitializedCapacity: retainedCount) { scores, initialized in
                table.withUnsafeBufferPointer { table in
                    assignTieAveragedScores(into: scores) { before, members in
                        members % 2 == 1
                            ? table[before + (members - 1) / 2]
                            : BlomScores.score(rank: Self.averageRank(before, members), count: retainedCount)
                    }
                }
                initialized = retainedCount
            }
            return ChainMatrix(chainCount: chainCount, drawCount: drawCount, values: scores)
        }

        /// The squared draws x² in ascending order, with the same destinations: the draws
        /// folded about 0 (|x| ascending, see ``folded(about:)``), then squared, which keeps the
        /// order (|x| ↦ |x|² is monotone and so is its rounding; |x|·|x| is exactly x·x).
        func squared() -> SortedDraws { folded(about: 0, squaring: true) }

        /// The draws folded about `center`, |x − center|, in ascending order, with the same
        /// destinations — by merging outward from `center` instead of sorting again. Each side is
        /// monotone after rounding (x ↦ |x − c| is monotone on either side and rounding preserves
        /// order), so the merge is exactly the sorted order of the computed folded values. With
        /// `squaring`, each folded value is squared as it is written (see ``squared()``).
        func folded(about center: Double, squaring: Bool = false) -> SortedDraws {
            let count = values.count
            var foldedDestinations: [Int32] = []
            let foldedValues = [Double](unsafeUninitializedCapacity: count) { outValues, initializedValues in
                foldedDestinations = [Int32](unsafeUninitializedCapacity: count) { outDestinations, initializedDestinations in
                    values.withUnsafeBufferPointer { values in
                        destinations.withUnsafeBufferPointer { destinations in
                            // First index with value ≥ center.
                            var low = 0
                            var high = count
                            while low < high {
                                let mid = (low + high) / 2
                                if values[mid] < center { low = mid + 1 } else { high = mid }
                            }
                            var left = low - 1
                            var right = low
                            for k in 0..<count {
                                let leftValue = left >= 0 ? abs(values[left] - center) : .infinity
                                let rightValue = right < count ? abs(values[right] - center) : .infinity
                                if left >= 0, right >= count || leftValue <= rightValue {
                                    outValues[k] = squaring ? leftValue * leftValue : leftValue
                                    outDestinations[k] = destinations[left]
                                    left -= 1
                                } else {
                                    outValues[k] = squaring ? rightValue * rightValue : rightValue
                                    outDestinations[k] = destinations[right]
                                    right += 1
                                }
                            }
                        }
                    }
                    initializedDestinations = count
                }
                initializedValues = count
            }
            return SortedDraws(
                values: foldedValues, destinations: foldedDestinations, retainedCount: retainedCount)
        }
    }
}

/// Blom's normal scores z(r) = Φ⁻¹((r − 3/8)/(S + 1/4)) for the integer ranks r = 1 … S of
/// S draws (Φ⁻¹ by GSL `gsl_cdf_ugaussian_Pinv`): rank normalisation maps every draw of a
/// quantity through them, and a run's coordinates all have the same S, so one table of S
/// values serves them all. The most recent table is kept (one per S is built, under a lock).
enum BlomScores {
    private static let cache = Mutex<(count: Int, table: [Double])>((0, []))

    /// z for rank `rank` (any real in [1, S]) among `count` = S draws.
    @inline(__always)
    static func score(rank: Double, count: Int) -> Double {
        gsl_cdf_ugaussian_Pinv((rank - 0.375) / (Double(count) + 0.25))
    }

    /// z(1) … z(S).
    static func table(count: Int) -> [Double] {
        cache.withLock { cached in
            if cached.count != count {
                cached = (count, (0..<count).map { score(rank: Double($0 + 1), count: count) })
            }
            return cached.table
        }
    }
}
