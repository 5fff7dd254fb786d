import Foundation

/// The chains of one cell, ready to run: the unit of work of every runner.
///
/// Built once per cell (the one place a cell's sampler is made from its plugin), it holds the
/// target, the sampler and the reference; `runChain(_:)` runs chain c of the cell, and
/// `runChains(threads:)` runs them all, in order. `CellRunner` (grids, `bench run`, the
/// conformance kit) and `ReferenceBuilder` (`bench reference`) both run their chains here.
///
/// Seeding: chain c draws from its own two generators, fixed by (cell seed, cell key, c):
/// - `Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: c)`: the start point (when
///   `cell.start` is `.target`) and the sampler's randomness;
/// - `Xoshiro256StarStar(seed: cell.seed, stream: cell.key + "#batches", index: c)`: its
///   oracle's minibatches (`cell.batching`).
///
/// So chain c's numbers depend on nothing else: not on the other chains, on the thread that
/// runs it, on how many chains or cells run at once, nor on which runner asks. The chains
/// share the target and the sampler value (both `Sendable`; a sampler's mutable state lives
/// in its `State`, one per chain), and each has its own state, oracle and record, so they may
/// run concurrently.
public struct CellChains: Sendable {
    public let cell: Cell
    public let target: any Target
    /// The target's options with defaults filled in.
    public let targetOptions: ResolvedParameters
    public let reference: Reference
    public let plugin: SamplerPlugin
    /// The sampler every chain runs (each chain prepares its own copy for its length).
    public let sampler: any Sampler
    /// The sampler's hyperparameters with defaults filled in.
    public let hyperparameters: ResolvedParameters

    /// Checks `cell` and builds its sampler and target (or takes `prepared`, a target already
    /// built for the cell's id and options). Throws, before any chain runs, when the cell's
    /// settings or hyperparameters are invalid, the sampler cannot run on the target, or the
    /// stored draws would not fit in memory (`DrawMemory.check`).
    public init(_ cell: Cell, registry: Registry, prepared: (any Target, ResolvedParameters)? = nil) throws {
        try cell.validate()
        let plugin = try registry.sampler(cell.sampler)
        let (sampler, hyperparameters) = try plugin.make(stepSize: cell.stepSize, parameters: cell.hyperparameters)
        let (target, options) = try prepared ?? registry.target(cell.target).make(options: cell.targetOptions)
        if let reason = plugin.incompatibility(with: target) { throw WorkbenchError.unsupported(reason) }
        try DrawMemory.check(cell, dimension: target.recordedDimension)
        self.cell = cell
        self.target = target
        self.targetOptions = options
        self.reference = target.reference
        self.plugin = plugin
        self.sampler = sampler
        self.hyperparameters = hyperparameters
    }

    /// What one chain left: its record and the gradients and potentials it spent (set-up and
    /// warm-up included).
    public struct Chain: Sendable {
        public let record: ChainRecord
        public let perDatumGradientEvaluations: Int
        public let potentialEvaluations: Int
    }

    /// Runs chain `index` (0 ..< `cell.chains`) of the cell, from its own generators (see the
    /// type's documentation), in the calling thread. With a `deadline`, the chain stops at the
    /// first check after it (every 256 steps) and is marked `truncated`.
    public func runChain(_ index: Int, deadline: ContinuousClock.Instant? = nil) -> Chain {
        precondition((0..<cell.chains).contains(index), "chain \(index) of a cell of \(cell.chains) chains")
        var rng = chainGenerator(index)
        var oracle = makeOracle(index)
        var loop = makeLoop(deadline: deadline)
        let start = startPoint(rng: &rng)
        plugin.runChain(sampler, from: start, warmup: cell.warmup, loop: &loop, oracle: &oracle, rng: &rng)
        return finish(loop, oracle: oracle)
    }

    /// Whether `runChains` runs this cell's chains in batches: the sampler is batched
    /// (`BatchedSampler`) and there is more than one chain.
    public var runsInBatches: Bool {
        plugin.isBatched && cell.chains > 1
    }

    /// Runs chains `indices` of the cell together as one batch (`BatchedSampler`), in the
    /// calling thread; requires a batched sampler. Each
    /// chain's numbers are those of `runChain(c)`, whatever else is in the batch. With a
    /// `deadline`, the chains still running stop at the first check after it.
    public func runBatch(_ indices: Range<Int>, deadline: ContinuousClock.Instant? = nil) -> [Chain] {
        precondition(!indices.isEmpty && indices.clamped(to: 0..<cell.chains) == indices,
                     "chains \(indices) of a cell of \(cell.chains) chains")
        var rngs = indices.map(chainGenerator)
        var loops = indices.map { _ in makeLoop(deadline: deadline) }
        let starts = rngs.indices.map { startPoint(rng: &rngs[$0]) }
        var oracle = BatchGradientOracle(target: target, chains: indices.map(makeOracle))
        plugin.runBatch(sampler, from: starts, warmup: cell.warmup, loops: &loops, oracle: &oracle, rngs: &rngs)
        return zip(loops, oracle.chains).map { finish($0, oracle: $1) }
    }

    /// Runs every chain of the cell on up to `threads` threads (≥ 1; at most one per chain),
    /// and returns them in chain order. The numbers are those of `runChain(c)` for each c,
    /// whatever `threads` is. Each thread's chains get an equal share of its cores for their
    /// own parallel loops (``ComputeThreads``), so at most `threads` cores are kept busy.
    ///
    /// When the cell `runsInBatches`, each thread runs its share of the chains (consecutive
    /// indices, as equal as can be) as one batch; otherwise it runs chains one after another.
    ///
    /// Wall-time cap (`Cell.wallTimeCap`): each chain gets the cap divided by the chains one
    /// thread runs in turn, ⌈chains / threads used⌉ (1 in batches), from when it starts; so the
    /// cell ends within about the cap (the cap over `cell.chains` when they run one after
    /// another).
    public func runChains(threads: Int) -> [Chain] {
        let workers = Self.workers(chains: cell.chains, threads: threads)
        let batched = runsInBatches
        let inTurn = batched ? 1 : (cell.chains + workers - 1) / workers
        let share = cell.wallTimeCap.map { Duration.milliseconds(Int64(($0 / Double(inTurn) * 1000).rounded(.up))) }
        let deadline: @Sendable () -> ContinuousClock.Instant? = { share.map { ContinuousClock.now + $0 } }
        if batched {
            let groups = (0..<workers).map { w in (w * cell.chains / workers)..<((w + 1) * cell.chains / workers) }
            guard workers > 1 else { return runBatch(groups[0], deadline: deadline()) }
            let slots = ChainSlots(count: cell.chains)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                ComputeThreads.withLimit(max(1, threads / workers)) {
                    for (c, chain) in zip(groups[w], runBatch(groups[w], deadline: deadline())) { slots.store(chain, at: c) }
                }
            }
            return slots.chains
        }
        let run: @Sendable (Int) -> Chain = { c in runChain(c, deadline: deadline()) }
        guard workers > 1 else { return (0..<cell.chains).map(run) }
        let slots = ChainSlots(count: cell.chains)
        let inner = max(1, threads / workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            ComputeThreads.withLimit(inner) {
                while let c = slots.claim() { slots.store(run(c), at: c) }
            }
        }
        return slots.chains
    }

    /// Threads `runChains(threads:)` uses: `threads`, at least 1, at most one per chain.
    public static func workers(chains: Int, threads: Int) -> Int { max(1, min(chains, threads)) }

    /// The run record of the cell from its `chains` (in chain order) and its wall time.
    public func record(_ chains: [Chain], wallSeconds: Double) -> RunRecord {
        let prediction = CellRunner.isStandardNormalWithExactGradients(target, reference: reference, batchSize: cell.batchSize)
            ? plugin.standardNormalPrediction(stepSize: cell.stepSize, parameters: hyperparameters) : nil
        return RunRecord(
            cell: cell, hyperparameters: hyperparameters, targetOptions: targetOptions,
            dimension: target.recordedDimension, dataSize: target.dataSize, parameterNames: target.recordedParameterNames,
            chains: chains.map(\.record),
            perDatumGradientEvaluations: chains.reduce(0) { $0 + $1.perDatumGradientEvaluations },
            potentialEvaluations: chains.reduce(0) { $0 + $1.potentialEvaluations },
            wallSeconds: wallSeconds, stationaryPrediction: prediction)
    }

    /// Chain `index`'s generator: its start point and the sampler's randomness.
    private func chainGenerator(_ index: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: cell.seed, stream: cell.key, index: index)
    }

    /// Chain `index`'s oracle, with its own minibatch generator.
    private func makeOracle(_ index: Int) -> GradientOracle {
        GradientOracle(target: target, batchSize: cell.batchSize, scheme: cell.batching,
                       rng: Xoshiro256StarStar(seed: cell.seed, stream: cell.key + "#batches", index: index))
    }

    /// The start point of a chain (`cell.start`), drawn from its generator when the target's.
    private func startPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        cell.start == .zero ? [Double](repeating: 0, count: target.dimension) : target.initialPoint(rng: &rng)
    }

    /// The loop of one chain: its steps, divergence bounds, transform, deadline and empty record.
    private func makeLoop(deadline: ContinuousClock.Instant?) -> ChainLoop {
        ChainLoop(
            steps: cell.steps, warmup: cell.warmup,
            bounds: DivergenceBounds(reference: reference, priorScales: target.priorScales, dimension: target.recordedDimension),
            transform: target.modelTransform, deadline: deadline,
            record: ChainRecord(dimension: target.recordedDimension, thin: cell.thin, maxDraws: cell.maxDrawsPerChain,
                                histogram: CellRunner.histogram(for: reference), recordedSteps: cell.steps - cell.warmup))
    }

    /// What a chain left after its loop: the record, completed with its length, divergence,
    /// truncation and final checkpoint, and what its oracle counted.
    private func finish(_ loop: ChainLoop, oracle: GradientOracle) -> Chain {
        var record = loop.record
        record.steps = loop.stepsRun
        record.divergenceStep = loop.divergenceStep
        record.truncated = loop.truncated
        record.checkpoint(perDatumGradients: oracle.perDatumGradientEvaluations, force: true)
        return Chain(record: record, perDatumGradientEvaluations: oracle.perDatumGradientEvaluations,
                     potentialEvaluations: oracle.potentialEvaluations)
    }
}

/// The chains of one `runChains` call: the next chain to claim and each finished one, by index.
private final class ChainSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [CellChains.Chain?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ chain: CellChains.Chain, at index: Int) { lock.withLock { slots[index] = chain } }

    /// Every chain, in index order (call after all are stored).
    var chains: [CellChains.Chain] { lock.withLock { slots.map { $0! } } }
}
