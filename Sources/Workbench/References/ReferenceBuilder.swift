import Foundation

/// How `bench reference` makes reference draws: a full-batch sampler (`hmc` by default) run
/// for `chains` chains of `steps` steps (the chains of one cell, `ReferenceBuilder.cell`), its
/// stored draws thinned until the lag-1
/// autocorrelation bar is met, checked against posteriordb's bar — on the model-scale
/// coordinates, or on the target's identifiable functionals (`ReferenceFunctionalsTarget`) —
/// and cached only if they pass.
public struct ReferenceBuildSettings: Sendable {
    public var sampler: String
    public var stepSize: Double?
    public var hyperparameters: [String: ParameterValue] = [:]
    public var seed: UInt64 = 1
    public var chains = 4
    /// Steps per chain, warm-up included; nil takes the target's `referenceSteps`.
    public var steps: Int?
    public var warmup: Int?
    /// Record every `thin`-th step (more thinning is added to meet the autocorrelation bar).
    public var thin = 1
    public var bar = ReferenceQualityBar.posteriordb
    /// Threads the chains run on (nil: ``ComputeThreads/current``, every core unless limited);
    /// the draws do not depend on it.
    public var threads: Int?

    public init(sampler: String, stepSize: Double?, hyperparameters: [String: ParameterValue] = [:], seed: UInt64 = 1,
                chains: Int = 4, steps: Int? = nil, warmup: Int? = nil, thin: Int = 1, bar: ReferenceQualityBar = .posteriordb,
                threads: Int? = nil) {
        self.sampler = sampler
        self.stepSize = stepSize
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.chains = chains
        self.steps = steps
        self.warmup = warmup
        self.thin = thin
        self.bar = bar
        self.threads = threads
    }
}

public struct ReferenceBuilder: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// Steps per chain when the settings give none: the target's `referenceSteps` if it
    /// declares one, else 20 000.
    public static func defaultSteps(of target: any Target) -> Int {
        (target as? any ReferenceFunctionalsTarget)?.referenceSteps ?? 20_000
    }

    /// Builds, checks and caches the reference of `targetID` with `options`. Returns the
    /// metadata (with its quality report) and the path it was cached at. Draws that fail the
    /// bar throw `WorkbenchError.referenceRejected` with the failing numbers, and nothing is
    /// written.
    public func build(targetID: String, options: [String: ParameterValue], settings: ReferenceBuildSettings,
                      provenance: Provenance) throws -> (metadata: CachedReference, path: String) {
        let plugin = try registry.target(targetID)
        // The target is built without its current cache: a stale or failing cached reference
        // must not stop its replacement from being built.
        let (target, resolved) = try ReferenceCache.$lookupEnabled.withValue(false) { try plugin.make(options: options) }
        let cell = Self.cell(targetID: targetID, options: options, target: target, settings: settings)
        // The cell's chains, as a grid runs them (`CellChains`), on `settings.threads` threads.
        let (run, _) = try CellRunner(registry: registry).run(cell, prepared: (target, resolved), threads: settings.threads)
        let chainRecords = run.chains
        if chainRecords.contains(where: { $0.divergenceStep != nil }) {
            throw WorkbenchError.referenceRejected(
                "\(chainRecords.filter { $0.divergenceStep != nil }.count) of \(chainRecords.count) chains diverged (first at step "
                    + "\(chainRecords.compactMap(\.divergenceStep).min()!)); lower the step size")
        }
        let names = run.parameterNames
        let d = names.count
        let stored = chainRecords.map(\.draws)
        // What the bar is applied to: the coordinates, or the target's identifiable functionals.
        let chains: [[Double]], quality: ReferenceQuality, checked: String
        if let functional = target as? any ReferenceFunctionalsTarget {
            let fNames = functional.referenceFunctionalNames
            var values = [Double](repeating: 0, count: fNames.count)
            var phi = [Double](repeating: 0, count: d)
            let functionalChains = stored.map { chain -> [Double] in
                var out = [Double]()
                out.reserveCapacity(chain.count / d * fNames.count)
                for row in 0..<(chain.count / d) {
                    for i in 0..<d { phi[i] = chain[row * d + i] }
                    functional.referenceFunctionals(ofRecorded: phi, into: &values)
                    out.append(contentsOf: values)
                }
                return out
            }
            let k = ReferenceQuality.thinning(chains: functionalChains, dimension: fNames.count, bar: settings.bar)
            let thinnedFunctionals = ReferenceQuality.thin(functionalChains, by: k, dimension: fNames.count, bar: settings.bar)
            quality = ReferenceQuality(chains: thinnedFunctionals, names: fNames, thinning: k, bar: settings.bar)
            chains = ReferenceQuality.thin(stored, by: k, dimension: d, bar: settings.bar)
            checked = "functionals"
        } else {
            (chains, quality) = ReferenceQuality.thinnedToBar(chains: stored, names: names, bar: settings.bar)
            checked = "coordinates"
        }
        guard quality.passed else {
            let failures = quality.failures
            let shown = failures.prefix(8).joined(separator: "; ")
            let more = failures.count > 8 ? "; and \(failures.count - 8) more" : ""
            throw WorkbenchError.referenceRejected(
                "\(targetID) by \(settings.sampler): \(shown)\(more). Summary: \(quality.summary). "
                    + "Run longer (--steps), thin more (--thin), or tune the sampler.")
        }
        let recordingThin = chainRecords.first?.thin ?? settings.thin
        let metadata = CachedReference(
            target: targetID, options: resolved.values,
            fingerprint: ReferenceCache.fingerprint(of: target, options: resolved.values), parameterNames: names,
            sampler: settings.sampler, hyperparameters: run.hyperparameters.values, stepSize: settings.stepSize,
            seed: settings.seed, cellKey: cell.key, chains: settings.chains, steps: cell.steps, warmup: cell.warmup,
            stepsBetweenDraws: recordingThin * quality.thinning, drawsPerChain: quality.drawsPerChain,
            drawsChecksum: "", wallSeconds: run.wallSeconds, provenance: provenance, quality: quality,
            checkedOn: checked)
        let path = try ReferenceCache.store(metadata, draws: chains.flatMap { $0 })
        let stored2 = try decodeJSONFile(CachedReference.self, at: path, describing: "the cached reference")
        return (stored2, path)
    }

    /// The cell whose chains a reference of `targetID` with `options` (`target`, built from
    /// them) is made of: the settings' sampler, full batch, at the settings' seed, with the
    /// target's recommended hyperparameters (`ReferenceFunctionalsTarget`) under the given
    /// ones. A grid cell with the same key runs the same chains, bit for bit (`CellChains`).
    public static func cell(targetID: String, options: [String: ParameterValue], target: any Target,
                            settings: ReferenceBuildSettings) -> Cell {
        let perChain = (settings.bar.minimumDraws + settings.chains - 1) / max(settings.chains, 1)
        let recommended = (target as? any ReferenceFunctionalsTarget)?.referenceHyperparameters(for: settings.sampler) ?? [:]
        return Cell(
            sampler: settings.sampler, target: targetID,
            hyperparameters: recommended.merging(settings.hyperparameters) { _, given in given },
            targetOptions: options, stepSize: settings.stepSize, batchSize: .full, seed: settings.seed,
            chains: settings.chains, steps: settings.steps ?? defaultSteps(of: target), warmup: settings.warmup,
            thin: settings.thin, maxDrawsPerChain: max(4 * perChain, 2))
    }
}
