/// A finished run of one cell: what every diagnostic reads.
public struct RunRecord: Sendable {
    public let cell: Cell
    /// Hyperparameters with defaults filled in.
    public let hyperparameters: ResolvedParameters
    /// Target options with defaults filled in.
    public let targetOptions: ResolvedParameters
    public let dimension: Int
    public let dataSize: Int
    public let parameterNames: [String]
    public let chains: [ChainRecord]
    /// Per-datum gradient evaluations over all chains, warm-up and set-up included.
    public let perDatumGradientEvaluations: Int
    /// Full-data potential evaluations over all chains.
    public let potentialEvaluations: Int
    public let wallSeconds: Double
    /// The sampler's predicted stationary law, when the run is one where its prediction
    /// applies (the 1-D standard normal with full-batch gradients); reports draw it.
    public let stationaryPrediction: StationaryPrediction?
    /// The file the draws were read from when they were made elsewhere (`bench diagnose`);
    /// nil for runs of the workbench. Imported draws have no gradient count, step count or
    /// wall time: `gradientCount`, `stepCount` and `knownWallSeconds` are nil for them.
    public let importedFrom: String?
    /// The deep ensemble the chains started from (`StartPoint.ensemble`); nil otherwise.
    public let ensemble: EnsembleRecord?
    /// For imported draws, the gradient evaluations (full-gradient equivalents, all chains)
    /// their maker declares they cost (`bench diagnose --gradient-evaluations`); nil when
    /// not declared, and for runs of the workbench, which count their own.
    public var declaredGradientEvaluations: Double?

    public init(cell: Cell, hyperparameters: ResolvedParameters, targetOptions: ResolvedParameters,
                dimension: Int, dataSize: Int, parameterNames: [String], chains: [ChainRecord],
                perDatumGradientEvaluations: Int, potentialEvaluations: Int, wallSeconds: Double,
                stationaryPrediction: StationaryPrediction? = nil, importedFrom: String? = nil,
                ensemble: EnsembleRecord? = nil) {
        self.ensemble = ensemble
        self.stationaryPrediction = stationaryPrediction
        self.importedFrom = importedFrom
        self.cell = cell
        self.hyperparameters = hyperparameters
        self.targetOptions = targetOptions
        self.dimension = dimension
        self.dataSize = dataSize
        self.parameterNames = parameterNames
        self.chains = chains
        self.perDatumGradientEvaluations = perDatumGradientEvaluations
        self.potentialEvaluations = potentialEvaluations
        self.wallSeconds = wallSeconds
    }

    /// Gradient evaluations in full-gradient equivalents (per-datum evaluations / N).
    public var gradientEvaluations: Double { Double(perDatumGradientEvaluations) / Double(dataSize) }

    /// Gradient evaluations in full-gradient equivalents; for imported draws the declared
    /// count, nil when none was declared.
    public var gradientCount: Double? { importedFrom == nil ? gradientEvaluations : declaredGradientEvaluations }

    /// Sampler steps over all chains, warm-up included (minibatch steps for stochastic-gradient
    /// samplers), nil when unknown (imported draws).
    public var stepCount: Int? { importedFrom == nil ? chains.reduce(0) { $0 + $1.steps } : nil }

    /// Wall time of the run, nil when unknown (imported draws).
    public var knownWallSeconds: Double? { importedFrom == nil ? wallSeconds : nil }

    /// Whether any chain diverged.
    public var diverged: Bool { chains.contains { $0.divergenceStep != nil } }

    /// Chains that ran to the end without diverging.
    public var healthyChains: [ChainRecord] { chains.filter { $0.divergenceStep == nil } }

    /// Streaming moments pooled over the healthy chains.
    public var pooledMoments: RunningMoments {
        healthyChains.reduce(RunningMoments(dimension: dimension)) { $0.merged(with: $1.moments) }
    }

    /// Histogram of coordinate 0 pooled over the healthy chains, if recorded.
    public var pooledHistogram: StreamingHistogram? {
        let hs = healthyChains.compactMap(\.histogram)
        guard let first = hs.first else { return nil }
        return hs.dropFirst().reduce(first) { $0.merged(with: $1) }
    }

    /// The stored draws of coordinate `i` as chains (chain-major), healthy chains only,
    /// truncated to a common length so the chains form a matrix.
    public func chainsOfCoordinate(_ i: Int, transform: (Double) -> Double = { $0 }) -> [[Double]] {
        let healthy = healthyChains
        let length = healthy.map(\.drawCount).min() ?? 0
        return healthy.map { chain in
            (0..<length).map { transform(chain.draws[$0 * dimension + i]) }
        }
    }

    /// At most `cap` stored draws (rows of length d) pooled over the healthy chains, each chain
    /// truncated to the common length L, taken evenly from the chain-major sequence of all
    /// M·L draws: row k of the result is draw ⌊k·M·L/cap⌋. Deterministic; all draws when
    /// M·L ≤ cap. Row-major (count × d).
    public func evenlyThinnedDraws(cap: Int) -> (values: [Double], count: Int) {
        let healthy = healthyChains
        let length = healthy.map(\.drawCount).min() ?? 0
        let total = healthy.count * length
        let count = min(total, max(cap, 0))
        let d = dimension
        var values = [Double]()
        values.reserveCapacity(count * d)
        for k in 0..<count {
            let index = count == total ? k : Int((Double(k) * Double(total) / Double(count)).rounded(.down))
            let chain = healthy[index / length]
            let draw = index % length
            values.append(contentsOf: chain.draws[(draw * d)..<((draw + 1) * d)])
        }
        return (values, count)
    }
}

/// The deep ensemble a cell's chains started from (`StartPoint.ensemble`): each member on the
/// model scale (as draws are recorded), and what training cost, reported apart from the
/// sampler's budget.
public struct EnsembleRecord: Sendable {
    /// Member c, the start of chain c, on the model scale (length `recordedDimension`).
    public let members: [[Double]]
    /// Per-datum gradient evaluations of training, summed over members.
    public let perDatumGradientEvaluations: Int
    /// Epochs each member trained, and whether early stopping ended it.
    public let epochs: [Int]
    public let stoppedEarly: [Bool]
    /// Wall seconds each member's training took.
    public let seconds: [Double]

    public init(members: [[Double]], perDatumGradientEvaluations: Int, epochs: [Int], stoppedEarly: [Bool], seconds: [Double]) {
        self.members = members
        self.perDatumGradientEvaluations = perDatumGradientEvaluations
        self.epochs = epochs
        self.stoppedEarly = stoppedEarly
        self.seconds = seconds
    }

    /// The record of `chains` (each with its member), members mapped to the model scale by
    /// `transform`.
    init(chains: [CellChains.Chain], transform: ModelScale?) {
        let members = chains.compactMap(\.member)
        self.init(members: members.map { transform?.toModel($0.start) ?? $0.start },
                  perDatumGradientEvaluations: members.reduce(0) { $0 + $1.perDatumGradientEvaluations },
                  epochs: members.map(\.epochs), stoppedEarly: members.map(\.stoppedEarly), seconds: chains.map(\.memberSeconds))
    }
}
