/// What a Bayesian-neural-network target provides for the `predictive` diagnostic
/// (DIAGNOSTICS.md, "BNN predictive quality"): predictions on its test split at a parameter
/// value, the test labels, and optionally a reference predictive. A target that does not
/// conform gets no predictive metrics.
public protocol PredictiveTarget: Target {
    /// Regression or classification, and the number of test points.
    var predictiveTask: PredictiveTask { get }
    /// The test-split labels: y_j for regression, the class index (0 ..< C, as a whole
    /// number) for classification.
    var testLabels: [Double] { get }
    /// The model's predictions for every test point at parameters `theta`.
    func testPredictions(at theta: [Double]) -> TestPrediction
    /// The reference predictive on the test split (from reference draws), if known.
    var referencePredictive: ReferencePredictive? { get }
    /// Regression: the affine map the target standardised y with, y_std = (y − mean) / sd
    /// (the train split's mean and standard deviation for the `bnn-uci-*` targets), so that
    /// `predictive` can report its metrics on the standardised scale too (DIAGNOSTICS.md,
    /// "BNN predictive quality"). `testLabels` and `testPredictions` stay on the original
    /// scale. The default, mean 0 and sd 1, says the original scale is the standardised one.
    var targetStandardisation: (mean: Double, sd: Double) { get }
}

extension PredictiveTarget {
    public var referencePredictive: ReferencePredictive? { nil }
    public var targetStandardisation: (mean: Double, sd: Double) { (0, 1) }
}

public enum PredictiveTask: Equatable, Sendable {
    case regression
    case classification(classes: Int)
}

/// The predictions of one parameter draw θ_s on the test split.
public enum TestPrediction: Sendable {
    /// Gaussian likelihood: mean f_s(x_j) and noise standard deviation σ_s per test point.
    case regression(mean: [Double], sd: [Double])
    /// Class probabilities p_s(c | x_j), row-major (test points × classes).
    case classification(probabilities: [Double])
}

/// The reference predictive the approximate-inference competition compares against.
public enum ReferencePredictive: Sendable {
    /// Classification: the reference posterior-predictive probabilities, row-major
    /// (test points × classes).
    case probabilities([Double])
    /// Regression: reference predictive draws f(x_j) (the regression function under reference
    /// posterior draws, without observation noise), row-major (draws × test points).
    case draws([Double])
}
