import Foundation
import Workbench

/// `template-target`: describe the distribution here in the conventions of the workbench's
/// docs/TARGETS.md: π(θ) ∝ exp(−U(θ)), U = −log p(θ) − Σ_{i=1..N} log p(x_i | θ), the
/// minibatch gradient unbiased at sum scale, and a reference (exact, or from draws).
///
/// The example filled in: N(0, s² I) in dimension d, with no data (N = 1), exact.
public struct TemplateTarget: Target, ExactlySampleable, TargetDefinition {
    public static let id = "template-target"
    public static let summary = "TemplateTarget (example: N(0, s² I))"

    /// The options, declared once: each property is one (its name in kebab case), with
    /// its default, accepted values and help for `bench list`.
    public struct Options: ParameterSet {
        @Integer(in: 1...10_000, help: "d") public var dimension = 2
        @Real(in: 1e-3...1e3, help: "s, the standard deviation of each coordinate") public var scale = 1.0
        public init() {}
    }

    /// The target for validated options.
    public static func make(options: Options) throws -> any Target {
        TemplateTarget(dimension: options.dimension, scale: options.scale)
    }

    public var id: String { Self.id }
    public let dimension: Int
    public let dataSize = 1
    public let scale: Double

    public var reference: Reference {
        let v = scale * scale
        let s = scale
        let marginal = Marginal(
            density: { x in exp(-0.5 * x * x / v) / (s * (2 * Double.pi).squareRoot()) },
            cdf: { x in 0.5 * erfc(-x / (s * 2.0.squareRoot())) })
        return Reference(
            kind: .exact, mean: Array(repeating: 0, count: dimension), variance: Array(repeating: v, count: dimension),
            secondMoment: Array(repeating: v, count: dimension), secondMomentVariance: Array(repeating: 2 * v * v, count: dimension),
            marginals: Array(repeating: marginal, count: dimension))
    }

    public func potential(at x: [Double]) -> Double {
        x.reduce(0) { $0 + $1 * $1 } / (2 * scale * scale)
    }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        for i in 0..<dimension { gradient[i] = x[i] / (scale * scale) }
    }

    /// With N = 1 every run is full batch; a target with data sums over `batch` × N/n.
    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        (0..<dimension).map { _ in 2 * scale * rng.normal() }
    }

    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        for i in 0..<dimension { x[i] = scale * rng.normal() }
    }
}
