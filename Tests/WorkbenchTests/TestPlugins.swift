import Workbench

/// A target with N data whose minibatch gradient counts the indices it was given: g[i] is the
/// number of times datum i is in the batch. Lets tests see the oracle's batching.
struct IndexCountingTarget: Target, TargetDefinition {
    static let id = "index-counting"
    static let summary = "batch probe"
    static func make(options: NoParameters) -> any Target { IndexCountingTarget(dataSize: 10) }

    var id: String { Self.id }
    let dataSize: Int
    var dimension: Int { dataSize }
    var reference: Reference {
        let zeros = [Double](repeating: 0, count: dimension), ones = [Double](repeating: 1, count: dimension)
        return Reference(kind: .exact, mean: zeros, variance: ones, secondMoment: ones, secondMomentVariance: ones)
    }
    func potential(at x: [Double]) -> Double { 0 }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        for i in gradient.indices { gradient[i] = 1 }
    }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        for i in gradient.indices { gradient[i] = 0 }
        for i in batch { gradient[Int(i)] += 1 }
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [Double](repeating: 0, count: dimension) }
}

/// N(0, 1) in d dimensions, exactly sampleable, for runner and grid tests.
struct UnitGaussian: ExactlySampleable, TargetDefinition {
    static let id = "unit-gaussian"
    static let summary = "N(0, I)"
    struct Options: ParameterSet {
        @Integer(in: 1...100, help: "d") var dimension = 2
    }
    static func make(options: Options) -> any Target { UnitGaussian(dimension: options.dimension) }

    var id: String { Self.id }
    let dimension: Int
    var dataSize: Int { 1 }
    var reference: Reference {
        let zeros = [Double](repeating: 0, count: dimension), ones = [Double](repeating: 1, count: dimension)
        return Reference(kind: .exact, mean: zeros, variance: ones, secondMoment: ones,
                         secondMomentVariance: ones.map { 2 * $0 })
    }
    func potential(at x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } / 2 }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        for i in gradient.indices { gradient[i] = x[i] }
    }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { (0..<dimension).map { _ in rng.normal() } }
    func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
        for i in x.indices { x[i] = rng.normal() }
    }
}

/// Euler–Maruyama Langevin with full gradients: the simplest sampler, for runner tests.
/// Langevin steps θ ← θ − h∇Ũ + √(2h) ξ, one minibatch gradient each; h is fixed, with a
/// declared default for the tuning protocol, and one declared (unused) hyperparameter.
struct TestLangevin: Sampler {
    static let id = "test-langevin"
    static let summary = "test Langevin"
    static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .time))
    struct Parameters: ParameterSet {
        @Real(in: 0...2, help: "a declared parameter") var unused = 1.0
    }

    static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    let h: Double

    init(h: Double) { self.h = h }
    init(stepSize h: Double, parameters: Parameters) { self.h = h }

    struct State: SamplerState {
        var position: [Double]
        var gradient: [Double]
    }
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, gradient: position)
    }
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in state.position.indices {
            state.position[i] += -h * state.gradient[i] + (2 * h).squareRoot() * rng.normal()
        }
        return StepInfo()
    }
}

/// A sampler without a step size that needs an exactly sampleable target: Langevin steps at
/// h = 0 (it stands still, paying a minibatch gradient a step).
struct TestExact: Sampler {
    typealias State = TestLangevin.State
    static let id = "test-exact"
    static let summary = "exact"
    static let stepSizePolicy = StepSizePolicy.none
    static let needsExactSampler = true

    static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    let still = TestLangevin(h: 0)

    init(stepSize: Double, parameters: NoParameters) {}

    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        still.initialState(position: position, oracle: &oracle, rng: &rng)
    }
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        still.step(&state, oracle: &oracle, rng: &rng)
    }
}

/// The pooled mean and variance of coordinate 0, to compare runs by their numbers.
struct TestMeanDiagnostic: Diagnostic {
    static let id = "test-mean"
    static let summary = "mean and variance of x[1]"
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let m = run.pooledMoments
        return [Metric(diagnostic: id, name: "mean", value: m.mean[0], unit: "", direction: .neutral),
                Metric(diagnostic: id, name: "variance", value: m.variance[0], unit: "", direction: .neutral)]
    }
}

let testRegistry = try! Registry(
    samplers: [SamplerPlugin(TestLangevin.self), SamplerPlugin(TestExact.self)],
    targets: [UnitGaussian.plugin, IndexCountingTarget.plugin],
    diagnostics: [TestMeanDiagnostic.plugin])

/// U(x) = ½ xᵀAx with a fixed symmetric A (non-diagonal), N = 1, without closed-form
/// second derivatives: the oracle's finite-difference and Hutchinson fallbacks see it.
struct QuadraticTarget: Target {
    let id = "quadratic"
    /// Row-major d × d, symmetric.
    let matrix: [Double]
    var dimension: Int { Int(Double(matrix.count).squareRoot()) }
    var dataSize: Int { 1 }
    var reference: Reference {
        let zeros = [Double](repeating: 0, count: dimension), ones = [Double](repeating: 1, count: dimension)
        return Reference(kind: .exact, mean: zeros, variance: ones, secondMoment: ones, secondMomentVariance: ones)
    }
    func potential(at x: [Double]) -> Double {
        var g = x
        potentialGradient(at: x, into: &g)
        return 0.5 * zip(x, g).reduce(0) { $0 + $1.0 * $1.1 }
    }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        let d = dimension
        for i in 0..<d { gradient[i] = (0..<d).reduce(0) { $0 + matrix[i * d + $1] * x[$1] } }
    }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        potentialGradient(at: x, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [Double](repeating: 0, count: dimension) }
}

/// The same quadratic with its Hessian A in closed form.
struct AnalyticQuadraticTarget: SecondOrderTarget {
    let base: QuadraticTarget
    var id: String { "analytic-quadratic" }
    var dimension: Int { base.dimension }
    var dataSize: Int { 1 }
    var reference: Reference { base.reference }
    var parameterBlocks: [ParameterBlock] { [ParameterBlock(rows: 1, columns: dimension)] }
    func potential(at x: [Double]) -> Double { base.potential(at: x) }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) { base.potentialGradient(at: x, into: &gradient) }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
    func hessianVectorProduct(at x: [Double], vector v: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        base.potentialGradient(at: v, into: &result)
    }
    func hessianDiagonal(at x: [Double], batch: ArraySlice<Int32>?, into result: inout [Double]) {
        let d = dimension
        for i in 0..<d { result[i] = base.matrix[i * d + i] }
    }
}
