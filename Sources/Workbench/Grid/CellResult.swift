/// The outcome of one cell as stored in `results.jsonl`: what ran, what it cost, whether it
/// diverged, the metrics of every diagnostic, the pooled marginal histogram of coordinate 0
/// (so reports re-render without re-running), and the provenance.
public struct CellResult: Codable, Sendable {
    /// How a cell ended: it ran (`ok`, possibly with diverged chains), it threw an error
    /// (`failed`), or its isolated process died (`crashed`, with the signal in `message`).
    public enum Status: String, Codable, Sendable {
        case ok, failed, crashed
    }

    public let key: String
    public let status: Status
    /// What went wrong, for `failed` and `crashed` cells.
    public let message: String?
    public let sampler: String
    public let target: String
    /// The sampler id with the hyperparameters the cell set explicitly ("sgld" or
    /// "sgld schedule-decay=0.55"): what reports group and label by.
    public let samplerLabel: String
    /// The target id with the options the cell set explicitly ("gaussian-iso noise=isotropic").
    public let targetLabel: String
    public let targetOptions: [String: ParameterValue]
    /// Hyperparameters with defaults filled in.
    public let hyperparameters: [String: ParameterValue]
    public let stepSize: Double?
    /// In JSON a number, or no key for full batch (`BatchSize`).
    public let batchSize: BatchSize
    /// How minibatches were drawn; nil for full batch (and in results written before the
    /// scheme was recorded, when every minibatch run used epochs).
    public var batching: MinibatchScheme? = nil
    /// Where chains started; nil in results written before it was recorded (the target's start).
    public var start: StartPoint? = nil
    public let seed: UInt64
    public let chains: Int
    /// Steps per chain asked for (warm-up included).
    public let steps: Int
    public let warmup: Int
    public let dimension: Int
    /// Full-gradient equivalents over all chains, warm-up included (for imported draws, the
    /// count their maker declared, 0 when none was).
    public let gradientEvaluations: Double
    public let perDatumGradientEvaluations: Int
    /// The deep-ensemble warm start's training cost (`StartPoint.ensemble`), apart from the
    /// sampler's: full-gradient equivalents and per-datum gradients over all members, and the
    /// wall seconds training took, summed over members (nil for other starts).
    public var ensembleGradientEvaluations: Double? = nil
    public var ensemblePerDatumGradientEvaluations: Int? = nil
    public var ensembleSeconds: Double? = nil
    public let wallSeconds: Double
    public let diverged: Bool
    public let divergedChains: Int
    /// The earliest step at which a chain diverged.
    public let firstDivergenceStep: Int?
    public private(set) var metrics: [Metric]
    public var marginal: MarginalHistogram?
    /// Coordinate 1 of each chain over the recorded steps, for trace plots.
    public var trace: Trace?
    public let provenance: Provenance
    /// b² against gradient evaluations per chain at log-spaced checkpoints (`BiasPoint`),
    /// for reports of bias against cost; nil for cells without a run or a healthy chain.
    public var biasTrace: [BiasPoint]? = nil
    /// The tuning-protocol phase of the cell (`CellPhase`); nil in a grid without tuning (and
    /// in results files written before tuning existed).
    public var phase: CellPhase? = nil
    /// True when the wall-time cap stopped a chain before its last step (nil otherwise); such
    /// a result is not reproducible bit for bit. `stepsDone` then holds the steps run, summed
    /// over chains.
    public var truncated: Bool? = nil
    public var stepsDone: Int? = nil
    /// The draws file of a `bench diagnose` result (nil for runs of the workbench, whose
    /// gradient count, steps and wall time are then known).
    public let importedFrom: String?
    /// The identity of the grid the result belongs to (`GridSpec.identityHash()`), stamped by
    /// `GridRunner`; nil outside a grid (`bench run`, `bench diagnose`) and in results written
    /// before it existed. A line whose hash differs from its folder's `grid.json` is an error
    /// (`ResultsFolder`).
    public var specHash: String? = nil
    /// Whether the numbers are a result (`CellHealth`), assessed when the cell finished; nil
    /// in results written before health existed (`assessedHealth` then assesses them).
    public var health: CellHealth? = nil

    /// The stored health, or the health assessed now from the stored metrics.
    public var assessedHealth: CellHealth { health ?? CellHealth.assess(self) }

    private static func label(_ id: String, _ given: [String: ParameterValue]) -> String {
        ([id] + given.keys.sorted().map { "\($0)=\(given[$0]!)" }).joined(separator: " ")
    }

    /// This result without its figure data (marginal histogram, trace, bias trace) and without
    /// the metrics that have no better direction (`bench compare` reads only the others; the
    /// health, assessed from all of them, is kept): what a committed baseline keeps (`bench
    /// baseline`).
    public var metricsOnly: CellResult {
        var slim = self
        slim.health = assessedHealth
        slim.metrics = metrics.filter { $0.direction != .neutral }
        slim.marginal = nil
        slim.trace = nil
        slim.biasTrace = nil
        return slim
    }

    /// The metric `name` (of any diagnostic), if present and defined.
    public func metric(_ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// The value of the declared metric `name`, nil when absent or undefined.
    public func metric(_ name: MetricName) -> Double? { metric(name.rawValue) }

    /// Evaluates `diagnostics` on `run` against `reference` alone and assembles the result.
    /// Diagnostics that need the target itself (`ksd`, `mmd`, `predictive`) report undefined
    /// values here; use `init(run:target:diagnostics:provenance:)`.
    public init(run: RunRecord, reference: Reference, diagnostics: [any Diagnostic], provenance: Provenance) {
        self.init(run: run, reference: reference,
                  metrics: diagnostics.flatMap { $0.evaluate(run, reference: reference) }, provenance: provenance)
    }

    /// Evaluates `diagnostics` on `run` against `target` (its reference, score, exact sampler
    /// and predictions) and assembles the result.
    public init(run: RunRecord, target: any Target, diagnostics: [any Diagnostic], provenance: Provenance) {
        let reference = target.reference
        self.init(run: run, reference: reference,
                  metrics: diagnostics.flatMap { $0.evaluate(run, target: target) }, provenance: provenance)
    }

    private init(run: RunRecord, reference: Reference, metrics: [Metric], provenance: Provenance) {
        let cell = run.cell
        key = cell.key
        status = .ok
        message = nil
        sampler = cell.sampler
        target = cell.target
        samplerLabel = Self.label(cell.sampler, cell.hyperparameters)
        targetLabel = Self.label(cell.target, cell.targetOptions)
        targetOptions = run.targetOptions.values
        hyperparameters = run.hyperparameters.values
        stepSize = cell.stepSize
        batchSize = cell.batchSize
        batching = cell.batchSize.isFull ? nil : cell.batching
        start = cell.start
        seed = cell.seed
        chains = cell.chains
        steps = cell.steps
        warmup = cell.warmup
        dimension = run.dimension
        gradientEvaluations = run.gradientCount ?? run.gradientEvaluations
        perDatumGradientEvaluations = run.perDatumGradientEvaluations
        if let ensemble = run.ensemble {
            ensemblePerDatumGradientEvaluations = ensemble.perDatumGradientEvaluations
            ensembleGradientEvaluations = Double(ensemble.perDatumGradientEvaluations) / Double(run.dataSize)
            ensembleSeconds = ensemble.seconds.reduce(0, +)
        }
        wallSeconds = run.wallSeconds
        diverged = run.diverged
        divergedChains = run.chains.count - run.healthyChains.count
        firstDivergenceStep = run.chains.compactMap(\.divergenceStep).min()
        self.metrics = metrics
        marginal = MarginalHistogram(run: run, reference: reference)
        trace = Trace(run: run)
        self.provenance = provenance
        biasTrace = run.biasTrace(reference: reference)
        importedFrom = run.importedFrom
        phase = cell.phase
        if run.chains.contains(where: \.truncated) {
            truncated = true
            stepsDone = run.chains.reduce(0) { $0 + $1.steps }
        }
        health = CellHealth.assess(self)
    }
}

extension CellResult {
    /// The record of a cell that did not produce a run: it failed with an error or its
    /// isolated process crashed. It is stored like any result, so the grid records it, resume
    /// does not rerun it, and the report lists it; it has no metrics.
    public init(cell: Cell, status: Status, message: String, wallSeconds: Double, provenance: Provenance) {
        precondition(status != .ok, "a cell that ran has a RunRecord")
        key = cell.key
        self.status = status
        self.message = message
        sampler = cell.sampler
        target = cell.target
        samplerLabel = Self.label(cell.sampler, cell.hyperparameters)
        targetLabel = Self.label(cell.target, cell.targetOptions)
        targetOptions = cell.targetOptions
        hyperparameters = cell.hyperparameters
        stepSize = cell.stepSize
        batchSize = cell.batchSize
        batching = cell.batchSize.isFull ? nil : cell.batching
        start = cell.start
        seed = cell.seed
        chains = cell.chains
        steps = cell.steps
        warmup = cell.warmup
        dimension = 0
        gradientEvaluations = 0
        perDatumGradientEvaluations = 0
        self.wallSeconds = wallSeconds
        diverged = false
        divergedChains = 0
        firstDivergenceStep = nil
        metrics = []
        marginal = nil
        trace = nil
        self.provenance = provenance
        importedFrom = nil
        phase = cell.phase
        health = CellHealth.assess(self)
    }
}

/// Coordinate 1 of every chain that did not diverge, at up to `maxPoints` evenly spaced
/// stored draws: enough to see mixing and stuck chains, small enough to keep in every result.
public struct Trace: Codable, Sendable {
    public static let maxPoints = 200
    public let coordinate: String
    /// Steps after warm-up between consecutive points (the chains' thinning × the stride).
    public let stepsPerPoint: Int
    public let chains: [[Double]]

    init?(run: RunRecord) {
        let healthy = run.healthyChains
        guard let longest = healthy.map(\.drawCount).max(), longest > 0 else { return nil }
        let stride = max(1, (longest + Self.maxPoints - 1) / Self.maxPoints)
        coordinate = run.parameterNames[0]
        stepsPerPoint = stride * healthy[0].thin
        chains = healthy.map { chain in
            Swift.stride(from: 0, to: chain.drawCount, by: stride).map { chain.draws[$0 * run.dimension] }
        }
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
