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
}

/// A position-carrying sampler state: the value each step mutates in place.
public protocol SamplerState: Sendable {
    /// The current position θ (length d).
    var position: [Double] { get }
}

/// A Markov chain Monte Carlo update rule.
///
/// Contract: all randomness comes from the `rng` passed in (the chain's own generator), and
/// all gradients from the `oracle`, so the same seed gives the same chain bit for bit and the
/// gradient cost is counted. `step` mutates the state in place and must not allocate.
/// The hyperparameters are fixed at construction (see `SamplerPlugin`).
public protocol Sampler: Sendable {
    associatedtype State: SamplerState

    /// The state at `position` at the start of a chain (may spend gradients, e.g. to cache
    /// the gradient at the start point, or to find a mode for control variates).
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State

    /// Advances `state` by one step.
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo

    /// The state at `position` for a chain whose first `warmup` steps are warm-up: what the
    /// runner calls. Samplers that tune themselves (step size, mass matrix, L) do it inside
    /// those steps — warm-up is part of the run and its gradients are counted — and read the
    /// length here. The default ignores `warmup` and calls `initialState(position:oracle:rng:)`.
    func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                      rng: inout Xoshiro256StarStar) -> State

    /// Per-datum gradient evaluations one step costs with minibatches of `batchSize` n on
    /// `dataSize` N data (n = N when full batch): n for one `stochasticGradient`, N for one
    /// `fullGradient`. Used to turn a gradient budget into a step count
    /// (`GridSpec.gradientBudget`). Default n (one minibatch gradient per step).
    func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int
}

extension Sampler {
    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, oracle: &oracle, rng: &rng)
    }

    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { batchSize }
}

/// How a sampler is registered: its id, what it does, its hyperparameters with defaults, and
/// a factory that builds it from a step size and validated hyperparameters.
public struct SamplerPlugin: Sendable {
    public let id: String
    public let summary: String
    public let hyperparameters: [ParameterSpec]
    /// Whether the step size h matters (false for `exact`; the grid then runs one cell).
    public let usesStepSize: Bool
    /// Whether the sampler needs a target that can draw exact samples.
    public let needsExactSampler: Bool
    /// The smallest dimension the sampler is defined for (2 for isokinetic dynamics, whose
    /// unit-speed momentum cannot turn in one dimension).
    public let minimumDimension: Int
    private let factory: @Sendable (Double, ResolvedParameters) throws -> any Sampler

    public init(id: String, summary: String, hyperparameters: [ParameterSpec] = [],
                usesStepSize: Bool = true, needsExactSampler: Bool = false, minimumDimension: Int = 1,
                make: @escaping @Sendable (_ stepSize: Double, _ parameters: ResolvedParameters) throws -> any Sampler) {
        self.id = id
        self.summary = summary
        self.hyperparameters = hyperparameters
        self.usesStepSize = usesStepSize
        self.needsExactSampler = needsExactSampler
        self.minimumDimension = minimumDimension
        self.factory = make
    }

    /// Why this sampler cannot run on `target`, or nil when it can.
    public func incompatibility(with target: any Target) -> String? {
        if needsExactSampler && !(target is any ExactlySampleable) {
            return "sampler \(id) needs a target that can draw exact samples; target \(target.id) cannot"
        }
        if target.dimension < minimumDimension {
            return "sampler \(id) needs dimension ≥ \(minimumDimension); target \(target.id) has \(target.dimension)"
        }
        return nil
    }

    /// Validates `stepSize` and `parameters` and builds the sampler.
    public func make(stepSize: Double?, parameters given: [String: ParameterValue]) throws -> (any Sampler, ResolvedParameters) {
        let resolved = try ResolvedParameters(given, specs: hyperparameters, owner: "sampler \(id)")
        let h = stepSize ?? 0
        if usesStepSize {
            guard let stepSize, stepSize.isFinite, stepSize > 0 else {
                throw WorkbenchError.invalidValue(
                    owner: "sampler \(id)", name: "step size", value: stepSize.map { "\($0)" } ?? "none",
                    accepted: "a finite number > 0")
            }
        }
        return (try factory(h, resolved), resolved)
    }
}
