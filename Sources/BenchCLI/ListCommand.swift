import ArgumentParser
import Workbench

/// `bench list`: every sampler, target and diagnostic with a one-line description, and the
/// parameters of samplers and targets with their defaults and accepted values.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List samplers (with hyperparameters), targets and diagnostics.")

    func run() {
        let registry = Bench.registry
        print("Samplers:")
        for s in registry.samplers {
            print("  \(s.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(s.summary)")
            if !s.usesStepSize { print("      (no step size)") }
            if let cost = costLine(s) { print("      cost: \(cost)") }
            printParameters(s.hyperparameters)
        }
        print("\nTargets:")
        for t in registry.targets {
            print("  \(t.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(t.summary)")
            printParameters(t.parameters)
        }
        print("\nDiagnostics:")
        for d in registry.diagnostics {
            print("  \(d.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(d.summary)")
        }
    }

    /// The declared gradient cost at the defaults, with the finite-difference variant when
    /// closed-form Hessians make a difference (n: minibatch size, N: data size).
    private func costLine(_ s: SamplerPlugin) -> String? {
        guard let declare = s.gradientCost,
              let defaults = try? ResolvedParameters([:], specs: s.hyperparameters, owner: s.id) else { return nil }
        let closed = declare(defaults, true), generic = declare(defaults, false)
        return closed == generic ? "\(closed)" : "\(closed) (\(generic) without closed-form Hessians)"
    }

    private func printParameters(_ specs: [ParameterSpec]) {
        for p in specs {
            print("      \(p.name)=\(p.defaultValue)  \(p.summary) [\(p.acceptedDescription)]")
        }
    }
}
