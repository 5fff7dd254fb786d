import Foundation

/// What the step size h is to a sampler (`Sampler.stepSizePolicy`): the one place the grid,
/// the tuning protocol and the commands ask whether a sampler takes h and where it starts.
public enum StepSizePolicy: Sendable, Equatable {
    /// No step size (exact draws): a grid runs one cell without h, and an h given on the
    /// command line is refused with a note.
    case none
    /// h is the sampler's step size, fixed for the run. The default, when declared, is the
    /// centre of the tuning protocol's sweep; a plain grid crosses the grid's step sizes.
    case fixed(StepSizeDefault?)
    /// h is where the sampler's own warm-up adaptation starts (dual averaging, an energy-error
    /// tuner). Unless step sizes are named for the sampler, a grid runs one cell from the
    /// default h₀·s^p, and the tuning protocol does not sweep it.
    case adaptiveInitial(StepSizeDefault)

    /// Whether the sampler takes a step size at all.
    public var usesStepSize: Bool { self != .none }

    /// Whether h is only where the sampler's own adaptation starts.
    public var adapts: Bool {
        if case .adaptiveInitial = self { return true }
        return false
    }

    /// The declared default, if any.
    public var stepSizeDefault: StepSizeDefault? {
        switch self {
        case .none: return nil
        case .fixed(let d): return d
        case .adaptiveInitial(let d): return d
        }
    }

    /// The step size a run of sampler `id` on `target` uses when `given` is what the user
    /// named (nil: nothing), with a note to print when the choice is not the user's literal
    /// value: `.none` ignores a given h (noted), `.adaptiveInitial` starts from its default
    /// when none is given (noted), `.fixed` requires one. A given h must be finite and > 0.
    public func resolve(_ given: Double?, sampler id: String, target: any Target) throws -> (stepSize: Double?, note: String?) {
        if let given, !(given.isFinite && given > 0) {
            throw WorkbenchError.invalidValue(owner: "sampler \(id)", name: "step size", value: "\(given)", accepted: "a finite number > 0")
        }
        switch self {
        case .none:
            return (nil, given.map { "sampler \(id) has no step size to set (it draws exactly); step size \(formatNumber($0)) is ignored" })
        case .fixed:
            guard let given else {
                throw WorkbenchError.invalidValue(owner: "sampler \(id)", name: "step size", value: "none",
                                                  accepted: "a step size H > 0 (--step-size H)")
            }
            return (given, nil)
        case .adaptiveInitial(let d):
            if let given { return (given, nil) }
            let h = d.value(for: target)
            return (h, "sampler \(id) adapts its step size in the warm-up; it starts from its default \(d.formula), here \(formatNumber(h))")
        }
    }
}

/// A sampler's default step size h₀ for a unit-scale target and how its step size scales with
/// the target's length scale s (`Target.lengthScale`) and, for some, its dimension d: the
/// tuning protocol centres its sweep on h₀ · s^p (· √d), p = `scaling.exponent` (SAMPLERS.md,
/// "Step-size defaults").
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
        /// Scale-free (the metric absorbs the whole scale, or an adaptation starts from a
        /// fixed value): h does not change with s.
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

    /// h₀: the step size for a target with s = 1 (and d = 1 when `growsWithDimension`).
    public let unitScale: Double
    public let scaling: Scaling
    /// Whether h₀ is multiplied by √d (BlackJAX's MCLMC start ε = 0.25√d).
    public let growsWithDimension: Bool

    public init(_ unitScale: Double, scaling: Scaling, growsWithDimension: Bool = false) {
        precondition(unitScale.isFinite && unitScale > 0, "a default step size is a finite number > 0")
        self.unitScale = unitScale
        self.scaling = scaling
        self.growsWithDimension = growsWithDimension
    }

    /// h₀ · s^p for a target of length scale `s` (times √d for a target of dimension `d`
    /// when `growsWithDimension`).
    public func scaled(to s: Double, dimension d: Int = 1) -> Double {
        let h = unitScale * Foundation.pow(s, scaling.exponent)
        return growsWithDimension ? h * Double(d).squareRoot() : h
    }

    /// The default for `target`.
    public func value(for target: any Target) -> Double {
        scaled(to: target.lengthScale, dimension: target.dimension)
    }

    /// E.g. "h₀·s^2 (h₀ = 0.05)", or "h₀ = 0.1" when h₀ is not scaled.
    public var formula: String {
        let factors = (scaling == .none ? "" : "·s^\(formatNumber(scaling.exponent))") + (growsWithDimension ? "·√d" : "")
        return factors.isEmpty ? "h₀ = \(formatNumber(unitScale))" : "h₀\(factors) (h₀ = \(formatNumber(unitScale)))"
    }
}
