import Foundation
import Testing
@testable import Plugins
import Workbench
import WorkbenchTesting

/// The contract every registered plugin meets (SAMPLERS.md conventions, DESIGN.md): the
/// conformance kit (Sources/WorkbenchTesting, what out-of-tree plugins' tests call) run over
/// `Registry.builtin`, with what only the built-ins' suite knows — which samplers are
/// consistent and at what step, which hyperparameters change a sampler's cost, and the set-up
/// cost of samplers whose plugin does not declare one. A new sampler is checked by adding it
/// to the registry and to one of the three lists below.
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
        "psgld": "Γ dropped: the stationary law is p · G⁻¹, G the RMSprop metric (arXiv 2403.08609)",
        "adam-sgld": "the Adam drift a·m̂/(√v̂ + λ) → a·sign(∇U) is not compensated (arXiv 2403.08609)",
        "asgld": "no injected √(2h) noise: an optimiser; with exact gradients it contracts to the mode",
        "sgrld-monge": "Γ dropped: the stationary law is p · G⁻¹, G the Monge metric (arXiv 2403.08609)",
        "sgrld-shampoo": "Γ dropped: the stationary law is p · P⁻¹, P the Shampoo preconditioner (arXiv 2403.08609)",
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
        "sg-mclmc": "MicrocanonicalTests: biased under minibatch noise (arXiv 2602.06500)",
        "smile": "MicrocanonicalTests: no momentum refresh, its noise comes from minibatches (arXiv 2602.06500)",
        "smile-precond": "MicrocanonicalTests: as smile",
        "smile-naive": "MicrocanonicalTests: smile with its tuner off, as the SMILE paper's UCI runs",
        "psmile-naive": "MicrocanonicalTests: smile-precond with its tuner off, as the SMILE paper's UCI runs",
    ]

    @Test func everySamplerIsClassified() {
        for id in Self.samplerIDs {
            let lists = [Self.consistent[id] != nil, Self.inconsistent[id] != nil, Self.pinnedElsewhere[id] != nil]
            #expect(lists.filter { $0 }.count == 1, "\(id) must be in exactly one list")
        }
        #expect(Set(Self.consistent.keys).union(Self.inconsistent.keys).union(Self.pinnedElsewhere.keys) == Set(Self.samplerIDs))
    }

    /// Hyperparameter settings beyond the defaults that change a sampler's cost: forced
    /// finite-difference or Hutchinson second derivatives with 3 probes, and SGD steps of
    /// sgld-cv's set-up.
    static func costSettings(_ plugin: SamplerPlugin) -> [[String: ParameterValue]] {
        var settings: [[String: ParameterValue]] = [[:]]
        if plugin.hyperparameters.contains(where: { $0.name == "probes" }) {
            let forced: ParameterValue = plugin.id == "psgld-gamma" ? .text("hutchinson") : .text("finite-difference")
            settings.append(["hessian": forced, "probes": .number(3)])
        }
        if plugin.id == "sgld-cv" { settings.append(["sgd-steps": .number(17)]) }
        return settings
    }

    /// The kit on every sampler: registration, hyperparameter and step-size validation, the
    /// same chain for the same seed (another for another), the declared gradient cost per step
    /// and at set-up (on the kit's Gaussian with and without closed-form Hessians, at each cost
    /// setting), no divergence at a tiny step, and, for consistent samplers, the stationary
    /// moments on gaussian-iso (d = 10, full batch) at their small step: every mean within 4
    /// Monte Carlo standard errors of 0 and the average variance within 4 of 1, with standard
    /// errors below 0.05 (each sampler's O(h) bias at its step is well below them; SGLD:
    /// 1/(1 − h/2) − 1 = 0.0025 at h = 0.005).
    @Test(arguments: samplerIDs) func samplerConforms(id: String) throws {
        let plugin = try Registry.builtin.sampler(id)
        let stationarity = try Self.consistent[id].map {
            Stationarity(stepSize: $0.stepSize, parameters: $0.parameters, steps: $0.steps,
                         target: try Registry.builtin.target("gaussian-iso"), targetOptions: ["dimension": .number(10)])
        }
        let failures = Conformance.check(sampler: plugin, settings: Self.costSettings(plugin), stationarity: stationarity)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Smaller than the defaults where a target has these options, to keep the debug-build
    /// test fast (every gradient-noise model builds a synthetic data set); the defaults are
    /// still built once, by the option-validation check.
    static let smallOptions: [String: ParameterValue] = ["dimension": .number(12), "data-size": .number(1_000)]

    /// The kit on every target: ∇U against finite differences, unbiased minibatch gradients
    /// (every gradient-noise model), the reference's shape, reproducible construction, exact
    /// draws, option validation.
    @Test(arguments: Registry.builtin.targets.map(\.id)) func targetConforms(id: String) throws {
        let plugin = try Registry.builtin.target(id)
        let options = Self.smallOptions.filter { name, _ in plugin.parameters.contains { $0.name == name } }
        let failures = Conformance.check(target: plugin, options: options)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The kit on every diagnostic: metrics tagged with its id, unique names, the same numbers
    /// for the same run.
    @Test(arguments: Registry.builtin.diagnostics.map(\.id)) func diagnosticConforms(id: String) throws {
        let failures = Conformance.check(diagnostic: try Registry.builtin.diagnosticPlugin(id))
        #expect(failures.isEmpty, "\(failures)")
    }
}
