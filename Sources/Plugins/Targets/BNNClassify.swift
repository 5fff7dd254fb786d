import Workbench

/// `bnn-classify`: Bayesian MLP classifier with a softmax likelihood on the UCI Wine data
/// (178 × 13, 3 classes; `data/wine/`, CC BY 4.0), features standardised on the train split,
/// 20 reproducible 80/20 splits (`WineDataSet`). Default network: 1 hidden layer of 50 tanh
/// units, N(0, 1) prior. See `BNNClassifier`. Reference: draws cached by `bench reference`
/// (hmc by default), loaded when present; predictions on the test split as class
/// probabilities (`BNNClassifier.testProbabilities`).
enum BNNClassify: TargetDefinition {
    static let id = "bnn-classify"
    static let summary = "BNN classifier (MLP 50 tanh, softmax) on UCI Wine, 3 classes"

    static func make(options: UCIBNNOptions) throws -> any Target {
        let wine = try WineDataSet.shared.get()
        let (train, test) = wine.split(options.split)
        let split = StandardisedSplit(features: wine.features, featureCount: wine.featureCount, target: wine.labels,
                                      train: train, test: test, standardiseTarget: false)
        var target = BNNClassifier(id: id, data: split, classes: WineDataSet.classes, options: options)
        if let (reference, _) = try ReferenceCache.load(for: target, options: options.parameterValues) {
            target.reference = reference
            // The reference posterior predictive: class probabilities averaged over (at most
            // 2 000 evenly spaced) reference draws.
            let draws = reference.evenlySpacedDraws(cap: 2_000)
            var mean = [Double](repeating: 0, count: split.testCount * WineDataSet.classes)
            for phi in draws {
                let p = target.testProbabilities(at: phi)
                for k in 0..<mean.count { mean[k] += p[k] / Double(draws.count) }
            }
            target.referencePredictive = .probabilities(mean)
        }
        return target
    }
}
