import Workbench

/// The contract of a batched sampler (`BatchedSampler`): a chain's numbers do not depend on
/// the batch. Its one step is written over C chains' rows, so a slip in the row handling (a
/// row drawing from another chain's generator, a value shared by rows that should be
/// per chain) leaves a chain alone (C = 1) right and the chains of a batch wrong; this is
/// where the kit catches it.
enum BatchChecks {
    /// Chains in a batch, as the runner runs a cell's chains together (`CellChains.runBatch`).
    static let chains = 5

    /// Each chain of a batch of `chains` on `targetPlugin` (its default batch size: each chain
    /// draws its own minibatches) against the same chain run alone: its kept positions (bit
    /// patterns), length, divergence step and gradient count must be equal. Nothing to check
    /// for a sampler that is not batched (or an external one, whose child runs every chain).
    static func run(_ plugin: SamplerPlugin, on targetPlugin: TargetPlugin, stepSize: Double,
                    parameters: [String: ParameterValue], _ failures: inout FailureList) {
        guard plugin.isBatched, plugin.external == nil else { return }
        let with = parameters.isEmpty ? "" : " with " + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ",")
        let on = "on \(targetPlugin.id)\(with)"
        do {
            let target = try targetPlugin.make(options: [:]).0
            if plugin.incompatibility(with: target) != nil { return }
            let cell = Cell(sampler: plugin.id, target: targetPlugin.id, hyperparameters: parameters,
                            stepSize: plugin.stepSizePolicy.usesStepSize ? stepSize : nil,
                            batchSize: target.defaultBatchSize.resolved(dataSize: target.dataSize), seed: 13, chains: chains,
                            steps: 200, warmup: 20)
            let cellChains = try CellChains(cell, registry: try Registry(samplers: [plugin], targets: [targetPlugin]))
            let batch = cellChains.runBatch(0..<chains)
            let differ = (0..<chains).filter { fingerprint(cellChains.runChain($0)) != fingerprint(batch[$0]) }
            failures.expect(differ.isEmpty, .determinism,
                            "\(on): chains \(differ) of a batch of \(chains) are not, bit for bit, the same chains run alone (a BatchedSampler computes row c exactly as with C = 1: chain c's generator rngs[c], its oracle's row c)")
        } catch {
            failures.fail(.determinism, "\(on): the batch of \(chains) chains could not run: \(error)")
        }
    }

    /// What a chain leaves that a batch could change: its kept positions as bit patterns, its
    /// length, divergence step and gradient count.
    static func fingerprint(_ chain: CellChains.Chain) -> [UInt64] {
        let r = chain.record
        return r.draws.map(\.bitPattern)
            + [r.steps, r.divergenceStep ?? -1, chain.perDatumGradientEvaluations].map { UInt64(bitPattern: Int64($0)) }
    }
}
