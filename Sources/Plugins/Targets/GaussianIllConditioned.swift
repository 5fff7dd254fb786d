import Foundation
import Workbench

/// `gaussian-illcond`: N(0, Σ), Σ = Q diag(c²) Qᵀ with scales
/// c = logspace(−½ log₁₀κ, ½ log₁₀κ, d) (so c runs from 1/√κ to √κ), d = 100, κ = 100, and a
/// seeded Haar-random rotation Q — the ill-conditioned Gaussian (ICG) of the SMILE paper
/// (arXiv 2602.06500; TARGETS.md). Reference: exact.
public enum GaussianIllConditioned {
    public static let plugin = TargetPlugin(
        id: "gaussian-illcond", summary: "ill-conditioned rotated Gaussian, d = 100, κ = 100 (SMILE's ICG)",
        parameters: [
            ParameterSpec("dimension", default: 100, in: 2...10_000, integral: true, "d"),
            ParameterSpec("condition", default: 100, in: 1...1e12, "κ: the scales run from 1/√κ to √κ"),
            ParameterSpec("rotation-seed", default: 0, in: 0...1e15, integral: true, "seed of the random rotation Q"),
        ] + GradientNoiseModel.parameters
    ) { options in
        let d = options.integer("dimension")
        let half = 0.5 * log10(options.number("condition"))
        let scales = (0..<d).map { pow(10, -half + 2 * half * Double($0) / Double(d - 1)) }
        let q = GaussianTarget.randomRotation(dimension: d, seed: UInt64(options.integer("rotation-seed")))
        return try GaussianTarget(id: "gaussian-illcond", scales: scales, rotation: q).withNoise(options)
    }
}
