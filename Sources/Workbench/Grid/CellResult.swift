/// The outcome of one cell as stored in `results.jsonl`: what ran, what it cost, whether it
/// diverged, the metrics of every diagnostic, the pooled marginal histogram of coordinate 0
/// (so reports re-render without re-running), and the provenance.
public struct CellResult: Codable, Sendable {
    public let key: String
    public let sampler: String
    public let target: String
    public let targetOptions: [String: ParameterValue]
    /// Hyperparameters with defaults filled in.
    public let hyperparameters: [String: ParameterValue]
    public let stepSize: Double?
    public let batchSize: Int?
    public let seed: UInt64
    public let chains: Int
    /// Steps per chain asked for (warm-up included).
    public let steps: Int
    public let warmup: Int
    public let dimension: Int
    /// Full-gradient equivalents over all chains, warm-up included.
    public let gradientEvaluations: Double
    public let perDatumGradientEvaluations: Int
    public let wallSeconds: Double
    public let diverged: Bool
    public let divergedChains: Int
    /// The earliest step at which a chain diverged.
    public let firstDivergenceStep: Int?
    public let metrics: [Metric]
    public let marginal: MarginalHistogram?
    public let provenance: Provenance

    /// The metric `name` (of any diagnostic), if present and defined.
    public func metric(_ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// Evaluates `diagnostics` on `run` and assembles the result.
    public init(run: RunRecord, reference: Reference, diagnostics: [any Diagnostic], provenance: Provenance) {
        let cell = run.cell
        key = cell.key
        sampler = cell.sampler
        target = cell.target
        targetOptions = run.targetOptions.values
        hyperparameters = run.hyperparameters.values
        stepSize = cell.stepSize
        batchSize = cell.batchSize
        seed = cell.seed
        chains = cell.chains
        steps = cell.steps
        warmup = cell.warmup
        dimension = run.dimension
        gradientEvaluations = run.gradientEvaluations
        perDatumGradientEvaluations = run.perDatumGradientEvaluations
        wallSeconds = run.wallSeconds
        diverged = run.diverged
        divergedChains = run.chains.count - run.healthyChains.count
        firstDivergenceStep = run.chains.compactMap(\.divergenceStep).min()
        metrics = diagnostics.flatMap { $0.evaluate(run, reference: reference) }
        marginal = MarginalHistogram(run: run, reference: reference)
        self.provenance = provenance
    }
}

/// The pooled histogram of coordinate 0 with the reference density at the bin centres, and,
/// when the sampler predicts its stationary law for the run (1-D standard normal, full batch;
/// `SamplerPlugin.standardNormalPrediction`), the predicted density normalised numerically.
public struct MarginalHistogram: Codable, Sendable {
    public let coordinate: String
    public let edges: [Double]
    public let density: [Double]
    public let referenceDensity: [Double]
    /// Fraction of draws outside the binned range.
    public let outsideFraction: Double
    /// The sampler's predicted stationary density at the bin centres (nil: no prediction, or a
    /// law without a density — see `predictedFormula`).
    public let predictedDensity: [Double]?
    /// The predicted law in words and symbols (e.g. "∝ (λ + |θ|) e^(−θ²/2)").
    public let predictedFormula: String?
    /// The variance of the predicted law (numerical quadrature).
    public let predictedVariance: Double?

    init?(run: RunRecord, reference: Reference) {
        guard let h = run.pooledHistogram, h.total > 0, let marginal = reference.marginals?.first else { return nil }
        coordinate = run.parameterNames[0]
        edges = h.edges
        density = h.density
        referenceDensity = (0..<h.counts.count).map { marginal.density(h.lower + (Double($0) + 0.5) * h.binWidth) }
        outsideFraction = Double(h.underflow + h.overflow) / Double(h.total)
        let prediction = run.stationaryPrediction
        let normalized = prediction?.normalized()
        predictedFormula = prediction?.formula
        predictedVariance = normalized?.variance
        predictedDensity = normalized.map { p in
            (0..<h.counts.count).map { p.density(h.lower + (Double($0) + 0.5) * h.binWidth) }
        }
    }
}
