/// One run of the grid: a sampler with its hyperparameters on a target with its options, at a
/// step size, batch size and seed, with the chain settings. Its `key` is deterministic and
/// names the cell in results, seeds and resumption.
public struct Cell: Codable, Hashable, Sendable {
    public var sampler: String
    public var target: String
    /// Sampler hyperparameters as given (defaults are filled in at run time and recorded).
    public var hyperparameters: [String: ParameterValue]
    /// Target options as given (e.g. `noise`).
    public var targetOptions: [String: ParameterValue]
    /// Step size h; nil for samplers that do not use one.
    public var stepSize: Double?
    /// Minibatch size n, or full batch; resolved against the target's N (never `.size(n)` with
    /// n ≥ N). In JSON, a number, or no key for full batch (`BatchSize`).
    public var batchSize: BatchSize
    /// How minibatches are drawn (`MinibatchScheme`); moot for full batch.
    public var batching: MinibatchScheme
    /// Where chains start (`StartPoint`).
    public var start: StartPoint
    public var seed: UInt64
    public var chains: Int
    /// Steps per chain, warm-up included.
    public var steps: Int
    /// Leading steps per chain not recorded as draws (their gradients are counted).
    public var warmup: Int
    /// Initial thinning of stored draws.
    public var thin: Int
    /// The most draws stored per chain (thinning doubles beyond it).
    public var maxDrawsPerChain: Int
    /// Which phase of the tuning protocol the cell belongs to (`TuningSpec`); nil in a grid
    /// without tuning. Sweep cells (`.tune`) carry "tune" in their key, so their random
    /// streams never coincide with a final cell's, whatever the seeds.
    public var phase: CellPhase?
    /// Wall-time cap in seconds for the whole cell, shared equally by its chains
    /// (`GridSpec.wallTimeCap`); nil: none. Not part of the key.
    public var wallTimeCap: Double?

    public init(sampler: String, target: String, hyperparameters: [String: ParameterValue] = [:],
                targetOptions: [String: ParameterValue] = [:], stepSize: Double?, batchSize: BatchSize = .full,
                batching: MinibatchScheme = .iid, start: StartPoint = .target, seed: UInt64 = 1,
                chains: Int = 4, steps: Int, warmup: Int? = nil, thin: Int = 1,
                maxDrawsPerChain: Int = 10_000, phase: CellPhase? = nil, wallTimeCap: Double? = nil) {
        self.sampler = sampler
        self.target = target
        self.hyperparameters = hyperparameters
        self.targetOptions = targetOptions
        self.stepSize = stepSize
        self.batchSize = batchSize
        self.batching = batching
        self.start = start
        self.seed = seed
        self.chains = chains
        self.steps = steps
        self.warmup = warmup ?? steps / 10
        self.thin = thin
        self.maxDrawsPerChain = maxDrawsPerChain
        self.phase = phase
        self.wallTimeCap = wallTimeCap
    }

    /// A stable, human-readable identity: sampler, target, options, h, n, hyperparameters,
    /// seed, in a fixed order (dictionary entries sorted by name); "batching=epoch" after n
    /// when minibatches come in epochs (i.i.d. batches, the default, and full batch add
    /// nothing, so full-batch keys are what they were before the scheme existed), and
    /// "start=zero" or "start=ensemble" when chains do not start at the target's start. Chain settings are not part of it: a grid
    /// runs all its cells with the same ones.
    public var key: String {
        func pairs(_ d: [String: ParameterValue]) -> String {
            d.keys.sorted().map { "\($0)=\(d[$0]!)" }.joined(separator: ",")
        }
        var parts = [sampler, target]
        if !targetOptions.isEmpty { parts.append(pairs(targetOptions)) }
        parts.append("h=" + (stepSize.map { "\($0)" } ?? "-"))
        parts.append("n=\(batchSize)")
        if !batchSize.isFull && batching == .epoch { parts.append("batching=epoch") }
        if start != .target { parts.append("start=\(start.rawValue)") }
        if !hyperparameters.isEmpty { parts.append(pairs(hyperparameters)) }
        parts.append("seed=\(seed)")
        if phase == .tune { parts.append("tune") }
        return parts.joined(separator: "|")
    }

    /// The key as a file name: characters other than letters, digits, '.', '-', '=' and '_'
    /// become '_' ("sgld_std-normal-1d_h=0.01_n=full_seed=1").
    public var fileStem: String {
        String(key.map { $0.isLetter || $0.isNumber || ".-=_".contains($0) ? $0 : "_" })
    }

    /// Checks the chain settings; each error names the bad value and what is accepted.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: String, _ accepted: String) throws {
            if !ok { throw WorkbenchError.invalidValue(owner: "cell \(key)", name: name, value: value, accepted: accepted) }
        }
        try check(chains >= 1, "chains", "\(chains)", "a whole number ≥ 1")
        try check(steps >= 1, "steps", "\(steps)", "a whole number ≥ 1")
        try check(warmup >= 0 && warmup < steps, "warm-up", "\(warmup)", "a whole number in [0, steps)")
        try check(thin >= 1, "thin", "\(thin)", "a whole number ≥ 1")
        try check(maxDrawsPerChain >= 2, "max draws per chain", "\(maxDrawsPerChain)", "a whole number ≥ 2")
        if case .size(let n) = batchSize { try check(n >= 1, "batch size", "\(n)", "a whole number ≥ 1") }
        if let cap = wallTimeCap { try check(cap.isFinite && cap > 0, "wall-time cap", "\(cap)", "a finite number of seconds > 0") }
    }
}

/// The phase of the tuning protocol a cell or result belongs to: the step-size sweep
/// (`tune`) or the runs at the chosen step size on the grid's seeds (`final`).
public enum CellPhase: String, Codable, Sendable, Hashable {
    case tune, final
}

/// Where a cell's chains start.
public enum StartPoint: String, Codable, CaseIterable, Sendable {
    /// The target's over-dispersed start (`Target.initialPoint`, drawn from the chain's
    /// generator).
    case target
    /// The origin, x = 0 (the SMILE code's analytic benchmark).
    case zero
    /// A deep ensemble (the SMILE code's warm start for its BNN benchmark): chain c starts
    /// from member c, trained before the chain by `EnsembleTrainer` from a generator fixed by
    /// the cell's seed, target and options and c. Targets that cannot train one
    /// (`EnsembleTrainable`) refuse it before anything runs.
    case ensemble

    /// Where chains start, in words for reports ("chains start at …").
    public var phrase: String {
        switch self {
        case .target: "the target's start"
        case .zero: "0"
        case .ensemble: "deep-ensemble members"
        }
    }
}
