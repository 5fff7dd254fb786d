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
///   oracle's minibatches (`cell.batching`);
/// - with `cell.start` `.ensemble`, `EnsembleTrainer.generator(seed:target:options:index: c)`:
///   the deep-ensemble member it starts from, trained in the chain's thread before its steps
///   (independent of the sampler, so every sampler on the target and seed gets the same one).
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
    /// The target as an ensemble trainer, when chains start from a deep ensemble.
    let trainable: (any EnsembleTrainable)?

    /// Checks `cell` and builds its sampler and target (or takes `prepared`, a target already
    /// built for the cell's id and options). Throws, before any chain runs, when the cell's
    /// settings or hyperparameters are invalid, the sampler cannot run on the target, or the
    /// stored draws would not fit in memory (`DrawMemory.check`).
    public init(_ cell: Cell, registry: Registry, prepared: (any Target, ResolvedParameters)? = nil) throws {
        try cell.validate()
        let plugin = try registry.sampler(cell.sampler)
        let (sampler, hyperparameters) = try plugin.make(stepSize: cell.stepSize, parameters: cell.hyperparameters)
        let (target, options) = try prepared ?? registry.target(cell.target).make(options: cell.targetOptions)
        if let reason = plugin.incompatibility(with: target, batchSize: cell.batchSize.resolved(dataSize: target.dataSize)) {
            throw WorkbenchError.unsupported(reason)
        }
        trainable = cell.start == .ensemble ? try EnsembleTrainer.check(target) : nil
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
        /// The deep-ensemble member the chain started from (`StartPoint.ensemble`), with its
        /// training cost and time: not part of the sampler's gradients.
        public var member: EnsembleTrainer.Member? = nil
        public var memberSeconds: Double = 0
        /// Why the chain's external sampler could not finish (`ExternalSamplerFault`): the
        /// cell fails with it (`CellRunner.run` throws it).
        public var fault: ExternalSamplerFault? = nil
    }

    /// Runs chain `index` (0 ..< `cell.chains`) of the cell, from its own generators (see the
    /// type's documentation), in the calling thread. With a `deadline`, the chain stops at the
    /// first check after it (every 256 steps) and is marked `truncated`.
    public func runChain(_ index: Int, deadline: ContinuousClock.Instant? = nil) -> Chain {
        precondition((0..<cell.chains).contains(index), "chain \(index) of a cell of \(cell.chains) chains")
        var rng = chainGenerator(index)
        var oracle = makeOracle(index)
        var loop = makeLoop(deadline: deadline)
        let (start, member, seconds) = startPoint(index, rng: &rng)
        plugin.runChain(sampler, from: start, warmup: cell.warmup, loop: &loop, oracle: &oracle, rng: &rng)
        var chain = finish(loop, oracle: oracle)
        chain.fault = loop.fault
        chain.member = member
        chain.memberSeconds = seconds
        return chain
    }

    /// Whether `runChains` runs this cell's chains in batches: the sampler is batched
    /// (`BatchedSampler`), there is more than one chain, and the dimension is small enough for
    /// two chains in a batch (`chainsPerBatch(dimension:)`).
    public var runsInBatches: Bool {
        plugin.runsCellAsOneBatch
            || plugin.isBatched && cell.chains > 1 && Self.chainsPerBatch(dimension: target.dimension) > 1
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
        let starts = zip(indices, rngs.indices).map { startPoint($0, rng: &rngs[$1]) }
        var oracle = BatchGradientOracle(target: target, chains: indices.map(makeOracle))
        plugin.runBatch(sampler, from: starts.map(\.0), warmup: cell.warmup, loops: &loops, oracle: &oracle, rngs: &rngs)
        return zip(zip(loops, oracle.chains), starts).map { pair, start in
            var chain = finish(pair.0, oracle: pair.1)
            chain.fault = pair.0.fault
            chain.member = start.1
            chain.memberSeconds = start.2
            return chain
        }
    }

    /// Runs every chain of the cell on up to `threads` threads (≥ 1; at most one per chain),
    /// and returns them in chain order. The numbers are those of `runChain(c)` for each c,
    /// whatever `threads` is. Each thread's chains get an equal share of its cores for their
    /// own parallel loops (``ComputeThreads``), so at most `threads` cores are kept busy.
    ///
    /// The work comes in units the threads claim in turn (`units(threads:)`): single chains,
    /// or, when the cell `runsInBatches`, batches of consecutive chains that run in lock step.
    ///
    /// Wall-time cap (`Cell.wallTimeCap`): each unit gets the cap divided by the units one
    /// thread runs in turn, ⌈units / threads used⌉, from when it starts; so the cell ends
    /// within about the cap.
    public func runChains(threads: Int) -> [Chain] {
        let workers = Self.workers(chains: cell.chains, threads: threads)
        let units = units(threads: threads)
        let inTurn = (units.count + workers - 1) / workers
        let share = cell.wallTimeCap.map { Duration.milliseconds(Int64(($0 / Double(inTurn) * 1000).rounded(.up))) }
        let run: @Sendable (Range<Int>) -> [Chain] = { unit in
            let deadline = share.map { ContinuousClock.now + $0 }
            return unit.count == 1 ? [runChain(unit.lowerBound, deadline: deadline)] : runBatch(unit, deadline: deadline)
        }
        guard workers > 1 else { return units.flatMap(run) }
        let slots = ChainSlots(count: cell.chains, units: units)
        let inner = max(1, threads / workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            ComputeThreads.withLimit(inner) {
                while let unit = slots.claim() { slots.store(run(unit), at: unit) }
            }
        }
        return slots.chains
    }

    /// The units of work of `runChains(threads:)`, consecutive ranges of chain indices in order:
    /// one chain each, or when the cell `runsInBatches`, batches of at most
    /// `chainsPerBatch(dimension:)` chains, and at least one unit per thread used, as equal
    /// in size as can be.
    /// An external sampler's cell is one unit, all its chains (one child process, one request
    /// per step for every chain).
    public func units(threads: Int) -> [Range<Int>] {
        if plugin.runsCellAsOneBatch { return [0..<cell.chains] }
        let chains = cell.chains, perBatch = Self.chainsPerBatch(dimension: target.dimension)
        let batches = max(Self.workers(chains: chains, threads: threads), (chains + perBatch - 1) / perBatch)
        let count = runsInBatches ? min(chains, batches) : chains
        return (0..<count).map { u in (u * chains / count)..<((u + 1) * chains / count) }
    }

    /// The most chains of dimension d one batch holds: C · d ≤ 1 024 values per state array,
    /// so a batch's positions, gradients and deviates (24 KB) stay in the level-1 cache with the
    /// chains' records. Larger batches stream their state through level 2 at every pass and are
    /// slower than their chains one by one (BENCHMARKS.md, measurements behind the code); at
    /// d > 512 a batch has one chain, and the chains run one by one.
    public static func chainsPerBatch(dimension: Int) -> Int { max(1, 1024 / max(1, dimension)) }

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
            wallSeconds: wallSeconds, stationaryPrediction: prediction,
            ensemble: trainable == nil ? nil : EnsembleRecord(chains: chains, transform: target.modelTransform))
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

    /// The start point of chain `index` (`cell.start`): drawn from its generator when the
    /// target's; with `.ensemble`, its trained member (and the seconds training took).
    private func startPoint(_ index: Int, rng: inout Xoshiro256StarStar) -> ([Double], EnsembleTrainer.Member?, Double) {
        switch cell.start {
        case .zero: return ([Double](repeating: 0, count: target.dimension), nil, 0)
        case .target: return (target.initialPoint(rng: &rng), nil, 0)
        case .ensemble:
            let clock = ContinuousClock.now
            var generator = EnsembleTrainer.generator(seed: cell.seed, target: cell.target, options: targetOptions.values, index: index)
            let member = EnsembleTrainer().train(trainable!, rng: &generator)
            let elapsed = clock.duration(to: .now)
            return (member.start, member, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
    }

    /// The loop of one chain: its steps, divergence bounds, transform, deadline and empty record.
    private func makeLoop(deadline: ContinuousClock.Instant?) -> ChainLoop {
        var loop = ChainLoop(
            steps: cell.steps, warmup: cell.warmup,
            bounds: DivergenceBounds(reference: reference, priorScales: target.priorScales, dimension: target.recordedDimension),
            transform: target.modelTransform, deadline: deadline,
            record: ChainRecord(dimension: target.recordedDimension, thin: cell.thin, maxDraws: cell.maxDrawsPerChain,
                                histogram: CellRunner.histogram(for: reference), recordedSteps: cell.steps - cell.warmup))
        if plugin.runsCellAsOneBatch { loop.logName = cell.fileStem }
        return loop
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

/// The chains of one `runChains` call: the next unit to claim and each finished chain, by index.
private final class ChainSlots: @unchecked Sendable {
    private let lock = NSLock()
    private let units: [Range<Int>]
    private var next = 0
    private var slots: [CellChains.Chain?]

    init(count: Int, units: [Range<Int>]) {
        slots = Array(repeating: nil, count: count)
        self.units = units
    }

    func claim() -> Range<Int>? {
        lock.withLock {
            guard next < units.count else { return nil }
            defer { next += 1 }
            return units[next]
        }
    }

    /// Stores the chains of `unit`, in its order.
    func store(_ chains: [CellChains.Chain], at unit: Range<Int>) {
        lock.withLock { for (c, chain) in zip(unit, chains) { slots[c] = chain } }
    }

    /// Every chain, in index order (call after all are stored).
    var chains: [CellChains.Chain] { lock.withLock { slots.map { $0! } } }
}
