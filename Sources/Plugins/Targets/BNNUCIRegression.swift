import Workbench

/// `bnn-uci-<data set>`: Bayesian MLP regression on a UCI data set (TARGETS.md) — yacht
/// hydrodynamics (308 × 6), energy efficiency (heating load, 768 × 8) or concrete compressive
/// strength (1030 × 8) — on one of the standard 20 train/test splits (`split`), features and
/// target standardised on the train split. Default network: 1 hidden layer of 50 tanh units,
/// N(0, 1) prior on every weight, noise σ fixed at 0.5 on the standardised scale
/// (`noise=learned` samples log σ and reports σ). See `BNNRegression` for the potential and
/// its gradient. Reference: draws cached by `bench reference --target bnn-uci-<data set>`
/// (hmc by default), loaded when present; until then the reference is unavailable and bias
/// metrics are undefined.
public enum BNNUCIRegression: String, CaseIterable, Sendable {
    case yacht, energy, concrete

    /// The registry id, `bnn-uci-<data set>`.
    public var id: String { "bnn-uci-" + rawValue }

    /// The data set, read once per process (`UCIDataSet`).
    var dataSet: Result<UCIDataSet, WorkbenchError> {
        switch self {
        case .yacht: UCIDataSet.yacht
        case .energy: UCIDataSet.energy
        case .concrete: UCIDataSet.concrete
        }
    }

    /// The target plugin on this data set.
    public var plugin: TargetPlugin {
        TargetPlugin(
            id: id, summary: "BNN regression (MLP 50 tanh) on UCI \(rawValue), 20 standard splits",
            parameters: BNNOptions.regression
        ) { options in
            try BNNRegression.make(id: id, dataSet: try dataSet.get(), options: options)
        }
    }
}
