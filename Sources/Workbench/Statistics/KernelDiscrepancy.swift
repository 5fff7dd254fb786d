import COpenBLAS
import Foundation

/// Kernel discrepancies between a sample and a distribution (DIAGNOSTICS.md, `ksd` and
/// `mmd`). Points are row-major (n × d). Both cost O(n²d): the inner products come from
/// BLAS (OpenBLAS `dgemm_`) one block of rows at a time, blocks in parallel (memory O(block · n)), the kernels from
/// ‖x − y‖² = ‖x‖² + ‖y‖² − 2⟨x, y⟩. Callers thin to a cap first.
public enum KernelDiscrepancy {
    /// The kernel Stein discrepancy with the inverse multiquadric kernel
    /// k(x, y) = (c² + ‖x − y‖²)^β, β = −½ (Gorham & Mackey 2017), as a V-statistic:
    /// with r = x − y and u = c² + ‖r‖²,
    /// k_p(x, y) = d·u^(−3/2) − 3‖r‖²u^(−5/2) + ⟨r, s(x) − s(y)⟩u^(−3/2) + ⟨s(x), s(y)⟩u^(−1/2),
    /// KSD = √(Σᵢⱼ k_p(xᵢ, xⱼ)) / n, where s = ∇log π are the full-data scores at the points.
    /// Anchors: N(0, I) and one point x gives √(d + ‖x‖²); N(0, 1) and {0, 1} gives 0.696301.
    ///
    /// - Returns: nil for no points or a non-finite result.
    public static func imqSteinDiscrepancy(points: [Double], scores: [Double], dimension d: Int, c: Double = 1) -> Double? {
        precondition(points.count == scores.count && d > 0 && points.count % d == 0)
        let n = points.count / d
        guard n > 0 else { return nil }
        // W = [X; S] (2n × d); ⟨x_i, s_i⟩ and ‖x_i‖² per point.
        let w = points + scores
        var xs = [Double](repeating: 0, count: n), xx = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for k in 0..<d {
                xs[i] += points[i * d + k] * scores[i * d + k]
                xx[i] += points[i * d + k] * points[i * d + k]
            }
        }
        let c2 = c * c
        let dd = Double(d)
        // Blocks of rows in parallel; their sums are added in block order (deterministic).
        let blockTotals = mapBlocksConcurrently(rows: n) { start, count -> Double in
            var total = 0.0
            // P = [X_I; S_I] (2r × d), G = P Wᵀ (2r × 2n).
            var p = [Double](repeating: 0, count: 2 * count * d)
            for a in 0..<count {
                for k in 0..<d {
                    p[a * d + k] = points[(start + a) * d + k]
                    p[(count + a) * d + k] = scores[(start + a) * d + k]
                }
            }
            let g = gram(p, rows: 2 * count, w, rows: 2 * n, dimension: d)
            g.withUnsafeBufferPointer { g in
                let width = 2 * n
                for a in 0..<count {
                    let i = start + a
                    let xRow = a * width, sRow = (count + a) * width
                    var row = 0.0
                    for j in 0..<n {
                        let rr = max(0, xx[i] + xx[j] - 2 * g[xRow + j])
                        // ⟨x_i − x_j, s_i − s_j⟩ = ⟨x_i,s_i⟩ − ⟨x_i,s_j⟩ − ⟨x_j,s_i⟩ + ⟨x_j,s_j⟩
                        let rs = xs[i] - g[xRow + n + j] - g[sRow + j] + xs[j]
                        let ss = g[sRow + n + j]
                        let u = c2 + rr
                        let inverseRoot = 1 / u.squareRoot()
                        let u32 = inverseRoot / u
                        row += (dd + rs) * u32 - 3 * rr * u32 / u + ss * inverseRoot
                    }
                    total += row
                }
            }
            return total
        }
        let total = blockTotals.reduce(0, +)
        let ksd = max(total, 0).squareRoot() / Double(n)
        return ksd.isFinite ? ksd : nil
    }

    /// The unbiased estimate of MMD² (Gretton et al. 2012, eq. 3) between samples X (n × d)
    /// and Y (m × d) with the Gaussian RBF kernel k(x, y) = exp(−‖x − y‖²/(2σ²)):
    /// MMD²_u = Σ_{i≠j} k(xᵢ, xⱼ)/(n(n−1)) + Σ_{i≠j} k(yᵢ, yⱼ)/(m(m−1)) − 2 Σᵢⱼ k(xᵢ, yⱼ)/(nm).
    /// It can be slightly negative when the distributions agree.
    ///
    /// - Returns: nil when n < 2, m < 2 or σ is not positive and finite.
    public static func unbiasedMMDSquared(_ x: [Double], _ y: [Double], dimension d: Int, bandwidth sigma: Double) -> Double? {
        precondition(d > 0 && x.count % d == 0 && y.count % d == 0)
        let n = x.count / d, m = y.count / d
        guard n >= 2, m >= 2, sigma > 0, sigma.isFinite else { return nil }
        let z = x + y
        let total = n + m
        let norms = (0..<total).map { i in (0..<d).reduce(0.0) { $0 + z[i * d + $1] * z[i * d + $1] } }
        let scale = -1 / (2 * sigma * sigma)
        var sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
        forEachBlock(rows: total) { start, count in
            let block = Array(z[(start * d)..<((start + count) * d)])
            let g = gram(block, rows: count, z, rows: total, dimension: d)
            g.withUnsafeBufferPointer { g in
                for a in 0..<count {
                    let i = start + a
                    var toX = 0.0, toY = 0.0
                    for j in (i + 1)..<max(total, i + 1) {
                        let rr = max(0, norms[i] + norms[j] - 2 * g[a * total + j])
                        let k = exp(scale * rr)
                        if j < n { toX += k } else { toY += k }
                    }
                    if i < n {
                        sumXX += toX
                        sumXY += toY
                    } else {
                        sumYY += toY
                    }
                }
            }
        }
        let value = 2 * sumXX / Double(n * (n - 1)) + 2 * sumYY / Double(m * (m - 1)) - 2 * sumXY / Double(n * m)
        return value.isFinite ? value : nil
    }

    /// The median heuristic for the RBF bandwidth: σ = the median of the Euclidean distances
    /// ‖zᵢ − zⱼ‖, i < j, over the points Z (row-major, d columns). Nil for fewer than two
    /// points or a zero median.
    public static func medianHeuristic(_ z: [Double], dimension d: Int) -> Double? {
        let n = z.count / d
        guard n >= 2 else { return nil }
        let norms = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + z[i * d + $1] * z[i * d + $1] } }
        let g = gram(z, rows: n, z, rows: n, dimension: d)
        var distances = [Double]()
        distances.reserveCapacity(n * (n - 1) / 2)
        for i in 0..<n {
            for j in (i + 1)..<n { distances.append(max(0, norms[i] + norms[j] - 2 * g[i * n + j])) }
        }
        distances.sort()
        let count = distances.count
        // Sorted by squares; the median distance is the middle one, or the mean of the two.
        let sigma = count % 2 == 1 ? distances[count / 2].squareRoot()
            : 0.5 * (distances[count / 2 - 1].squareRoot() + distances[count / 2].squareRoot())
        return sigma > 0 && sigma.isFinite ? sigma : nil
    }

    /// Rows per BLAS block.
    static let blockRows = 128

    static func forEachBlock(rows: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        var start = 0
        while start < rows {
            let count = min(blockRows, rows - start)
            body(start, count)
            start += count
        }
    }

    /// A Bᵀ for A (p × d) and B (q × d), row-major (p × q), by OpenBLAS `dgemm_`.
    /// `body(start, count)` for the blocks of `forEachBlock`, on every core, results in block order.
    static func mapBlocksConcurrently<T>(rows: Int, _ body: (_ start: Int, _ count: Int) -> T) -> [T] {
        let blocks = (rows + blockRows - 1) / blockRows
        return concurrentMap(blocks) { b in body(b * blockRows, min(blockRows, rows - b * blockRows)) }
    }

    /// OpenBLAS on one thread, set once before the first product: the blocks already run on
    /// every core, and idle OpenBLAS threads spin for a while after each call.
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    static func gram(_ a: [Double], rows p: Int, _ b: [Double], rows q: Int, dimension d: Int) -> [Double] {
        _ = singleThreadedBLAS
        var g = [Double](repeating: 0, count: p * q)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                g.withUnsafeMutableBufferPointer { g in
                    // Row-major G = A Bᵀ is column-major Gᵀ = B Aᵀ: dgemm("T", "N", q, p, d, B, A).
                    var transB: CChar = 84, transA: CChar = 78  // "T", "N"
                    var m = Int32(q), n = Int32(p), k = Int32(d), ldb = Int32(d), lda = Int32(d), ldg = Int32(q)
                    var one = 1.0, zero = 0.0
                    dgemm_(&transB, &transA, &m, &n, &k, &one, UnsafeMutablePointer(mutating: b.baseAddress!), &ldb,
                           UnsafeMutablePointer(mutating: a.baseAddress!), &lda, &zero, g.baseAddress!, &ldg)
                }
            }
        }
        return g
    }
}
