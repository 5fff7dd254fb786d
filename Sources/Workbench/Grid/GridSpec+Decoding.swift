/// Grid files may omit any field that has a default, and may not contain unknown fields (a
/// misspelt "stepsizes" is an error, not a silently ignored axis).
extension GridSpec {
    private enum Key: String, CodingKey, CaseIterable {
        case samplers, targets, stepSizes, batchSizes, noise, seeds, chains, steps, warmup, thin
        case maxDrawsPerChain, hyperparameters, targetOptions, diagnostics, samplerStepSizes, gradientBudget
        case tuning, wallTimeCap, budgetScale, batching, start, variants, description, noiseBudgetScale, targetBatchSizes, targetNoise
        case targetOptionSets, externalSamplers
    }

    public init(from decoder: Decoder) throws {
        try StrictDecoding.rejectUnknownFields(decoder, keys: Key.self, what: "field")
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            samplers: try c.decodeIfPresent([String].self, forKey: .samplers) ?? ["all"],
            targets: try c.decodeIfPresent([String].self, forKey: .targets) ?? ["all"],
            // With a tuning protocol the step sizes come from the sweeps and may be omitted.
            stepSizes: c.contains(.tuning) ? try c.decodeIfPresent([Double].self, forKey: .stepSizes) ?? []
                : try c.decode([Double].self, forKey: .stepSizes),
            batchSizes: try c.decodeIfPresent([BatchSizeChoice].self, forKey: .batchSizes) ?? [.targetDefault],
            noise: try c.decodeIfPresent([String].self, forKey: .noise),
            seeds: try c.decodeIfPresent([UInt64].self, forKey: .seeds) ?? [1],
            chains: try c.decodeIfPresent(Int.self, forKey: .chains) ?? 4,
            steps: try c.decode(Int.self, forKey: .steps),
            warmup: try c.decodeIfPresent(Int.self, forKey: .warmup),
            thin: try c.decodeIfPresent(Int.self, forKey: .thin) ?? 1,
            maxDrawsPerChain: try c.decodeIfPresent(Int.self, forKey: .maxDrawsPerChain) ?? 10_000,
            hyperparameters: try c.decodeIfPresent([String: [String: ParameterValue]].self, forKey: .hyperparameters) ?? [:],
            targetOptions: try c.decodeIfPresent([String: [String: ParameterValue]].self, forKey: .targetOptions) ?? [:],
            diagnostics: try c.decodeIfPresent([String].self, forKey: .diagnostics) ?? ["all"],
            samplerStepSizes: try c.decodeIfPresent([String: [Double]].self, forKey: .samplerStepSizes) ?? [:],
            gradientBudget: try c.decodeIfPresent(Double.self, forKey: .gradientBudget),
            tuning: try c.decodeIfPresent(TuningSpec.self, forKey: .tuning),
            wallTimeCap: try c.decodeIfPresent(Double.self, forKey: .wallTimeCap),
            budgetScale: try c.decodeIfPresent([String: Double].self, forKey: .budgetScale) ?? [:],
            batching: try c.decodeIfPresent(MinibatchScheme.self, forKey: .batching) ?? .iid,
            start: try c.decodeIfPresent(StartPoint.self, forKey: .start) ?? .target,
            variants: try c.decodeIfPresent([String: [SamplerVariant]].self, forKey: .variants) ?? [:],
            description: try c.decodeIfPresent(String.self, forKey: .description),
            noiseBudgetScale: try c.decodeIfPresent([String: Double].self, forKey: .noiseBudgetScale) ?? [:],
            targetBatchSizes: try c.decodeIfPresent([String: [BatchSizeChoice]].self, forKey: .targetBatchSizes) ?? [:],
            targetNoise: try c.decodeIfPresent([String: [String]].self, forKey: .targetNoise) ?? [:],
            targetOptionSets: try c.decodeIfPresent([String: [[String: ParameterValue]]].self, forKey: .targetOptionSets) ?? [:])
        externalSamplers = try c.decodeIfPresent([String: ExternalSamplerIdentity].self, forKey: .externalSamplers) ?? [:]
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(samplers, forKey: .samplers)
        try c.encode(targets, forKey: .targets)
        try c.encode(stepSizes, forKey: .stepSizes)
        try c.encode(batchSizes, forKey: .batchSizes)
        try c.encodeIfPresent(noise, forKey: .noise)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(chains, forKey: .chains)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(warmup, forKey: .warmup)
        try c.encode(thin, forKey: .thin)
        try c.encode(maxDrawsPerChain, forKey: .maxDrawsPerChain)
        try c.encode(hyperparameters, forKey: .hyperparameters)
        try c.encode(targetOptions, forKey: .targetOptions)
        try c.encode(diagnostics, forKey: .diagnostics)
        if !samplerStepSizes.isEmpty { try c.encode(samplerStepSizes, forKey: .samplerStepSizes) }
        try c.encodeIfPresent(gradientBudget, forKey: .gradientBudget)
        try c.encodeIfPresent(tuning, forKey: .tuning)
        try c.encodeIfPresent(wallTimeCap, forKey: .wallTimeCap)
        if !budgetScale.isEmpty { try c.encode(budgetScale, forKey: .budgetScale) }
        // Defaults are left out, so specs that do not set them keep the identity hash they had
        // before the fields existed (docs/RESULTS.md).
        if batching != .iid { try c.encode(batching, forKey: .batching) }
        if start != .target { try c.encode(start, forKey: .start) }
        if !variants.isEmpty { try c.encode(variants, forKey: .variants) }
        try c.encodeIfPresent(description, forKey: .description)
        if !noiseBudgetScale.isEmpty { try c.encode(noiseBudgetScale, forKey: .noiseBudgetScale) }
        if !targetBatchSizes.isEmpty { try c.encode(targetBatchSizes, forKey: .targetBatchSizes) }
        if !targetNoise.isEmpty { try c.encode(targetNoise, forKey: .targetNoise) }
        if !targetOptionSets.isEmpty { try c.encode(targetOptionSets, forKey: .targetOptionSets) }
        if !externalSamplers.isEmpty { try c.encode(externalSamplers, forKey: .externalSamplers) }
    }
}
