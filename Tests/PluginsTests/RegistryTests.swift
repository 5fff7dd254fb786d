import Synchronization
import Testing
@testable import Plugins
import Workbench

@Suite struct RegistryTests {
    @Test func builtinsAreRegisteredOnce() {
        let r = Registry.builtin
        #expect(r.samplers.map(\.id) == [
            "sgld", "sgld-cv", "psgld", "psgld-gamma", "adam-sgld", "asgld", "fsgld",
            "sgrld-monge", "sgrld-monge-gamma", "sgrld-shampoo", "cyclical-sgld",
            "exact", "sghmc", "sgnht", "mclmc", "sg-mclmc", "smile", "smile-precond", "smile-naive", "psmile-naive",
            "mala", "hmc",
        ])
        #expect(r.targets.map(\.id) == [
            "std-normal-1d", "gaussian-iso", "gaussian-illcond", "gaussian-corr-2d", "funnel", "banana",
            "eight-schools-noncentered", "eight-schools-centered", "sblri",
            "bnn-uci-yacht", "bnn-uci-energy", "bnn-uci-concrete", "bnn-classify",
            "bnn-smile-airfoil", "bnn-smile-energy", "bnn-smile-bikesharing",
        ])
        #expect(r.diagnostics.map(\.id) == [
            "ess", "ess-per-gradient", "grads-to-accuracy", "moments", "chain-b2", "marginals", "ksd", "mmd", "stability", "predictive", "deep-ensemble",
        ])
    }

    /// A plugin package that reuses a built-in id gets one line naming both plugins by type.
    @Test func aDuplicateIDNamesBothPlugins() throws {
        let mine = try Registry(samplers: [SGLDCopy.plugin])
        let error = try #require(throws: WorkbenchError.self) { try Registry.builtin + mine }
        guard case let .duplicatePlugin(kind, id, first, second) = error else {
            Issue.record("expected duplicatePlugin, got \(error)")
            return
        }
        #expect(kind == "sampler" && id == "sgld")
        #expect(first.contains("Plugins.SGLD") && second.contains("PluginsTests.SGLDCopy"))
        #expect(!error.description.contains("\n") && error.exitCode == 64)
        #expect(throws: WorkbenchError.duplicateID(kind: "sampler", id: "sgld")) {
            try Registry(samplers: [SGLD.plugin, SGLD.plugin])
        }
    }

    /// A duplicate target id names both types, and no target is built to say so (the copy's
    /// `make` would fail the test).
    @Test func aDuplicateTargetIDNamesBothTypesWithoutBuildingATarget() throws {
        let error = try #require(throws: WorkbenchError.self) { try Registry.builtin + [GaussianIsoCopy.plugin] }
        guard case let .duplicatePlugin(kind, id, first, second) = error else {
            Issue.record("expected duplicatePlugin, got \(error)")
            return
        }
        #expect(kind == "target" && id == "gaussian-iso")
        #expect(first.contains("Plugins.GaussianIso") && second.contains("PluginsTests.GaussianIsoCopy"), "\(first) / \(second)")
    }

    /// A BNN target keys its cached reference by its decoded options (`parameterValues`): they
    /// must be the resolved values the runner records, for every built-in target.
    @Test(arguments: Registry.builtin.targets.map(\.id)) func decodedOptionsGiveBackTheResolvedValues(id: String) throws {
        let plugin = try Registry.builtin.target(id)
        let resolved = try ResolvedParameters([:], specs: plugin.parameters, owner: "target \(id)")
        func decoded<T: TargetDefinition>(_ type: T.Type) throws -> [String: ParameterValue] {
            try T.Options(resolved: resolved).parameterValues
        }
        #expect(try decoded(plugin.type) == resolved.values)
    }

    /// Diagnostics are registered by type: ids, selections and a duplicate's message are read
    /// from it, and an instance is built only when a run asks for one.
    @Test func aDiagnosticIsBuiltOnlyWhenARunNeedsIt() throws {
        let registry = try Registry(diagnostics: [NeverBuilt.plugin])
        #expect(try registry.diagnosticIDs(["all"]) == ["never-built"] && registry.diagnosticIDs(["never-built"]) == ["never-built"])
        let error = try #require(throws: WorkbenchError.self) { try registry + [NeverBuilt.plugin] }
        guard case let .duplicatePlugin(kind, id, first, _) = error else {
            Issue.record("expected duplicatePlugin, got \(error)")
            return
        }
        #expect(kind == "diagnostic" && id == "never-built" && first.contains("PluginsTests.NeverBuilt"), "\(first)")
        #expect(NeverBuilt.built.withLock { $0 } == 0)
        #expect(try registry.diagnostic("never-built").id == "never-built")
        #expect(NeverBuilt.built.withLock { $0 } == 1)
    }

    /// quick: 4 step sizes × 2 seeds per sampler that takes a step size, 2 seeds otherwise, on
    /// each target the sampler can run on (isokinetic samplers need d ≥ 2, so not the 1-D one;
    /// exact needs an exact sampler, which the posteriordb and BNN targets do not have).
    /// A preset's per-sampler settings outlive `--samplers`: quick sets Shampoo's refresh,
    /// and a grid of two other samplers still expands; a misspelt id is an error naming it.
    @Test func perSamplerSettingsNeedRegisteredNotSelectedSamplers() throws {
        var spec = GridPresets.quick
        spec.samplers = ["sgld", "hmc"]
        #expect(try spec.tuningPlan(registry: .builtin).pairs.allSatisfy { ["sgld", "hmc"].contains($0.sampler) })
        spec.tuning = nil
        spec.stepSizes = [0.01]
        #expect(try !spec.cells(registry: .builtin).isEmpty)
        spec.hyperparameters["sgld-typo"] = ["schedule-decay": .number(0.5)]
        #expect(throws: WorkbenchError.unknownID(kind: "sampler in hyperparameters", id: "sgld-typo",
                                                  accepted: Registry.builtin.samplers.map(\.id))) {
            try spec.cells(registry: .builtin)
        }
    }

    @Test func presetsExpandToValidCells() throws {
        // quick runs the tuning protocol: its cells before the sweep are the sweep cells, 3 per
        // pair of a sampler that has a step size it does not adapt itself.
        let cells = try GridPresets.quick.cells(registry: .builtin)
        let plan = try GridPresets.quick.tuningPlan(registry: .builtin)
        // Per target, every sampler that can run on it (SamplerPlugin.incompatibility).
        var expected = 0, pairs = 0, samplerTargetPairs = 0
        #expect(Set(GridPresets.quickTargets) == Set(Registry.builtin.targets.map(\.id).filter { !$0.hasPrefix("bnn-") }))
        // Conditions per target: the noise models (none and isotropic, gaussian-illcond none only)
        // on targets with a noise option, and sblri's two batch sizes (all its data, 10). The
        // samplers that need gradient noise (smile and its variants) run only where the
        // gradient is a minibatch estimate.
        let quick = GridPresets.quick
        for id in GridPresets.quickTargets {
            let plugin = try Registry.builtin.target(id)
            let takesNoise = plugin.parameters.contains { $0.name == "noise" }
            let noiseModels: [String?] = takesNoise ? (quick.targetNoise[id] ?? quick.noise!).map { $0 } : [nil]
            for noise in noiseModels {
                let target = try plugin.make(options: noise.map { ["noise": .text($0)] } ?? [:]).0
                let batches = (quick.targetBatchSizes[id] ?? quick.batchSizes).map { $0.resolved(for: target) }
                for sampler in Registry.builtin.samplers where sampler.incompatibility(with: target) == nil {
                    let runnable = batches.filter { sampler.incompatibility(with: target, batchSize: $0) == nil }.count
                    if case .fixed = sampler.stepSizePolicy { expected += 3 * runnable }
                    pairs += runnable
                    if noise == noiseModels.first { samplerTargetPairs += 1 }
                }
            }
        }
        #expect(cells.count == expected)
        #expect(plan.pairs.count == pairs)
        #expect(try plan.pairs.allSatisfy { try $0.finalCells(stepSize: 0.01, seeds: GridPresets.quick.seeds).count == 2 })
        // paper: every target, BNNs included; it expands (its dry run).
        #expect(try GridPresets.named("paper").tuningPlan(registry: .builtin).pairs.count > samplerTargetPairs)
        let skipped = try GridPresets.quick.skippedPairs(registry: .builtin)
        #expect(skipped.filter { $0.contains("std-normal-1d") && $0.contains("dimension ≥ 2") }.count == 6)
        // smile and its variants are declined, with the reason, where the gradient is exact, and
        // none of their sweep cells is at full batch.
        // One line per sampler, naming the targets.
        let declined = skipped.filter { $0.contains("needs a stochastic gradient") }
        #expect(declined.count == 4, "\(declined)")
        #expect(declined.contains { $0.hasPrefix("sampler smile needs a stochastic gradient") && $0.contains("exact (full batch, no noise model) on gaussian-iso, ") })
        #expect(declined.contains { $0.hasPrefix("sampler smile-naive needs a stochastic gradient") && $0.hasSuffix(", sblri") })
        #expect(cells.allSatisfy { !["smile", "smile-precond", "smile-naive", "psmile-naive"].contains($0.cell.sampler) || !$0.cell.batchSize.isFull })
        #expect(skipped.filter { $0.contains("sampler exact needs a target that can draw exact samples") }.count == 3)
        #expect(throws: WorkbenchError.self) { try GridPresets.named("quik") }
        // seed-001: the Langevin family, one full-batch cell each on std-normal-1d at h = 1e−4.
        let seed001 = try GridPresets.named("seed-001").cells(registry: .builtin).map(\.cell)
        #expect(seed001.map(\.sampler) == [
            "sgld", "sgld-cv", "psgld", "psgld-gamma", "adam-sgld", "asgld", "fsgld",
            "sgrld-monge", "sgrld-monge-gamma", "sgrld-shampoo", "cyclical-sgld",
        ])
        #expect(seed001.allSatisfy { $0.target == "std-normal-1d" && $0.stepSize == 1e-4 && $0.batchSize == .full && $0.steps == 10_000_000 })
        // seed-000-uci(-quick): 3 data sets × 3 splits × 7 samplers, every chain from the deep
        // ensemble, at the authors' step sizes (the adaptive samplers' initial ones named).
        for (name, chains, steps) in [("seed-000-uci-quick", 4, 4_500), ("seed-000-uci", 10, 150_000)] {
            let uci = try GridPresets.named(name).cells(registry: .builtin).map(\.cell)
            #expect(uci.count == 63 && uci.allSatisfy { $0.start == .ensemble && $0.chains == chains && $0.steps == steps && $0.thin == 10 })
            #expect(Set(uci.map { "\($0.target)|\($0.targetOptions["split"]!)" }).count == 9)
            let h = Dictionary(uci.map { ($0.sampler, $0.stepSize) }, uniquingKeysWith: { a, _ in a })
            #expect(h == ["mclmc": 0.01, "sghmc": 0.001, "smile-naive": 0.001, "psmile-naive": 0.001, "smile": 0.001,
                          "smile-precond": 0.001, "sgld": 1e-6], "\(h)")
        }
    }
}

/// A stand-in for a plugin package's sampler that took a built-in id.
/// A diagnostic that counts how often it is built.
struct NeverBuilt: Diagnostic {
    static let id = "never-built"
    static let summary = "counts its instances"
    static let built = Mutex(0)
    init() { Self.built.withLock { $0 += 1 } }
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] { [] }
}

/// A target under a taken id, which must never be built.
enum GaussianIsoCopy: TargetDefinition {
    static let id = "gaussian-iso"
    static let summary = "a copy under a taken id"
    static func make(options: NoParameters) throws -> any Target {
        Issue.record("a target was built to name a duplicate")
        throw WorkbenchError.unsupported("never built")
    }
}

struct SGLDCopy: Sampler {
    static let id = "sgld"
    static let summary = "a copy under a taken id"
    static let stepSizePolicy = StepSizePolicy.none
    static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost { .free }
    init(stepSize: Double, parameters: NoParameters) {}
    struct State: SamplerState { var position: [Double] }
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo { StepInfo() }
}
