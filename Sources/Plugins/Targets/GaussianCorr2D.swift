import Foundation
import Workbench

/// `gaussian-corr-2d`: the 2-D Gaussian with unit variances and correlation ρ = 0.99
/// (TARGETS.md): Σ = [[1, ρ], [ρ, 1]] = Q diag(1 + ρ, 1 − ρ) Qᵀ with Q the rotation by 45°
/// (eigenvectors (1, 1)/√2 and (1, −1)/√2), so the condition number is (1 + ρ)/(1 − ρ) = 199.
/// Built on `GaussianTarget`; reference exact: E[x_i] = 0, Var[x_i] = 1, marginals N(0, 1).
public enum GaussianCorr2D: TargetDefinition {
    public static let id = "gaussian-corr-2d"
    public static let summary = "2-D Gaussian, unit variances, correlation 0.99"

    public struct Options: ParameterSet {
        @Real(in: -0.999999...0.999999, help: "ρ, the correlation") public var correlation = 0.99
        public var gradientNoise = GradientNoiseOptions<LowDimensionalNoiseModel>()
        public init() {}
    }

    public static func make(options: Options) throws -> any Target {
        let rho = options.correlation
        let h = 1 / 2.0.squareRoot()
        return try GaussianTarget(
            id: id, scales: [(1 + rho).squareRoot(), (1 - rho).squareRoot()], rotation: [h, h, h, -h]
        ).withNoise(options.gradientNoise)
    }
}
