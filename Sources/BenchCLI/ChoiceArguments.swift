import ArgumentParser
import Workbench

// Choices given on the command line as their raw values; `--help` lists the accepted ones and
// any other value is a usage error naming them.

extension MinibatchScheme: ExpressibleByArgument {}
extension StartPoint: ExpressibleByArgument {}

/// "n", "full" or "default" (`BatchSizeChoice`); the option's value name shows the three.
extension BatchSizeChoice: ExpressibleByArgument {
    public init?(argument: String) {
        guard let choice = try? BatchSizeChoice(parsing: argument) else { return nil }
        self = choice
    }

    public var defaultValueDescription: String { description }

    /// The help of a `--batch-size` option.
    static let help = ArgumentHelp(
        "Minibatch size: a whole number n ≥ 1, 'full' (all N data) or 'default' (the target's: 256 with gradient noise, else full).",
        valueName: "n|full|default")
}

/// How a run's minibatches are drawn and where its chains start: the options `run` and `grid`
/// share (`grid` applies them to every cell; without them, a spec's own values stand).
struct MinibatchOptions: ParsableArguments {
    @Option(help: "How minibatches are drawn: iid (a fresh batch per gradient call; the default) or epoch (reshuffled epochs).")
    var batching: MinibatchScheme?
    @Option(help: "Where chains start: target (its over-dispersed start; the default), zero (the origin) or ensemble (chain c from deep-ensemble member c, trained first; targets with a validation split, the bnn-smile-* regressions).")
    var start: StartPoint?
}
