extension RunRecord {
    /// A run record of draws made elsewhere, for `bench diagnose` (DIAGNOSTICS.md, "Bring your
    /// own draws"): each chain of `draws` becomes a `ChainRecord` holding all its draws
    /// (`ChainRecord(importing:dimension:histogram:)`), under the cell
    /// `imported | target | … | seed=0` with `chains × draws` steps and no warm-up. Their
    /// gradient count, step count and wall time are unknown: `gradientCount`, `stepCount` and
    /// `knownWallSeconds` are nil, so ESS per gradient and its kin are undefined — unless the
    /// maker declares `gradientEvaluations` (full-gradient equivalents over all chains, warm-up
    /// included), which `gradientCount` then reports, so ESS per gradient is defined.
    ///
    /// - Precondition: `draws.dimension == target.dimension` (the readers check it).
    public init(importing draws: DrawsArray, from path: String, target: any Target, targetOptions: ResolvedParameters,
                gradientEvaluations: Double? = nil) throws {
        precondition(draws.dimension == target.dimension, "imported draws must have the target's dimension")
        let reference = target.reference
        let chains = (0..<draws.chains).map { c in
            ChainRecord(importing: Array(draws.chain(c)), dimension: draws.dimension,
                        histogram: CellRunner.histogram(for: reference))
        }
        let cell = Cell(sampler: "imported", target: target.id, targetOptions: targetOptions.values, stepSize: nil,
                        seed: 0, chains: draws.chains, steps: draws.draws, warmup: 0,
                        maxDrawsPerChain: max(2, draws.draws))
        self.init(cell: cell, hyperparameters: try ResolvedParameters([:], specs: [], owner: "imported draws"),
                  targetOptions: targetOptions, dimension: target.dimension, dataSize: target.dataSize,
                  parameterNames: draws.names ?? target.parameterNames, chains: chains,
                  perDatumGradientEvaluations: 0, potentialEvaluations: 0, wallSeconds: 0, importedFrom: path)
        declaredGradientEvaluations = gradientEvaluations
    }
}
