import Workbench

/// `gaussian-iso`: N(0, I_d), d = 100 by default (TARGETS.md). Reference: exact.
public enum GaussianIso {
    public static let plugin = TargetPlugin(
        id: "gaussian-iso", summary: "isotropic Gaussian N(0, I_d), d = 100",
        parameters: [ParameterSpec("dimension", default: 100, in: 1...100_000, integral: true, "d")]
            + GradientNoiseModel.parameters
    ) { options in
        let d = options.integer("dimension")
        return try GaussianTarget(id: "gaussian-iso", scales: [Double](repeating: 1, count: d)).withNoise(options)
    }
}
