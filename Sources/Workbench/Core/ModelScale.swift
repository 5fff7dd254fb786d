import Foundation

/// The map from the scale a target is sampled on to the scale its model is written on.
///
/// Samplers move θ ∈ R^d, the unconstrained **sampling scale**: a positive parameter τ is
/// sampled as log τ, and the potential carries the Jacobian, U(θ) = U_model(T(θ)) − log|det ∂T/∂θ|.
/// References, recorded draws, moments and reports are on the **model scale** φ = T(θ) — the
/// scale posteriordb and the model's own definition use (τ, not log τ; θ_j = μ + τ θ̃_j, not θ̃_j).
/// So a run's `RunRecord` holds T(θ) for every kept step, and every diagnostic compares those
/// against the reference without knowing that a transform exists.
///
/// `toSampling` is T⁻¹, for diagnostics that need the target's score at a recorded draw
/// (the score ∇log π is a sampling-scale quantity) and for starting chains at model-scale
/// points. Both directions write into caller-owned buffers and must not allocate.
public struct ModelScale: Sendable {
    /// The names of the model-scale coordinates (what reports and exported draws show).
    public let names: [String]
    private let forward: @Sendable (_ theta: [Double], _ phi: inout [Double]) -> Void
    private let inverse: @Sendable (_ phi: [Double], _ theta: inout [Double]) -> Void

    /// A transform with model-scale coordinates `names`; `toModel` writes T(θ) into φ and
    /// `toSampling` writes T⁻¹(φ) into θ (both buffers have the right lengths).
    public init(names: [String],
                toModel: @escaping @Sendable (_ theta: [Double], _ phi: inout [Double]) -> Void,
                toSampling: @escaping @Sendable (_ phi: [Double], _ theta: inout [Double]) -> Void) {
        self.names = names
        self.forward = toModel
        self.inverse = toSampling
    }

    /// The dimension of the model scale.
    public var dimension: Int { names.count }

    /// Writes φ = T(θ) into `phi` (length `dimension`).
    @inline(__always)
    public func toModel(_ theta: [Double], into phi: inout [Double]) { forward(theta, &phi) }

    /// φ = T(θ).
    public func toModel(_ theta: [Double]) -> [Double] {
        var phi = [Double](repeating: 0, count: dimension)
        forward(theta, &phi)
        return phi
    }

    /// Writes θ = T⁻¹(φ) into `theta` (length d of the sampling scale).
    @inline(__always)
    public func toSampling(_ phi: [Double], into theta: inout [Double]) { inverse(phi, &theta) }

    /// θ = T⁻¹(φ) for a sampling scale of dimension `samplingDimension`.
    public func toSampling(_ phi: [Double], samplingDimension: Int) -> [Double] {
        var theta = [Double](repeating: 0, count: samplingDimension)
        inverse(phi, &theta)
        return theta
    }

    /// The common case of positive parameters sampled on the log scale: φ_i = exp(θ_i) for i in
    /// `logCoordinates`, φ_i = θ_i otherwise (same dimension).
    public static func logScaled(names: [String], logCoordinates: [Int]) -> ModelScale {
        ModelScale(
            names: names,
            toModel: { theta, phi in
                for i in 0..<theta.count { phi[i] = theta[i] }
                for i in logCoordinates { phi[i] = exp(theta[i]) }
            },
            toSampling: { phi, theta in
                for i in 0..<phi.count { theta[i] = phi[i] }
                for i in logCoordinates { theta[i] = log(phi[i]) }
            })
    }
}

/// A target sampled on an unconstrained scale that differs from its model scale
/// (`eight-schools-*`, `sblri`, BNNs with a learned noise scale). Its `reference`,
/// `parameterNames`-for-reports and recorded draws are on the model scale; its potential,
/// gradients and `initialPoint` on the sampling scale.
public protocol ModelScaleTarget: Target {
    /// The map from the sampling scale to the model scale.
    var modelScale: ModelScale { get }
}

extension Target {
    /// The model-scale transform of this target; nil when it samples on its model scale.
    public var modelTransform: ModelScale? { (self as? any ModelScaleTarget)?.modelScale }

    /// The dimension of what is recorded and compared with the reference: the model scale's.
    public var recordedDimension: Int { modelTransform?.dimension ?? dimension }

    /// The names of the recorded coordinates: the model scale's when there is a transform.
    public var recordedParameterNames: [String] { modelTransform?.names ?? parameterNames }
}
