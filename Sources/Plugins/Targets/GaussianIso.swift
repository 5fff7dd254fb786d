import Workbench

/// `gaussian-iso`: N(0, I_d), d = 100 by default (TARGETS.md). Reference: exact.
public enum GaussianIso: TargetDefinition {
    public static let id = "gaussian-iso"
    public static let summary = "isotropic Gaussian N(0, I_d), d = 100"

    public struct Options: ParameterSet {
        @Integer(in: 1...100_000, help: "d") public var dimension = 100
        public var gradientNoise = GradientNoiseOptions<GradientNoiseModel>()
        public init() {}
    }

    public static func make(options: Options) throws -> any Target {
        try GaussianTarget(id: id, scales: [Double](repeating: 1, count: options.dimension)).withNoise(options.gradientNoise)
    }
}
