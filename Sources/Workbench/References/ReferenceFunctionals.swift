/// A target whose reference draws are checked through identifiable functionals of the
/// parameters rather than the parameters themselves.
///
/// A Bayesian neural network's weights are not identifiable: permuting hidden units or
/// flipping the signs of a tanh unit's weights leaves the likelihood unchanged, so exact chains
/// that visit different symmetric modes disagree on every weight (R̂ ≫ 1) while agreeing on
/// everything the model says. Following Izmailov, Vikram, Hoffman & Wilson (2021), "What are
/// Bayesian neural network posteriors really like?", such a target names functionals — its
/// predictions on the test split and its noise scale — and `bench reference` applies
/// posteriordb's bar (R̂, lag-1 autocorrelation, ESS) to them; the draws it caches are still the
/// parameters, thinned by the same factor.
public protocol ReferenceFunctionalsTarget: Target {
    /// Names of the checked functionals (e.g. "f(x_test[3])", "sigma").
    var referenceFunctionalNames: [String] { get }
    /// Writes the functionals of one recorded (model-scale) draw `phi` into `values`.
    func referenceFunctionals(ofRecorded phi: [Double], into values: inout [Double])
    /// Steps per chain `bench reference` runs when not told (warm-up included): enough for
    /// the default sampler to pass the bar at the target's defaults. 20 000 unless a target
    /// says otherwise.
    var referenceSteps: Int { get }
    /// Hyperparameters `bench reference` gives `sampler` when not told otherwise (the
    /// command's `--param` values win): e.g. longer hmc trajectories. None unless a target
    /// says otherwise.
    func referenceHyperparameters(for sampler: String) -> [String: ParameterValue]
}

extension ReferenceFunctionalsTarget {
    public var referenceSteps: Int { 20_000 }
    public func referenceHyperparameters(for sampler: String) -> [String: ParameterValue] { [:] }
}
