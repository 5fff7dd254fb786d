import Workbench

/// `std-normal-1d`: N(0, 1) in one dimension, the experiment of arXiv 2403.08609 (TARGETS.md).
/// Reference: exact (GSL Gaussian density and CDF).
public enum StdNormal1D {
    public static let plugin = TargetPlugin(
        id: "std-normal-1d", summary: "N(0, 1) in 1-D, the experiment of arXiv 2403.08609",
        parameters: GradientNoiseModel.lowDimensionalParameters
    ) { options in
        try GaussianTarget(id: "std-normal-1d", scales: [1]).withNoise(options)
    }
}
