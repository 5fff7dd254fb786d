import Testing
@testable import Workbench

@Suite struct RecordingTests {
    @Test func welfordMatchesTwoPassAndMerges() {
        var g = Xoshiro256StarStar(seed: 11)
        let points = (0..<1000).map { _ in [g.normal() * 3 + 1, g.uniform()] }
        var all = RunningMoments(dimension: 2), first = RunningMoments(dimension: 2), second = RunningMoments(dimension: 2)
        for (k, p) in points.enumerated() {
            all.add(p)
            if k < 300 { first.add(p) } else { second.add(p) }
        }
        for i in 0..<2 {
            let xs = points.map { $0[i] }
            let mean = xs.reduce(0, +) / Double(xs.count)
            let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
            #expect(abs(all.mean[i] - mean) < 1e-12)
            #expect(abs(all.variance[i] - variance) < 1e-12)
            let merged = first.merged(with: second)
            #expect(abs(merged.mean[i] - mean) < 1e-12)
            #expect(abs(merged.variance[i] - variance) < 1e-12)
        }
    }

    /// The update runs four coordinates at a time in SIMD lanes; it must give the scalar
    /// update's numbers bit for bit, in the lanes and in the tail (d = 11 = 2 × 4 + 3).
    @Test func welfordLanesAreTheScalarUpdateBitForBit() {
        var g = Xoshiro256StarStar(seed: 12)
        let d = 11
        var moments = RunningMoments(dimension: d)
        var mean = [Double](repeating: 0, count: d), m2 = mean
        for k in 1...500 {
            let x = (0..<d).map { _ in g.normal() * 1e3 + g.uniform() }
            moments.add(x)
            for i in 0..<d {
                let delta = x[i] - mean[i]
                mean[i] += delta / Double(k)
                m2[i] += delta * (x[i] - mean[i])
            }
        }
        #expect(moments.mean.map(\.bitPattern) == mean.map(\.bitPattern))
        #expect(moments.sumOfSquaredDeviations.map(\.bitPattern) == m2.map(\.bitPattern))
    }

    /// With an initial thinning of 3 and a cap of 5 draws, the stored draws are the kept
    /// values at multiples of the current thinning, whatever the compactions (the counter
    /// that replaced the modulo must agree with it).
    @Test func thinningCountsLikeTheModulo() {
        var record = ChainRecord(dimension: 2, thin: 3, maxDraws: 5)
        var expected: [Double] = [], thin = 3
        for k in 0..<200 {
            if k % thin == 0 {
                if expected.count == 5 * 2 {
                    expected = stride(from: 0, to: expected.count, by: 4).flatMap { [expected[$0], expected[$0 + 1]] }
                    thin *= 2
                }
                if k % thin == 0 { expected += [Double(k), -Double(k)] }
            }
            record.record([Double(k), -Double(k)])
        }
        #expect(record.thin == thin && thin == 48)
        #expect(record.draws == expected)
    }

    /// 100 kept values with a cap of 8 draws: the stored draws are every 16th value (thinning
    /// doubled from 1 four times), equally spaced from the first.
    @Test func thinningDoublesAtTheCap() {
        var record = ChainRecord(dimension: 1, thin: 1, maxDraws: 8)
        for k in 0..<100 { record.record([Double(k)]) }
        #expect(record.thin == 16)
        #expect(record.draws == [0, 16, 32, 48, 64, 80, 96])
        #expect(record.moments.count == 100)
    }

    @Test func histogramCountsOutsideValues() {
        var h = StreamingHistogram(lower: 0, binWidth: 0.5, bins: 4)
        for x in [-1, 0, 0.2, 0.7, 1.9, 2, 5] as [Double] { h.add(x) }
        #expect(h.counts == [2, 1, 0, 1])
        #expect(h.underflow == 1 && h.overflow == 2 && h.total == 7)
        #expect(abs(h.density[0] - 2.0 / (7 * 0.5)) < 1e-15)
    }
}
