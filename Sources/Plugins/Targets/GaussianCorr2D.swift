import Foundation
import Workbench

/// `gaussian-corr-2d`: the 2-D Gaussian with unit variances and correlation ρ = 0.99
/// (TARGETS.md): Σ = [[1, ρ], [ρ, 1]] = Q diag(1 + ρ, 1 − ρ) Qᵀ with Q the rotation by 45°
/// (eigenvectors (1, 1)/√2 and (1, −1)/√2), so the condition number is (1 + ρ)/(1 − ρ) = 199.
/// Built on `GaussianTarget`; reference exact: E[x_i] = 0, Var[x_i] = 1, marginals N(0, 1).
public enum GaussianCorr2D {
    public static let plugin = TargetPlugin(
        id: "gaussian-corr-2d", summary: "2-D Gaussian, unit variances, correlation 0.99",
        parameters: [ParameterSpec("correlation", default: 0.99, in: -0.999999...0.999999, "ρ, the correlation")]
            + GradientNoiseModel.lowDimensionalParameters
    ) { options in
        let rho = options.number("correlation")
        let h = 1 / 2.0.squareRoot()
        return try GaussianTarget(
            id: "gaussian-corr-2d", scales: [(1 + rho).squareRoot(), (1 - rho).squareRoot()],
            rotation: [h, h, h, -h]
        ).withNoise(options)
    }
}
