import CGSL
import Foundation

/// The Wasserstein-1 distance between one-dimensional distributions (DIAGNOSTICS.md,
/// `marginals`), W1(P, Q) = ∫ |F_P(x) − F_Q(x)| dx = ∫₀¹ |F_P⁻¹(u) − F_Q⁻¹(u)| du.
public enum Wasserstein {
    /// W1 between the empirical distributions of two samples, each sorted ascending: the
    /// exact ∫ |F_a − F_b| dx, summed over the intervals between consecutive merged points.
    /// O(n + m). Nil when either sample is empty or has a non-finite value.
    public static func betweenSorted(_ a: [Double], _ b: [Double]) -> Double? {
        guard !a.isEmpty, !b.isEmpty, a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { return nil }
        let n = Double(a.count), m = Double(b.count)
        var i = 0, j = 0
        var total = 0.0
        var previous = min(a[0], b[0])
        while i < a.count || j < b.count {
            let next = j >= b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            total += abs(Double(i) / n - Double(j) / m) * (next - previous)
            while i < a.count && a[i] == next { i += 1 }
            while j < b.count && b[j] == next { j += 1 }
            previous = next
        }
        return total
    }

    /// W1 between the empirical distribution of `sorted` (ascending) and `marginal`.
    ///
    /// Exact when the marginal has a quantile function Q and partial mean G: with
    /// H(u) = ∫₀ᵘ Q(v) dv = G(Q(u)), a_i = (i − 1)/n, b_i = i/n and u_i = clamp(F(x₍ᵢ₎), a_i, b_i),
    /// W1 = Σᵢ ∫_{a_i}^{b_i} |x₍ᵢ₎ − Q(u)| du
    ///    = Σᵢ x₍ᵢ₎(2u_i − a_i − b_i) − 2H(u_i) + H(a_i) + H(b_i).
    /// Otherwise W1 = ∫ |F_n − F| dx is integrated from the CDF: adaptive Simpson on each
    /// interval between consecutive draws, split where F crosses the level k/n (the kink of
    /// |k/n − F|), and GSL's QAGIL rule on the two tails.
    /// Nil when `sorted` is empty or has a non-finite value.
    public static func toDistribution(sorted x: [Double], _ marginal: Marginal) -> Double? {
        guard !x.isEmpty, x.allSatisfy(\.isFinite) else { return nil }
        if let q = marginal.quantile, let g = marginal.partialMean {
            return exact(sorted: x, cdf: marginal.cdf, quantile: q, partialMean: g)
        }
        return integrated(sorted: x, cdf: marginal.cdf)
    }

    static func exact(sorted x: [Double], cdf: (Double) -> Double, quantile: (Double) -> Double,
                      partialMean: (Double) -> Double) -> Double {
        let n = x.count
        // H(k/n) for k = 0 … n.
        var h = [Double](repeating: 0, count: n + 1)
        for k in 1..<max(n, 1) { h[k] = partialMean(quantile(Double(k) / Double(n))) }
        h[n] = partialMean(.infinity)
        var sum = 0.0
        for i in 0..<n {
            let a = Double(i) / Double(n), b = Double(i + 1) / Double(n)
            let f = cdf(x[i])
            let hu: Double, u: Double
            if f <= a {
                u = a; hu = h[i]
            } else if f >= b {
                u = b; hu = h[i + 1]
            } else {
                u = f; hu = partialMean(x[i])
            }
            sum += x[i] * (2 * u - a - b) - 2 * hu + h[i] + h[i + 1]
        }
        return max(sum, 0)
    }

    static func integrated(sorted x: [Double], cdf: @escaping (Double) -> Double) -> Double {
        let n = Double(x.count)
        var sum = 0.0
        for k in 1..<max(x.count, 1) where x[k] > x[k - 1] {
            let level = Double(k) / n
            let left = x[k - 1], right = x[k]
            let g = { (t: Double) in abs(level - cdf(t)) }
            let fl = cdf(left), fr = cdf(right)
            if fl < level && level < fr {
                // |k/n − F| has its kink where F crosses k/n: split there (bisection; F is monotone).
                var low = left, high = right
                for _ in 0..<200 where high - low > 1e-15 * max(1, abs(low)) {
                    let mid = 0.5 * (low + high)
                    if cdf(mid) < level { low = mid } else { high = mid }
                }
                let c = 0.5 * (low + high)
                sum += adaptiveSimpson(g, left, c) + adaptiveSimpson(g, c, right)
            } else {
                sum += adaptiveSimpson(g, left, right)
            }
        }
        sum += GSLIntegral.lowerTail(cdf, upTo: x[0])
        sum += GSLIntegral.lowerTail({ 1 - cdf(-$0) }, upTo: -x[x.count - 1])
        return sum
    }

    /// ∫ₐᵇ f by adaptive Simpson (Lyness' criterion |S₂ − S₁| ≤ 15ε), to an absolute error of
    /// about 1e−13 · (b − a) on a smooth f; on the short intervals between many draws the
    /// first split already meets it (five evaluations).
    static func adaptiveSimpson(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Double {
        func simpson(_ a: Double, _ fa: Double, _ m: Double, _ fm: Double, _ b: Double, _ fb: Double) -> Double {
            (b - a) / 6 * (fa + 4 * fm + fb)
        }
        func refine(_ a: Double, _ fa: Double, _ m: Double, _ fm: Double, _ b: Double, _ fb: Double,
                    _ whole: Double, _ epsilon: Double, _ depth: Int) -> Double {
            let lm = 0.5 * (a + m), rm = 0.5 * (m + b)
            let flm = f(lm), frm = f(rm)
            let left = simpson(a, fa, lm, flm, m, fm), right = simpson(m, fm, rm, frm, b, fb)
            let delta = left + right - whole
            if depth <= 0 || abs(delta) <= 15 * epsilon { return left + right + delta / 15 }
            return refine(a, fa, lm, flm, m, fm, left, epsilon / 2, depth - 1)
                + refine(m, fm, rm, frm, b, fb, right, epsilon / 2, depth - 1)
        }
        let fa = f(a), fb = f(b), m = 0.5 * (a + b), fm = f(m)
        return refine(a, fa, m, fm, b, fb, simpson(a, fa, m, fm, b, fb), 1e-13 * (b - a), 40)
    }
}

/// GSL's adaptive quadrature over (−∞, b] (QAGIL) for a Swift closure.
enum GSLIntegral {
    private final class Box {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// ∫₋∞ᵇ f(x) dx to a relative accuracy of 1e−10 (absolute 1e−14); NaN when GSL fails.
    static func lowerTail(_ f: @escaping (Double) -> Double, upTo b: Double) -> Double {
        GSLErrors.turnOffAbort()
        guard let workspace = gsl_integration_workspace_alloc(1000) else { return .nan }
        defer { gsl_integration_workspace_free(workspace) }
        let box = Box(f)
        return withExtendedLifetime(box) {
            var function = gsl_function(
                function: { x, params in Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().f(x) },
                params: Unmanaged.passUnretained(box).toOpaque())
            var result = 0.0, error = 0.0
            let status = gsl_integration_qagil(&function, b, 1e-14, 1e-10, 1000, workspace, &result, &error)
            return status == GSL_SUCCESS ? result : .nan
        }
    }
}

/// GSL's default error handler aborts the process; the workbench reads status codes instead
/// (DESIGN.md). `turnOffAbort()` switches the handler off once per process.
public enum GSLErrors {
    private static let off: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Turns GSL's aborting error handler off (idempotent, thread-safe).
    public static func turnOffAbort() {
        _ = off
    }
}
