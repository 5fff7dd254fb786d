import ArgumentParser
import Foundation
import Workbench

/// `bench run`: one sampler on one target; prints the metrics as a table or one JSON object.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one sampler on one target and print its metrics.",
        discussion: """
            Example (the experiment of arXiv 2403.08609, Convergence of Locally Adaptive Samplers):
              bench run --sampler sgld --target std-normal-1d --steps 10000000 --step-size 1e-4
            """)

    @Option(help: "Sampler id (see `bench list`).") var sampler: String
    @Option(help: "Target id (see `bench list`).") var target: String
    @Option(parsing: .unconditional, help: "Steps per chain, warm-up included.") var steps: Int
    @Option(name: .customLong("step-size"), parsing: .unconditional,
            help: "Step size h (> 0); samplers without one (`bench list`: \"no step size\") ignore it with a note.")
    var stepSize: Double?
    @Option(name: .customLong("batch-size"), help: BatchSizeChoice.help) var batchSize: BatchSizeChoice = .targetDefault
    @OptionGroup var minibatches: MinibatchOptions
    @OptionGroup var external: ExternalOptions
    @Option(parsing: .unconditional, help: "Independent chains.") var chains: Int = 4
    @Option(parsing: .unconditional, help: "Seed of the run.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Keep every k-th draw (thinning doubles beyond the per-chain cap).") var thin: Int = 1
    @Option(parsing: .unconditional, help: "Warm-up steps per chain (default: steps / 10).") var warmup: Int?
    @Option(name: .customLong("max-draws"), parsing: .unconditional, help: "Most draws stored per chain.") var maxDraws: Int = 10_000
    @Option(name: .customLong("param"), help: "Sampler hyperparameter name=value (repeatable).")
    var params: [String] = []
    @Option(name: .customLong("target-param"), help: "Target option name=value (repeatable), e.g. noise=isotropic.")
    var targetParams: [String] = []
    @Option(help: "Comma-separated diagnostic ids, or 'all'.") var diagnostics: String = "all"
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(name: .customLong("export-draws"),
            help: "Write the kept draws, by extension: FILE.npy (float64, shape (chains, draws, d)) or FILE.csv (chain column + one per coordinate); `bench diagnose` reads both.")
    var exportDraws: String?

    func run() throws {
        try reportingUserErrors {
            try external.register()
            let registry = Bench.registry
            let targetPlugin = try registry.target(target)
            let built = try targetPlugin.make(options: try parseAssignments(targetParams, option: "--target-param"))
            let samplerPlugin = try registry.sampler(sampler)
            let stepSize = try StepSizeUse.stepSize(self.stepSize, for: samplerPlugin, target: built.0)
            let cell = Cell(
                sampler: sampler, target: target, hyperparameters: try parseAssignments(params, option: "--param"),
                targetOptions: try parseAssignments(targetParams, option: "--target-param"),
                stepSize: stepSize,
                batchSize: batchSize.resolved(for: built.0), batching: minibatches.batching ?? .iid, start: minibatches.start ?? .target,
                seed: seed, chains: chains, steps: steps, warmup: warmup, thin: thin, maxDrawsPerChain: maxDraws)
            let selected = try registry.diagnosticIDs(diagnostics.split(separator: ",").map(String.init))
            if let exportDraws { try DrawsFile.checkWritable(exportDraws) }  // fails before the run, not after it
            let (record, _) = try CellRunner(registry: registry).run(cell, prepared: built)
            let result = CellResult(
                run: record, target: built.0, diagnostics: try selected.map { try registry.diagnostic($0) },
                provenance: .current())
            // The metrics are printed first: a failed export (a full disk) must not lose the run.
            if json {
                print(try JSONOutput.line(result))
                ResultTable.healthWarnings(result.assessedHealth).forEach(printError)
            } else {
                print(ResultTable.render(result))
            }
            if let exportDraws { try export(record, to: exportDraws) }
        }
    }

    private func export(_ record: RunRecord, to path: String) throws {
        let count = record.chains.map(\.drawCount).min() ?? 0
        if record.chains.contains(where: { $0.drawCount != count }) {
            printError("bench: note: chains kept different numbers of draws (a chain diverged); "
                + "exporting the first \(count) draws of each chain")
        }
        try DrawsFile.write(DrawsArray(record), to: path)
    }
}
