import Testing
@testable import Workbench

@Suite struct GradientOracleTests {
    /// N = 10, n = 3: an epoch is 3 batches (one datum skipped); over an epoch every datum is
    /// used at most once, and each batch costs 3 per-datum evaluations.
    @Test func batchesAreWithoutReplacementWithinAnEpoch() {
        let target = IndexCountingTarget(dataSize: 10)
        var oracle = GradientOracle(target: target, batchSize: 3, rng: Xoshiro256StarStar(seed: 1))
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

    @Test func fullBatchCostsNAndUsesTheFullGradient() {
        var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: nil, rng: Xoshiro256StarStar(seed: 1))
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
