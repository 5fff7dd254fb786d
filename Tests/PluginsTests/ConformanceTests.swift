import Foundation
import Testing
@testable import Plugins
import Workbench

/// The contract every registered sampler meets (SAMPLERS.md conventions, DESIGN.md), run over
/// `Registry.builtin.samplers`: a new sampler is checked by adding it to the registry and to
/// one of the three lists below.
@Suite struct ConformanceTests {
    static let samplerIDs = Registry.builtin.samplers.map(\.id)

    /// Samplers whose stationary law is the target's as h → 0 (full batch), with the settings
    /// of the stationarity check on `gaussian-iso`: a step small enough that the O(h) bias is a
    /// fraction of the Monte Carlo error, and enough steps for that error to be a few percent.
    /// - `psgld-gamma` runs with λ = 1: at the default λ = 0.1 the Euler step needs h ≪ λ² = 0.01
    ///   (its discretisation bias is ≈ +4 % at h = 1e−3, SAMPLERS.md), which a debug-build test
    ///   cannot afford to resolve; λ does not affect consistency.
    /// - `sgrld-monge-gamma` runs with α_M = 0.3: along g the metric is 1/(1 + α_M²‖g‖²), which
    ///   at α_M = 1 and ‖g‖² ≈ d = 10 slows the radial motion (what the averaged x² measures)
    ///   elevenfold; at 0.3 it is still 0.53 there, so Γ matters, and the check stays cheap.
    /// - `cyclical-sgld` takes h₀ = 0.01 (sampling steps h_k ≤ h₀/2) and twice the steps, half of
    ///   which are its SGD exploration.
    /// - `fsgld` is consistent here because on a Gaussian the smoothed potential U_σ it samples
    ///   is U + const (and β = 1); on other targets it is not (see `inconsistent`).
    static let consistent: [String: (stepSize: Double?, parameters: [String: ParameterValue], steps: Int)] = [
        "sgld": (0.005, [:], 60_000),
        "sgld-cv": (0.005, [:], 60_000),
        "psgld-gamma": (0.005, ["lambda": .number(1)], 60_000),
        "sgrld-monge-gamma": (0.005, ["alpha-m": .number(0.3)], 60_000),
        "fsgld": (0.005, [:], 60_000),
        "cyclical-sgld": (0.01, [:], 120_000),
        "exact": (nil, [:], 5_000),
    ]

    /// Samplers whose stationary law differs from the target's even as h → 0 with exact
    /// gradients, and why (their 1-D laws are pinned in `StationaryTests`).
    static let inconsistent: [String: String] = [
        "psgld": "Γ dropped: the stationary law is p · G⁻¹, G the RMSprop metric (seed 001)",
        "adam-sgld": "the Adam drift a·m̂/(√v̂ + λ) → a·sign(∇U) is not compensated (seed 001)",
        "asgld": "no injected √(2h) noise: an optimiser; with exact gradients it contracts to the mode",
        "sgrld-monge": "Γ dropped: the stationary law is p · G⁻¹, G the Monge metric (seed 001)",
        "sgrld-shampoo": "Γ dropped: the stationary law is p · P⁻¹, P the Shampoo preconditioner (seed 001)",
    ]

    /// Samplers whose stationary behaviour is pinned by their own suites, because a full-batch
    /// moment check at a fixed small step does not apply to them as it stands: they tune their
    /// own step sizes during warm-up, or draw their randomness from minibatch noise.
    static let pinnedElsewhere: [String: String] = [
        "sghmc": "HamiltonianTests: Var θ = 1/(1 − η/(2(2 − α))) on N(0, 1), consistent as h → 0",
        "sgnht": "HamiltonianTests: Var θ ≈ 1 − Ah/2 on N(0, 1), consistent as h → 0",
        "mala": "MetropolisTests: Metropolis-adjusted, exact; tunes its step in warm-up",
        "hmc": "MetropolisTests: Metropolis-adjusted, exact; tunes its step in warm-up",
        "mclmc": "MicrocanonicalTests: O(ε²) bias, tuned by Var[ΔE]/d in warm-up",
        "sg-mclmc": "MicrocanonicalTests: biased under minibatch noise (seed 000)",
        "smile": "MicrocanonicalTests: no momentum refresh, its noise comes from minibatches (seed 000)",
        "smile-precond": "MicrocanonicalTests: as smile",
    ]

    @Test func everySamplerIsClassified() {
        for id in Self.samplerIDs {
            let lists = [Self.consistent[id] != nil, Self.inconsistent[id] != nil, Self.pinnedElsewhere[id] != nil]
            #expect(lists.filter { $0 }.count == 1, "\(id) must be in exactly one list")
        }
        #expect(Set(Self.consistent.keys).union(Self.inconsistent.keys).union(Self.pinnedElsewhere.keys) == Set(Self.samplerIDs))
    }

    /// Gradients spent before the first step, per chain, for samplers whose plugin does not
    /// declare a `gradientCost` (their per-step cost is `Sampler.perDatumGradientsPerStep`):
    /// the initial gradient their own suites count ("plus one at the start": MetropolisTests,
    /// MicrocanonicalTests). (batch, full): minibatch gradients of n and full gradients of N.
    static let undeclaredSetup: [String: (batch: Int, full: Int)] = [
        "sghmc": (0, 0), "sgnht": (0, 0), "mala": (0, 1), "hmc": (0, 1), "mclmc": (0, 1),
        "sg-mclmc": (1, 0), "smile": (1, 0), "smile-precond": (1, 0),
    ]

    /// Per-datum gradients one chain of `steps` steps should spend: the plugin's declared cost,
    /// or else the sampler's per-step cost plus the set-up above.
    func expectedCost(_ plugin: SamplerPlugin, hyperparameters: [String: ParameterValue], stepSize: Double?,
                      analytic: Bool, steps: Int, batchSize n: Int, dataSize N: Int) throws -> Int {
        let (sampler, resolved) = try plugin.make(stepSize: stepSize, parameters: hyperparameters)
        if let declare = plugin.gradientCost {
            return declare(resolved, analytic).perDatumEvaluations(steps: steps, batchSize: n, dataSize: N)
        }
        let setup = try #require(Self.undeclaredSetup[plugin.id], "\(plugin.id) declares no gradient cost")
        return steps * sampler.perDatumGradientsPerStep(batchSize: n, dataSize: N) + setup.batch * n + setup.full * N
    }

    /// The plugin's declared cost per step agrees with the sampler's `perDatumGradientsPerStep`,
    /// which gradient budgets use (with closed-form Hessians, which the built-in targets have).
    @Test(arguments: samplerIDs) func declaredCostAgreesWithTheBudgetCost(id: String) throws {
        let plugin = try Registry.builtin.sampler(id)
        guard let declare = plugin.gradientCost, declare(try ResolvedParameters([:], specs: plugin.hyperparameters, owner: id), true) != .free
        else { return }
        for parameters: [String: ParameterValue] in [[:], ["probes": .number(3), "hessian": .text(id == "psgld-gamma" ? "hutchinson" : "finite-difference")]] {
            guard parameters.isEmpty || plugin.hyperparameters.contains(where: { $0.name == "probes" }) else { continue }
            let (sampler, resolved) = try plugin.make(stepSize: 0.01, parameters: parameters)
            let cost = declare(resolved, true)
            #expect(sampler.perDatumGradientsPerStep(batchSize: 16, dataSize: 200) == 16 * cost.batchGradientsPerStep, "\(id) \(parameters)")
        }
    }

    /// A short minibatch cell on a 5-D gaussian-iso with isotropic gradient noise (N = 200,
    /// n = 16): every code path that touches the oracle's batches and the chain's generator.
    func minibatchCell(_ id: String, target: String = "gaussian-iso", seed: UInt64 = 7,
                       hyperparameters: [String: ParameterValue] = [:]) throws -> Cell {
        let plugin = try Registry.builtin.sampler(id)
        return Cell(sampler: id, target: target, hyperparameters: hyperparameters,
                    targetOptions: ["dimension": .number(5), "noise": .text("isotropic"), "data-size": .number(200)],
                    stepSize: plugin.usesStepSize ? 1e-3 : nil, batchSize: 16, seed: seed, chains: 2, steps: 300, warmup: 0)
    }

    @Test(arguments: samplerIDs) func sameSeedGivesTheSameChain(id: String) throws {
        let cell = try minibatchCell(id)
        let (a, _) = try runCell(cell)
        let (b, _) = try runCell(cell)
        #expect(a.chains.map(\.draws) == b.chains.map(\.draws))
        #expect(a.perDatumGradientEvaluations == b.perDatumGradientEvaluations)
        let (c, _) = try runCell(try minibatchCell(id, seed: 8))
        #expect(a.chains.map(\.draws) != c.chains.map(\.draws), "another seed must give another chain")
    }

    /// The oracle's count equals what the plugin declares: set-up plus steps × cost per step,
    /// per chain, on a target with closed-form Hessians and on one without (where second-order
    /// queries fall back to finite differences and Hutchinson probes at 2n each).
    @Test(arguments: samplerIDs, ["gaussian-iso", "gaussian-no-hessian"])
    func gradientAccountingMatchesTheDeclaredCost(id: String, target: String) throws {
        let plugin = try Registry.builtin.sampler(id)
        try checkCost(id, target: target)
        // The second-order options change the declared cost; check them too.
        if plugin.hyperparameters.contains(where: { $0.name == "probes" }) {
            let forced: ParameterValue = id == "psgld-gamma" ? .text("hutchinson") : .text("finite-difference")
            try checkCost(id, target: target, hyperparameters: ["hessian": forced, "probes": .number(3)])
        }
        if id == "sgld-cv" {
            try checkCost(id, target: target, hyperparameters: ["sgd-steps": .number(17)])
        }
    }

    func checkCost(_ id: String, target: String, hyperparameters: [String: ParameterValue] = [:]) throws {
        let plugin = try Registry.builtin.sampler(id)
        if plugin.needsExactSampler && target == "gaussian-no-hessian" { return }
        let cell = try minibatchCell(id, target: target, hyperparameters: hyperparameters)
        let (run, _) = try runTestCell(cell)
        let expected = try cell.chains * expectedCost(
            plugin, hyperparameters: hyperparameters, stepSize: cell.stepSize, analytic: target == "gaussian-iso",
            steps: cell.steps, batchSize: 16, dataSize: 200)
        #expect(run.perDatumGradientEvaluations == expected, "\(id) on \(target) \(hyperparameters)")
    }

    /// h = 1e−4 on gaussian-iso (d = 100, exact gradients): no chain may diverge or leave the
    /// finite numbers, whatever the sampler's bias.
    @Test(arguments: samplerIDs) func noDivergenceAtATinyStep(id: String) throws {
        let plugin = try Registry.builtin.sampler(id)
        let cell = Cell(sampler: id, target: "gaussian-iso", stepSize: plugin.usesStepSize ? 1e-4 : nil,
                        seed: 3, chains: 2, steps: 1_000, warmup: 0)
        let (run, _) = try runCell(cell)
        #expect(!run.diverged, "\(id) diverged at step \(run.chains.compactMap(\.divergenceStep))")
        #expect(run.chains.allSatisfy { $0.draws.allSatisfy(\.isFinite) })
    }

    /// Consistent samplers on gaussian-iso (d = 10, full batch) at a small step: every
    /// coordinate's mean within 4 Monte Carlo standard errors of 0, and the variance averaged
    /// over coordinates within 4 standard errors of 1. The standard errors come from the
    /// chains' effective sample sizes (of x_i, and of the per-draw average of x_i², which
    /// accounts for any coupling between coordinates); each sampler's O(h) bias at its step
    /// is well below them (SGLD: 1/(1 − h/2) − 1 = 0.0025 at h = 0.005).
    @Test(arguments: consistent.keys.sorted()) func stationaryMomentsAtASmallStep(id: String) throws {
        let setting = try #require(Self.consistent[id])
        let d = 10
        let cell = Cell(sampler: id, target: "gaussian-iso", hyperparameters: setting.parameters,
                        targetOptions: ["dimension": .number(Double(d))], stepSize: setting.stepSize,
                        seed: 11, chains: 4, steps: setting.steps)
        let (run, _) = try runCell(cell)
        #expect(!run.diverged)
        let moments = run.pooledMoments
        for i in 0..<d {
            let (_, se) = try meanWithStandardError(run) { $0[i] }
            #expect(abs(moments.mean[i]) < 4 * se, "\(id): mean of x[\(i + 1)] = \(moments.mean[i]), se \(se)")
        }
        let variance = moments.variance.reduce(0, +) / Double(d)
        let (_, se) = try meanWithStandardError(run) { x in x.reduce(0) { $0 + $1 * $1 } / Double(x.count) }
        #expect(se < 0.05, "\(id): the check must resolve a 20 % bias (se \(se))")
        #expect(abs(variance - 1) < 4 * se, "\(id): mean variance \(variance), se \(se)")
    }

    /// A negative decay rate, a zero or missing step size: clear errors naming the sampler and
    /// the parameter. Every real hyperparameter whose domain starts at 0 (decays, weights,
    /// scales, λ) rejects −0.5.
    @Test(arguments: samplerIDs) func hyperparametersAreValidated(id: String) throws {
        let plugin = try Registry.builtin.sampler(id)
        #expect(try plugin.make(stepSize: 0.01, parameters: [:]).1.values.count == plugin.hyperparameters.count)
        if plugin.usesStepSize {
            for h: Double? in [0, -0.1, nil, .infinity] {
                do {
                    _ = try plugin.make(stepSize: h, parameters: [:])
                    Issue.record("\(id) accepted step size \(String(describing: h))")
                } catch let error as WorkbenchError {
                    #expect(error.description.contains("sampler \(id)") && error.description.contains("step size"), "\(error)")
                }
            }
        }
        for spec in plugin.hyperparameters {
            guard case let .real(range, _, _) = spec.domain, range.lowerBound == 0 else { continue }
            do {
                _ = try plugin.make(stepSize: 0.01, parameters: [spec.name: .number(-0.5)])
                Issue.record("\(id) accepted \(spec.name) = −0.5")
            } catch let error as WorkbenchError {
                #expect(error.description.contains("sampler \(id)"), "\(error)")
                #expect(error.description.contains("parameter \(spec.name)"), "\(error)")
            }
        }
    }
}
