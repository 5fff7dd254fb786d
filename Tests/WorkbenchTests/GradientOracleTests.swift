import Testing
@testable import Workbench

@Suite struct GradientOracleTests {
    /// Epoch scheme, N = 10, n = 3: an epoch is 3 batches (one datum skipped); over an epoch
    /// every datum is used at most once, and each batch costs 3 per-datum evaluations.
    @Test func batchesAreWithoutReplacementWithinAnEpoch() {
        let target = IndexCountingTarget(dataSize: 10)
        var oracle = GradientOracle(target: target, batchSize: 3, scheme: .epoch, rng: Xoshiro256StarStar(seed: 1))
        let x = [Double](repeating: 0, count: 10)
        var g = x
        for _ in 0..<4 {
            var used = [Double](repeating: 0, count: 10)
            for _ in 0..<3 {
                oracle.stochasticGradient(at: x, into: &g)
                #expect(g.reduce(0, +) == 3)
                for i in 0..<10 { used[i] += g[i] }
            }
            #expect(used.allSatisfy { $0 <= 1 })
            #expect(used.reduce(0, +) == 9)
        }
        #expect(oracle.perDatumGradientEvaluations == 36)
        #expect(abs(oracle.fullGradientEquivalents - 3.6) < 1e-12)
    }

    /// I.i.d. scheme (the default), N = 10, n = 3: every batch holds 3 distinct data, and
    /// batches are independent — unlike epochs, a datum recurs within 3 consecutive batches.
    /// Over B = 30 000 batches each datum's frequency is 3/10 (the inclusion probability of a
    /// uniform 3-subset); its standard error is √(0.3 · 0.7 / B) ≈ 0.0026, bound 5 of them.
    @Test func iidBatchesAreDistinctWithinAndIndependentAcross() {
        var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: 3, rng: Xoshiro256StarStar(seed: 3))
        #expect(oracle.scheme == .iid)
        let x = [Double](repeating: 0, count: 10)
        var g = x, counts = x, previous = x
        var repeatsAcrossBatches = 0
        let batches = 30_000
        for _ in 0..<batches {
            oracle.stochasticGradient(at: x, into: &g)
            #expect(g.allSatisfy { $0 == 0 || $0 == 1 } && g.reduce(0, +) == 3)
            for i in 0..<10 {
                counts[i] += g[i]
                if g[i] == 1 && previous[i] == 1 { repeatsAcrossBatches += 1 }
            }
            previous = g
        }
        for i in 0..<10 { #expect(abs(counts[i] / Double(batches) - 0.3) < 5 * (0.21 / Double(batches)).squareRoot()) }
        // Independent batches share a datum with the previous one at rate 3 · 0.3 = 0.9 per batch.
        #expect(abs(Double(repeatsAcrossBatches) / Double(batches) - 0.9) < 0.05)
        #expect(oracle.perDatumGradientEvaluations == 3 * batches)
    }

    /// `drawBatch` moves to a new batch at no cost; `gradientOnCurrentBatch` then sees it.
    @Test func drawBatchIsFreeAndGradientsShareIt() {
        var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: 4, rng: Xoshiro256StarStar(seed: 9))
        let x = [Double](repeating: 0, count: 10)
        var first = x, second = x
        oracle.drawBatch()
        #expect(oracle.perDatumGradientEvaluations == 0)
        oracle.gradientOnCurrentBatch(at: x, into: &first)
        oracle.gradientOnCurrentBatch(at: x, into: &second)
        #expect(first == second && first.reduce(0, +) == 4)
        #expect(oracle.perDatumGradientEvaluations == 8)
    }

    @Test func fullBatchCostsNAndUsesTheFullGradient() {
        var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: .full, rng: Xoshiro256StarStar(seed: 1))
        var g = [Double](repeating: 0, count: 10)
        oracle.stochasticGradient(at: g, into: &g)
        #expect(g.allSatisfy { $0 == 1 })
        #expect(oracle.perDatumGradientEvaluations == 10)
        #expect(oracle.batchSize == 10)
    }

    @Test func batchesAreReproducible() {
        func firstBatches(seed: UInt64) -> [[Double]] {
            var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: 2, rng: Xoshiro256StarStar(seed: seed))
            var g = [Double](repeating: 0, count: 10)
            return (0..<5).map { _ in oracle.stochasticGradient(at: g, into: &g); return g }
        }
        #expect(firstBatches(seed: 4) == firstBatches(seed: 4))
        #expect(firstBatches(seed: 4) != firstBatches(seed: 5))
    }
}
