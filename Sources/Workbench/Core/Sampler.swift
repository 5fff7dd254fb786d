import Foundation

/// What one step of a sampler reports (SAMPLERS.md, "each step returns an info record").
///
/// Fields a sampler does not have stay NaN / false. It is a plain value: no allocation per step.
public struct StepInfo: Sendable {
    /// The state became non-finite or exploded; the runner stops the chain.
    public var diverged = false
    /// Whether this step's position is a draw to keep (false for e.g. the exploration phase
    /// of cyclical SGLD).
    public var keep = true
    /// Energy error ΔE of the step (Hamiltonian and microcanonical samplers).
    public var energyError = Double.nan
    /// Kinetic-energy change ΔK of the step.
    public var kineticChange = Double.nan
    /// Acceptance probability of a Metropolis step.
    public var acceptance = Double.nan
    /// The sampler reset or rejected the step (momentum reset, reverted position).
    public var reset = false

    public init() {}

    /// Whether the step reports a reset, an acceptance or an energy error (what
    /// `ChainRecord.observe` records); the runner skips the call when it does not.
    @inlinable
    public var reportsOutcome: Bool { reset || !acceptance.isNaN || !energyError.isNaN }
}

/// A position-carrying sampler state: the value each step mutates in place.
public protocol SamplerState: Sendable {
    /// The current position θ (length d); for a `BatchedSampler`, the C chains' θ as rows
    /// (C × d, chain-major).
    var position: [Double] { get }
}

/// A Markov chain Monte Carlo update rule, and its plugin: the type is what gets registered
/// (`Registry.register(SGLD.self)`), its static members say what it is and costs, an instance
/// is built for one step size and hyperparameter set, and its steps run the chains.
///
/// Contract: all randomness comes from the `rng` passed in (the chain's own generator), and
/// all gradients from the `oracle`, so the same seed gives the same chain bit for bit and the
/// gradient cost is counted. `step` mutates the state in place and must not allocate.
/// `gradientCost` states what the oracle will count: the conformance kit checks the two agree,
/// on targets with and without closed-form second derivatives.
public protocol Sampler: Sendable {
    associatedtype State: SamplerState

    /// The id commands and grid specs name the sampler by, e.g. "sgld".
    static var id: String { get }
    /// One line: what it is, with its source.
    static var summary: String { get }
    /// Its hyperparameters, declared once as typed properties (`ParameterSet`: `@Real`,
    /// `@Integer`, `@Choice`), with defaults, accepted values and help (default: none).
    associatedtype Parameters: ParameterSet = NoParameters
    /// What the step size h is to this sampler: none, fixed, or where its warm-up adaptation
    /// starts (`StepSizePolicy`).
    static var stepSizePolicy: StepSizePolicy { get }
    /// Whether it needs a target that can draw exact samples (default false).
    static var needsExactSampler: Bool { get }
    /// The smallest dimension it is defined for (default 1; 2 for isokinetic dynamics, whose
    /// unit-speed momentum cannot turn in one dimension).
    static var minimumDimension: Int { get }
    /// Whether its only momentum refresh is the minibatch gradient noise (default false): then
    /// with an exact gradient (full batch) it is deterministic dynamics, which do not sample,
    /// and a cell at full batch is declined before it runs (`SamplerPlugin.incompatibility`).
    static var needsGradientNoise: Bool { get }

    /// What a chain costs in gradients with these hyperparameters on a target with these
    /// capabilities (SAMPLERS.md, "Cost accounting"): the one cost that gradient budgets,
    /// `--dry-run`, the tuning protocol and the conformance kit use.
    static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost

    /// The predicted stationary law on the 1-D standard normal with full-batch gradients for
    /// a step size and hyperparameters (default nil: no prediction).
    static func standardNormalPrediction(stepSize: Double, parameters: Parameters) -> StationaryPrediction?

    /// The sampler for step size `stepSize` (0 when the policy is `.none`; otherwise finite and
    /// > 0, checked by the registry) and validated hyperparameters. Throws a `WorkbenchError`
    /// for a combination of values the domains cannot express (e.g. fractions summing over 1).
    init(stepSize: Double, parameters: Parameters) throws

    /// The state at `position` at the start of a chain (may spend gradients, e.g. to cache
    /// the gradient at the start point, or to find a mode for control variates).
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State

    /// Advances `state` by one step.
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo

    /// This sampler set up for chains of `steps` steps (warm-up included), called by the runner
    /// before each chain. Samplers whose schedule spans the whole run (cyclical SGLD's K) read
    /// it; the default returns the sampler unchanged.
    func prepared(forSteps steps: Int) -> Self

    /// The state at `position` for a chain whose first `warmup` steps are warm-up: what the
    /// runner calls. Samplers that tune themselves (step size, mass matrix, L) do it inside
    /// those steps — warm-up is part of the run and its gradients are counted — and read the
    /// length here. The default ignores `warmup` and calls `initialState(position:oracle:rng:)`.
    func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                      rng: inout Xoshiro256StarStar) -> State
}

extension Sampler {
    /// The declarations of `Parameters`: what `bench list` shows and values are checked against.
    public static var hyperparameters: [ParameterSpec] { Parameters.declarations }
    public static var needsExactSampler: Bool { false }
    public static var minimumDimension: Int { 1 }
    public static var needsGradientNoise: Bool { false }

    public static func standardNormalPrediction(stepSize: Double, parameters: Parameters) -> StationaryPrediction? {
        nil
    }

    public func prepared(forSteps steps: Int) -> Self { self }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, oracle: &oracle, rng: &rng)
    }
}
