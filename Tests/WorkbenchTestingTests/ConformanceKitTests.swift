import Foundation
import Testing
import Workbench
@testable import WorkbenchTesting

/// The kit passes what conforms (its own target, the templates `bench new-plugin` writes) and
/// catches each kind of mistake it promises to catch, on deliberately broken plugins.
@Suite struct ConformanceKitTests {
    func checks(_ failures: [ConformanceFailure]) -> Set<ConformanceFailure.Check> { Set(failures.map(\.check)) }

    @Test func theKitsOwnTargetAndTheTemplatesConform() {
        for failures in [
            Conformance.check(target: ConformanceGaussian.self),
            Conformance.check(sampler: TemplateSampler.self),
            Conformance.check(target: TemplateTarget.self),
            Conformance.check(diagnostic: TemplateDiagnostic.self),
        ] {
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func aRegistryIsCheckedPluginByPlugin() throws {
        let registry = try Registry(samplers: [SamplerPlugin(TemplateSampler.self), Broken.costly], targets: [TemplateTarget.plugin],
                                    diagnostics: [TemplateDiagnostic.plugin])
        let failures = Conformance.check(registry: registry)
        #expect(failures.map(\.plugin) == Array(repeating: "sampler costly", count: 4), "\(failures)")  // 2 targets × minibatch and full batch
    }

    @Test func randomnessFromOutsideTheChainIsCaught() {
        #expect(checks(Conformance.check(sampler: Broken.outsideRandomness)) == [.determinism])
    }

    @Test func stateKeptInTheSamplerIsCaught() {
        #expect(checks(Conformance.check(sampler: Broken.stateful)) == [.determinism])
    }

    @Test func anUndeclaredGradientIsCaught() {
        let failures = Conformance.check(sampler: Broken.costly)
        #expect(checks(failures) == [.gradientAccounting])
        #expect(failures.first?.message.contains("gradientCost declares n per step, 8 per-datum gradient evaluations per step (1 gradients of n), step 1 cost 16") == true,
                "\(failures)")
        #expect(Conformance.check(sampler: Broken.costlyButDeclared).isEmpty)
    }

    /// The declared set-up must be what a chain spends before its first step.
    @Test func anUndeclaredOrMissingSetUpIsCaught() {
        let failures = Conformance.check(sampler: Broken.phantomSetUp)
        #expect(checks(failures) == [.gradientAccounting]
                    && failures.allSatisfy { $0.message.contains("a set-up of 64 per-datum evaluations; it cost 0") },
                "\(failures)")
    }

    /// A Hessian-vector product costs n in closed form and 2n by finite differences: a sampler
    /// that declares the closed-form price whatever the target is caught on the kit's
    /// first-order target only, and one that reads `TargetCapabilities` passes both.
    @Test func aCostIsCheckedWithAndWithoutClosedFormHessians() {
        let failures = Conformance.check(sampler: Broken.assumesClosedForm)
        #expect(checks(failures) == [.gradientAccounting] && failures.count == 2
                    && failures.allSatisfy { $0.message.contains("first-order") && $0.message.contains("2n per step") },
                "\(failures)")
        #expect(Conformance.check(sampler: Broken.readsCapabilities).isEmpty)
    }

    @Test func aCostThatVariesFromStepToStepIsCaught() {
        #expect(checks(Conformance.check(sampler: Broken.varyingCost)) == [.gradientAccounting])
    }

    /// A batched sampler whose chains in a batch are their chains alone passes; one that draws
    /// every chain's noise from the first chain's generator — right for a chain alone (C = 1),
    /// wrong in a batch — is caught.
    @Test func aBatchedChainThatIsNotItsChainAloneIsCaught() {
        #expect(Conformance.check(sampler: BatchedVariant<Broken.Batched>.self).isEmpty)
        let failures = Conformance.check(sampler: BatchedVariant<Broken.SharedGenerator>.self)
        #expect(checks(failures) == [.determinism] && failures.count == 2
                    && failures.allSatisfy { $0.message.contains("are not, bit for bit, the same chains run alone") },
                "\(failures)")
    }

    @Test func divergenceAtATinyStepIsCaught() {
        #expect(checks(Conformance.check(sampler: Broken.exploding)) == [.tinyStep])
    }

    @Test func badDeclarationsAreCaught() {
        let failures = Conformance.check(sampler: Broken.badDeclarations)
        #expect(checks(failures) == [.registration, .parameters], "\(failures)")
    }

    @Test func aWrongGradientIsCaught() {
        #expect(checks(Conformance.check(target: Broken.wrongGradient)) == [.finiteDifference])
    }

    /// A kink within the central difference's stencil (ε/40 from the checked point, by
    /// construction) is not a failure when ∇U is right, since the one-sided difference on the
    /// kink-free side agrees; the other side's derivative is still caught.
    @Test func aKinkNextToTheCheckedPointIsNotAFailure() {
        #expect(!checks(Conformance.check(target: Kinked.plugin(wrongSide: false))).contains(.finiteDifference))
        #expect(checks(Conformance.check(target: Kinked.plugin(wrongSide: true))).contains(.finiteDifference))
    }

    @Test func aBiasedMinibatchGradientIsCaught() {
        #expect(checks(Conformance.check(target: Broken.halfBatch)) == [.minibatchGradient])
    }

    @Test func aMislabelledMetricIsCaught() {
        #expect(checks(Conformance.check(diagnostic: MislabelledDiagnostic.self)) == [.metrics])
    }

    /// A diagnostic that declares b² (which the tuning rule reads) but emits it under another
    /// name fails; the same diagnostic emitting it passes.
    @Test func aDeclaredMetricThatIsNotEmittedIsCaught() {
        #expect(checks(Conformance.check(diagnostic: DeclaringDiagnostic<MisnamedB2>.self)) == [.metrics])
        #expect(checks(Conformance.check(diagnostic: DeclaringDiagnostic<B2>.self)).isEmpty)
    }

    /// SGLD (the template at T = 1) samples the kit's Gaussian at a small step; at T = 2 its
    /// variance is twice the target's, which the check must catch; hyperparameter settings are
    /// all put through the chain checks.
    ///
    /// The hot run is twice as long. The standardised square (1/3) Σ z_j² of the kit's
    /// Gaussian (posterior precisions P = 1.01, 4.01, 0.26) has variance 2/3 per draw and, at
    /// h = 0.01, integrated autocorrelation times 1/(hP_j) ≈ 99, 25 and 385 steps per
    /// coordinate, so over 4 × 45 000 kept draws its standard error is
    /// √(2 · 509 / 9 / 180 000) = 0.025 at T = 1; at T = 2 every z_j² doubles and so does the
    /// standard error: 0.050, exactly the kit's resolution, so whether the kit would also
    /// report that it cannot resolve a bias was a coin flip of the seed. At 100 000 steps the
    /// hot run's standard error is 0.035, and only the variance failure is expected.
    @Test func stationarityAndSettings() {
        let small = Stationarity(stepSize: 0.01, steps: 50_000)
        #expect(Conformance.check(sampler: TemplateSampler.self, settings: [[:], ["temperature": .number(2)]],
                                  stationarity: small).isEmpty)
        var hot = small
        hot.parameters = ["temperature": .number(2)]
        hot.steps = 100_000
        let failures = Conformance.check(sampler: TemplateSampler.self, stationarity: hot)
        #expect(checks(failures) == [.stationarity] && failures.count == 1, "\(failures)")
        #expect(failures.first?.message.contains("variance relative to the target's is") == true, "\(failures)")
        var short = small
        short.steps = 300
        #expect(Conformance.check(sampler: TemplateSampler.self, stationarity: short).contains {
            $0.check == .stationarity && $0.message.contains("cannot resolve")
        })
    }

    @Test func rejectionsMustNameThePluginAndTheParameter() {
        #expect(Conformance.check(sampler: Broken.vague).isEmpty, "h < 1 is checked by the plugin after the workbench's own checks")
        #expect(Conformance.check(sampler: Broken.silent).isEmpty, "out-of-domain values never reach the initialiser")
    }

    @Test func failuresReadAsOneLineEach() {
        let failure = ConformanceFailure(plugin: "sampler x", check: .tinyStep, message: "2 of 2 chains diverged")
        #expect(failure.description == "sampler x: tinyStep: 2 of 2 chains diverged")
    }
}

/// What a broken sampler does wrong (`Variant`, `BatchedVariant`).
enum Flaw: Sendable {
    case none, outsideRandomness, stateful, costly, varyingCost, exploding, hessianVectorProduct
    /// Every chain of a batch draws from the first chain's generator (`BatchedVariant`).
    case sharedGenerator
    /// Rejects h ≥ 1 with a message naming neither the sampler nor the step size.
    case vague
    /// Throws a non-workbench error for rate > 0.9 (outside the declared domain).
    case silent
}

/// The id, flaw and declared cost of one broken sampler.
protocol VariantSpec: Sendable {
    associatedtype Parameters: ParameterSet = NoParameters
    static var id: String { get }
    static var flaw: Flaw { get }
    static func cost(_ target: TargetCapabilities) -> GradientCost
    /// Whether the `silent` flaw throws its non-workbench error for these values.
    static func failsSilently(_ parameters: Parameters) -> Bool
}

extension VariantSpec {
    static func cost(_ target: TargetCapabilities) -> GradientCost { GradientCost(batchGradientsPerStep: 1) }
    static func failsSilently(_ parameters: Parameters) -> Bool { false }
}

/// A Langevin step whose details the broken samplers below vary.
struct Variant<Spec: VariantSpec>: Sampler {
    static var id: String { Spec.id }
    static var summary: String { "a broken sampler" }
    static var stepSizePolicy: StepSizePolicy { .fixed(nil) }
    typealias Parameters = Spec.Parameters

    static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
        Spec.cost(target)
    }

    let h: Double
    let counter = Counter()

    init(stepSize h: Double, parameters p: Parameters) throws {
        if Spec.flaw == .vague, h >= 1 { throw WorkbenchError.unsupported("bad") }
        if Spec.flaw == .silent, Spec.failsSilently(p) { throw CancellationError() }
        self.h = h
    }

    struct State: SamplerState {
        var position: [Double]
        var gradient: [Double]
        var product: [Double]
        var t = 0
    }

    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, gradient: position.map { _ in 0 }, product: position.map { _ in 0 })
    }

    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let flaw = Spec.flaw
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        if flaw == .costly || (flaw == .varyingCost && state.t % 10 == 9) {
            oracle.stochasticGradient(at: state.position, into: &state.gradient)
        }
        if flaw == .hessianVectorProduct {
            oracle.hessianVectorProduct(at: state.position, vector: state.gradient, into: &state.product)
        }
        state.t += 1
        for i in 0..<state.position.count {
            var noise = rng.normal()
            if flaw == .outsideRandomness { noise = Double.random(in: -1...1) }
            if flaw == .stateful { noise += Double(counter.next()) * 1e-9 }
            let growth = flaw == .exploding ? 1.5 * state.position[i] : 0
            state.position[i] += -h * state.gradient[i] + (2 * h).squareRoot() * noise + growth
        }
        return StepInfo()
    }
}

/// A Langevin step written once over C chains' rows (`BatchedSampler`), right or with
/// `Flaw.sharedGenerator`.
struct BatchedVariant<Spec: VariantSpec>: BatchedSampler {
    static var id: String { Spec.id }
    static var summary: String { "a batched Langevin step" }
    static var stepSizePolicy: StepSizePolicy { .fixed(nil) }
    typealias Parameters = Spec.Parameters

    static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
        Spec.cost(target)
    }

    let h: Double

    init(stepSize h: Double, parameters p: Parameters) {
        self.h = h
    }

    struct State: SamplerState {
        var position: [Double]
        var gradient: [Double]
        var noise: [Double]
    }

    func initialState<Oracle: RowGradientOracle>(position: [Double], oracle: inout Oracle,
                                                 rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) -> State {
        State(position: position, gradient: position.map { _ in 0 }, noise: position.map { _ in 0 })
    }

    func step<Oracle: RowGradientOracle>(_ state: inout State, oracle: inout Oracle,
                                         rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) {
        oracle.stochasticGradients(at: state.position, into: &state.gradient)
        if Spec.flaw == .sharedGenerator {
            for i in state.noise.indices { state.noise[i] = rngs[0].normal() }
        } else {
            state.noise.withUnsafeMutableBufferPointer { Xoshiro256StarStar.fillNormal(rngs, rows: $0) }
        }
        for i in state.position.indices {
            state.position[i] += -h * state.gradient[i] + (2 * h).squareRoot() * state.noise[i]
        }
    }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

enum Broken {
    enum OutsideRandomness: VariantSpec { static let id = "outside-randomness", flaw = Flaw.outsideRandomness }
    enum Stateful: VariantSpec { static let id = "stateful", flaw = Flaw.stateful }
    enum Costly: VariantSpec { static let id = "costly", flaw = Flaw.costly }
    enum CostlyButDeclared: VariantSpec {
        static let id = "costly-but-declared", flaw = Flaw.costly
        static func cost(_ target: TargetCapabilities) -> GradientCost { GradientCost(batchGradientsPerStep: 2) }
    }
    enum PhantomSetUp: VariantSpec {
        static let id = "phantom-set-up", flaw = Flaw.none
        static func cost(_ target: TargetCapabilities) -> GradientCost {
            GradientCost(batchGradientsPerStep: 1, setupFullGradients: 1)
        }
    }
    enum AssumesClosedForm: VariantSpec {
        static let id = "assumes-closed-form", flaw = Flaw.hessianVectorProduct
        static func cost(_ target: TargetCapabilities) -> GradientCost { GradientCost(batchGradientsPerStep: 2) }
    }
    enum ReadsCapabilities: VariantSpec {
        static let id = "reads-capabilities", flaw = Flaw.hessianVectorProduct
        static func cost(_ target: TargetCapabilities) -> GradientCost {
            GradientCost(batchGradientsPerStep: target.analyticHessian ? 2 : 3)
        }
    }
    enum VaryingCost: VariantSpec { static let id = "varying-cost", flaw = Flaw.varyingCost }
    enum Exploding: VariantSpec { static let id = "exploding", flaw = Flaw.exploding }
    enum BadDeclarations: VariantSpec {
        static let id = "Bad_ID", flaw = Flaw.none
        struct Parameters: ParameterSet {
            @Real(in: 0...1, help: "a default outside its own range") var rate = 5.0
        }
    }
    enum Vague: VariantSpec { static let id = "vague", flaw = Flaw.vague }
    enum Batched: VariantSpec { static let id = "batched", flaw = Flaw.none }
    enum SharedGenerator: VariantSpec { static let id = "shared-generator", flaw = Flaw.sharedGenerator }
    enum Silent: VariantSpec {
        static let id = "silent", flaw = Flaw.silent
        struct Parameters: ParameterSet {
            @Real(in: 0...1, help: "a rate") var rate = 0.5
        }
        static func failsSilently(_ parameters: Parameters) -> Bool { parameters.rate > 0.9 }
    }

    static let outsideRandomness = SamplerPlugin(Variant<OutsideRandomness>.self)
    static let stateful = SamplerPlugin(Variant<Stateful>.self)
    static let costly = SamplerPlugin(Variant<Costly>.self)
    static let costlyButDeclared = SamplerPlugin(Variant<CostlyButDeclared>.self)
    static let phantomSetUp = SamplerPlugin(Variant<PhantomSetUp>.self)
    static let assumesClosedForm = SamplerPlugin(Variant<AssumesClosedForm>.self)
    static let readsCapabilities = SamplerPlugin(Variant<ReadsCapabilities>.self)
    static let varyingCost = SamplerPlugin(Variant<VaryingCost>.self)
    static let exploding = SamplerPlugin(Variant<Exploding>.self)
    static let badDeclarations = SamplerPlugin(Variant<BadDeclarations>.self)
    static let vague = SamplerPlugin(Variant<Vague>.self)
    static let silent = SamplerPlugin(Variant<Silent>.self)

    enum WrongGradient: TargetDefinition {
        static let id = "wrong-gradient", summary = "∇U off by a factor 2"
        static func make(options: NoParameters) -> any Target { FlawedGaussian(gradientFactor: 2, minibatchScale: true) }
    }
    enum HalfBatch: TargetDefinition {
        static let id = "half-batch", summary = "uses only half of each minibatch"
        static func make(options: NoParameters) -> any Target { FlawedGaussian(gradientFactor: 1, minibatchScale: false) }
    }

    static let wrongGradient = WrongGradient.plugin
    static let halfBatch = HalfBatch.plugin
}

/// The kit's Gaussian with a flaw in its gradient or its minibatch scaling.
struct FlawedGaussian: Target {
    let base = ConformanceGaussian()
    let gradientFactor: Double
    let minibatchScale: Bool
    var id: String { "flawed" }
    var dimension: Int { base.dimension }
    var dataSize: Int { base.dataSize }
    var reference: Reference { base.reference }
    func potential(at x: [Double]) -> Double { base.potential(at: x) }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
        for i in gradient.indices { gradient[i] *= gradientFactor }
    }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        let many = minibatchScale ? batch : batch.prefix(batch.count / 2)
        base.minibatchPotentialGradient(at: x, batch: many, into: &gradient)
        for i in gradient.indices { gradient[i] *= gradientFactor }
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
}

/// The kit's Gaussian plus Σ_j |θ_j − k_j| (a prior term, so minibatches are unaffected), started
/// at a fixed point x₀ with the kinks k_j = x₀_j + ε_j/40 (ε_j the kit's step), inside every
/// stencil the kit centres at x₀. Its gradient there has the slope −1 of the left side; with
/// `wrongSide` it reports the right side's +1.
struct Kinked: Target {
    let base = ConformanceGaussian()
    let wrongSide: Bool
    var id: String { "kinked" }
    var dimension: Int { base.dimension }
    var dataSize: Int { base.dataSize }
    var reference: Reference { base.reference }
    var start: [Double] { base.reference.mean.map { $0 + 0.3 } }
    var kinks: [Double] { start.map { $0 + 1e-5 * max(1, abs($0)) / 40 } }

    /// Registered with the gradient of the kink-free side, or of the wrong side.
    static func plugin(wrongSide: Bool) -> TargetPlugin { wrongSide ? WrongSide.plugin : RightSide.plugin }

    enum RightSide: TargetDefinition {
        static let id = "kinked", summary = "a Gaussian with a kink next to its start"
        static func make(options: NoParameters) -> any Target { Kinked(wrongSide: false) }
    }
    enum WrongSide: TargetDefinition {
        static let id = "kinked", summary = "a Gaussian with a kink next to its start, reporting the wrong side's slope"
        static func make(options: NoParameters) -> any Target { Kinked(wrongSide: true) }
    }

    func potential(at x: [Double]) -> Double {
        base.potential(at: x) + zip(x, kinks).reduce(0) { $0 + abs($1.0 - $1.1) }
    }
    func slopes(at x: [Double]) -> [Double] {
        zip(x, kinks).map { x, k in x == k ? 0 : (x < k) != wrongSide ? -1 : 1 }
    }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        base.potentialGradient(at: x, into: &gradient)
        for (j, s) in slopes(at: x).enumerated() { gradient[j] += s }
    }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        base.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
        for (j, s) in slopes(at: x).enumerated() { gradient[j] += s }
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { start }
}

/// The name a `DeclaringDiagnostic` emits its metric under.
protocol EmittedName { static var name: String { get } }
enum MisnamedB2: EmittedName { static let name = "b-squared" }
enum B2: EmittedName { static let name = MetricName.b2.rawValue }

struct DeclaringDiagnostic<Emitted: EmittedName>: Diagnostic {
    static var id: String { "declaring" }
    static var summary: String { "declares b² and emits one metric named as told" }
    static var declaredMetrics: [MetricName] { [.b2] }
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        [Metric(diagnostic: id, name: Emitted.name, value: 0.5, unit: "squared sd", direction: .lowerIsBetter)]
    }
}

struct MislabelledDiagnostic: Diagnostic {
    static let id = "mislabelled"
    static let summary = "reports its metric under another id"
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        [Metric(diagnostic: "moments", name: "x", value: 1, unit: "", direction: .neutral)]
    }
}
