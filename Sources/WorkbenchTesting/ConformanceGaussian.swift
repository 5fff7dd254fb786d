import Foundation
import Workbench

/// The target the conformance kit runs samplers on: the posterior of a Gaussian mean, small
/// enough to run in milliseconds and with data, so minibatches and their cost are exercised.
///
/// θ ∈ R³, prior N(0, τ² I) with τ = 10, and N = 64 data x_i with a tempered likelihood
/// x_i ~ N(θ, N s_j²) per coordinate j, s = (1, 0.5, 2): U(θ) = Σ_j θ_j²/(2τ²) +
/// Σ_i Σ_j (θ_j − x_ij)²/(2N s_j²). The posterior is Gaussian with precision
/// P_j = 1/τ² + 1/s_j² and mean Σ_i x_ij/(N s_j² P_j), so its scale is about one whatever N,
/// the same "step size" means the same thing as on the built-in unit-scale targets, and the
/// coordinates differ enough in scale to catch an index mix-up. It can draw exact samples
/// (for samplers like `exact`) and has closed-form second derivatives (the Hessian is the
/// constant diag(P), the minibatch estimate too); `firstOrderPlugin` registers it without
/// them, so the oracle's finite-difference and Hutchinson paths are exercised as well. The
/// default minibatch is n = 8.
public struct ConformanceGaussian: Target, ExactlySampleable, SecondOrderTarget {
    public var id: String { Self.id }
    public let dimension = 3
    public let dataSize = 64
    public let defaultBatchSize: BatchSize = 8
    /// The data, row-major N × d, generated from a fixed seed.
    public let data: [Double]
    static let scales = [1.0, 0.5, 2.0]
    static let priorVariance = 100.0
    var scales: [Double] { Self.scales }
    var priorVariance: Double { Self.priorVariance }
    let precision: [Double]
    let posteriorMean: [Double]

    public init() {
        var rng = Xoshiro256StarStar(seed: 20_130_801)
        let truth = [0.7, -1.2, 2.5]
        var data = [Double](repeating: 0, count: 64 * 3)
        for i in 0..<64 {
            for j in 0..<3 { data[i * 3 + j] = truth[j] + Self.scales[j] * rng.normal() }
        }
        self.data = data
        let precision = Self.scales.map { 1 / Self.priorVariance + 1 / ($0 * $0) }
        self.precision = precision
        var mean = [Double](repeating: 0, count: 3)
        for j in 0..<3 {
            var sum = 0.0
            for i in 0..<64 { sum += data[i * 3 + j] }
            let s2: Double = Self.scales[j] * Self.scales[j]
            mean[j] = sum / (64 * s2 * precision[j])
        }
        posteriorMean = mean
    }

    /// The same target without closed-form second derivatives.
    public static var firstOrderPlugin: TargetPlugin { FirstOrder.plugin }

    /// `ConformanceGaussian` seen as a first-order target only.
    public struct FirstOrder: Target, ExactlySampleable, TargetDefinition {
        public static let id = "conformance-gaussian-first-order"
        public static let summary = "the conformance kit's Gaussian without closed-form Hessians"
        public static func make(options: NoParameters) -> any Target { FirstOrder(base: ConformanceGaussian()) }

        let base: ConformanceGaussian
        public var id: String { Self.id }
        public var dimension: Int { base.dimension }
        public var dataSize: Int { base.dataSize }
        public var defaultBatchSize: BatchSize { base.defaultBatchSize }
        public var reference: Reference { base.reference }
        public func potential(at x: [Double]) -> Double { base.potential(at: x) }
        public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
            base.potentialGradient(at: x, into: &gradient)
        }
        public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
            base.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
        }
        public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
        public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) { base.drawExact(into: &x, rng: &rng) }
    }

    /// H = diag(P) on all data and on every minibatch (each datum's curvature is 1/(N s_j²),
    /// scaled by N/n over n data).
    public func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?,
                                     into result: inout [Double]) {
        for j in 0..<3 { result[j] = precision[j] * v[j] }
    }

    public func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        for j in 0..<3 { result[j] = precision[j] }
    }

    public var reference: Reference {
        var variance = [Double](), second = [Double](), secondVariance = [Double]()
        for j in 0..<3 {
            let m = posteriorMean[j], v = 1 / precision[j]
            variance.append(v)
            second.append(m * m + v)
            secondVariance.append(4 * m * m * v + 2 * v * v)
        }
        return Reference(kind: .exact, mean: posteriorMean, variance: variance,
                         secondMoment: second, secondMomentVariance: secondVariance)
    }

    public func potential(at x: [Double]) -> Double {
        var u = 0.0
        for j in 0..<3 {
            u += x[j] * x[j] / (2 * priorVariance)
            let w = 1 / (2 * Double(dataSize) * scales[j] * scales[j])
            for i in 0..<dataSize {
                let r = x[j] - data[i * 3 + j]
                u += w * r * r
            }
        }
        return u
    }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        for j in 0..<3 {
            var sum = 0.0
            for i in 0..<dataSize { sum += x[j] - data[i * 3 + j] }
            gradient[j] = x[j] / priorVariance + sum / (Double(dataSize) * scales[j] * scales[j])
        }
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        let factor = Double(dataSize) / Double(batch.count)
        for j in 0..<3 {
            var sum = 0.0
            for i in batch { sum += x[j] - data[Int(i) * 3 + j] }
            gradient[j] = x[j] / priorVariance + factor * sum / (Double(dataSize) * scales[j] * scales[j])
        }
    }

    /// Over-dispersed starts: the posterior mean plus 2 posterior sd of noise.
    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        (0..<3).map { posteriorMean[$0] + 2 * rng.normal() / precision[$0].squareRoot() }
    }

    public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        for j in 0..<3 { x[j] = posteriorMean[j] + rng.normal() / precision[j].squareRoot() }
    }
}

extension ConformanceGaussian: TargetDefinition {
    public static let id = "conformance-gaussian"
    public static let summary = "the conformance kit's Gaussian-mean posterior (d = 3, N = 64)"

    public static func make(options: NoParameters) -> any Target { ConformanceGaussian() }
}
