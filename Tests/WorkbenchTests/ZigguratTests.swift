import CGSL
import Foundation
import Testing
@testable import Workbench

/// The Ziggurat normal generator (`Xoshiro256StarStar.normal`): its tables, its
/// moments, its distribution function against GSL's Φ, its tail, and its reproducibility.
/// Tolerances are Monte Carlo standard errors (5 of them) or the Kolmogorov distribution's
/// 0.1 % point; the seed is fixed.
@Suite struct ZigguratTests {
    /// Every layer has the same area V: xᵢ (f(xᵢ₊₁) − f(xᵢ)) for the 255 upper layers, and the
    /// base layer R f(R) plus the tail ∫_R^∞ f = V (to the 10 digits V is given with).
    @Test func layersHaveEqualAreas() {
        let v = 0.00492867323399, r = zigguratX[1]
        #expect(r == 3.6541528853610088)
        for i in 1..<256 {
            let area = zigguratX[i] * (zigguratDensity[i + 1] - zigguratDensity[i])
            #expect(abs(area / v - 1) < 1e-8, "layer \(i): area \(area)")
        }
        let tail = (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        #expect(abs((r * zigguratDensity[1] + tail) / v - 1) < 1e-8)
        #expect(zigguratX[256] == 0 && zigguratDensity[256] == 1)
        for i in 0..<256 { #expect(zigguratRatio[i] == zigguratX[i + 1] / zigguratX[i]) }
    }

    /// n = 10⁶ deviates: mean (SE 1/√n), variance (SE √(2/n)), fourth moment (SE √(96/n)),
    /// within 5 standard errors.
    @Test func moments() {
        var g = Xoshiro256StarStar(seed: 11)
        let n = 1_000_000
        var s1 = 0.0, s2 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let z = g.normal()
            s1 += z; s2 += z * z; s4 += z * z * z * z
        }
        let count = Double(n)
        #expect(abs(s1 / count) < 5 / count.squareRoot())
        #expect(abs(s2 / count - 1) < 5 * (2 / count).squareRoot())
        #expect(abs(s4 / count - 3) < 5 * (96 / count).squareRoot())
    }

    /// Kolmogorov–Smirnov against GSL's Φ on n = 200 000 deviates: under N(0, 1),
    /// P(√n D > 1.95) ≈ 0.001. And the tail beyond R = 3.654 (drawn by the slow path):
    /// its frequency within 5 binomial standard errors of 2(1 − Φ(R)).
    @Test func distributionAndTail() {
        var g = Xoshiro256StarStar(seed: 12)
        let n = 200_000
        var z = (0..<n).map { _ in g.normal() }
        z.sort()
        var d = 0.0
        for (k, value) in z.enumerated() {
            let p = gsl_cdf_ugaussian_P(value)
            d = max(d, Double(k + 1) / Double(n) - p, p - Double(k) / Double(n))
        }
        #expect(d * Double(n).squareRoot() < 1.95, "KS distance \(d)")

        let draws = 4_000_000
        let r = zigguratX[1]
        var beyond = 0
        for _ in 0..<draws where abs(g.normal()) > r { beyond += 1 }
        let p = 2 * gsl_cdf_ugaussian_Q(r)
        let expected = p * Double(draws), se = (Double(draws) * p * (1 - p)).squareRoot()
        #expect(abs(Double(beyond) - expected) < 5 * se, "tail count \(beyond), expected \(expected)")
    }

    /// Same seed, same deviates.
    @Test func reproducible() {
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5)
        for _ in 0..<10_000 { #expect(a.normal() == b.normal()) }
    }
}
