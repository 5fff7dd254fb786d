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
    /// Otherwise W1 = ∫ |F_n − F| dx is integrated from the CDF: Simpson's rule on each
    /// interval between consecutive draws (|k/n − F| has at most one kink there, so the
    /// error is far below the Monte Carlo error of W1) and GSL's QAGIL rule on the two tails.
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
            let mid = 0.5 * (left + right)
            sum += (right - left) / 6
                * (abs(level - cdf(left)) + 4 * abs(level - cdf(mid)) + abs(level - cdf(right)))
        }
        sum += GSLIntegral.lowerTail(cdf, upTo: x[0])
        sum += GSLIntegral.lowerTail({ 1 - cdf(-$0) }, upTo: -x[x.count - 1])
        return sum
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
