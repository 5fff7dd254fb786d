import Foundation
import Workbench

/// `gaussian-illcond`: N(0, Σ), Σ = Q diag(c²) Qᵀ with scales
/// c = logspace(−½ log₁₀κ, ½ log₁₀κ, d) (so c runs from 1/√κ to √κ), d = 100, κ = 100, and a
/// seeded Haar-random rotation Q — the ill-conditioned Gaussian (ICG) of the SMILE paper
/// (arXiv 2602.06500; TARGETS.md). Reference: exact.
public enum GaussianIllConditioned: TargetDefinition {
    public static let id = "gaussian-illcond"
    public static let summary = "ill-conditioned rotated Gaussian, d = 100, κ = 100 (SMILE's ICG)"

    public struct Options: ParameterSet {
        @Integer(in: 2...10_000, help: "d") public var dimension = 100
        @Real(in: 1...1e12, help: "κ: the scales run from 1/√κ to √κ") public var condition = 100.0
        @Integer(in: 0...1_000_000_000_000_000, help: "seed of the random rotation Q") public var rotationSeed = 0
        public var gradientNoise = GradientNoiseOptions<GradientNoiseModel>()
        public init() {}
    }

    public static func make(options: Options) throws -> any Target {
        let d = options.dimension
        let half = 0.5 * log10(options.condition)
        let scales = (0..<d).map { pow(10, -half + 2 * half * Double($0) / Double(d - 1)) }
        let q = GaussianTarget.randomRotation(dimension: d, seed: UInt64(options.rotationSeed))
        return try GaussianTarget(id: id, scales: scales, rotation: q).withNoise(options.gradientNoise)
    }
}
