import Workbench

/// `bnn-uci-concrete`: Bayesian MLP regression on UCI concrete compressive strength, 1030 × 8 (TARGETS.md), one of
/// the standard 20 train/test splits (`split`), features and target standardised on the
/// train split. Default network: 1 hidden layer of 50 tanh units, N(0, 1) prior on every
/// weight, noise σ fixed at 0.5 on the standardised scale (`noise=learned` samples log σ and
/// reports σ). See `BNNRegression` for the
/// potential and its gradient. Reference: draws cached by `bench reference --target
/// bnn-uci-concrete` (hmc by default), loaded when present; until then the reference is
/// unavailable and bias metrics are undefined.
public enum BNNUCIConcrete {
    public static let plugin = TargetPlugin(
        id: "bnn-uci-concrete", summary: "BNN regression (MLP 50 tanh) on UCI concrete, 20 standard splits",
        parameters: BNNOptions.regression
    ) { options in
        try BNNRegression.make(id: "bnn-uci-concrete", dataSet: try UCIDataSet.concrete.get(), options: options)
    }
}
