import Foundation

/// A grid with tuning (`GridSpec.tuning`) laid out as (sampler, target, noise, batch size)
/// pairs, in the grid's nesting order (target × noise × sampler × batch size). Each pair has
/// its planned sweep cells (phase 1), adds extension cells beyond an end of the sweep while the
/// rule's choice lands there (`SweepWalk`), and makes its final cells (phase 2) once the rule
/// has chosen a step size from the sweep's results. The runner and `bench merge` go through
/// `walk(results:tuning:)` and `decide(_:results:seeds:)`, so the extensions and the choice
/// are a pure function of the stored sweep results: `--resume`, `--jobs` and shards cannot
/// change them.
public struct TuningPlan: Sendable {
    public let tuning: TuningSpec
    public let pairs: [Pair]
    /// Pairs left out because the sampler cannot run on the target, with the reason.
    public let skipped: [String]

    /// One (sampler, target, noise, batch size) pair of the protocol.
    public struct Pair: Sendable {
        /// Its cells' key without step size and seed (see `TuningPlan.pairID(ofKey:)`).
        public let id: String
        public let sampler: String
        public let target: String
        public let lengthScale: Double
        /// What the protocol does with the pair.
        public let mode: Mode
        /// The planned sweep cells (empty unless `mode` is `.sweep`); extensions come from
        /// `walk(results:tuning:)`.
        public internal(set) var sweepCells: [Cell]
        public let built: (any Target, ResolvedParameters)
        let template: Cell
        let warmup: Int?
        /// Steps of a sweep cell (nil unless swept).
        var sweepSteps: Int?
        let finalSteps: @Sendable () throws -> Int

        public enum Mode: Sendable, Equatable {
            /// Swept over these step sizes; the final step size is the rule's choice.
            case sweep([Double])
            /// Not swept: final cells at this step size (nil: the sampler uses none), for the
            /// reason given.
            case fixed(Double?, reason: String)
        }

        /// The final cells at step size `h` on the grid's seeds.
        public func finalCells(stepSize h: Double?, seeds: [UInt64]) throws -> [Cell] {
            let steps = try finalSteps()
            return try seeds.map { try cell(stepSize: h, seed: $0, steps: steps, phase: .final) }
        }

        /// The sweep cell at step size `h` (on the tuning seed, at the sweep's steps), planned or
        /// an extension.
        func sweepCell(stepSize h: Double) throws -> Cell {
            try cell(stepSize: h, seed: template.seed, steps: sweepSteps ?? template.steps, phase: .tune)
        }

        /// The pair's cell with these settings (warm-up: the grid's, or a tenth of `steps`), validated.
        private func cell(stepSize h: Double?, seed: UInt64, steps: Int, phase: CellPhase) throws -> Cell {
            var cell = template
            cell.stepSize = h
            cell.seed = seed
            cell.steps = steps
            cell.warmup = warmup ?? steps / 10
            cell.phase = phase
            try cell.validate()
            return cell
        }

        /// The sweep as far as `results` take it, extensions included (`SweepWalk`); nil when
        /// the pair is not swept.
        public func walk(results: [String: CellResult], tuning: TuningSpec) throws -> SweepWalk? {
            guard case .sweep = mode else { return nil }
            return try SweepWalk.walk(planned: sweepCells, results: results, tuning: tuning, cellAt: sweepCell(stepSize:))
        }

        /// The pair's decision from the results of its sweep cells, extensions included
        /// (`results` by key; the walk should be complete — an extension without a result is
        /// named in `boundary`). Pairs not swept decide at once.
        public func decide(results: [String: CellResult], tuning: TuningSpec, seeds: [UInt64]) throws -> TuningDecision {
            switch mode {
            case .fixed(let h, let reason):
                return TuningDecision(pair: id, sampler: sampler, target: target, lengthScale: lengthScale, points: [],
                                      stepSize: h, reason: reason,
                                      finalCells: try finalCells(stepSize: h, seeds: seeds).map(\.key), skippedCells: [])
            case .sweep:
                let walk = try self.walk(results: results, tuning: tuning)!
                let points = walk.points
                var (h, reason) = walk.choice
                let added = points.filter(\.isExtension)
                if !added.isEmpty {
                    let above = added.filter { $0.stepSize > sweepCells.last?.stepSize ?? .infinity }.count
                    let parts = [(above, "above"), (added.count - above, "below")].filter { $0.0 > 0 }
                    reason += "; sweep extended by " + parts.map { "\($0.0) point\($0.0 == 1 ? "" : "s") \($0.1)" }
                        .joined(separator: " and ")
                }
                let boundary = walk.boundary ?? walk.pending.map {
                    "the sweep is incomplete: its extension at h = \(formatNumber($0.stepSize ?? 0)) has no result"
                }
                // Without a choice, the final cells that are not run are listed with "h=-".
                let keys = try finalCells(stepSize: h ?? points[0].stepSize, seeds: seeds).map { cell in
                    var cell = cell
                    cell.stepSize = h
                    return cell.key
                }
                return TuningDecision(pair: id, sampler: sampler, target: target, lengthScale: lengthScale, points: points,
                                      stepSize: h, reason: reason, finalCells: h == nil ? [] : keys,
                                      skippedCells: h == nil ? keys : [], boundary: boundary)
            }
        }
    }

    /// The pair id of a cell key: the key without its step size ("h=…"), seed ("seed=…") and
    /// phase ("tune") parts.
    public static func pairID(ofKey key: String) -> String {
        var parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "tune" { parts.removeLast() }
        if let last = parts.last, last.hasPrefix("seed=") { parts.removeLast() }
        if let h = parts.indices.dropFirst(2).first(where: { parts[$0].hasPrefix("h=") }) { parts.remove(at: h) }
        return parts.joined(separator: "|")
    }

    /// The pairs whose position in the plan is ≡ K − 1 (mod N): a shard runs both phases of
    /// its pairs.
    public func pairs(in shard: Shard?) -> [Pair] {
        guard let shard else { return pairs }
        return pairs.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element)
    }

    /// Every pair's decision from `results` (which must hold the pairs' sweep cells).
    public func decide(_ pairs: [Pair], results: [String: CellResult], seeds: [UInt64]) throws -> [TuningDecision] {
        try pairs.map { try $0.decide(results: results, tuning: tuning, seeds: seeds) }
    }

    /// The sweep cells of `pairs` to run next, with their targets, in pair order: a pair's
    /// planned sweep cells that have no result in `results`, or, once they all have one, the
    /// next extension cell its walk asks for (`SweepWalk.pending`). Empty when every sweep is
    /// complete, so a run (or a resumed one) repeats this until it is.
    public func nextSweepCells(_ pairs: [Pair], results: [String: CellResult]) throws
        -> [(cell: Cell, target: (any Target, ResolvedParameters))]
    {
        try pairs.flatMap { pair -> [(cell: Cell, target: (any Target, ResolvedParameters))] in
            let missing = pair.sweepCells.filter { results[$0.key] == nil }
            let next = missing.isEmpty ? try pair.walk(results: results, tuning: tuning)?.pending.map { [$0] } ?? [] : missing
            return next.map { ($0, pair.built) }
        }
    }
}

/// What the protocol decided for one pair (a record of `tuning.json`): the sweep with each
/// point's b², ESS per gradient and divergences, the chosen step size and why, and the final
/// cells it runs — or, when no sweep point was stable, the final cells it skips.
public struct TuningDecision: Codable, Sendable, Equatable {
    public let pair: String
    public let sampler: String
    public let target: String
    public let lengthScale: Double
    /// The sweep, ascending in step size; empty when the pair is not swept.
    public let points: [TuningPoint]
    /// The step size of the final cells; nil when none was chosen (see `reason`) or the
    /// sampler uses none.
    public let stepSize: Double?
    public let reason: String
    /// Keys of the final cells run.
    public let finalCells: [String]
    /// Keys of the final cells not run because no step size was chosen.
    public let skippedCells: [String]
    /// Why the chosen step size is still at an end of the evaluated sweep after its extensions
    /// (`SweepWalk`; nil when it is interior — bracketed by a worse or a diverged point — or
    /// when the pair was not swept or chose nothing): the health flag `boundary` of the pair's
    /// final cells (`CellHealth`).
    public var boundary: String? = nil

    /// Whether the pair was swept but no step size qualified.
    public var noStableStepSize: Bool { !points.isEmpty && stepSize == nil }

    /// Whether the chosen step size is the smallest or largest evaluated one (the protocol
    /// then always gives a `boundary` reason).
    public var isAtEndOfSweep: Bool {
        guard let h = stepSize, let first = points.first, let last = points.last else { return false }
        return h == first.stepSize || h == last.stepSize
    }
}

/// `tuning.json`: the protocol's settings and every pair's decision.
public struct TuningRecord: Codable, Sendable {
    public let tuning: TuningSpec
    public let decisions: [TuningDecision]

    public init(tuning: TuningSpec, decisions: [TuningDecision]) {
        self.tuning = tuning
        self.decisions = decisions
    }

    public func write(to path: String) throws {
        try JSONOutput.write(self, to: path, describing: "the tuning record")
    }

    public static func load(from path: String) throws -> TuningRecord {
        try decodeJSONFile(TuningRecord.self, at: path, describing: "the tuning record")
    }
}

extension GridSpec {
    /// The pairs of this grid under its tuning protocol (`tuning`, which must be set), in the
    /// grid's nesting order: target × noise × sampler × batch size (batch sizes that resolve to
    /// the same one on a target give one pair).
    public func tuningPlan(registry: Registry) throws -> TuningPlan {
        guard let tuning else {
            throw WorkbenchError.unsupported("the grid has no tuning protocol (its spec has no 'tuning')")
        }
        try registry.checkSamplerIDs(tuning.stepSizes.keys, in: "tuning.stepSizes")
        let (combinations, skipped) = try self.combinations(registry: registry)
        var pairs: [TuningPlan.Pair] = []
        for c in combinations {
            let (targetID, options, built, samplerID, samplerPlugin, hyper)
                = (c.targetID, c.options, c.built, c.samplerID, c.sampler, c.hyperparameters)
            let scale = built.0.lengthScale
            let factor = try budgetFactor(c)
            let sweepBudget = (tuning.budget ?? gradientBudget).map { $0 * factor }
            let finalBudget = gradientBudget.map { $0 * factor }
            let mode: TuningPlan.Pair.Mode
            let policy = samplerPlugin.stepSizePolicy
            if !policy.usesStepSize {
                mode = .fixed(nil, reason: "no sweep: \(samplerID) uses no step size")
            } else if let explicit = c.variantStepSizes ?? tuning.stepSizes[samplerID] {
                mode = .sweep(explicit.sorted())
            } else if let d = policy.stepSizeDefault {
                let centre = d.value(for: built.0)
                mode = policy.adapts
                    ? .fixed(centre, reason: "no sweep: \(samplerID) adapts its step size; it starts from \(d.formula), here \(formatNumber(centre))")
                    : .sweep(tuning.sweep(centre: centre))
            } else {
                throw WorkbenchError.invalidValue(
                    owner: "grid tuning", name: "step sizes of \(samplerID)", value: "(none)",
                    accepted: "a default step size declared by the sampler (Sampler.stepSizePolicy) or tuning.stepSizes.\(samplerID)")
            }
            for batch in c.batchAxis {
                let dataSize = built.0.dataSize
                // A sampler that spends no gradients (`exact`) runs `steps` whatever the budget.
                let capabilities = TargetCapabilities(of: built.0)
                let free = try samplerPlugin.chainCost(parameters: hyper, batchSize: batch.count(dataSize: dataSize),
                                                       dataSize: dataSize, target: capabilities).perStep == 0
                let stepsFor: @Sendable (Double?) throws -> Int = { [steps] budget in
                    if free { return steps }
                    return try budget.map {
                        try Self.steps(forBudget: $0, plugin: samplerPlugin, hyperparameters: hyper,
                                       batchSize: batch, dataSize: dataSize, target: capabilities)
                    } ?? steps
                }
                let template = Cell(
                    sampler: samplerID, target: targetID, hyperparameters: hyper, targetOptions: options,
                    stepSize: nil, batchSize: batch, batching: batching, start: start, seed: tuning.seed, chains: chains, steps: max(steps, 1),
                    warmup: nil, thin: thin, maxDrawsPerChain: maxDrawsPerChain, wallTimeCap: wallTimeCap)
                var pair = TuningPlan.Pair(
                    id: TuningPlan.pairID(ofKey: template.key), sampler: samplerID, target: targetID,
                    lengthScale: scale, mode: mode, sweepCells: [], built: built, template: template,
                    warmup: warmup, sweepSteps: nil, finalSteps: { try stepsFor(finalBudget) })
                if case .sweep(let sizes) = mode {
                    pair.sweepSteps = try stepsFor(sweepBudget)
                    pair.sweepCells = try sizes.map(pair.sweepCell(stepSize:))
                }
                pairs.append(pair)
            }
        }
        return TuningPlan(tuning: tuning, pairs: pairs, skipped: skipped)
    }
}
