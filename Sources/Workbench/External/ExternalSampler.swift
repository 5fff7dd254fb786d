import Foundation

/// An external sampler, as one cell runs it: its manifest, step size, hyperparameters and
/// the run's settings. The chains are stepped by the child process the manifest names
/// (`ExternalSession`), so this type's per-chain `step` is never called: its plugin
/// (`SamplerPlugin.external`) runs every chain of a cell as one batch.
public struct ExternalSampler: Sampler {
    public let manifest: ExternalManifest
    /// h, or nil when the manifest's policy is "none".
    public let stepSize: Double?
    public let parameters: ResolvedParameters
    public let settings: ExternalSettings

    // The plugin reads these from the manifest; the type's own are placeholders.
    public static let id = "external"
    public static let summary = "a sampler in a child process (docs/EXTERNAL.md)"
    public static let stepSizePolicy = StepSizePolicy.none

    /// The type declares no parameters: each external sampler's come from its manifest
    /// (`SamplerPlugin.external`), and reach the child untyped.
    public static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost { .free }

    public init(stepSize: Double, parameters: NoParameters) throws {
        throw WorkbenchError.unsupported("an external sampler is made from its manifest (--external FILE), not by its type")
    }

    init(manifest: ExternalManifest, stepSize: Double?, parameters: ResolvedParameters, settings: ExternalSettings) {
        self.manifest = manifest
        self.stepSize = stepSize
        self.parameters = parameters
        self.settings = settings
    }

    public struct State: SamplerState {
        public var position: [Double]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        preconditionFailure("an external sampler's chains are stepped by its child process (ExternalSession)")
    }
}

/// How external samplers' children run, the same for every cell (settings outside the
/// spec: they change no number of a cell that finishes).
public struct ExternalSettings: Sendable, Hashable {
    /// Seconds a cell's child may take in all (`--cell-timeout`); nil: no limit.
    public var cellTimeout: Double?
    /// Seconds a child has to exit after it is told to stop, before it is killed.
    public var exitGrace: Double = 5
    /// Where each cell's child keeps its standard error, as `<cell file stem>.stderr` (a grid's
    /// `DIR/logs`); nil: a temporary file, removed when the cell ends (its tail is in the
    /// message of a cell that fails either way).
    public var logFolder: String?

    public init(cellTimeout: Double? = nil, logFolder: String? = nil) {
        self.cellTimeout = cellTimeout
        self.logFolder = logFolder
    }
}

extension SamplerPlugin {
    /// The registry entry of the external sampler `manifest` describes, run with `settings`.
    public static func external(_ manifest: ExternalManifest, settings: ExternalSettings = ExternalSettings()) throws -> SamplerPlugin {
        let policy = try manifest.stepSizePolicy()
        return SamplerPlugin(
            external: manifest, hyperparameters: try manifest.parameterSpecs(), stepSizePolicy: policy,
            factory: { h, parameters in
                ExternalSampler(manifest: manifest, stepSize: policy.usesStepSize ? h : nil, parameters: parameters, settings: settings)
            },
            runner: { erased, starts, warmup, loops, oracle, rngs in
                let sampler = erased as! ExternalSampler
                var session = ExternalSession(sampler: sampler, chains: starts.count, dimension: oracle.dimension)
                if let fault = session.run(starts: starts, warmup: warmup, loops: &loops, oracle: &oracle, rngs: &rngs) {
                    loops[0].fault = fault
                }
            })
    }
}

/// Why an external sampler's cell did not finish: the child crashed, hung, exited early,
/// sent a malformed frame, a wrong shape or a non-finite position, gave up, or spent other
/// gradients than its manifest declares. A cell result, not a tool failure: the grid records
/// the cell as `crashed` (the child died by a signal) or `failed`, with this message.
public struct ExternalSamplerFault: Error, Sendable, CustomStringConvertible {
    public let sampler: String
    public let reason: String
    /// Whether the child died by a signal (the cell is `crashed`).
    public let crashed: Bool
    /// The last lines of the child's standard error.
    public let stderrTail: String
    /// Where the whole of it is kept (a grid's `DIR/logs/<cell>.stderr`), if anywhere.
    public var log: String? = nil

    public var description: String {
        let tail = stderrTail.isEmpty ? "" : "; stderr: " + stderrTail.split(separator: "\n").joined(separator: " | ")
        return "external sampler \(sampler): \(reason)\(tail)" + (log.map { " (whole stderr: \($0))" } ?? "")
    }
}
