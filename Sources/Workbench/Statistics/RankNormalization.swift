import CGSL

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
        var ranks = [Double](repeating: 0, count: values.count)
        sorted.assignTieAveragedScores(into: &ranks) { $0 }
        return ranks
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
    /// once; the quantiles, the median, the ranks and the ranks of the folded draws all follow
    /// from it in linear time.
    struct SortedDraws {
        /// The draws, ascending.
        var values: [Double]
        /// `destinations[k]` is where `values[k]` goes in the target matrix, or −1 if dropped.
        var destinations: [Int]
        /// The number of draws not dropped: the size S of the target matrix.
        var retainedCount: Int

        /// Sorts `matrix` (which must have no NaN). With `splitting`, destinations index the split
        /// matrix of ``ChainMatrix/split()``, and the middle draws of odd-length chains get −1.
        init(_ matrix: ChainMatrix, splitting: Bool) {
            let count = matrix.count
            var keys = [UInt64](repeating: 0, count: count)
            var order = [Int32](repeating: 0, count: count)
            var retained = 0
            matrix.values.withUnsafeBufferPointer { buffer in
                for flat in 0..<count {
                    keys[flat] = Self.sortKey(buffer[flat])
                    order[flat] = Int32(flat)
                }
            }
            Self.radixSort(&keys, &order)
            var sortedValues = [Double](repeating: 0, count: count)
            var sortedDestinations = [Int](repeating: 0, count: count)
            matrix.values.withUnsafeBufferPointer { buffer in
                for k in 0..<count {
                    let flat = Int(order[k])
                    sortedValues[k] = buffer[flat]
                    let destination = splitting
                        ? (matrix.splitDestination(chain: flat / matrix.drawCount, draw: flat % matrix.drawCount) ?? -1)
                        : flat
                    if destination >= 0 { retained += 1 }
                    sortedDestinations[k] = destination
                }
            }
            values = sortedValues
            destinations = sortedDestinations
            retainedCount = retained
        }

        /// An unsigned key whose order is the numeric order of `value` (no NaN): the sign bit
        /// flipped for non-negative numbers, all bits flipped for negative ones. −0 sorts just
        /// before +0; the two compare equal, so they fall into one run of ties either way.
        @inline(__always)
        static func sortKey(_ value: Double) -> UInt64 {
            let bits = value.bitPattern
            return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }

        /// Sorts `keys` ascending and permutes `order` alongside: a stable least-significant-digit
        /// radix sort, four passes of 16 bits (a pass whose digit is the same for every key is
        /// skipped). Stable, so ties keep their flat order — the order the comparison sort this
        /// replaces gave them, so the sorted values and destinations are unchanged.
        static func radixSort(_ keys: inout [UInt64], _ order: inout [Int32]) {
            let count = keys.count
            guard count > 1 else { return }
            var keysOut = [UInt64](repeating: 0, count: count)
            var orderOut = [Int32](repeating: 0, count: count)
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
        init(values: [Double], destinations: [Int], retainedCount: Int) {
            self.values = values
            self.destinations = destinations
            self.retainedCount = retainedCount
        }

        /// For each run of equal values, the average rank r of its retained members among all
        /// retained draws; writes `score(r)` to their destinations. `score` runs once per run.
        func assignTieAveragedScores(into target: inout [Double], _ score: (Double) -> Double) {
            values.withUnsafeBufferPointer { values in
                destinations.withUnsafeBufferPointer { destinations in
                    target.withUnsafeMutableBufferPointer { target in
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
                                let result = score(Double(ranked) + Double(members + 1) / 2)
                                for k in start..<end where destinations[k] >= 0 {
                                    target[destinations[k]] = result
                                }
                                ranked += members
                            }
                            start = end
                        }
                    }
                }
            }
        }

        /// The rank-normalised target matrix: z = Φ⁻¹((r − 3/8)/(S + 1/4)).
        func normalScores(chainCount: Int, drawCount: Int) -> ChainMatrix {
            var scores = [Double](repeating: 0, count: retainedCount)
            let denominator = Double(retainedCount) + 0.25
            assignTieAveragedScores(into: &scores) { rank in
                gsl_cdf_ugaussian_Pinv((rank - 0.375) / denominator)
            }
            return ChainMatrix(chainCount: chainCount, drawCount: drawCount, values: scores)
        }

        /// The draws folded about `center`, |x − center|, in ascending order, with the same
        /// destinations — by merging outward from `center` instead of sorting again. Each side is
        /// monotone after rounding (x ↦ |x − c| is monotone on either side and rounding preserves
        /// order), so the merge is exactly the sorted order of the computed folded values.
        func folded(about center: Double) -> SortedDraws {
            let count = values.count
            var foldedValues = [Double](repeating: 0, count: count)
            var foldedDestinations = [Int](repeating: 0, count: count)
            values.withUnsafeBufferPointer { values in
                destinations.withUnsafeBufferPointer { destinations in
                    foldedValues.withUnsafeMutableBufferPointer { outValues in
                        foldedDestinations.withUnsafeMutableBufferPointer { outDestinations in
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
                                    outValues[k] = leftValue
                                    outDestinations[k] = destinations[left]
                                    left -= 1
                                } else {
                                    outValues[k] = rightValue
                                    outDestinations[k] = destinations[right]
                                    right += 1
                                }
                            }
                        }
                    }
                }
            }
            return SortedDraws(
                values: foldedValues, destinations: foldedDestinations, retainedCount: retainedCount)
        }
    }
}
