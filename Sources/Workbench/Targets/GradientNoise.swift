import Foundation

/// The gradient-noise models of TARGETS.md, after the analytic benchmark of the SMILE paper
/// (arXiv 2602.06500; public code EmanuelSommer/SMILE, `analytical/inference_models.py`).
///
/// An analytic target gets a synthetic data set y_1..y_N, y_i = s·(n₀/N)·(η_i − mean(η)),
/// η_i ~ N(0, S), n₀ = 256, and the potential U(x) = U_target(x) − w(x) Σ_i y_iᵀx with
/// w(x) = 1 except for `spatially_varied`. Because Σ_i y_i = 0 the full-batch posterior and
/// gradient are exact, while a minibatch B of n gives ∇Ũ(x) = ∇U_target(x) − (N/n)∇(w Σ_{i∈B} y_iᵀx),
/// unbiased. For w = 1 its noise covariance is (N/n)²·Cov(Σ_B y_i) = s²·(n₀²/n)·S·(N − n)/(N − 1),
/// which at n = n₀ = 256 is s²·256·S·(N − n)/(N − 1): exactly the SMILE code's, whose
/// minibatch log density adds Σ_{i∈B} y_iᵀx (no N/n factor) for unit-scale centred data
/// (`noise_scale` 1 in its ICG configs). So s = 1 (the default) is the paper's noise level at
/// the paper's batch size, for any N; other batch sizes scale the noise as an unbiased N/n
/// estimator does (the authors' unscaled sum would grow with n; they only run n = 256).
public enum GradientNoiseModel: String, CaseIterable, Sendable {
    /// No data (N = 1): every gradient is exact.
    case none
    /// S = I.
    case isotropic
    /// S = diag(c_i²), c the target's per-axis scales (unrotated axes, as the SMILE code's
    /// `noise * conds`).
    case anisotropic
    /// S = Σ_target (the SMILE code's `noise @ L.T`, L the Cholesky factor of Σ; any square root
    /// gives the same law).
    case correlated
    /// The correlated data with a position-dependent weight w(x) = exp(−x₃/6.5) on the data
    /// term (the SMILE code's `spatially_varied`: `jnp.sum(y_batch * x) * jnp.exp(-x[2]/6.5)`,
    /// x₃ the third coordinate, 0-based index 2), so the noise grows where x₃ < 0 and gains a
    /// component along x₃; needs d ≥ 3.
    case spatiallyVaried = "spatially_varied"

    /// The reference batch size n₀ at which s = 1 matches the SMILE code's noise.
    public static let referenceBatchSize = 256
    /// The length 6.5 of the spatially varied weight exp(−x₃/6.5).
    public static let spatialLength = 6.5
}

/// A target that carries one of the gradient-noise models around an analytic `Base`.
/// Everything but the data size and the minibatch gradient is the base's.
public struct WithGradientNoise<Base: Target>: Target {
    public let base: Base
    public let model: GradientNoiseModel
    /// y_i, row-major N × d; the rows sum to zero.
    let data: [Double]
    public let dataSize: Int
    /// Whether the data term carries the weight w(x) = exp(−x₃/6.5) (`spatially_varied`).
    let spatiallyVaried: Bool
    /// Σ_{i∈B} y_i of a call, one vector per concurrent call (no allocation per gradient).
    private let batchSums: WorkspacePool<ScratchVector>

    /// Builds the synthetic data: η_i = s · (n₀/N) · R z_i with z_i ~ N(0, I) from `seed`, where
    /// R is I (isotropic), diag(axisScales) (anisotropic) or `covarianceRoot` (correlated and
    /// spatially varied, any R with R Rᵀ = Σ_target); then y_i = η_i − mean(η).
    /// `spatially_varied` on a target of fewer than 3 dimensions is an error naming both.
    public init(base: Base, model: GradientNoiseModel, scale: Double, dataSize: Int, seed: UInt64,
                axisScales: [Double], covarianceRoot: (_ z: [Double]) -> [Double]) throws {
        precondition(model != .none, "WithGradientNoise needs a noise model other than none")
        let d = base.dimension
        if model == .spatiallyVaried && d < 3 {
            throw WorkbenchError.invalidValue(
                owner: "target \(base.id)", name: "noise", value: model.rawValue,
                accepted: "isotropic, anisotropic or correlated in dimension \(d) (spatially_varied weights the third coordinate, so needs d ≥ 3)")
        }
        let dataScale = scale * Double(GradientNoiseModel.referenceBatchSize) / Double(dataSize)
        var rng = Xoshiro256StarStar(seed: seed, stream: "gradient-noise/\(base.id)/\(model.rawValue)", index: 0)
        var data = [Double](repeating: 0, count: dataSize * d)
        var mean = [Double](repeating: 0, count: d)
        var z = [Double](repeating: 0, count: d)
        for i in 0..<dataSize {
            rng.fillNormal(&z)
            let eta: [Double]
            switch model {
            case .isotropic: eta = z
            case .anisotropic: eta = zip(z, axisScales).map { $0 * $1 }
            case .correlated, .spatiallyVaried: eta = covarianceRoot(z)
            case .none: eta = []
            }
            for j in 0..<d {
                data[i * d + j] = dataScale * eta[j]
                mean[j] += dataScale * eta[j] / Double(dataSize)
            }
        }
        for i in 0..<dataSize { for j in 0..<d { data[i * d + j] -= mean[j] } }
        self.base = base
        self.model = model
        self.data = data
        self.dataSize = dataSize
        spatiallyVaried = model == .spatiallyVaried
        batchSums = WorkspacePool { ScratchVector(count: d) }
    }

    public var id: String { base.id }
    public var dimension: Int { base.dimension }
    public var parameterNames: [String] { base.parameterNames }
    public var reference: Reference { base.reference }
    public var lengthScale: Double { base.lengthScale }
    public var defaultBatchSize: BatchSize { 256 }

    public func potential(at x: [Double]) -> Double { base.potential(at: x) }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
    }

    /// ∇U_target(x) − (N/n) ∇(w(x) S_Bᵀx), S_B = Σ_{i∈B} y_i: −(N/n) S_B for w = 1, and
    /// −(N/n) w (S_B − (S_Bᵀx)/6.5 e₃) for the spatially varied weight (∇w = −w/6.5 e₃).
    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
        let factor = Double(dataSize) / Double(batch.count)
        guard spatiallyVaried else {
            gradient.withUnsafeMutableBufferPointer { addBatchSum(batch, times: -factor, to: $0) }
            return
        }
        let w = exp(-x[2] / GradientNoiseModel.spatialLength)
        withBatchSum(batch) { sum in
            var dot = 0.0
            for j in sum.indices { dot += sum[j] * x[j] }
            for j in sum.indices { gradient[j] -= factor * w * sum[j] }
            gradient[2] += factor * w * dot / GradientNoiseModel.spatialLength
        }
    }

    /// Adds c · Σ_{i∈B} y_i to `vector`.
    ///
    /// The rows of a batch are scattered over an N × d table that outgrows the caches (32 MB
    /// at N = 409 600, d = 10), so the sum waits on memory. A first pass loads the first and
    /// last entry of every row: those loads do not depend on each other, so their cache misses
    /// overlap, and the summing pass then finds the rows in cache.
    @inline(__always)
    func addBatchSum(_ batch: ArraySlice<Int32>, times c: Double, to vector: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        data.withUnsafeBufferPointer { y in
            batch.withUnsafeBufferPointer { indices in
                var touched = 0.0
                for i in indices {
                    let row = Int(i) * d
                    touched += y[row] + y[row + d - 1]
                }
                // The data are finite, so this adds 0 (and keeps the first pass).
                vector[0] += touched * 0
                // Columns 24 (then 8, then 1) at a time, each block's sums over the batch kept in
                // registers: adding row by row into `vector` stored every element once per row,
                // and the compiler could not vectorise that (`vector` might alias the data). An
                // sgld step on gaussian-iso with isotropic noise, n = 256: 20 → 9 µs (`bench run
                // --steps 50000 --chains 1`, 1.0–1.2 s → 0.45–0.52 s of CPU).
                let rows = y.baseAddress!
                var j = 0
                while j + 24 <= d {
                    var a = SIMD8<Double>(), b = SIMD8<Double>(), e = SIMD8<Double>()
                    for i in indices {
                        let start = UnsafeRawPointer(rows + (Int(i) * d + j))
                        a += start.loadUnaligned(as: SIMD8<Double>.self)
                        b += start.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
                        e += start.loadUnaligned(fromByteOffset: 128, as: SIMD8<Double>.self)
                    }
                    for k in 0..<8 {
                        vector[j + k] += c * a[k]
                        vector[j + 8 + k] += c * b[k]
                        vector[j + 16 + k] += c * e[k]
                    }
                    j += 24
                }
                while j + 8 <= d {
                    var sum = SIMD8<Double>()
                    for i in indices {
                        sum += UnsafeRawPointer(rows + (Int(i) * d + j)).loadUnaligned(as: SIMD8<Double>.self)
                    }
                    for k in 0..<8 { vector[j + k] += c * sum[k] }
                    j += 8
                }
                while j < d {
                    var sum = 0.0
                    for i in indices { sum += rows[Int(i) * d + j] }
                    vector[j] += c * sum
                    j += 1
                }
            }
        }
    }

    /// Calls `body` with S_B = Σ_{i∈B} y_i in a pooled scratch vector (spatially varied noise).
    func withBatchSum(_ batch: ArraySlice<Int32>, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) {
        batchSums.withWorkspace { scratch in
            scratch.values.withUnsafeMutableBufferPointer { sum in
                for j in sum.indices { sum[j] = 0 }
                addBatchSum(batch, times: 1, to: sum)
                body(sum)
            }
        }
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
}

extension WithGradientNoise: ExactlySampleable where Base: ExactlySampleable {
    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        base.drawExact(into: &x, rng: &rng)
    }
}

/// The data term −(N/n) S_Bᵀx is linear in x, so every minibatch estimate of the Hessian is the
/// base's; with the spatially varied weight w = exp(−x₃/6.5) the term −(N/n) w S_Bᵀx adds
/// −(N/n)[(S_B·v)∇w + (∇w·v)S_B + (S_Bᵀx) w/6.5² v₃ e₃] to H v (∇w = −w/6.5 e₃), and its
/// diagonal 2(N/n)(w/6.5)S_B,₃ − (N/n)(S_Bᵀx)w/6.5² at coordinate 3 only. Full batch: S_N = 0.
extension WithGradientNoise: SecondOrderTarget where Base: SecondOrderTarget {
    public func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        base.hessianVectorProduct(at: x, vector: v, batch: nil, into: &result)
        guard spatiallyVaried, let batch else { return }
        let factor = Double(dataSize) / Double(batch.count), length = GradientNoiseModel.spatialLength
        let w = exp(-x[2] / length)
        withBatchSum(batch) { sum in
            var sv = 0.0, sx = 0.0
            for j in sum.indices {
                sv += sum[j] * v[j]
                sx += sum[j] * x[j]
            }
            // −(N/n)[(S·v)∇w + (∇w·v)S + (Sᵀx) w/ℓ² v₃ e₃] with ∇w = −(w/ℓ) e₃.
            for j in sum.indices { result[j] += factor * (w / length) * v[2] * sum[j] }
            result[2] += factor * ((w / length) * sv - sx * w / (length * length) * v[2])
        }
    }

    public func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        base.hessianDiagonal(at: x, batch: nil, into: &result)
        guard spatiallyVaried, let batch else { return }
        let factor = Double(dataSize) / Double(batch.count), length = GradientNoiseModel.spatialLength
        let w = exp(-x[2] / length)
        withBatchSum(batch) { sum in
            var sx = 0.0
            for j in sum.indices { sx += sum[j] * x[j] }
            result[2] += factor * (2 * (w / length) * sum[2] - sx * w / (length * length))
        }
    }
}

/// Exported as its base's arrays plus the synthetic data (`TargetExport`).
extension WithGradientNoise: ExportableTarget where Base: ExportableTarget {
    public var formula: String {
        base.formula + "; with the synthetic data y (`noise-data`, N × d, rows summing to 0) of the gradient-noise model "
            + "'\(model.rawValue)': the full-data U is the one above (the data term Σ_i y_iᵀx vanishes), and a minibatch B of "
            + "n indices gives ∇Ũ(x) = ∇U(x) − (N/n) ∇(w(x) Σ_{i∈B} y_iᵀx) with "
            + (spatiallyVaried ? "w(x) = exp(−x₃/6.5) (x₃ = x[2], 0-based)" : "w = 1, i.e. ∇Ũ(x) = ∇U(x) − (N/n) Σ_{i∈B} y_i")
    }

    public var exportedArrays: [TargetArray] {
        base.exportedArrays + [TargetArray("noise-data", shape: [dataSize, dimension], values: data,
                                           meaning: "y_i, the synthetic data of the gradient-noise model, one row per datum")]
    }
}
