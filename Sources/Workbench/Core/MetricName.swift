/// The name of a metric the core reads, declared once (issue 31): the tuning rule's b² and ESS
/// per gradient, the health flags' R̂, ESS, resets and acceptance, the known-answer gate's, and
/// the report's headline columns. The diagnostic that emits one builds its `Metric` from the
/// same value and lists it in `Diagnostic.declaredMetrics`; the conformance kit checks that a
/// diagnostic emits every metric it declares. So the dependency of the core on a plugin's
/// output is a declaration the compiler sees, not a string both sides must spell alike.
/// Metrics only their own diagnostic and the tables show stay plain names.
public struct MetricName: Hashable, Sendable, CustomStringConvertible {
    /// The name as it appears in results (`Metric.name`).
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    // `moments`
    /// b² = max(b²(x), b²(x²)): squared bias per reference sd, averaged over coordinates.
    public static let b2 = MetricName("b2")
    /// The largest |mean error| over coordinates, in reference sds.
    public static let meanErrorMax = MetricName("mean-error-max")
    /// The mean over coordinates of the variance ratio (sampled / reference).
    public static let varianceRatioMean = MetricName("variance-ratio-mean")
    /// The variance ratio furthest from 1.
    public static let varianceRatioWorst = MetricName("variance-ratio-worst")
    // `ess`
    /// The smallest bulk-ESS of x over coordinates.
    public static let bulkESSMin = MetricName("bulk-ess-min")
    /// The smallest bulk-ESS of x² over coordinates.
    public static let bulkESSSquaresMin = MetricName("bulk-ess-x2-min")
    /// The smallest tail-ESS over coordinates.
    public static let tailESSMin = MetricName("tail-ess-min")
    /// The largest rank-normalised split-R̂ over coordinates.
    public static let rhatMax = MetricName("rhat-max")
    // `ess-per-gradient`
    /// min(bulk-ESS of x, of x²), the numerator of the efficiencies.
    public static let essMin = MetricName("ess-min")
    /// ESS per full-gradient equivalent: the headline efficiency.
    public static let essPerGradient = MetricName("ess-per-gradient")
    // `stability`
    /// Momentum resets (rejected steps) per step.
    public static let resetsPerStep = MetricName("resets-per-step")
    /// The mean acceptance probability of samplers with an accept step.
    public static let acceptanceMean = MetricName("acceptance-mean")
    /// Chains in which no coordinate moved a set share of its reference sd.
    public static let stuckChains = MetricName("stuck-chains")
    // `chain-b2`
    /// The mean over chains of each chain's own b²(x²).
    public static let chainB2SquaresMean = MetricName("chain-b2-x2-mean")
    /// The sd over chains of each chain's b²(x²).
    public static let chainB2SquaresSD = MetricName("chain-b2-x2-sd")
}

extension Metric {
    /// A metric named by a declared `MetricName`.
    public init(diagnostic: String, name: MetricName, value: Double?, unit: String, direction: Direction) {
        self.init(diagnostic: diagnostic, name: name.rawValue, value: value, unit: unit, direction: direction)
    }
}
