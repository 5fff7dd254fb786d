import ArgumentParser
import Workbench

/// `bench list`: every sampler, target and diagnostic with a one-line description, and the
/// parameters of samplers and targets with their defaults and accepted values. Ids are printed
/// whole, in a column as wide as the longest id, so any listed id can be pasted into a command.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List samplers (with hyperparameters), targets and diagnostics.")

    @OptionGroup var external: ExternalOptions

    func run() throws {
        try reportingUserErrors { try external.register() }
        let registry = Bench.registry
        let ids = registry.samplers.map(\.id) + registry.targets.map(\.id) + registry.diagnostics.map(\.id)
        let width = max(18, ids.map(\.count).max() ?? 0)
        func column(_ id: String) -> String { id.padding(toLength: width, withPad: " ", startingAt: 0) }
        print("Samplers:")
        for s in registry.samplers {
            print("  \(column(s.id)) \(s.summary)")
            if let manifest = s.external { print("      external: \(manifest.path), runs \(manifest.argv.joined(separator: " "))") }
            print("      step size: \(stepSizeLine(s.stepSizePolicy))")
            if let cost = costLine(s) { print("      cost: \(cost)") }
            printParameters(s.hyperparameters)
        }
        print("\nTargets:")
        for t in registry.targets {
            print("  \(column(t.id)) \(t.summary)")
            printParameters(t.parameters)
        }
        print("\nDiagnostics:")
        for d in registry.diagnostics {
            print("  \(column(d.id)) \(d.summary)")
        }
    }

    /// The declared gradient cost at the defaults, with the finite-difference variant when
    /// closed-form Hessians make a difference (n: minibatch size, N: data size).
    private func costLine(_ s: SamplerPlugin) -> String? {
        guard let closed = try? s.gradientCost(parameters: [:], target: TargetCapabilities(analyticHessian: true)),
              let generic = try? s.gradientCost(parameters: [:], target: TargetCapabilities(analyticHessian: false))
        else { return nil }
        return closed == generic ? "\(closed)" : "\(closed) (\(generic) without closed-form Hessians)"
    }

    /// What h is to the sampler, and its default (s: the target's length scale, d: dimension).
    private func stepSizeLine(_ policy: StepSizePolicy) -> String {
        switch policy {
        case .none: return "none"
        case .fixed(let d): return "fixed h" + (d.map { ", tuning sweeps around \($0.formula)" } ?? ", no default")
        case .adaptiveInitial(let d): return "adapted in the warm-up from h, default \(d.formula)"
        }
    }

    private func printParameters(_ specs: [ParameterSpec]) {
        for p in specs {
            print("      \(p.name)=\(p.defaultValue)  \(p.summary) [\(p.acceptedDescription)]")
        }
    }
}
