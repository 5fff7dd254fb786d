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
        /// chains get −1. The sort (``sort(_:_:into:_:)``) carries each draw's destination along,
        /// so nothing is gathered afterwards.
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
                            Self.sort(input, payload, into: sortedValues, sortedPayloadBuffer)
                        }
                    }
                    initializedPayload = count
                }
                initializedValues = count
            }
            destinations = sortedPayload
            retainedCount = splitting ? matrix.splitChainCount * matrix.splitDrawCount : count
        }

        /// An unsigned key whose order is the numeric order of `value` (no NaN): the sign bit
        /// flipped for non-negative numbers, all bits flipped for negative ones. −0 sorts just
        /// before +0; the two compare equal, so they fall into one run of ties either way.
        @inline(__always)
        static func sortKey(_ value: Double) -> UInt64 {
            let bits = value.bitPattern
            return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }

        /// The value whose ``sortKey(_:)`` is `key` (the key map is a bijection).
        @inline(__always)
        static func value(ofKey key: UInt64) -> Double {
            Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
        }

        /// Draws per bucket of the value-bucketed sort (``sort(_:_:into:_:)``), on average.
        static let drawsPerBucket = 2
        /// log₂ of the buckets per group. The first scatter goes to groups, n/1 024 write
        /// positions, few enough to stay in cache (one scatter straight to n/2 buckets writes
        /// all over memory and was slower); the second scatters a group, already in cache, to
        /// its buckets.
        static let bucketsPerGroupShift = 9
        /// Groups larger than this (heavy tails, masses of ties) are radix-sorted whole.
        static let groupLimit = 1 << 16
        /// Buckets up to this size are insertion-sorted; larger ones are radix-sorted.
        static let insertionSortLimit = 64

        /// Writes `values` and `payload` (of equal length) to `sortedValues` and `sortedPayload`
        /// in the stable ascending order of ``sortKey(_:)``: ties (equal keys) keep their input
        /// order, −0 comes before +0. The result is the permutation of the former stable LSD
        /// radix sort (``radixSort(_:_:)``), which the comparison sort before it gave too.
        ///
        /// A value-bucketed distribution sort (bucket sort; Knuth, TAOCP vol. 3, sec. 5.2.5,
        /// "Sorting by distribution"), in two levels: with L and H the least and
        /// greatest value and B = ⌊n/2⌋ buckets, value x goes to bucket
        /// b(x) = min(B − 1, ⌊(x − L) · (B/(H − L))⌋). Rounded subtraction of L, rounded
        /// multiplication by a positive constant and truncation are each monotone
        /// (x ≤ y ⇒ f(x) ≤ f(y)), so buckets are ordered as their values, and the clamp keeps
        /// the rounding at H in range. Buckets form groups of 512 consecutive ones
        /// (b ≫ 9); a counting pass and a stable scatter by group, then within each group a
        /// count and a stable scatter by bucket, put every draw in its bucket in input order;
        /// each bucket is then sorted by key — insertion sort (stable) when it holds at most
        /// ``insertionSortLimit`` draws, as all do for draws with a density, else the radix
        /// sort, so a heavy tail or a mass of ties costs about one pass more than the radix
        /// sort alone. When H − L is not positive with B/(H − L) finite (a constant or ±0-only
        /// input, a NaN or ±∞, a range overflowing or below B · 2⁻¹⁰²⁴), the input is
        /// radix-sorted whole.
        static func sort(
            _ values: UnsafeBufferPointer<Double>, _ payload: UnsafeBufferPointer<Int32>,
            into sortedValues: UnsafeMutableBufferPointer<Double>, _ sortedPayload: UnsafeMutableBufferPointer<Int32>
        ) {
            let count = values.count
            precondition(payload.count == count && sortedValues.count == count && sortedPayload.count == count,
                         "SortedDraws.sort: length mismatch")
            guard count > 0 else { return }
            var lowKey = UInt64.max, highKey = UInt64.min
            for value in values {
                let key = sortKey(value)
                lowKey = min(lowKey, key)
                highKey = max(highKey, key)
            }
            let low = value(ofKey: lowKey), range = value(ofKey: highKey) - low
            let bucketCount = max(1, count / drawsPerBucket)
            let scale = Double(bucketCount) / range
            guard range > 0, scale > 0, scale.isFinite else {
                _ = sortedValues.initialize(fromContentsOf: values)
                _ = sortedPayload.initialize(fromContentsOf: payload)
                sortByKey(sortedValues, sortedPayload)
                return
            }
            @inline(__always) func bucket(_ value: Double) -> Int {
                min(bucketCount - 1, Int((value - low) * scale))
            }
            let shift = bucketsPerGroupShift
            let groupCount = (bucketCount - 1) >> shift + 1
            // ends[g]: first the start of group g, then (after the scatter) its end.
            var ends = [Int](repeating: 0, count: groupCount)
            var bucketEnds = [Int](repeating: 0, count: 1 << shift)
            var scratchValues: [Double] = [], scratchPayload: [Int32] = []
            ends.withUnsafeMutableBufferPointer { ends in
                for value in values { ends[bucket(value) >> shift] += 1 }
                prefixSums(ends)
                for k in 0..<count {
                    let value = values[k]
                    let g = bucket(value) >> shift
                    let target = ends[g]
                    ends[g] = target + 1
                    sortedValues[target] = value
                    sortedPayload[target] = payload[k]
                }
                var start = 0
                for g in 0..<groupCount {
                    let end = ends[g], size = end - start
                    let groupValues = UnsafeMutableBufferPointer(rebasing: sortedValues[start..<end])
                    let groupPayload = UnsafeMutableBufferPointer(rebasing: sortedPayload[start..<end])
                    start = end
                    if size <= insertionSortLimit || size > groupLimit {
                        sortByKey(groupValues, groupPayload)
                        continue
                    }
                    // The group's draws, in input order, scattered back by bucket.
                    scratchValues.removeAll(keepingCapacity: true)
                    scratchValues.append(contentsOf: groupValues)
                    scratchPayload.removeAll(keepingCapacity: true)
                    scratchPayload.append(contentsOf: groupPayload)
                    let first = g << shift
                    bucketEnds.withUnsafeMutableBufferPointer { bucketEnds in
                        for b in 0..<bucketEnds.count { bucketEnds[b] = 0 }
                        for value in scratchValues { bucketEnds[bucket(value) - first] += 1 }
                        prefixSums(bucketEnds)
                        for k in 0..<size {
                            let value = scratchValues[k]
                            let b = bucket(value) - first
                            let target = bucketEnds[b]
                            bucketEnds[b] = target + 1
                            groupValues[target] = value
                            groupPayload[target] = scratchPayload[k]
                        }
                        var bucketStart = 0
                        for b in 0..<bucketEnds.count {
                            let bucketEnd = bucketEnds[b]
                            if bucketEnd - bucketStart > 1 {
                                sortByKey(UnsafeMutableBufferPointer(rebasing: groupValues[bucketStart..<bucketEnd]),
                                          UnsafeMutableBufferPointer(rebasing: groupPayload[bucketStart..<bucketEnd]))
                            }
                            bucketStart = bucketEnd
                        }
                    }
                }
            }
        }

        /// Replaces counts by the running sums before them: the start of each slot.
        @inline(__always)
        private static func prefixSums(_ counts: UnsafeMutableBufferPointer<Int>) {
            var offset = 0
            for b in 0..<counts.count {
                let size = counts[b]
                counts[b] = offset
                offset += size
            }
        }

        /// Sorts `values` in place by ``sortKey(_:)``, stably, permuting `payload` alongside:
        /// insertion sort up to ``insertionSortLimit`` values, else ``radixSort(_:_:)`` on keys.
        @inline(__always)
        static func sortByKey(_ values: UnsafeMutableBufferPointer<Double>, _ payload: UnsafeMutableBufferPointer<Int32>) {
            let count = values.count
            guard count > insertionSortLimit else {
                for i in 1..<max(1, count) {
                    let value = values[i], item = payload[i], key = sortKey(value)
                    var j = i
                    while j > 0, sortKey(values[j - 1]) > key {
                        values[j] = values[j - 1]
                        payload[j] = payload[j - 1]
                        j -= 1
                    }
                    values[j] = value
                    payload[j] = item
                }
                return
            }
            var keys = values.map(sortKey)
            var order = Array(payload)
            radixSort(&keys, &order)
            for k in 0..<count {
                values[k] = value(ofKey: keys[k])
                payload[k] = order[k]
            }
        }

        /// Sorts `keys` ascending and permutes `order` (any payload) alongside: a stable
        /// least-significant-digit radix sort, four passes of 16 bits (a pass whose digit is the
        /// same for every key is skipped). Stable, so ties keep their flat order — the order the
        /// comparison sort this replaced gave them.
        static func radixSort<Payload>(_ keys: inout [UInt64], _ order: inout [Payload]) {
            let count = keys.count
            guard count > 1 else { return }
            var keysOut = [UInt64](repeating: 0, count: count)
            var orderOut = order
            var histogram = [Int](repeating: 0, count: 1 << 16)
            for pass in 0..<4 {
                let shift = UInt64(16 * pass)
                let skipped: Bool = keys.withUnsafeBufferPointer { keys in
                    histogram.withUnsafeMutableBufferPointer { histogram in
                        for b in 0..<histogram.count { histogram[b] = 0 }
                        for k in keys { histogram[Int((k >> shift) & 0xFFFF)] += 1 }
                        if histogram[Int((keys[0] >> shift) & 0xFFFF)] == count { return true }
                        var offset = 0
                        for b in 0..<histogram.count {
                            let size = histogram[b]
                            histogram[b] = offset
                            offset += size
                        }
                        return false
                    }
                }
                if skipped { continue }
                keys.withUnsafeBufferPointer { keys in
                    order.withUnsafeBufferPointer { order in
                        keysOut.withUnsafeMutableBufferPointer { keysOut in
                            orderOut.withUnsafeMutableBufferPointer { orderOut in
                                histogram.withUnsafeMutableBufferPointer { position in
                                    for k in 0..<count {
                                        let digit = Int((keys[k] >> shift) & 0xFFFF)
                                        let target = position[digit]
                                        position[digit] = target + 1
                                        keysOut[target] = keys[k]
                                        orderOut[target] = order[k]
                                    }
                                }
                            }
                        }
                    }
                }
                swap(&keys, &keysOut)
                swap(&order, &orderOut)
            }
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

extension Array where Element == Double {
    /// The values in ascending order, in O(n) for values with a density: the sort of the rank
    /// statistics (``ConvergenceStatistics``), stable on order-preserving integer keys. Equal to
    /// `sorted()` for values without NaN, except that −0 comes before +0 (they compare equal).
    public func bucketSorted() -> [Double] {
        let matrix = ConvergenceStatistics.ChainMatrix(chainCount: 1, drawCount: count, values: self)
        return ConvergenceStatistics.SortedDraws(matrix, splitting: false).values
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
