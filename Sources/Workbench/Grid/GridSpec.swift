import Foundation

/// What a grid crosses and how each cell runs; written beside the results as `grid.json`.
///
/// Cells are the cross product target × noise × sampler × step size × batch size × seed, in
/// that nesting order (deterministic). Samplers that ignore the step size get one cell with
/// none; batch sizes that resolve to the same one on a target (every size on a target
/// without data, N = 1) give one cell; `noise` applies to targets
/// that declare a `noise` option and is ignored by the others.
public struct GridSpec: Codable, Sendable {
    public var samplers: [String] = ["all"]
    public var targets: [String] = ["all"]
    public var stepSizes: [Double]
    public var batchSizes: [BatchSizeChoice] = [.targetDefault]
    /// How every minibatch cell draws its batches (`MinibatchScheme`; i.i.d. by default).
    public var batching: MinibatchScheme = .iid
    /// Where every cell's chains start (`StartPoint`; the target's over-dispersed start by default).
    public var start: StartPoint = .target
    /// Gradient-noise models for analytic targets (TARGETS.md); nil keeps each target's default.
    public var noise: [String]?
    public var seeds: [UInt64] = [1]
    public var chains = 4
    public var steps: Int
    /// Warm-up steps per chain; nil means steps / 10.
    public var warmup: Int?
    public var thin = 1
    public var maxDrawsPerChain = 10_000
    /// Hyperparameters per sampler id.
    public var hyperparameters: [String: [String: ParameterValue]] = [:]
    /// Options per target id.
    public var targetOptions: [String: [String: ParameterValue]] = [:]
    public var diagnostics: [String] = ["all"]
    /// Step sizes per sampler id, replacing `stepSizes` for that sampler: samplers whose step
    /// sizes live on different scales (SGLD's h against SGHMC's √η or MCLMC's ε) share a grid.
    public var samplerStepSizes: [String: [Double]] = [:]
    /// Configurations per sampler id (`SamplerVariant`): each runs as a sampler of its own,
    /// its hyperparameters laid over `hyperparameters[id]`, with its own step sizes if it names
    /// them (e.g. plain and preconditioned `sg-mclmc` in one grid). No entry: one configuration.
    public var variants: [String: [SamplerVariant]] = [:]
    /// What the grid is for, in a few sentences (e.g. a preset's experiment and its deviations
    /// from the paper it reproduces); printed on the report's first page and in summary.md.
    public var description: String?
    /// A gradient budget per chain in full-gradient equivalents (SAMPLERS.md, "Cost
    /// accounting"), warm-up included. When set, it replaces `steps`: each cell runs
    /// ⌊budget · N / c⌋ steps, c the sampler's per-datum gradients per step at the cell's batch
    /// size (`Sampler.gradientCost`), so every sampler spends the same budget
    /// whatever its batch size or gradients per step; the warm-up is `warmup` if given,
    /// otherwise a tenth of each cell's steps.
    public var gradientBudget: Double?
    /// Factors on the gradient budgets (`gradientBudget`, `tuning.budget`) per target id: every
    /// sampler on a target gets the same budget, so comparisons on it stay fair, while a target
    /// whose gradients cost milliseconds (the BNNs) can get a smaller one. Default 1.
    public var budgetScale: [String: Double] = [:]
    /// Factors on the gradient budgets per gradient-noise model (`noise`), multiplying
    /// `budgetScale`, for the samplers that draw minibatches (full-batch samplers never see the
    /// noise and keep their budget): a synthetic noise model's data size N is arbitrary
    /// (TARGETS.md: the noise level does not depend on it), so its full-gradient equivalents are
    /// too; the `quick` preset gives `isotropic` n/N = 0.0256 so that its minibatch cells make
    /// as many gradient calls as the exact-gradient ones. Default 1.
    public var noiseBudgetScale: [String: Double] = [:]
    /// Batch sizes per target id, replacing `batchSizes` on that target (e.g. `sblri` on all
    /// its data and on minibatches of 10 while the other targets keep their default).
    public var targetBatchSizes: [String: [BatchSizeChoice]] = [:]
    /// Gradient-noise models per target id, replacing `noise` on that target (e.g. `quick`
    /// keeps `gaussian-illcond` at `none`).
    public var targetNoise: [String: [String]] = [:]
    /// Option sets per target id, crossed like the noise axis: each set is laid over
    /// `targetOptions[id]` and runs as a target of its own (e.g. the three train/test splits of
    /// `bnn-smile-*` in `seed-000-uci`). No entry: the one set `targetOptions[id]`.
    public var targetOptionSets: [String: [[String: ParameterValue]]] = [:]
    /// The tuning protocol (`TuningSpec`): when set, each (sampler, target, noise, batch size)
    /// pair is swept and its final cells run on `seeds` at the chosen step size, and
    /// `stepSizes` / `samplerStepSizes` are not used (the cells are `tuningPlan(registry:)`'s).
    public var tuning: TuningSpec?
    /// A wall-time cap in seconds per cell (shared equally by its chains); a chain that reaches
    /// its share stops and the result says `truncated`. Capped results depend on the machine's
    /// speed and are not reproducible bit for bit. nil: no cap.
    public var wallTimeCap: Double?
    /// The external samplers the grid runs, by id (docs/EXTERNAL.md): each one's manifest path
    /// and the SHA-256 of the files that make it, so a resume, a shard or a Slurm task refuses a
    /// changed sampler and runs an unchanged one (`bench grid --spec` registers them from the
    /// recorded paths). Empty (the default, left out of the JSON) when every sampler is built in.
    public var externalSamplers: [String: ExternalSamplerIdentity] = [:]

    public init(samplers: [String] = ["all"], targets: [String] = ["all"], stepSizes: [Double],
                batchSizes: [BatchSizeChoice] = [.targetDefault], noise: [String]? = nil, seeds: [UInt64] = [1],
                chains: Int = 4, steps: Int, warmup: Int? = nil, thin: Int = 1, maxDrawsPerChain: Int = 10_000,
                hyperparameters: [String: [String: ParameterValue]] = [:],
                targetOptions: [String: [String: ParameterValue]] = [:], diagnostics: [String] = ["all"],
                samplerStepSizes: [String: [Double]] = [:], gradientBudget: Double? = nil,
                tuning: TuningSpec? = nil, wallTimeCap: Double? = nil, budgetScale: [String: Double] = [:],
                batching: MinibatchScheme = .iid, start: StartPoint = .target,
                variants: [String: [SamplerVariant]] = [:], description: String? = nil,
                noiseBudgetScale: [String: Double] = [:], targetBatchSizes: [String: [BatchSizeChoice]] = [:],
                targetNoise: [String: [String]] = [:], targetOptionSets: [String: [[String: ParameterValue]]] = [:]) {
        self.samplers = samplers
        self.targets = targets
        self.stepSizes = stepSizes
        self.batchSizes = batchSizes
        self.noise = noise
        self.seeds = seeds
        self.chains = chains
        self.steps = steps
        self.warmup = warmup
        self.thin = thin
        self.maxDrawsPerChain = maxDrawsPerChain
        self.hyperparameters = hyperparameters
        self.targetOptions = targetOptions
        self.diagnostics = diagnostics
        self.samplerStepSizes = samplerStepSizes
        self.gradientBudget = gradientBudget
        self.tuning = tuning
        self.wallTimeCap = wallTimeCap
        self.budgetScale = budgetScale
        self.batching = batching
        self.start = start
        self.variants = variants
        self.description = description
        self.noiseBudgetScale = noiseBudgetScale
        self.targetBatchSizes = targetBatchSizes
        self.targetNoise = targetNoise
        self.targetOptionSets = targetOptionSets
    }

    /// The factor on every gradient budget of combination `c`: `budgetScale` of its target,
    /// times `noiseBudgetScale` of its noise model when its sampler draws minibatches. A sampler
    /// whose gradients are all full-batch never sees the noise (the noise data sum to zero), so
    /// it keeps the exact condition's budget rather than a sliver of it.
    func budgetFactor(_ c: GridCombination) throws -> Double {
        let base = budgetScale[c.targetID] ?? 1
        guard let noise = c.noise, let factor = noiseBudgetScale[noise] else { return base }
        let n = c.built.0.dataSize, capabilities = TargetCapabilities(of: c.built.0)
        let minibatch = try c.sampler.chainCost(parameters: c.hyperparameters, batchSize: 1, dataSize: n, target: capabilities)
        let full = try c.sampler.chainCost(parameters: c.hyperparameters, batchSize: n, dataSize: n, target: capabilities)
        return minibatch.perStep == full.perStep ? base : base * factor
    }

    /// Reads a spec from a JSON or YAML file (by extension); a missing file or malformed
    /// contents is an error naming it and the place.
    public static func load(from path: String) throws -> GridSpec {
        try decodeJSONFile(GridSpec.self, at: path, describing: "the grid spec file")
    }

    /// Checks the axes and settings; each error names the bad value and what is accepted.
    public func validate() throws {
        func fail(_ name: String, _ value: String, _ accepted: String) -> WorkbenchError {
            .invalidValue(owner: "grid", name: name, value: value, accepted: accepted)
        }
        if let bad = stepSizes.first(where: { !($0.isFinite && $0 > 0) }) {
            throw fail("step size", "\(bad)", "finite numbers > 0")
        }
        if stepSizes.isEmpty && tuning == nil { throw fail("step sizes", "(none)", "at least one step size (or a tuning protocol)") }
        try tuning?.validate()
        if let cap = wallTimeCap, !(cap.isFinite && cap > 0) {
            throw fail("wall-time cap", "\(cap)", "a finite number of seconds > 0 per cell")
        }
        for (id, sizes) in samplerStepSizes.sorted(by: { $0.key < $1.key }) {
            if let bad = sizes.first(where: { !($0.isFinite && $0 > 0) }) {
                throw fail("step size of \(id)", "\(bad)", "finite numbers > 0")
            }
            if sizes.isEmpty { throw fail("step sizes of \(id)", "(none)", "at least one step size") }
        }
        for (id, list) in variants.sorted(by: { $0.key < $1.key }) {
            if list.isEmpty { throw fail("variants of \(id)", "(none)", "at least one variant, or no entry") }
            for variant in list { try variant.validate(owner: id) }
        }
        if let budget = gradientBudget, !(budget.isFinite && budget > 0) {
            throw fail("gradient budget", "\(budget)", "a finite number > 0 of full-gradient equivalents per chain")
        }
        for (id, factor) in budgetScale.sorted(by: { $0.key < $1.key }) where !(factor.isFinite && factor > 0) {
            throw fail("budget scale of \(id)", "\(factor)", "a finite factor > 0")
        }
        for (model, factor) in noiseBudgetScale.sorted(by: { $0.key < $1.key }) where !(factor.isFinite && factor > 0) {
            throw fail("budget scale of noise model \(model)", "\(factor)", "a finite factor > 0")
        }
        for (id, sizes) in targetBatchSizes.sorted(by: { $0.key < $1.key }) {
            if sizes.isEmpty { throw fail("batch sizes of \(id)", "(none)", "at least one batch size or 'full'") }
            if let bad = sizes.first(where: { if case .given(.size(let n)) = $0 { return n < 1 } else { return false } }) {
                throw fail("batch size of \(id)", bad.description, BatchSizeChoice.accepted)
            }
        }
        try checkNoDuplicates()
        if seeds.isEmpty { throw fail("seeds", "(none)", "at least one seed") }
        if batchSizes.isEmpty { throw fail("batch sizes", "(none)", "at least one batch size or 'full'") }
        if let bad = batchSizes.first(where: { if case .given(.size(let n)) = $0 { return n < 1 } else { return false } }) {
            throw fail("batch size", bad.description, BatchSizeChoice.accepted)
        }
    }

    /// Each list of the spec names a value once: a duplicate would give cells with one key,
    /// run twice and counted twice. The error names the list and the value.
    func checkNoDuplicates() throws {
        func check<T: Hashable>(_ values: [T], _ list: String, _ show: (T) -> String = { "\($0)" }) throws {
            var seen = Set<T>()
            for value in values where !seen.insert(value).inserted {
                throw WorkbenchError.invalidValue(owner: "grid", name: list, value: values.map(show).joined(separator: ","),
                                                  accepted: "each value once ('\(show(value))' is listed twice)")
            }
        }
        try check(samplers, "samplers")
        try check(targets, "targets")
        try check(stepSizes, "step sizes")
        try check(batchSizes, "batch sizes", \.description)
        for (id, sizes) in targetBatchSizes.sorted(by: { $0.key < $1.key }) { try check(sizes, "batch sizes of \(id)", \.description) }
        for (id, models) in targetNoise.sorted(by: { $0.key < $1.key }) {
            if models.isEmpty { throw WorkbenchError.invalidValue(owner: "grid", name: "noise models of \(id)", value: "(none)", accepted: "at least one noise model") }
            try check(models, "noise models of \(id)")
        }
        try check(noise ?? [], "noise models")
        try check(seeds, "seeds")
        try check(diagnostics, "diagnostics")
        for (id, sizes) in samplerStepSizes.sorted(by: { $0.key < $1.key }) { try check(sizes, "step sizes of \(id)") }
    }

    /// The cells of this grid, with the targets built for them (each distinct target and
    /// option set is built once and shared by its cells). With `tuning`, these are only the
    /// planned sweep cells: the extensions and the final cells depend on their results
    /// (`tuningPlan(registry:)`, `SweepWalk`).
    public func cells(registry: Registry) throws -> [(cell: Cell, target: (any Target, ResolvedParameters))] {
        if tuning != nil {
            return try tuningPlan(registry: registry).pairs.flatMap { pair in pair.sweepCells.map { ($0, pair.built) } }
        }
        return try expand(registry: registry).cells
    }

    /// The (sampler, target) pairs the grid leaves out because the sampler cannot run on the
    /// target (e.g. `exact` without an exact sampler, isokinetic samplers in one dimension),
    /// each with the reason.
    public func skippedPairs(registry: Registry) throws -> [String] {
        if tuning != nil { return try tuningPlan(registry: registry).skipped }
        return try expand(registry: registry).skipped
    }

    private func expand(registry: Registry) throws
        -> (cells: [(cell: Cell, target: (any Target, ResolvedParameters))], skipped: [String])
    {
        try registry.checkSamplerIDs(samplerStepSizes.keys, in: "samplerStepSizes")
        let (combinations, skipped) = try self.combinations(registry: registry)
        var result: [(Cell, (any Target, ResolvedParameters))] = []
        for c in combinations {
            let named = c.variantStepSizes ?? samplerStepSizes[c.samplerID]
            let stepAxis: [Double?]
            switch c.sampler.stepSizePolicy {
            case .none: stepAxis = [nil]
            case .fixed: stepAxis = named ?? stepSizes
            case .adaptiveInitial(let d): stepAxis = named ?? [d.value(for: c.built.0)]
            }
            for h in stepAxis {
                for batch in c.batchAxis {
                    let cellSteps = try gradientBudget.map {
                        try Self.steps(forBudget: $0 * budgetFactor(c), plugin: c.sampler,
                                       hyperparameters: c.hyperparameters, batchSize: batch, dataSize: c.built.0.dataSize,
                                       target: TargetCapabilities(of: c.built.0))
                    } ?? steps
                    for seed in seeds {
                        let cell = Cell(
                            sampler: c.samplerID, target: c.targetID, hyperparameters: c.hyperparameters,
                            targetOptions: c.options, stepSize: h, batchSize: batch, batching: batching,
                            start: start, seed: seed,
                            chains: chains, steps: cellSteps, warmup: warmup, thin: thin,
                            maxDrawsPerChain: maxDrawsPerChain, wallTimeCap: wallTimeCap)
                        try cell.validate()
                        result.append((cell, c.built))
                    }
                }
            }
        }
        return (result, skipped)
    }

    /// Checks the spec and its ids against `registry`, then lists its (target, noise model,
    /// sampler) combinations in the grid's nesting order, each target built once per noise
    /// model and shared by its combinations; samplers that cannot run on a target are left out
    /// with the reason (`SamplerPlugin.incompatibility`). Both the plain expansion and the
    /// tuning plan (`tuningPlan`) cross these.
    func combinations(registry: Registry) throws -> (combinations: [GridCombination], skipped: [String]) {
        try validate()
        let samplerIDs = try registry.samplerIDs(samplers)
        let targetIDs = try registry.targetIDs(targets)
        _ = try registry.diagnosticIDs(diagnostics)
        try registry.checkSamplerIDs(hyperparameters.keys, in: "hyperparameters")
        try registry.checkSamplerIDs(variants.keys, in: "variants")
        try registry.checkTargetIDs(targetOptions.keys, in: "targetOptions")
        // Factors for registered targets outside this grid are ignored (a preset's, after --targets).
        for id in budgetScale.keys.sorted() { _ = try registry.target(id) }
        for id in targetBatchSizes.keys.sorted() { _ = try registry.target(id) }
        for id in targetNoise.keys.sorted() { _ = try registry.target(id) }
        for (id, sets) in targetOptionSets.sorted(by: { $0.key < $1.key }) {
            _ = try registry.target(id)
            if sets.isEmpty {
                throw WorkbenchError.invalidValue(owner: "grid", name: "option sets of \(id)", value: "(none)", accepted: "at least one option set")
            }
        }
        try checkPluginSettings(registry: registry)
        // Factors for noise models outside the grid's `noise` list are ignored (a preset's, after --noise).
        if let unknown = noiseBudgetScale.keys.sorted().first(where: { GradientNoiseModel(rawValue: $0) == nil }) {
            throw WorkbenchError.invalidValue(owner: "grid", name: "noiseBudgetScale", value: unknown,
                                              accepted: GradientNoiseModel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var combinations: [GridCombination] = []
        var skipped: [String] = []
        // Samplers that need gradient noise, and the targets where a condition's gradient is
        // exact: one skipped line per sampler, not per target.
        var exactGradientSamplers: [String] = [], exactGradientTargets: [String: [String]] = [:]
        for targetID in targetIDs {
            let plugin = try registry.target(targetID)
            let takesNoise = plugin.parameters.contains { $0.name == "noise" }
            let noiseAxis: [String?] = takesNoise ? ((targetNoise[targetID] ?? noise).map { $0.map(Optional.some) } ?? [nil]) : [nil]
            let conditions = (targetOptionSets[targetID] ?? [[:]]).flatMap { set in
                noiseAxis.map { noise in (options: (targetOptions[targetID] ?? [:]).merging(set) { $1 }, noise: noise) }
            }
            for (optionsBeforeNoise, noiseModel) in conditions {
                var options = optionsBeforeNoise
                if let noiseModel { options["noise"] = .text(noiseModel) }
                let built = try plugin.make(options: options)
                var batchAxis: [BatchSize] = []
                for batch in targetBatchSizes[targetID] ?? batchSizes where !batchAxis.contains(batch.resolved(for: built.0)) {
                    batchAxis.append(batch.resolved(for: built.0))
                }
                for samplerID in samplerIDs {
                    let samplerPlugin = try registry.sampler(samplerID)
                    // Names and values were checked by checkPluginSettings.
                    let configurations = (variants[samplerID] ?? [SamplerVariant()]).map { variant in
                        (variant, (hyperparameters[samplerID] ?? [:]).merging(variant.hyperparameters) { $1 })
                    }
                    if let reason = samplerPlugin.incompatibility(with: built.0) {
                        if !skipped.contains(reason) { skipped.append(reason) }
                        continue
                    }
                    var samplerBatchAxis: [BatchSize] = []
                    for batch in batchAxis {
                        if samplerPlugin.incompatibility(with: built.0, batchSize: batch) == nil {
                            samplerBatchAxis.append(batch)
                        } else if !exactGradientTargets[samplerID, default: []].contains(targetID) {
                            if exactGradientTargets[samplerID] == nil { exactGradientSamplers.append(samplerID) }
                            exactGradientTargets[samplerID, default: []].append(targetID)
                        }
                    }
                    if samplerBatchAxis.isEmpty { continue }
                    for (variant, hyper) in configurations {
                        combinations.append(GridCombination(
                            targetID: targetID, noise: noiseModel, options: options, built: built, batchAxis: samplerBatchAxis,
                            samplerID: samplerID, sampler: samplerPlugin, hyperparameters: hyper,
                            variantStepSizes: variant.stepSizes(noise: noiseModel)))
                    }
                }
            }
        }
        for id in exactGradientSamplers {
            skipped.append("sampler \(id) needs a stochastic gradient (its only momentum refresh is the minibatch noise): "
                           + "declined where the gradient is exact (full batch, no noise model) on "
                           + exactGradientTargets[id]!.joined(separator: ", "))
        }
        return (combinations, skipped)
    }
}

/// One (target, noise model, sampler) combination of a grid (`GridSpec.combinations`): the
/// target's id, options and built instance, the batch sizes it resolves to, and the sampler
/// with the grid's hyperparameters for it.
struct GridCombination {
    let targetID: String
    /// The gradient-noise model set on the target by the grid's `noise` axis (nil: none set).
    let noise: String?
    let options: [String: ParameterValue]
    let built: (any Target, ResolvedParameters)
    let batchAxis: [BatchSize]
    let samplerID: String
    let sampler: SamplerPlugin
    let hyperparameters: [String: ParameterValue]
    /// The variant's own step sizes for this noise model, if it names them.
    let variantStepSizes: [Double]?
}

/// One configuration of a sampler in a grid (`GridSpec.variants`): hyperparameters laid over
/// the grid's for that sampler, and optionally step sizes of its own — for every target, or
/// per gradient-noise model (the SMILE code sweeps plain SG-MCLMC over [1e−5, 1e−3] under
/// correlated noise and [1e−3, 1e−1] otherwise). Step sizes by noise model win over
/// `stepSizes`, which win over the grid's.
public struct SamplerVariant: Codable, Hashable, Sendable {
    public var hyperparameters: [String: ParameterValue]
    public var stepSizes: [Double]?
    public var stepSizesByNoise: [String: [Double]]?

    public init(hyperparameters: [String: ParameterValue] = [:], stepSizes: [Double]? = nil,
                stepSizesByNoise: [String: [Double]]? = nil) {
        self.hyperparameters = hyperparameters
        self.stepSizes = stepSizes
        self.stepSizesByNoise = stepSizesByNoise
    }

    /// The step sizes this variant runs under noise model `noise` (nil: the grid's).
    func stepSizes(noise: String?) -> [Double]? {
        noise.flatMap { stepSizesByNoise?[$0] } ?? stepSizes
    }

    func validate(owner id: String) throws {
        for sizes in [stepSizes].compactMap({ $0 }) + (stepSizesByNoise ?? [:]).sorted(by: { $0.key < $1.key }).map(\.value) {
            if sizes.isEmpty || sizes.contains(where: { !($0.isFinite && $0 > 0) }) {
                throw WorkbenchError.invalidValue(
                    owner: "grid", name: "step sizes of a variant of \(id)", value: sizes.map { "\($0)" }.joined(separator: ","),
                    accepted: "at least one finite number > 0")
            }
        }
    }
}

extension GridSpec {
    /// The steps that spend `budget` full-gradient equivalents per chain:
    /// ⌊(budget · N − s) / c⌋, at least 1, with c and s the per-datum gradient evaluations of a
    /// step and of the chain's set-up at `batchSize` (n, or N for full batch) on a target with or
    /// without closed-form Hessians (`SamplerPlugin.chainCost`), so a chain spends the budget to
    /// within one step.
    public static func steps(forBudget budget: Double, plugin: SamplerPlugin,
                             hyperparameters: [String: ParameterValue], batchSize: BatchSize, dataSize: Int,
                             target capabilities: TargetCapabilities) throws -> Int {
        let cost = try plugin.chainCost(parameters: hyperparameters, batchSize: batchSize.count(dataSize: dataSize),
                                        dataSize: dataSize, target: capabilities)
        guard cost.perStep > 0 else {
            throw WorkbenchError.unsupported(
                "sampler \(plugin.id) spends no gradients, so a gradient budget cannot set its steps")
        }
        let steps = ((budget * Double(dataSize) - Double(cost.setup)) / Double(cost.perStep)).rounded(.down)
        // A spec number becomes a count here: one beyond Int would trap in the conversion.
        guard steps < Double(Int.max) else {
            throw WorkbenchError.invalidValue(owner: "grid", name: "gradient budget", value: "\(budget)",
                                              accepted: "a budget whose steps (\(steps) for sampler \(plugin.id)) fit in a whole number ≤ \(Int.max)")
        }
        return max(1, Int(steps))
    }
}

extension GridSpec {
    /// The full-gradient equivalents `cell` spends over all its chains on `target` (steps ×
    /// the per-step cost plus the set-up, over N; `SamplerPlugin.chainCost`): what
    /// `bench grid --dry-run` adds up, and what the chains spend.
    public static func plannedGradientEvaluations(of cell: Cell, target: any Target, registry: Registry) throws -> Double {
        let n = target.dataSize
        let cost = try registry.sampler(cell.sampler).chainCost(
            parameters: cell.hyperparameters, batchSize: cell.batchSize.count(dataSize: n), dataSize: n,
            target: TargetCapabilities(of: target))
        return Double(cell.chains) * (Double(cell.steps) * Double(cost.perStep) + Double(cost.setup)) / Double(n)
    }
}
