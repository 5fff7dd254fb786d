import ArgumentParser
import Foundation
import Workbench

/// `bench compare OLD NEW`: what got better or worse between two grid runs, beyond seed noise;
/// exits 1 when a chosen metric regresses (or a seed newly crashes or diverges) and 3 when
/// the two runs are not the same configurations, so CI can gate on it and never pass
/// vacuously.
struct CompareCommand: ParsableCommand {
    /// Exit status when the grids share no configuration, or some are missing on either side
    /// (without --allow-missing).
    static let notComparable: Int32 = 3

    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two grid folders; exit 1 if a gated metric got worse.",
        discussion: """
            A metric is worse when it moves the wrong way by more than --tolerance (relative) and more \
            than the seed noise (half the min–max range over seeds) of either run. A seed that newly \
            diverges, fails or crashes is always worse, and so is a seed whose health verdict (ok, warn, \
            fail; DIAGNOSTICS.md "Health") is worse than in OLD (sweep cells aside). Writes compare.md into NEW (or --out).

            Exit status: 0 nothing worse; 1 something worse; 3 the runs are not comparable — they share \
            no configuration, or a configuration is in one run only (allowed with --allow-missing when \
            some are shared); 64/65 a usage error or a malformed results file. When something is worse \
            and configurations are also missing, the status is 1.
            """)

    @Argument(help: "The baseline grid folder.") var old: String
    @Argument(help: "The grid folder to judge.") var new: String
    @Option(help: "Comma-separated metric names to gate on (default: b2, ess-per-gradient).")
    var metrics: String = "b2,ess-per-gradient"
    @Option(help: "Relative change allowed before a metric counts as changed.") var tolerance: Double = 0.25
    @Option(help: "Where to write compare.md (default: NEW/compare.md).") var out: String?
    @Flag(name: .customLong("allow-missing"), help: "Pass when configurations are in one run only (at least one must be shared).")
    var allowMissing = false

    func run() throws {
        try reportingUserErrors {
            guard tolerance.isFinite, tolerance >= 0 else {
                throw WorkbenchError.invalidValue(owner: "bench compare", name: "tolerance", value: "\(tolerance)", accepted: "a number ≥ 0")
            }
            let oldResults = try ResultsFolder.loadResults(old).results
            let newResults = try ResultsFolder.loadResults(new).results
            let names = metrics.split(separator: ",").map(String.init)
            let known = Set((oldResults + newResults).flatMap(\.metrics).map(\.name))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw WorkbenchError.unknownID(kind: "metric", id: unknown, accepted: known.sorted())
            }
            let comparison = GridComparison(old: oldResults, new: newResults, metrics: names, relativeTolerance: tolerance)
            let path = out ?? new + "/compare.md"
            for folder in [old, new] {
                try ResultsFolder.checkNotAnInput(out: path, inputs: ["results.jsonl", "grid.json", "tuning.json"].map { folder + "/" + $0 },
                                                  command: "bench compare")
            }
            try AtomicFile.write(text: comparison.markdown(oldName: old, newName: new), to: path, describing: "the comparison")
            print("compare: \(comparison.regressions.count) worse, \(comparison.improvements.count) better, "
                  + "\(comparison.shared) configurations shared, \(comparison.removed.count) only in \(old), "
                  + "\(comparison.added.count) only in \(new); wrote \(path)")
            for change in comparison.regressions {
                let values = change.note ?? "\(change.old.map { "\($0)" } ?? "—") → \(change.new.map { "\($0)" } ?? "—")"
                printError("worse: \(change.configuration) \(change.metric): \(values)")
            }
            if comparison.shared == 0 {
                printError("bench: error: \(old) and \(new) share no configuration (\(comparison.removed.count) vs "
                           + "\(comparison.added.count)); they are different grids, so nothing was compared")
                throw ExitCode(Self.notComparable)
            }
            if !comparison.regressions.isEmpty { throw ExitCode(1) }
            if !allowMissing && !(comparison.removed.isEmpty && comparison.added.isEmpty) {
                let example = comparison.removed.first.map { "only in \(old): \($0)" } ?? "only in \(new): \(comparison.added[0])"
                printError("bench: error: \(comparison.removed.count) configurations only in \(old) and \(comparison.added.count) only in "
                           + "\(new) (e.g. \(example)); compare the same grid, or pass --allow-missing")
                throw ExitCode(Self.notComparable)
            }
        }
    }
}
