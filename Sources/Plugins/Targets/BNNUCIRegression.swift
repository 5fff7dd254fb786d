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
///
/// One type per data set (`BNNUCIYacht`, …), each naming its data; the id, summary, options
/// and target come from here.
protocol BNNUCIRegression: TargetDefinition where Options == BNNUCIRegressionOptions {
    /// The data set's name: the id is `bnn-uci-<name>`.
    static var dataSetName: String { get }
    /// The data set, read once per process (`UCIDataSet`).
    static var dataSet: Result<UCIDataSet, WorkbenchError> { get }
}

extension BNNUCIRegression {
    static var id: String { "bnn-uci-" + dataSetName }
    static var summary: String { "BNN regression (MLP 50 tanh) on UCI \(dataSetName), 20 standard splits" }

    /// The target on the chosen split, with its cached reference (and the reference's
    /// predictive draws) when there is one.
    static func make(options: Options) throws -> any Target {
        let dataSet = try dataSet.get()
        let (train, test) = try dataSet.split(options.bnn.split)
        let split = StandardisedSplit(features: dataSet.features, featureCount: dataSet.featureCount,
                                      target: dataSet.target, train: train, test: test, standardiseTarget: true)
        var target = BNNRegression(id: id, data: split, options: options)
        if let (reference, _) = try ReferenceCache.load(for: target, options: options.parameterValues) {
            target.reference = reference
            var draws: [Double] = []
            for phi in reference.evenlySpacedDraws(cap: 2_000) { draws += target.predictions(atRecorded: phi).mean }
            target.referencePredictive = .draws(draws)
        }
        return target
    }
}

enum BNNUCIYacht: BNNUCIRegression {
    static let dataSetName = "yacht"
    static var dataSet: Result<UCIDataSet, WorkbenchError> { UCIDataSet.yacht }
}

enum BNNUCIEnergy: BNNUCIRegression {
    static let dataSetName = "energy"
    static var dataSet: Result<UCIDataSet, WorkbenchError> { UCIDataSet.energy }
}

enum BNNUCIConcrete: BNNUCIRegression {
    static let dataSetName = "concrete"
    static var dataSet: Result<UCIDataSet, WorkbenchError> { UCIDataSet.concrete }
}

/// Whether a `bnn-uci-*` target fixes the observation noise σ or samples it.
enum BNNNoiseMode: String, ParameterChoice {
    case fixed, learned
}

/// The options of `bnn-uci-*`: those of the UCI BNN targets, then the observation noise.
struct BNNUCIRegressionOptions: ParameterSet {
    var bnn = UCIBNNOptions()
    @Choice(help: "observation noise σ: fixed at noise-sd, or sampled (as log σ, prior half-normal(0, noise-prior-scale))")
    var noise = BNNNoiseMode.fixed
    @Real(name: "noise-sd", in: 1e-6...1e6, help: "σ when noise=fixed, on the standardised target scale")
    var fixedNoiseSD = 0.5
    @Real(in: 1e-6...1e6, help: "scale of the half-normal prior on σ when noise=learned")
    var noisePriorScale = 1.0

    init() {}

    /// σ fixed at `noise-sd`, or s = log σ sampled under the half-normal prior of scale `noise-prior-scale`.
    var observationNoise: BNNRegression.Noise {
        noise == .learned ? .halfNormal(noisePriorScale) : .fixed(fixedNoiseSD)
    }
}
