import Workbench

/// `bnn-uci-energy`: Bayesian MLP regression on UCI energy efficiency (heating load), 768 × 8 (TARGETS.md), one of
/// the standard 20 train/test splits (`split`), features and target standardised on the
/// train split. Default network: 1 hidden layer of 50 tanh units, N(0, 1) prior on every
/// weight, noise σ fixed at 0.5 on the standardised scale (`noise=learned` samples log σ and
/// reports σ). See `BNNRegression` for the
/// potential and its gradient. Reference: draws cached by `bench reference --target
/// bnn-uci-energy` (hmc by default), loaded when present; until then the reference is
/// unavailable and bias metrics are undefined.
public enum BNNUCIEnergy {
    public static let plugin = TargetPlugin(
        id: "bnn-uci-energy", summary: "BNN regression (MLP 50 tanh) on UCI energy, 20 standard splits",
        parameters: BNNOptions.regression
    ) { options in
        try BNNRegression.make(id: "bnn-uci-energy", dataSet: try UCIDataSet.energy.get(), options: options)
    }
}
