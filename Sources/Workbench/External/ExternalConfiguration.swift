import Foundation

/// The configuration an external sampler's child receives (the JSON of the `config` frame;
/// docs/EXTERNAL.md lists the fields).
struct ExternalConfiguration: Encodable {
    let protocolVersion: UInt32
    let sampler: String
    let target: Target
    let chains: Int
    let steps: Int
    let warmup: Int
    let stepSize: Double?
    let hyperparameters: [String: ParameterValue]
    let seeds: [UInt64]
    let gradientCost: [String: Int]

    struct Target: Encodable {
        let id: String
        let dimension: Int
        let dataSize: Int
        let batchSize: Int
        let fullBatch: Bool
        let batching: String
        let parameterNames: [String]
    }
}

extension GradientCost {
    /// The four counts by name (the manifest's `gradientCost` fields).
    var perStepCounts: [String: Int] {
        ["batchGradientsPerStep": batchGradientsPerStep, "fullGradientsPerStep": fullGradientsPerStep,
         "setupBatchGradients": setupBatchGradients, "setupFullGradients": setupFullGradients]
    }
}
