import Testing
@testable import Workbench

@Suite struct RandomTests {
    @Test func sameSeedSameSequence() {
        var a = Xoshiro256StarStar(seed: 42), b = Xoshiro256StarStar(seed: 42)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }

    @Test func streamsDifferByNameAndIndex() {
        var a = Xoshiro256StarStar(seed: 1, stream: "cell", index: 0)
        var b = Xoshiro256StarStar(seed: 1, stream: "cell", index: 1)
        var c = Xoshiro256StarStar(seed: 1, stream: "other", index: 0)
        let x = a.next(), y = b.next(), z = c.next()
        #expect(x != y && x != z && y != z)
    }

    /// xoshiro256** reference output for the state {1, 2, 3, 4} (Vigna's reference C code).
    @Test func matchesReferenceImplementation() {
        var g = Xoshiro256StarStar(seed: 0)
        g.s0 = 1; g.s1 = 2; g.s2 = 3; g.s3 = 4
        let expected: [UInt64] = [11520, 0, 1509978240, 1215971899390074240]
        for e in expected { #expect(g.next() == e) }
    }

    /// n = 10⁶ normal deviates: the mean has standard error 1/√n = 0.001 and the variance
    /// √(2/n) ≈ 0.0014; the fourth moment 3 has standard error √(96/n) ≈ 0.0098. Bounds are
    /// 5 standard errors.
    @Test func normalMoments() {
        var g = Xoshiro256StarStar(seed: 7)
        let n = 1_000_000
        var s1 = 0.0, s2 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let z = g.normal()
            s1 += z; s2 += z * z; s4 += z * z * z * z
        }
        let mean = s1 / Double(n), second = s2 / Double(n), fourth = s4 / Double(n)
        #expect(abs(mean) < 5e-3)
        #expect(abs(second - 1) < 5 * 0.0014)
        #expect(abs(fourth - 3) < 5 * 0.0098)
    }

    /// Uniform deviates lie in (0, 1) with mean 1/2 (standard error √(1/12n)).
    /// The batch fill gives each generator's row the deviates its own `normal()` calls give, in
    /// order — at d = 1 (two generators at a time, an odd one last) and d > 1 — and leaves each
    /// generator where those calls leave it. 4 000 draws per generator take the slow path
    /// (wedges and tail) about 40 times each.
    @Test func batchFillIsEachGeneratorsOwnNormals() {
        for (count, d) in [(7, 1), (4, 3)] {
            var batch = (0..<count).map { Xoshiro256StarStar(seed: 9, stream: "fill", index: $0) }
            var alone = batch
            var rows = [Double](repeating: 0, count: count * d)
            for _ in 0..<(4_000 / d) {
                batch.withUnsafeMutableBufferPointer { g in
                    rows.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(g, rows: $0) }
                }
                let expected = (0..<count).flatMap { c in (0..<d).map { _ in alone[c].normal() } }
                #expect(rows.map(\.bitPattern) == expected.map(\.bitPattern))
            }
            #expect((0..<count).allSatisfy { batch[$0].next() == alone[$0].next() })
        }
    }

    @Test func uniformRangeAndMean() {
        var g = Xoshiro256StarStar(seed: 3)
        let n = 200_000
        var sum = 0.0
        for _ in 0..<n {
            let u = g.uniform()
            #expect(u > 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / Double(n) - 0.5) < 5 * (1.0 / (12.0 * Double(n))).squareRoot())
    }

    /// integer(below: 10) hits each value with probability 1/10: each count is within 5
    /// binomial standard errors of n/10.
    @Test func boundedIntegersAreUniform() {
        var g = Xoshiro256StarStar(seed: 5)
        var counts = [Int](repeating: 0, count: 10)
        let n = 100_000
        for _ in 0..<n { counts[g.integer(below: 10)] += 1 }
        let sd = (Double(n) * 0.1 * 0.9).squareRoot()
        for c in counts { #expect(abs(Double(c) - Double(n) / 10) < 5 * sd) }
    }
}
