/// The gradient-noise options of an analytic target (TARGETS.md): a group of its `Options`
/// (`ParameterSet`) declaring `noise`, `noise-scale`, `data-size` and `data-seed`.
///
///     public struct Options: ParameterSet {
///         @Integer(in: 2...10_000, help: "d") public var dimension = 10
///         public var gradientNoise = GradientNoiseOptions<GradientNoiseModel>()
///         public init() {}
///     }
///
/// `Model` is the choice of `noise`: every model (`GradientNoiseModel`), or all but the
/// spatially varied one for a target of fewer than 3 dimensions (`LowDimensionalNoiseModel`).
public struct GradientNoiseOptions<Model: GradientNoiseChoice>: ParameterSet {
    @Choice(help: "gradient-noise model of the synthetic data set (TARGETS.md)")
    public var noise = Model.none
    @Real(in: 1e-12...1e12, help: "s: the minibatch noise relative to the SMILE benchmark's (1 = its level at n = 256)")
    public var noiseScale = 1.0
    @Integer(in: 2...100_000_000, help: "N, synthetic data points")
    public var dataSize = 10_000
    @Integer(in: 0...1_000_000_000_000_000, help: "seed of the synthetic data set")
    public var dataSeed = 0

    public init() {}

    /// `base` with the synthetic data of the chosen model (`WithGradientNoise`), or `base`
    /// itself for `none`. `axisScales` are the per-axis scales of the anisotropic model;
    /// `covarianceRoot`, any R with R Rᵀ = Σ_target, serves the correlated and spatially
    /// varied ones (default diag(axisScales), for a target whose covariance is diagonal).
    public func applied<Base: Target>(to base: Base, axisScales: [Double],
                                      covarianceRoot: ((_ z: [Double]) -> [Double])? = nil) throws -> any Target {
        guard noise.model != .none else { return base }
        return try WithGradientNoise(
            base: base, model: noise.model, scale: noiseScale, dataSize: dataSize, seed: UInt64(dataSeed),
            axisScales: axisScales, covarianceRoot: covarianceRoot ?? { z in zip(z, axisScales).map { $0 * $1 } })
    }
}

/// The values of a target's `noise` option: gradient-noise models, named as
/// `GradientNoiseModel` names them.
public protocol GradientNoiseChoice: ParameterChoice {
    /// No data: every gradient is exact (the default).
    static var none: Self { get }
}

extension GradientNoiseChoice {
    /// The model this choice names.
    public var model: GradientNoiseModel { GradientNoiseModel(rawValue: rawValue)! }
}

extension GradientNoiseModel: GradientNoiseChoice {}

/// The gradient-noise models of a target whose dimension is fixed below 3: all but
/// `spatially_varied`, which weights the third coordinate.
public enum LowDimensionalNoiseModel: String, GradientNoiseChoice {
    case none, isotropic, anisotropic, correlated
}
