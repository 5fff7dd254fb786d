/// A registered sampler type, erased so the registry can hold many (`Registry.register`).
///
/// For a built-in or plugin type everything here is read from the type's static members when
/// it is registered, and the chain runner is captured then too: `init(_:)` is inlinable, so it
/// is compiled where the concrete type is named, and the runner it captures calls
/// `ChainLoop.run` with `step` and the read of `position` specialised for that type (no
/// witness-table call per step); a `BatchedSampler`'s batch runner likewise. An external
/// sampler (a child process, docs/EXTERNAL.md) is registered from its manifest instead
/// (`SamplerPlugin.external`): the same members, read from the manifest, with
/// `ExternalSampler` as its type and a batch runner that drives the child.
public struct SamplerPlugin: Sendable {
    /// The sampler type (`ExternalSampler` for every external sampler).
    public let type: any Sampler.Type
    @usableFromInline let chainRunner: @Sendable (any Sampler, [Double], Int, inout ChainLoop, inout GradientOracle,
                                                  inout Xoshiro256StarStar) -> Void
    /// The type's batch runner when it is a `BatchedSampler` (`BatchedSampler.batchRunner`).
    @usableFromInline let batchRunner: ChainBatchRunner?
    public let id: String
    public let summary: String
    public let hyperparameters: [ParameterSpec]
    public let stepSizePolicy: StepSizePolicy
    /// `Sampler.gradientCost` of the type (or the manifest's declared cost).
    @usableFromInline let cost: @Sendable (ResolvedParameters, TargetCapabilities) -> GradientCost
    /// `Sampler.standardNormalPrediction` of the type (nil for an external sampler).
    @usableFromInline let prediction: @Sendable (Double, ResolvedParameters) -> StationaryPrediction?
    /// `Sampler.init(stepSize:parameters:)` of the type (or the external sampler's).
    @usableFromInline let factory: @Sendable (Double, ResolvedParameters) throws -> any Sampler
    /// The manifest of an external sampler (nil for a Swift type).
    public let external: ExternalManifest?

    @inlinable
    public init<S: Sampler>(_ type: S.Type) {
        self.type = type
        self.chainRunner = { erased, start, warmup, loop, oracle, rng in
            let sampler = (erased as! S).prepared(forSteps: loop.steps)
            var state = sampler.initialState(position: start, warmup: warmup, oracle: &oracle, rng: &rng)
            loop.run(sampler, from: &state, oracle: &oracle, rng: &rng)
        }
        // Folded where S is concrete: a batched type's runner is specialised like the chain runner.
        self.batchRunner = (S.self as? any BatchedSampler.Type)?.batchRunner
        self.id = S.id
        self.summary = S.summary
        self.hyperparameters = S.hyperparameters
        self.stepSizePolicy = S.stepSizePolicy
        self.cost = { S.gradientCost(parameters: .decoded($0), target: $1) }
        self.factory = { try S(stepSize: $0, parameters: try S.Parameters(resolved: $1)) }
        self.prediction = { S.standardNormalPrediction(stepSize: $0, parameters: .decoded($1)) }
        self.external = nil
    }

    /// An external sampler's entry: its members from `manifest`, its chains run by `runner`
    /// (all of a cell's chains as one batch; a lone chain as a batch of one).
    init(external manifest: ExternalManifest, hyperparameters: [ParameterSpec], stepSizePolicy: StepSizePolicy,
         factory: @escaping @Sendable (Double, ResolvedParameters) throws -> any Sampler,
         runner: @escaping ChainBatchRunner) {
        self.type = ExternalSampler.self
        self.batchRunner = runner
        self.chainRunner = { sampler, start, warmup, loop, oracle, rng in
            var loops = [loop], rngs = [rng]
            var batch = BatchGradientOracle(target: oracle.target, chains: [oracle])
            runner(sampler, [start], warmup, &loops, &batch, &rngs)
            loop = loops[0]
            oracle = batch.chains[0]
            rng = rngs[0]
        }
        self.id = manifest.id
        self.summary = manifest.summary
        self.hyperparameters = hyperparameters
        self.stepSizePolicy = stepSizePolicy
        let declared = manifest.gradientCost.cost
        self.cost = { _, _ in declared }
        self.factory = factory
        self.prediction = { _, _ in nil }
        self.external = manifest
    }

    /// Whether the type's chains can run as one batch (`BatchedSampler`, or external).
    public var isBatched: Bool { batchRunner != nil }

    /// Whether a cell's chains all run as one unit: an external sampler's child process
    /// steps every chain of its cell (one request carries all of them).
    public var runsCellAsOneBatch: Bool { external != nil }

    /// Why this sampler cannot run on `target` with minibatches of `batchSize` (resolved
    /// against the target's data: `.full` means the exact gradient; nil: not known yet, not
    /// checked), or nil when it can.
    public func incompatibility(with target: any Target, batchSize: BatchSize? = nil) -> String? {
        if type.needsGradientNoise, batchSize?.isFull == true {
            return "sampler \(id) needs a stochastic gradient (its only momentum refresh is the minibatch noise), "
                + "but target \(target.id) at batch size full has an exact gradient, with which \(id) is deterministic "
                + "dynamics that do not sample; "
                + (target.dataSize == 1 ? "give the target a noise model (--target-param noise=isotropic) and a minibatch"
                                        : "give a minibatch (--batch-size n with n < N = \(target.dataSize))")
                + ", or run mclmc, its full-batch counterpart"
        }
        if type.needsExactSampler && !(target is any ExactlySampleable) {
            return "sampler \(id) needs a target that can draw exact samples; target \(target.id) cannot"
        }
        if target.dimension < type.minimumDimension {
            return "sampler \(id) needs dimension ≥ \(type.minimumDimension); target \(target.id) has \(target.dimension)"
        }
        return nil
    }

    /// `parameters` checked against the declared hyperparameters, defaults filled in.
    public func resolve(_ parameters: [String: ParameterValue]) throws -> ResolvedParameters {
        try ResolvedParameters(parameters, specs: hyperparameters, owner: "sampler \(id)")
    }

    /// Validates `stepSize` (required, finite and > 0 unless the policy is `.none`, where it
    /// is ignored) and `parameters`, and builds the sampler.
    public func make(stepSize: Double?, parameters: [String: ParameterValue]) throws -> (any Sampler, ResolvedParameters) {
        let resolved = try resolve(parameters)
        var h = 0.0
        if stepSizePolicy.usesStepSize {
            guard let stepSize, stepSize.isFinite, stepSize > 0 else {
                throw WorkbenchError.invalidValue(
                    owner: "sampler \(id)", name: "step size", value: stepSize.map { "\($0)" } ?? "none",
                    accepted: "a finite number > 0")
            }
            h = stepSize
        }
        return (try factory(h, resolved), resolved)
    }

    /// The declared cost (`Sampler.gradientCost`) of a chain with `parameters` on a target
    /// with `capabilities`.
    public func gradientCost(parameters: [String: ParameterValue], target capabilities: TargetCapabilities) throws -> GradientCost {
        cost(try resolve(parameters), capabilities)
    }

    /// What one chain costs, in per-datum gradient evaluations, per step and once at set-up,
    /// with minibatches of n on N data: the declared `gradientCost`, evaluated. The one cost
    /// gradient budgets, `--dry-run` and the tuning protocol use; the conformance kit checks
    /// it against the oracle's count.
    public func chainCost(parameters: [String: ParameterValue], batchSize n: Int, dataSize N: Int,
                          target capabilities: TargetCapabilities) throws -> (perStep: Int, setup: Int) {
        try gradientCost(parameters: parameters, target: capabilities).perDatum(batchSize: n, dataSize: N)
    }

    /// The predicted stationary law on the 1-D standard normal with full-batch gradients.
    public func standardNormalPrediction(stepSize: Double?, parameters: ResolvedParameters) -> StationaryPrediction? {
        prediction(stepSize ?? 0, parameters)
    }

    /// Runs one chain of `sampler` (built by this plugin's `make`): prepares it for the loop's
    /// steps, starts it at `start` with `warmup` warm-up steps, and runs `loop`.
    public func runChain(_ sampler: any Sampler, from start: [Double], warmup: Int, loop: inout ChainLoop,
                         oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) {
        chainRunner(sampler, start, warmup, &loop, &oracle, &rng)
    }

    /// Runs chains of `sampler` (built by this plugin's `make`) as one batch, one start, loop
    /// and generator per chain in chain order, each chain's numbers those of `runChain` alone;
    /// requires `isBatched`.
    public func runBatch(_ sampler: any Sampler, from starts: [[Double]], warmup: Int, loops: inout [ChainLoop],
                         oracle: inout BatchGradientOracle, rngs: inout [Xoshiro256StarStar]) {
        guard let batchRunner else { preconditionFailure("sampler \(id) is not batched; check isBatched first") }
        batchRunner(sampler, starts, warmup, &loops, &oracle, &rngs)
    }
}

extension Sampler {
    /// This type as a registry entry: `try Registry.builtin + [MySampler.plugin]`.
    @inlinable
    public static var plugin: SamplerPlugin { SamplerPlugin(Self.self) }
}
