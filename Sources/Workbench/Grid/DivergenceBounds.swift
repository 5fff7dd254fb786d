/// When the runner declares a chain diverged (DIAGNOSTICS.md, "Stability"): a step whose info
/// says so, a non-finite recorded point, in the warm-up a point with ‖x‖ > 10⁶ ‖σ‖ (σ the
/// reference sds; the former rule, kept there because adaptive samplers make far excursions
/// they come back from, e.g. hmc's first trajectories on sblri), and after it a recorded
/// coordinate xᵢ outside its bound, |xᵢ − cᵢ| > bᵢ, with
///
/// - from the reference, when its moments are known: cᵢ = μᵢ and bᵢ = 10⁴ σᵢ
///   (`referenceSDs`). By Chebyshev's inequality no distribution with that variance puts more
///   than 10⁻⁸ of its mass there, and the heaviest tails in the workbench — the funnel's xᵢ,
///   a normal of sd e^{v/2} with v ~ N(0, 9) — reach it with probability below 10⁻¹² per step
///   (v > 6.9 sd of its own), so exact draws are never flagged, even at d = 10 000;
/// - from the prior, for targets that declare one (`Target.priorScales`, the BNNs): |xᵢ| beyond
///   100 prior sds (`priorSDs`). There the prior density is e^{−5 000} of its value at 0, and
///   no likelihood in the workbench can pay for that: a regression on N standardised targets
///   gains at most Σyᵢ²/(2σ²) ≈ 2N nats over w = 0 (≈ 600 for yacht at σ = 0.5), a classifier
///   at most N log C (≈ 160 for Wine). This is what catches a BNN whose weights blow up to
///   10²–10⁴ without leaving the floating-point range (psgld at a large step size: RMSE in
///   the thousands), which the reference-scale bound — 10⁶ ‖σ‖ before, and nothing at all
///   while a BNN's reference is not yet built — let through.
///
/// Where both apply, a coordinate is flagged by whichever bound is tighter (the prior's
/// widened by |μᵢ| to share the reference's centre). Coordinates with neither are only
/// checked for being finite.
public struct DivergenceBounds: Sendable {
    /// Reference standard deviations from the reference mean.
    public static let referenceSDs = 1e4
    /// Prior standard deviations from the prior mean 0.
    public static let priorSDs = 100.0

    /// Reference standard deviations, in norm, a warm-up point may reach: ‖x‖ ≤ 10⁶ ‖σ‖.
    public static let warmupNormSDs = 1e6

    /// Centres cᵢ and inverse bounds 1/bᵢ (0: no bound).
    @usableFromInline let center: [Double]
    @usableFromInline let inverseBound: [Double]
    /// (10⁶ ‖σ‖)², or infinity without known reference moments.
    @usableFromInline let warmupLimitSquared: Double

    /// The bounds of `dimension` recorded coordinates from `reference` (when its moments are
    /// known) and `priorScales` (when given).
    public init(reference: Reference, priorScales: [Double]?, dimension: Int) {
        var center = [Double](repeating: 0, count: dimension)
        var bound = [Double](repeating: .infinity, count: dimension)
        if reference.isAvailable, reference.mean.count == dimension {
            for i in 0..<dimension where reference.variance[i] > 0 {
                center[i] = reference.mean[i]
                bound[i] = Self.referenceSDs * reference.variance[i].squareRoot()
            }
        }
        if let priorScales, priorScales.count == dimension {
            for i in 0..<dimension where priorScales[i].isFinite && priorScales[i] > 0 {
                bound[i] = min(bound[i], Self.priorSDs * priorScales[i] + abs(center[i]))
            }
        }
        self.center = center
        self.inverseBound = bound.map { $0.isFinite && $0 > 0 ? 1 / $0 : 0 }
        let limit = Self.warmupNormSDs * reference.variance.reduce(0, +).squareRoot()
        warmupLimitSquared = limit.isFinite ? limit * limit : .infinity
    }

    /// Whether the recorded point `x` of a chain diverged: `exceeded` when `bounded` (after the
    /// warm-up), `exceededInWarmup` before.
    @inlinable @inline(__always)
    public func diverges(_ x: UnsafeBufferPointer<Double>, bounded: Bool) -> Bool {
        bounded ? exceeded(x) : exceededInWarmup(x)
    }

    /// `exceeded` for chain c's row of `rows` (C × d, chain-major), for every c with `check[c]`,
    /// into `out[c]` (false for the others) — the same answer, reached without lanes: a row is out exactly when one of
    /// its terms tᵢ = ((xᵢ − cᵢ)/bᵢ)² is not ≤ 1 (NaN, ∞ or beyond its bound), since a sum of
    /// d < 10³⁰⁸ terms in [0, 1] is finite. At d = 1 the loop runs over the chains, vectorised.
    /// Returns how many rows are out.
    @inlinable
    public func exceeded(rows: UnsafeBufferPointer<Double>, dimension d: Int, check: UnsafeBufferPointer<Bool>,
                         into out: UnsafeMutableBufferPointer<Bool>) -> Int {
        center.withUnsafeBufferPointer { c in
            inverseBound.withUnsafeBufferPointer { w in
                var count = 0
                if d == 1 {
                    let c0 = c[0], w0 = w[0]
                    for k in 0..<check.count {
                        let z = (rows[k] - c0) * w0
                        let outside = check[k] && !(z * z <= 1)
                        out[k] = outside
                        count &+= outside ? 1 : 0
                    }
                    return count
                }
                for k in 0..<check.count {
                    var outside = false
                    for i in 0..<d where check[k] {
                        let z = (rows[k * d + i] - c[i]) * w[i]
                        if !(z * z <= 1) { outside = true }
                    }
                    out[k] = outside
                    count &+= outside ? 1 : 0
                }
                return count
            }
        }
    }

    /// Whether a warm-up point `x` is non-finite or has ‖x‖ > 10⁶ ‖σ‖.
    @inlinable @inline(__always)
    public func exceededInWarmup(_ x: UnsafeBufferPointer<Double>) -> Bool {
        let squaredNorm = ChainLoop.interleavedSum(x) { $0 * $0 }
        return !squaredNorm.isFinite || !(squaredNorm <= warmupLimitSquared)
    }

    /// Whether `x` (length d) is non-finite or outside its bounds. Eight interleaved lanes of
    /// max and sum, so that the loop runs in SIMD lanes (as `ChainLoop.interleavedSum`); the
    /// sum of the squared standardised deviations is only there to see a NaN or infinity,
    /// which a max would skip.
    @inlinable @inline(__always)
    public func exceeded(_ x: UnsafeBufferPointer<Double>) -> Bool {
        guard let p = x.baseAddress else { return false }
        return center.withUnsafeBufferPointer { c in
            return inverseBound.withUnsafeBufferPointer { w in
                let c = c.baseAddress!, w = w.baseAddress!
                let d = x.count
                var m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0, m5 = 0.0, m6 = 0.0, m7 = 0.0
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
                @inline(__always) func t(_ i: Int) -> Double {
                    let z = (p[i] - c[i]) * w[i]
                    return z * z
                }
                var i = 0
                while i + 8 <= d {
                    let t0 = t(i), t1 = t(i + 1), t2 = t(i + 2), t3 = t(i + 3)
                    let t4 = t(i + 4), t5 = t(i + 5), t6 = t(i + 6), t7 = t(i + 7)
                    s0 += t0; s1 += t1; s2 += t2; s3 += t3; s4 += t4; s5 += t5; s6 += t6; s7 += t7
                    m0 = t0 > m0 ? t0 : m0; m1 = t1 > m1 ? t1 : m1; m2 = t2 > m2 ? t2 : m2; m3 = t3 > m3 ? t3 : m3
                    m4 = t4 > m4 ? t4 : m4; m5 = t5 > m5 ? t5 : m5; m6 = t6 > m6 ? t6 : m6; m7 = t7 > m7 ? t7 : m7
                    i += 8
                }
                var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
                var largest = max(max(max(m0, m1), max(m2, m3)), max(max(m4, m5), max(m6, m7)))
                while i < d {
                    let ti = t(i)
                    sum += ti
                    largest = ti > largest ? ti : largest
                    i += 1
                }
                return !sum.isFinite || largest > 1
            }
        }
    }
}
