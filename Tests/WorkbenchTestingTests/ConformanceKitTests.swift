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
            Conformance.check(target: ConformanceGaussian.plugin),
            Conformance.check(sampler: TemplateSampler.plugin),
            Conformance.check(target: TemplateTarget.plugin),
            Conformance.check(diagnostic: TemplateDiagnostic()),
        ] {
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func aRegistryIsCheckedPluginByPlugin() throws {
        let registry = try Registry(samplers: [TemplateSampler.plugin, Broken.costly], targets: [TemplateTarget.plugin],
                                    diagnostics: [TemplateDiagnostic()])
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
        #expect(failures.first?.message.contains("declares 8 per-datum gradient evaluations per step (1 gradients of n), step 1 cost 16") == true,
                "\(failures)")
        #expect(Conformance.check(sampler: Broken.costlyButDeclared).isEmpty)
    }

    /// A plugin's `gradientCost` must match what its chains spend (per step and at set-up) and
    /// agree with `perDatumGradientsPerStep`, which gradient budgets use.
    @Test func aGradientCostDeclarationIsChecked() {
        func plugin(_ cost: GradientCost, flaw: Variant.Flaw, declaring gradients: Int) -> SamplerPlugin {
            SamplerPlugin(id: "declared", summary: "declares its cost", gradientCost: { _, _ in cost }) { h, _ in
                Variant(h: h, flaw: flaw, declaredGradients: gradients)
            }
        }
        #expect(Conformance.check(sampler: plugin(GradientCost(batchGradientsPerStep: 2), flaw: .costly, declaring: 2)).isEmpty)
        let disagreeing = Conformance.check(sampler: plugin(GradientCost(batchGradientsPerStep: 2), flaw: .costly, declaring: 1))
        #expect(disagreeing.contains { $0.message.contains("perDatumGradientsPerStep (what gradient budgets use) says 8") },
                "\(disagreeing)")
        let setUp = Conformance.check(sampler: plugin(GradientCost(batchGradientsPerStep: 1, setupFullGradients: 1),
                                                      flaw: .none, declaring: 1))
        #expect(checks(setUp) == [.gradientAccounting] && setUp.allSatisfy { $0.message.contains("the set-up should cost 0 minibatch and 1 full") },
                "\(setUp)")
    }

    @Test func aCostThatVariesFromStepToStepIsCaught() {
        #expect(checks(Conformance.check(sampler: Broken.varyingCost)) == [.gradientAccounting])
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
        #expect(checks(Conformance.check(diagnostic: MislabelledDiagnostic())) == [.metrics])
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
        #expect(Conformance.check(sampler: TemplateSampler.plugin, settings: [[:], ["temperature": .number(2)]],
                                  stationarity: small).isEmpty)
        var hot = small
        hot.parameters = ["temperature": .number(2)]
        hot.steps = 100_000
        let failures = Conformance.check(sampler: TemplateSampler.plugin, stationarity: hot)
        #expect(checks(failures) == [.stationarity] && failures.count == 1, "\(failures)")
        #expect(failures.first?.message.contains("variance relative to the target's is") == true, "\(failures)")
        var short = small
        short.steps = 300
        #expect(Conformance.check(sampler: TemplateSampler.plugin, stationarity: short).contains {
            $0.check == .stationarity && $0.message.contains("cannot resolve")
        })
    }

    @Test func rejectionsMustNameThePluginAndTheParameter() {
        let vague = SamplerPlugin(id: "vague", summary: "rejects step sizes without saying whose") { h, _ in
            guard h < 1 else { throw WorkbenchError.unsupported("bad") }
            return Variant(h: h, flaw: .none)
        }
        #expect(Conformance.check(sampler: vague).isEmpty, "h < 1 is checked by the plugin after the workbench's own checks")
        let silent = SamplerPlugin(id: "silent", summary: "throws a non-workbench error",
                                   hyperparameters: [ParameterSpec("rate", default: 0.5, in: 0...1, "a rate")]) { h, p in
            if p.number("rate") > 0.9 { throw CancellationError() }
            return Variant(h: h, flaw: .none)
        }
        #expect(Conformance.check(sampler: silent).isEmpty, "out-of-domain values never reach the factory")
    }

    @Test func failuresReadAsOneLineEach() {
        let failure = ConformanceFailure(plugin: "sampler x", check: .tinyStep, message: "2 of 2 chains diverged")
        #expect(failure.description == "sampler x: tinyStep: 2 of 2 chains diverged")
    }
}

/// A Langevin step whose details the broken plugins below vary.
struct Variant: Sampler {
    enum Flaw: Sendable { case none, outsideRandomness, stateful, costly, varyingCost, exploding }
    let h: Double
    let flaw: Flaw
    var declaredGradients = 1
    let counter = Counter()

    func perDatumGradientsPerStep(batchSize: Int, dataSize: Int) -> Int { declaredGradients * batchSize }

    struct State: SamplerState {
        var position: [Double]
        var gradient: [Double]
        var t = 0
    }

    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, gradient: position.map { _ in 0 })
    }

    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        if flaw == .costly || (flaw == .varyingCost && state.t % 10 == 9) {
            oracle.stochasticGradient(at: state.position, into: &state.gradient)
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

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

enum Broken {
    static func sampler(_ id: String, _ flaw: Variant.Flaw, declaring gradients: Int = 1,
                        hyperparameters: [ParameterSpec] = []) -> SamplerPlugin {
        SamplerPlugin(id: id, summary: "a broken sampler", hyperparameters: hyperparameters) { h, _ in
            Variant(h: h, flaw: flaw, declaredGradients: gradients)
        }
    }

    static let outsideRandomness = sampler("outside-randomness", .outsideRandomness)
    static let stateful = sampler("stateful", .stateful)
    static let costly = sampler("costly", .costly)
    static let costlyButDeclared = sampler("costly-but-declared", .costly, declaring: 2)
    static let varyingCost = sampler("varying-cost", .varyingCost)
    static let exploding = sampler("exploding", .exploding)
    static let badDeclarations = sampler("Bad_ID", .none, hyperparameters: [
        ParameterSpec("rate", default: 5, in: 0...1, "a default outside its own range"),
    ])

    static let wrongGradient = TargetPlugin(id: "wrong-gradient", summary: "∇U off by a factor 2") { _ in
        FlawedGaussian(gradientFactor: 2, minibatchScale: true)
    }
    static let halfBatch = TargetPlugin(id: "half-batch", summary: "uses only half of each minibatch") { _ in
        FlawedGaussian(gradientFactor: 1, minibatchScale: false)
    }
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

    static func plugin(wrongSide: Bool) -> TargetPlugin {
        TargetPlugin(id: "kinked", summary: "a Gaussian with a kink next to its start") { _ in Kinked(wrongSide: wrongSide) }
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

struct MislabelledDiagnostic: Diagnostic {
    let id = "mislabelled"
    let summary = "reports its metric under another id"
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        [Metric(diagnostic: "moments", name: "x", value: 1, unit: "", direction: .neutral)]
    }
}
