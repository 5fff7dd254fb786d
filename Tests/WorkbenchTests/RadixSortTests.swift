import Foundation
import Testing
@testable import Workbench

/// The sorts behind the rank statistics (`BucketSort`, `SortedDraws`) and the deterministic
/// parallel map the diagnostics use.
@Suite struct RadixSortTests {
    /// Keys order as the numbers do: negatives, −0 and +0 together, infinities at the ends.
    @Test func sortKeysFollowNumericOrder() {
        let values: [Double] = [-.infinity, -1e300, -2, -1, -.leastNonzeroMagnitude, -0.0, 0, .leastNonzeroMagnitude, 1, 2, 1e300, .infinity]
        let keys = values.map(BucketSort.sortKey)
        for k in 1..<keys.count { #expect(keys[k - 1] < keys[k], "\(values[k - 1]) vs \(values[k])") }
    }

    /// `bucketSorted()` gives `sorted()`'s values (−0 and +0 compare equal, so `==` holds).
    @Test func bucketSortedEqualsSorted() {
        var rng = Xoshiro256StarStar(seed: 9)
        var values = (0..<5_000).map { _ in rng.normal() * 1e3 }
        values += [.infinity, -.infinity, 0, -0.0, 1e-310, -1e-310] + values.prefix(100)
        let sorted = values.sorted(), bucketed = values.bucketSorted()
        #expect(bucketed == sorted)
        #expect([Double]().bucketSorted().isEmpty && [2.0].bucketSorted() == [2])
    }

    /// On draws with many ties (and both zeros), the sorted values, their destinations and the
    /// tie-averaged ranks equal those of a stable comparison sort, with and without splitting.
    @Test func matchesAStableComparisonSort() {
        var rng = Xoshiro256StarStar(seed: 3)
        let chains = 3, draws = 1_001
        let values = (0..<(chains * draws)).map { _ -> Double in
            let k = rng.integer(below: 200) - 100
            return k == 0 ? (rng.integer(below: 2) == 0 ? -0.0 : 0.0) : Double(k) / 7
        }
        let matrix = ConvergenceStatistics.ChainMatrix(chainCount: chains, drawCount: draws, values: values)
        for splitting in [false, true] {
            let sorted = ConvergenceStatistics.SortedDraws(matrix, splitting: splitting)
            let reference = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            #expect(sorted.values.map(\.bitPattern).count == values.count)
            for k in 0..<values.count {
                #expect(sorted.values[k] == values[reference[k]])
            }
            let destinations = reference.map { flat in
                splitting ? (matrix.splitDestination(chain: flat / draws, draw: flat % draws) ?? -1) : flat
            }
            // Within a run of equal values the order may differ only between −0 and +0, which
            // get the same score; compare destinations as sets per run.
            var start = 0
            while start < values.count {
                var end = start
                while end < values.count, sorted.values[end] == sorted.values[start] { end += 1 }
                #expect(Set(sorted.destinations[start..<end].map(Int.init)) == Set(destinations[start..<end]))
                start = end
            }
        }
        // The squares, ranked from the same sort (folded about 0), give the bulk-ESS of x²
        // exactly as sorting x² does — here with many ties, also between x and −x.
        let squares = (0..<chains).map { m in (0..<draws).map { i in values[m * draws + i] * values[m * draws + i] } }
        let statistics = ConvergenceStatistics.CoordinateStatistics(matrix, tailAndRhat: false, squares: true)
        #expect(statistics.squaresBulkESS != nil)
        #expect(statistics.squaresBulkESS == (try? ConvergenceStatistics.bulkESS(squares)) ?? nil)
        let ranks = ConvergenceStatistics.averageRanks(values)!
        for i in values.indices {
            let below = values.filter { $0 < values[i] }.count, equal = values.filter { $0 == values[i] }.count
            #expect(ranks[i] == Double(below) + Double(equal + 1) / 2)
        }
    }

    /// The value-bucketed sort (`BucketSort.sort`, through `SortedDraws`) gives exactly the
    /// stable order by sort key (ties in input order, −0 before +0) — the radix sort's — on
    /// inputs built to break it: heavy tails, ties, zeros, infinities, NaN, presorted runs,
    /// outliers, degenerate ranges, and sizes at the edges of its insertion and group limits.
    @Test func bucketSortGivesTheStableKeyOrder() {
        typealias Sorted = ConvergenceStatistics.SortedDraws
        func expectStableOrder(_ values: [Double], _ name: String) {
            let keys = values.map(BucketSort.sortKey)
            let reference = values.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            let matrix = ConvergenceStatistics.ChainMatrix(chainCount: 1, drawCount: values.count, values: values)
            let sorted = Sorted(matrix, splitting: false)
            #expect(sorted.values.map(\.bitPattern) == reference.map { values[$0].bitPattern }, "\(name)")
            #expect(sorted.destinations.map(Int.init) == reference, "\(name)")
            // The radix sort, the fallback for large buckets, gives the same order on its own.
            var radixKeys = keys, order = values.indices.map { Int32($0) }
            BucketSort.radixSort(&radixKeys, &order)
            #expect(order.map(Int.init) == reference, "\(name): radix")
        }
        var rng = Xoshiro256StarStar(seed: 17)
        let n = 20_000  // groups of about a thousand draws: the two-level scatter runs
        let normal = (0..<n).map { _ in rng.normal() }
        let cauchy = (0..<n).map { _ in tan(Double.pi * (rng.uniform() - 0.5)) }
        let logUniform = (0..<n).map { _ in
            (rng.integer(below: 2) == 0 ? -1.0 : 1) * pow(10, 600 * rng.uniform() - 300)
        }
        let zeros = (0..<n).map { _ in [-0.0, 0.0, 1e-300, -1e-300][rng.integer(below: 4)] }
        expectStableOrder(normal, "normal")
        expectStableOrder(normal.map { ($0 * 100).rounded() / 100 }, "ties within buckets")
        expectStableOrder(normal.map { $0.rounded() }, "few distinct values")
        expectStableOrder((0..<n).map { _ in Double(rng.integer(below: 3)) }, "three values")
        expectStableOrder(cauchy, "Cauchy")
        expectStableOrder((0..<200_000).map { _ in tan(Double.pi * (rng.uniform() - 0.5)) }, "Cauchy, a group past the limit")
        expectStableOrder(logUniform, "1e-300 ... 1e300, both signs")
        expectStableOrder(logUniform.map(abs), "1e-300 ... 1e300")
        expectStableOrder([Double](repeating: 2.5, count: n), "all equal")
        expectStableOrder(zeros, "±0 and ±1e-300")
        expectStableOrder(zeros.map { $0 == 1e-300 ? 0 : $0 }, "±0 only")
        expectStableOrder(normal.map { $0 > 2 ? .infinity : $0 < -2 ? -.infinity : $0 }, "±∞")
        expectStableOrder(normal.map { $0 > 3 ? .nan : $0 }, "NaN")
        expectStableOrder(normal.sorted(), "sorted")
        expectStableOrder(normal.sorted(by: >), "reverse sorted")
        expectStableOrder(normal.enumerated().map { $0.offset == 1_234 ? 1e300 : $0.element }, "one huge outlier")
        expectStableOrder(normal.enumerated().map { $0.offset == 4_321 ? -1e300 : $0.element }, "one huge negative outlier")
        expectStableOrder([-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0, 1], "range overflows")
        expectStableOrder([0, .leastNonzeroMagnitude, 0, -0.0, .leastNonzeroMagnitude], "subnormal range")
        expectStableOrder((0..<1_000).map { Double($0 % 7) * .leastNormalMagnitude }, "tiny range")
        expectStableOrder([], "n = 0")
        expectStableOrder([3], "n = 1")
        expectStableOrder([2, 1], "n = 2, descending")
        expectStableOrder([0.0, -0.0], "n = 2, +0 then −0")
        for size in [63, 64, 65, 127, 128, 129, 1_023, 1_024, 1_025] {
            expectStableOrder(Array(normal.prefix(size)), "normal, n = \(size)")
            expectStableOrder(Array(cauchy.prefix(size)), "Cauchy, n = \(size)")
        }
    }

    @Test func concurrentMapKeepsIndexOrder() {
        let n = 1_000
        #expect(concurrentMap(n) { $0 * $0 } == (0..<n).map { $0 * $0 })
        #expect(concurrentMap(0) { $0 }.isEmpty)
        #expect(concurrentMap(1) { $0 + 7 } == [7])
    }

    /// Under a limit of one thread every index runs on the calling thread; the limit is the
    /// calling thread's and is restored afterwards.
    @Test func oneComputeThreadMeansTheCallingThread() {
        let caller = pthread_self()
        let before = ComputeThreads.current
        let onCaller = ComputeThreads.withLimit(1) { concurrentMap(64) { _ in pthread_equal(pthread_self(), caller) != 0 } }
        #expect(onCaller.allSatisfy { $0 })
        #expect(ComputeThreads.current == before)
        #expect(ComputeThreads.withLimit(0) { ComputeThreads.current } == 1)
    }
}
