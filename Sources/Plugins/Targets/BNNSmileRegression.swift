import Workbench

/// `bnn-smile-<data set>`: the SMILE paper's UCI BNN regressions (arXiv 2602.06500; public code
/// EmanuelSommer/SMILE, commit 8a54636, `scripts/experiment_configs/uci_benchmarks/`) — airfoil
/// self-noise (1503 × 5), energy efficiency (heating load, 768 × 8) and bike sharing (hourly,
/// 17379 × 11) from `data/smile-uci/` (`SmileUCIDataSet`). TARGETS.md, "The SMILE UCI
/// regressions", has the mathematics.
///
/// Model, as the authors define it (`src/architectures/tabular.py`, `src/bnns/logliks.py`,
/// `src/bnns/priors.py`, task `mean_regr`): a fully connected 16-16-16-1 ReLU network with
/// biases (`MLP`); y_i ~ N(f(x_i; w), σ²) with one global s = log σ; N(0, 1) on every
/// parameter, s included (their `StandardNormal` prior is applied to the whole raveled
/// parameter tree, `sigma` in it). So U(w, s) = ‖w‖²/2 + s²/2 + Σ_i [s + (y_i − f_i)²/(2σ²)]
/// (`BNNRegression`, `Noise.normalLog(1)`). Data: features and target standardised with the
/// whole data's mean and sd (divisor n) before the split — their protocol, kept — then their
/// 70/10/20 train/valid/test rows for seed 1, 2 or 3 (`split` 0, 1, 2; the indices reproduced
/// with their pinned JAX by `scripts/smile-uci-splits.py`). Default minibatch 256 (theirs).
/// Predictions (`PredictiveTarget`) are on the original scale. The validation rows serve the
/// deep-ensemble warm start (`EnsembleTrainable`, `--start ensemble`). Reference: none (like
/// `bnn-uci-*` without a cache): bias metrics are undefined, predictive metrics work.
///
/// Deviations from the authors' code:
/// - The sampler sees every training row, with the likelihood scaled N/|B|. Their loader
///   walks only the first 256·⌊N/256⌋ rows of the (shuffled) train split — `_iter` drops the
///   incomplete last batch of `arange(n_batches · batch_size)` — and scales a batch's
///   log-likelihood by ⌊N/256⌋: rows beyond are never seen (up to 255 of them; 25 of energy's
///   537, 28 of airfoil's 1052).
/// - Predictive metrics use every test row. Theirs evaluate the first ⌊N_test/b⌋·b rows,
///   b = min(256, N_test) (`max_len` in `BDETrainer.evaluate`): airfoil 256 of 301,
///   bike sharing 3328 of 3476, energy all 154.
/// - σ is not clipped to [10⁻⁶, 10⁶] as in their log-likelihood (a chain that far is diverged).
///
/// One type per data set (`BNNSmileAirfoil`, …), each naming its data; the id, summary,
/// options and target come from here.
protocol BNNSmileRegression: TargetDefinition where Options == BNNSmileOptions {
    /// The data set's name: the id is `bnn-smile-<name>`.
    static var dataSetName: String { get }
    /// The data set, read once per process (`SmileUCIDataSet`).
    static var dataSet: Result<SmileUCIDataSet, WorkbenchError> { get }
}

extension BNNSmileRegression {
    static var id: String { "bnn-smile-" + dataSetName }
    static var summary: String {
        "BNN regression (MLP 16-16-16 relu, learned σ) on UCI \(dataSetName), SMILE's protocol and 3 splits"
    }

    static func make(options: Options) throws -> any Target {
        let dataSet = try dataSet.get()
        let (train, valid, test) = try dataSet.split(options.split)
        let split = StandardisedSplit(wholeData: dataSet.features, featureCount: dataSet.featureCount,
                                      target: dataSet.target, train: train, valid: valid, test: test)
        return BNNRegression(id: id, data: split, network: options.network, start: options.start,
                             noise: .normalLog(options.noisePriorScale), defaultBatch: 256, compensatedSums: true)
    }
}

enum BNNSmileAirfoil: BNNSmileRegression {
    static let dataSetName = "airfoil"
    static var dataSet: Result<SmileUCIDataSet, WorkbenchError> { SmileUCIDataSet.airfoil }
}

enum BNNSmileEnergy: BNNSmileRegression {
    static let dataSetName = "energy"
    static var dataSet: Result<SmileUCIDataSet, WorkbenchError> { SmileUCIDataSet.energy }
}

enum BNNSmileBikesharing: BNNSmileRegression {
    static let dataSetName = "bikesharing"
    static var dataSet: Result<SmileUCIDataSet, WorkbenchError> { SmileUCIDataSet.bikesharing }
}

/// The options of `bnn-smile-*`: the authors' network and prior by default.
struct BNNSmileOptions: ParameterSet {
    @Integer(in: 0...2, help: "which train/valid/test split: 0, 1, 2 are the authors' seeds 1, 2, 3") var split = 0
    var network = BNNNetworkOptions(width: 16, depth: 3, activation: .relu)
    @Real(in: 1e-6...1e6, help: "S of the N(0, S²) prior on s = log σ") var noisePriorScale = 1.0
    var start = BNNStartOptions(help: "chain starts (--start target): one LeCun-normal point from init-seed for every chain (shared), or one per chain (random); log σ = 0")

    init() {}
}
