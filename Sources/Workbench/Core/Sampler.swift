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
}

/// A position-carrying sampler state: the value each step mutates in place.
public protocol SamplerState: Sendable {
    /// The current position θ (length d).
    var position: [Double] { get }

    /// Calls `body` with the position's storage, borrowed for the duration of the call. The
    /// runner reads the position this way after every step: the default implementation is
    /// specialised in the conforming module, where the stored array is read without the
    /// retain and release that returning it from the `position` getter costs.
    func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R
}

extension SamplerState {
    @inlinable
    public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        position.withUnsafeBufferPointer(body)
    }
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

    /// Per-datum gradient evaluations one step costs with minibatches of `batchSize` n on
    /// `dataSize` N data (n = N when full batch): n for one `stochasticGradient`, N for one
    /// `fullGradient`. Used to turn a gradient budget into a step count
    /// (`GridSpec.gradientBudget`). Default n (one minibatch gradient per step).
    func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int

    /// Runs the runner's loop over one chain (`ChainLoop`) from `state`. A sampler does not
    /// implement this: the default is compiled into each conformance, so that the loop calls
    /// `step` and `withPosition` on the concrete types rather than through the `any Sampler`
    /// the runner holds (per step, a witness-table call and an unspecialised closure each).
    func run(_ loop: inout ChainLoop, from state: inout State, oracle: inout GradientOracle,
             rng: inout Xoshiro256StarStar)
}

extension Sampler {
    public func prepared(forSteps steps: Int) -> Self { self }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, oracle: &oracle, rng: &rng)
    }

    public func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { batchSize }

    @inlinable
    public func run(_ loop: inout ChainLoop, from state: inout State, oracle: inout GradientOracle,
                    rng: inout Xoshiro256StarStar) {
        loop.run(self, from: &state, oracle: &oracle, rng: &rng)
    }
}

/// What a sampler's chain costs in gradients (SAMPLERS.md, "Cost accounting"), as its plugin
/// declares it: so many minibatch-gradient equivalents per step (each n per-datum evaluations,
/// n = N when full batch), plus a one-off set-up per chain. Second-order queries count as the
/// oracle charges them (see `GradientOracle`): one minibatch gradient when the target has them
/// in closed form, two per finite-difference Hessian-vector product or Hutchinson probe.
public struct GradientCost: Sendable, Equatable, CustomStringConvertible {
    /// Minibatch-gradient equivalents per step.
    public var batchGradientsPerStep: Int
    /// Minibatch gradients spent once per chain before the first step (e.g. SGD to a mode).
    public var setupBatchGradients: Int
    /// Full gradients spent once per chain before the first step (e.g. ∇U at a mode).
    public var setupFullGradients: Int

    public init(batchGradientsPerStep: Int, setupBatchGradients: Int = 0, setupFullGradients: Int = 0) {
        self.batchGradientsPerStep = batchGradientsPerStep
        self.setupBatchGradients = setupBatchGradients
        self.setupFullGradients = setupFullGradients
    }

    /// No gradients at all (exact draws).
    public static let free = GradientCost(batchGradientsPerStep: 0)

    public var description: String {
        var parts = ["\(batchGradientsPerStep == 1 ? "" : "\(batchGradientsPerStep)")n per step"]
        if batchGradientsPerStep == 0 { parts = ["no gradients"] }
        if setupBatchGradients > 0 { parts.append("\(setupBatchGradients)n at set-up") }
        if setupFullGradients > 0 { parts.append("\(setupFullGradients == 1 ? "" : "\(setupFullGradients)")N at set-up") }
        return parts.joined(separator: " + ")
    }
}

/// A sampler's own prediction of its stationary law on the 1-D standard normal target with
/// exact (full-batch) gradients — the experiment of seed 001 and the table at the end of
/// SAMPLERS.md. `density` is unnormalised (the workbench normalises it numerically); it is nil
/// when the law has no density (a point mass), and `formula` then says what it is.
public struct StationaryPrediction: Sendable {
    /// The law in words and symbols, e.g. "∝ (λ + |θ|) e^(−θ²/2)".
    public let formula: String
    public let density: (@Sendable (Double) -> Double)?

    public init(formula: String, density: (@Sendable (Double) -> Double)?) {
        self.formula = formula
        self.density = density
    }

    /// A centred normal law N(0, v).
    public static func normal(variance v: Double, formula: String? = nil) -> StationaryPrediction {
        StationaryPrediction(formula: formula ?? "N(0, \(formatNumber(v)))") { x in Foundation.exp(-0.5 * x * x / v) }
    }

    /// The normalising constant, mean-zero variance Var = ∫θ²p/∫p and the normalised density
    /// function, by composite Simpson's rule on [−limit, limit] with a node at 0 (where the
    /// predicted laws have their kinks); nil without a density.
    public func normalized(limit: Double = 12, intervals: Int = 24_000) -> (density: @Sendable (Double) -> Double, variance: Double)? {
        guard let density else { return nil }
        let n = intervals + intervals % 2
        let width = 2 * limit / Double(n)
        var z = 0.0, second = 0.0
        for k in 0...n {
            let x = -limit + Double(k) * width
            let w: Double = (k == 0 || k == n) ? 1 : (k % 2 == 1 ? 4 : 2)
            let p = density(x)
            z += w * p
            second += w * p * x * x
        }
        z *= width / 3
        second *= width / 3
        guard z > 0, z.isFinite else { return nil }
        let norm = z
        return ({ x in density(x) / norm }, second / z)
    }
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
    /// What a chain costs in gradients for given hyperparameters, and whether the target has
    /// closed-form second derivatives (`GradientOracle.hasAnalyticHessian`); nil if undeclared.
    public let gradientCost: (@Sendable (_ parameters: ResolvedParameters, _ analyticHessian: Bool) -> GradientCost)?
    /// The predicted stationary law on the 1-D standard normal with full-batch gradients for a
    /// step size and hyperparameters (nil: no prediction for those settings).
    public let standardNormalPrediction: (@Sendable (_ stepSize: Double, _ parameters: ResolvedParameters) -> StationaryPrediction?)?
    /// The step size to start from and how it scales with the target (`StepSizeDefault`), for
    /// the tuning protocol's sweep (`TuningSpec`); nil when the sampler declares none (a sweep
    /// then needs explicit `tuning.stepSizes` for it) or uses no step size.
    public let stepSizeDefault: StepSizeDefault?
    private let factory: @Sendable (Double, ResolvedParameters) throws -> any Sampler

    public init(id: String, summary: String, stepSizeDefault: StepSizeDefault? = nil, hyperparameters: [ParameterSpec] = [],
                usesStepSize: Bool = true, needsExactSampler: Bool = false, minimumDimension: Int = 1,
                gradientCost: (@Sendable (_ parameters: ResolvedParameters, _ analyticHessian: Bool) -> GradientCost)? = nil,
                standardNormalPrediction: (@Sendable (_ stepSize: Double, _ parameters: ResolvedParameters) -> StationaryPrediction?)? = nil,
                make: @escaping @Sendable (_ stepSize: Double, _ parameters: ResolvedParameters) throws -> any Sampler) {
        self.id = id
        self.summary = summary
        self.hyperparameters = hyperparameters
        self.usesStepSize = usesStepSize
        self.needsExactSampler = needsExactSampler
        self.minimumDimension = minimumDimension
        self.gradientCost = gradientCost
        self.standardNormalPrediction = standardNormalPrediction
        self.stepSizeDefault = usesStepSize ? stepSizeDefault : nil
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

extension SamplerPlugin {
    /// What one chain of this sampler costs, in per-datum gradient evaluations, per step and
    /// once at set-up, with minibatches of n on N data, on a target with or without
    /// closed-form second derivatives (`GradientOracle.hasAnalyticHessian`): the plugin's
    /// declared `gradientCost` when it has one — it knows the set-up and the second-order
    /// costs, which the oracle charges n in closed form and 2n per finite-difference product
    /// or Hutchinson probe otherwise — else the sampler's `perDatumGradientsPerStep` and no
    /// set-up. The one cost that gradient budgets, `--dry-run` and the tuning protocol use;
    /// the conformance kit checks it against the oracle's count.
    public func chainCost(stepSize: Double?, parameters: [String: ParameterValue], batchSize n: Int, dataSize N: Int,
                          analyticHessian: Bool) throws -> (perStep: Int, setup: Int) {
        let (sampler, resolved) = try make(stepSize: stepSize, parameters: parameters)
        guard let declared = gradientCost?(resolved, analyticHessian) else {
            return (sampler.perDatumGradientsPerStep(batchSize: n, dataSize: N), 0)
        }
        return (declared.batchGradientsPerStep * n, declared.setupBatchGradients * n + declared.setupFullGradients * N)
    }
}

/// A sampler's default step size h₀ for a unit-scale target and how its step size scales with
/// the target's length scale s (`Target.lengthScale`): the tuning protocol centres its sweep on
/// h₀ · s^p, p = `scaling.exponent` (SAMPLERS.md, "Step-size defaults").
public struct StepSizeDefault: Sendable, Equatable {
    /// How the step size scales with the length scale s of the target.
    public enum Scaling: String, Sendable, Codable {
        /// A time step of overdamped Langevin dynamics (h in θ − h∇U + √(2h)ξ): stability and
        /// bias are set by h/s², so h ∝ s².
        case time
        /// A length (a leapfrog or isokinetic ε, a Hamiltonian time step whose velocity is
        /// O(1), or a preconditioned step whose metric divides by the gradient's scale 1/s):
        /// h ∝ s.
        case length
        /// Scale-free (the metric absorbs the whole scale): h does not change with s.
        case none

        /// p in h ∝ s^p.
        public var exponent: Double {
            switch self {
            case .time: return 2
            case .length: return 1
            case .none: return 0
            }
        }
    }

    /// h₀: the step size for a target with s = 1.
    public let unitScale: Double
    public let scaling: Scaling
    /// Whether the sampler adapts its step size itself, h being only the initial value
    /// (`smile`): the protocol does not sweep it and runs it from h₀ · s^p.
    public let adaptive: Bool

    public init(_ unitScale: Double, scaling: Scaling, adaptive: Bool = false) {
        precondition(unitScale.isFinite && unitScale > 0, "a default step size is a finite number > 0")
        self.unitScale = unitScale
        self.scaling = scaling
        self.adaptive = adaptive
    }

    /// h₀ · s^p for a target of length scale `s`.
    public func scaled(to s: Double) -> Double {
        unitScale * Foundation.pow(s, scaling.exponent)
    }
}
