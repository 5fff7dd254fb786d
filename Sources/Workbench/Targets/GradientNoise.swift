/// The gradient-noise models of TARGETS.md (after the SMILE paper's analytic benchmark).
///
/// An analytic target gets a synthetic data set y_1..y_N, y_i = η_i − mean(η), η_i ~ N(0, S),
/// and the potential U(x) = U_target(x) − Σ_i y_iᵀx. Because Σ_i y_i = 0 the full-batch
/// posterior and gradient are exact, while a minibatch B of n gives
/// ∇Ũ(x) = ∇U_target(x) − (N/n) Σ_{i∈B} y_i, unbiased, with noise covariance ≈ (N²/n)·S.
public enum GradientNoiseModel: String, CaseIterable, Sendable {
    /// No data (N = 1): every gradient is exact.
    case none
    /// S = s² I.
    case isotropic
    /// S = s² diag(c_i²), c the target's per-axis scales.
    case anisotropic
    /// S = s² Σ_target.
    case correlated

    /// The options every analytic target declares for its noise model.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("noise", default: "none", choices: allCases.map(\.rawValue),
                      "gradient-noise model of the synthetic data set (TARGETS.md)"),
        ParameterSpec("noise-scale", default: 1, in: 1e-12...1e12, "s, the scale of the synthetic data"),
        ParameterSpec("data-size", default: 10_000, in: 2...1e8, integral: true, "N, synthetic data points"),
        ParameterSpec("data-seed", default: 0, in: 0...1e15, integral: true, "seed of the synthetic data set"),
    ]
}

/// A target that carries one of the gradient-noise models around an analytic `Base`.
/// Everything but the data size and the minibatch gradient is the base's.
public struct WithGradientNoise<Base: Target>: Target {
    public let base: Base
    public let model: GradientNoiseModel
    /// y_i, row-major N × d; the rows sum to zero.
    let data: [Double]
    public let dataSize: Int

    /// Builds the synthetic data: η_i = s · R z_i with z_i ~ N(0, I) from `seed`, where R is
    /// I (isotropic), diag(axisScales) (anisotropic) or `covarianceRoot` (correlated, any R with
    /// R Rᵀ = Σ_target); then y_i = η_i − mean(η).
    public init(base: Base, model: GradientNoiseModel, scale: Double, dataSize: Int, seed: UInt64,
                axisScales: [Double], covarianceRoot: (_ z: [Double]) -> [Double]) {
        precondition(model != .none, "WithGradientNoise needs a noise model other than none")
        let d = base.dimension
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
            case .correlated: eta = covarianceRoot(z)
            case .none: eta = []
            }
            for j in 0..<d {
                data[i * d + j] = scale * eta[j]
                mean[j] += scale * eta[j] / Double(dataSize)
            }
        }
        for i in 0..<dataSize { for j in 0..<d { data[i * d + j] -= mean[j] } }
        self.base = base
        self.model = model
        self.data = data
        self.dataSize = dataSize
    }

    public var id: String { base.id }
    public var dimension: Int { base.dimension }
    public var parameterNames: [String] { base.parameterNames }
    public var reference: Reference { base.reference }
    public var lengthScale: Double { base.lengthScale }
    public var defaultBatchSize: Int? { 256 }

    public func potential(at x: [Double]) -> Double { base.potential(at: x) }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
        let d = dimension
        let factor = Double(dataSize) / Double(batch.count)
        data.withUnsafeBufferPointer { y in
            gradient.withUnsafeMutableBufferPointer { g in
                for i in batch {
                    let row = Int(i) * d
                    for j in 0..<d { g[j] -= factor * y[row + j] }
                }
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

/// The data term −Σ_i y_iᵀx is linear in x, so every minibatch estimate of the Hessian is the
/// base's Hessian.
extension WithGradientNoise: SecondOrderTarget where Base: SecondOrderTarget {
    public func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        base.hessianVectorProduct(at: x, vector: v, batch: nil, into: &result)
    }

    public func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        base.hessianDiagonal(at: x, batch: nil, into: &result)
    }
}
