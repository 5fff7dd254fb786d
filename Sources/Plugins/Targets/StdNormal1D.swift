import Workbench

/// `std-normal-1d`: N(0, 1) in one dimension, the experiment of arXiv 2403.08609 (TARGETS.md).
/// Reference: exact (GSL Gaussian density and CDF).
public enum StdNormal1D: TargetDefinition {
    public static let id = "std-normal-1d"
    public static let summary = "N(0, 1) in 1-D, the experiment of arXiv 2403.08609"

    public struct Options: ParameterSet {
        public var gradientNoise = GradientNoiseOptions<LowDimensionalNoiseModel>()
        public init() {}
    }

    public static func make(options: Options) throws -> any Target {
        try GaussianTarget(id: id, scales: [1]).withNoise(options.gradientNoise)
    }
}
