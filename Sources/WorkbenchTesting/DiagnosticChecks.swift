import Workbench

enum DiagnosticChecks {
    /// Runs exact draws from the kit's target (2 chains × 500) and evaluates the diagnostic
    /// (built as the registry builds it) twice: metrics carry its id, names are unique and
    /// non-empty, the numbers repeat (a diagnostic that draws random numbers must seed them
    /// from the run), and every metric it declares (`declaredMetrics`) is among them.
    static func check(_ plugin: DiagnosticPlugin, _ failures: inout FailureList) {
        failures.expect(isCommandLineName(plugin.id), .registration,
                        "id '\(plugin.id)' is not lowercase letters, digits and hyphens")
        failures.expect(!plugin.summary.isEmpty && !plugin.summary.contains("\n"), .registration,
                        "the summary must be one line")
        let run: RunRecord
        let target = ConformanceGaussian()
        do {
            let registry = try Registry(samplers: [SamplerPlugin(KitExactSampler.self)], targets: [ConformanceGaussian.plugin])
            (run, _) = try CellRunner(registry: registry).run(
                Cell(sampler: KitExactSampler.id, target: ConformanceGaussian.plugin.id, stepSize: nil,
                     seed: 1, chains: 2, steps: 500, warmup: 0),
                prepared: (target, try ResolvedParameters([:], specs: [], owner: "target")))
        } catch {
            failures.fail(.metrics, "the kit could not make a run to evaluate: \(error)")
            return
        }
        // As the runner and `bench diagnose` call it: with the target (its reference, score,
        // exact sampler).
        let diagnostic = plugin.make()
        let metrics = diagnostic.evaluate(run, target: target)
        let again = diagnostic.evaluate(run, target: target)
        // A diagnostic that does not apply to this target (e.g. a predictive check on a target
        // without test data) may return no metrics.
        for m in metrics where m.diagnostic != plugin.id {
            failures.fail(.metrics, "metric '\(m.name)' says it comes from '\(m.diagnostic)'")
        }
        let names = metrics.map(\.name)
        failures.expect(Set(names).count == names.count && names.allSatisfy { !$0.isEmpty }, .metrics,
                        "metric names must be non-empty and unique: \(names)")
        failures.expect(metrics == again, .metrics, "the same run gave different metrics")
        // What it declares the core may read (`MetricName`) must be there whenever it applies.
        if !metrics.isEmpty {
            for name in plugin.declaredMetrics where !names.contains(name.rawValue) {
                failures.fail(.metrics, "declares the metric '\(name)' (declaredMetrics) but did not emit it")
            }
        }
    }
}

/// Independent exact draws, the kit's own way to make a run for diagnostics (not registered
/// anywhere else).
struct KitExactSampler: Sampler {
    static let id = "conformance-exact"
    static let summary = "exact draws for the conformance kit"
    static let stepSizePolicy = StepSizePolicy.none
    static let needsExactSampler = true

    static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost { .free }

    init(stepSize: Double, parameters: NoParameters) {}

    struct State: SamplerState { var position: [Double] }

    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }

    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.drawExact(into: &state.position, rng: &rng)
        return StepInfo()
    }
}
