import CGSL
import Workbench

/// A centred Gaussian N(0, Σ) with Σ = Q diag(c²) Qᵀ: the model behind `std-normal-1d`,
/// `gaussian-iso` and `gaussian-illcond` (TARGETS.md). It has no data (N = 1); the gradient
/// noise models wrap it (`WithGradientNoise`).
///
/// U(x) = ½ xᵀ Σ⁻¹ x, ∇U(x) = Σ⁻¹ x with Σ⁻¹ = Q diag(1/c²) Qᵀ stored densely (a diagonal
/// fast path when Q = I). Exact draws x = Q (c ⊙ z). Reference: E[x_i] = 0, Var[x_i] = Σ_ii,
/// E[x_i²] = Σ_ii, Var[x_i²] = 2Σ_ii², marginal N(0, Σ_ii) (density and CDF from GSL).
/// Chains start over-dispersed at x₀ = Q (2c ⊙ z).
///
/// Second derivatives in closed form (`SecondOrderTarget`): the Hessian is the constant Σ⁻¹,
/// so H v = Σ⁻¹ v (O(d) when Q = I, O(d²) otherwise, like the gradient) and diag H = diag(Σ⁻¹),
/// precomputed. The oracle charges either like one gradient (`GradientOracle`); the gradient
/// noise models leave the Hessian unchanged (their data term is linear in x).
public struct GaussianTarget: ExactlySampleable, SecondOrderTarget, BatchGradientTarget {
    public let id: String
    public let dimension: Int
    public var dataSize: Int { 1 }
    /// Per-axis scales c.
    public let scales: [Double]
    /// Q, row-major d × d; nil for the identity.
    public let rotation: [Double]?
    /// Σ⁻¹, row-major d × d; nil when Q = I (then Σ⁻¹ = diag(1/c²)).
    let precision: [Double]?
    let inverseVariance: [Double]
    /// diag(Σ⁻¹).
    let precisionDiagonal: [Double]
    public let reference: Reference
    /// z of a rotated draw, one vector per concurrent call (no allocation per exact draw).
    private let drawScratch: WorkspacePool<ScratchVector>

    /// The narrowest principal scale c_min: with a rotation the marginal standard deviations
    /// (the default length scale) mix the axes and overstate it.
    public var lengthScale: Double { scales.min()! }

    public init(id: String, scales: [Double], rotation: [Double]? = nil) {
        let d = scales.count
        self.id = id
        self.dimension = d
        self.scales = scales
        self.rotation = rotation
        drawScratch = WorkspacePool { ScratchVector(count: d) }
        inverseVariance = scales.map { 1 / ($0 * $0) }
        var variance = scales.map { $0 * $0 }
        if let q = rotation {
            var p = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d {
                    var s = 0.0
                    for k in 0..<d { s += q[i * d + k] * q[j * d + k] / (scales[k] * scales[k]) }
                    p[i * d + j] = s
                }
            }
            precision = p
            precisionDiagonal = (0..<d).map { p[$0 * d + $0] }
            variance = (0..<d).map { i in (0..<d).reduce(0) { $0 + q[i * d + $1] * q[i * d + $1] * scales[$1] * scales[$1] } }
        } else {
            precision = nil
            precisionDiagonal = inverseVariance
        }
        reference = Reference(
            kind: .exact, mean: [Double](repeating: 0, count: d), variance: variance,
            secondMoment: variance, secondMomentVariance: variance.map { 2 * $0 * $0 },
            marginals: variance.map { Marginal.gaussian(mean: 0, sd: $0.squareRoot()) })
    }

    public func potential(at x: [Double]) -> Double {
        let d = dimension
        var s = 0.0
        guard let p = precision else {
            for i in 0..<d { s += x[i] * x[i] * inverseVariance[i] }
            return 0.5 * s
        }
        p.withUnsafeBufferPointer { p in
            for i in 0..<d {
                var row = 0.0
                for j in 0..<d { row += p[i * d + j] * x[j] }
                s += x[i] * row
            }
        }
        return 0.5 * s
    }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        let d = dimension
        guard let p = precision else {
            for i in 0..<d { gradient[i] = x[i] * inverseVariance[i] }
            return
        }
        p.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { x in
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += p[i * d + j] * x[j] }
                    gradient[i] = s
                }
            }
        }
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }

    /// `potentialGradient` at every row of `points`: the same products in the same order per
    /// row; for a diagonal Σ, one loop over all C·d values.
    public func potentialGradients(at points: UnsafeBufferPointer<Double>, into gradients: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        guard let p = precision else {
            inverseVariance.withUnsafeBufferPointer { w in
                if d == 1 {
                    let w0 = w[0]
                    for k in 0..<points.count { gradients[k] = points[k] * w0 }
                    return
                }
                for c in 0..<(points.count / d) {
                    for i in 0..<d { gradients[c * d + i] = points[c * d + i] * w[i] }
                }
            }
            return
        }
        p.withUnsafeBufferPointer { p in
            for c in 0..<(points.count / d) {
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += p[i * d + j] * points[c * d + j] }
                    gradients[c * d + i] = s
                }
            }
        }
    }

    /// Σ⁻¹ v: the gradient map is linear, ∇U(v) = Σ⁻¹ v.
    public func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        potentialGradient(at: v, into: &result)
    }

    /// diag(Σ⁻¹).
    public func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        for i in 0..<dimension { result[i] = precisionDiagonal[i] }
    }

    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        draw(into: &x, spread: 1, rng: &rng)
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        draw(into: &x, spread: 2, rng: &rng)
        return x
    }

    /// x = Q (spread · c ⊙ z), z ~ N(0, I).
    private func draw(into x: inout [Double], spread: Double, rng: inout Xoshiro256StarStar) {
        let d = dimension
        guard let q = rotation else {
            for i in 0..<d { x[i] = spread * scales[i] * rng.normal() }
            return
        }
        drawScratch.withWorkspace { scratch in
            scratch.values.withUnsafeMutableBufferPointer { z in
                for k in 0..<d { z[k] = spread * scales[k] * rng.normal() }
                q.withUnsafeBufferPointer { q in
                    for i in 0..<d {
                        var s = 0.0
                        for k in 0..<d { s += q[i * d + k] * z[k] }
                        x[i] = s
                    }
                }
            }
        }
    }

    /// Q z — with diag(c) applied by the caller, a square root of Σ.
    public func rotate(_ z: [Double]) -> [Double] {
        guard let q = rotation else { return z }
        let d = dimension
        return (0..<d).map { i in (0..<d).reduce(0) { $0 + q[i * d + $1] * z[$1] } }
    }

    /// R z with R = Q diag(c), so R Rᵀ = Σ (used by the correlated gradient-noise model).
    public func covarianceRoot(_ z: [Double]) -> [Double] {
        rotate(zip(z, scales).map { $0 * $1 })
    }

    /// This target with the gradient noise of `options` (TARGETS.md): its scales serve the
    /// anisotropic model and `covarianceRoot` the correlated ones; the target itself for `none`.
    public func withNoise<Model>(_ options: GradientNoiseOptions<Model>) throws -> any Target {
        try options.applied(to: self, axisScales: scales, covarianceRoot: covarianceRoot)
    }

    /// A Haar-distributed random rotation of R^d from `seed`: Gram–Schmidt orthonormalisation of
    /// a matrix of independent normals (equivalently the Q of its QR decomposition with a
    /// positive diagonal R), returned row-major.
    public static func randomRotation(dimension d: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: "random-rotation", index: d)
        var columns = (0..<d).map { _ in (0..<d).map { _ in rng.normal() } }
        for j in 0..<d {
            for k in 0..<j {
                let dot = zip(columns[j], columns[k]).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<d { columns[j][i] -= dot * columns[k][i] }
            }
            let norm = columns[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<d { columns[j][i] /= norm }
        }
        var q = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { q[i * d + j] = columns[j][i] } }
        return q
    }
}

/// Exported as its scales and rotation (`TargetExport`).
extension GaussianTarget: ExportableTarget {
    public var formula: String {
        rotation == nil
            ? "U(x) = ½ Σ_i x_i² / scales_i² (Σ = diag(scales²))"
            : "U(x) = ½ xᵀ Σ⁻¹ x with Σ = rotation · diag(scales²) · rotationᵀ (rotation orthogonal, row-major)"
    }

    public var exportedArrays: [TargetArray] {
        [TargetArray("scales", shape: [dimension], values: scales, meaning: "c, the per-axis standard deviations")]
            + (rotation.map { [TargetArray("rotation", shape: [dimension, dimension], values: $0, meaning: "Q, the orthogonal rotation")] } ?? [])
    }
}
