/// The stable sort of `Double`s behind the rank statistics (`ConvergenceStatistics`) and the
/// `marginals` diagnostic: values ordered by an order-preserving unsigned key (``sortKey(_:)``;
/// ±∞ at the ends, a NaN by its bits), each carrying an `Int32` payload along, in O(n) for
/// values with a density — a value-bucketed distribution sort, with a stable LSD radix sort for
/// what does not bucket well. Ties keep their input order; −0 comes before +0.
enum BucketSort {
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
    /// positions, few enough to stay in cache; the second scatters a group, already in cache,
    /// to its buckets.
    static let bucketsPerGroupShift = 9
    /// Groups larger than this (heavy tails, masses of ties) are radix-sorted whole.
    static let groupLimit = 1 << 16
    /// Buckets up to this size are insertion-sorted; larger ones are radix-sorted.
    static let insertionSortLimit = 64

    /// Writes `values` and `payload` (of equal length) to `sortedValues` and `sortedPayload`
    /// in the stable ascending order of ``sortKey(_:)``: ties (equal keys) keep their input
    /// order, −0 comes before +0: the permutation that the stable radix sort
    /// (``radixSort(_:_:)``) and a stable comparison sort by key give.
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
                     "BucketSort.sort: length mismatch")
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
    /// same for every key is skipped). Stable: ties keep their input order.
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
}

extension Array where Element == Double {
    /// The values in ascending order, in O(n) for values with a density (``BucketSort``),
    /// stable on order-preserving integer keys. Equal to `sorted()` for values without NaN,
    /// except that −0 comes before +0 (they compare equal).
    public func bucketSorted() -> [Double] {
        let payload = [Int32](repeating: 0, count: count)
        return [Double](unsafeUninitializedCapacity: count) { sorted, initialized in
            var sortedPayload = payload
            withUnsafeBufferPointer { values in
                payload.withUnsafeBufferPointer { payload in
                    sortedPayload.withUnsafeMutableBufferPointer { sortedPayload in
                        BucketSort.sort(values, payload, into: sorted, sortedPayload)
                    }
                }
            }
            initialized = count
        }
    }
}
