import ArgumentParser
import Foundation
import Workbench

/// `bench compare OLD NEW`: what got better or worse between two grid runs, beyond seed noise;
/// exits 1 when a chosen metric regresses, so CI can gate on it.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two grid folders; exit 1 if a gated metric got worse.",
        discussion: """
            A metric is worse when it moves the wrong way by more than --tolerance (relative) and more \
            than the seed noise (half the min–max range over seeds) of either run. A configuration that \
            newly diverges is always worse. Writes compare.md into NEW (or --out).
            """)

    @Argument(help: "The baseline grid folder.") var old: String
    @Argument(help: "The grid folder to judge.") var new: String
    @Option(help: "Comma-separated metric names to gate on (default: b2, ess-per-gradient).")
    var metrics: String = "b2,ess-per-gradient"
    @Option(help: "Relative change allowed before a metric counts as changed.") var tolerance: Double = 0.25
    @Option(help: "Where to write compare.md (default: NEW/compare.md).") var out: String?

    func run() throws {
        try reportingUserErrors {
            guard tolerance.isFinite, tolerance >= 0 else {
                throw WorkbenchError.invalidValue(owner: "bench compare", name: "tolerance", value: "\(tolerance)", accepted: "a number ≥ 0")
            }
            let oldResults = try ResultStore(path: old + "/results.jsonl").load().results
            let newResults = try ResultStore(path: new + "/results.jsonl").load().results
            let names = metrics.split(separator: ",").map(String.init)
            let known = Set((oldResults + newResults).flatMap(\.metrics).map(\.name))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw WorkbenchError.unknownID(kind: "metric", id: unknown, accepted: known.sorted())
            }
            let comparison = GridComparison(old: oldResults, new: newResults, metrics: names, relativeTolerance: tolerance)
            let path = out ?? new + "/compare.md"
            guard FileManager.default.createFile(atPath: path, contents: Data(comparison.markdown(oldName: old, newName: new).utf8)) else {
                throw WorkbenchError.file(path: path, problem: "cannot write the comparison")
            }
            print("compare: \(comparison.regressions.count) worse, \(comparison.improvements.count) better; wrote \(path)")
            for change in comparison.regressions {
                printError("worse: \(change.configuration) \(change.metric): \(change.old.map { "\($0)" } ?? "—") → \(change.new.map { "\($0)" } ?? "—")")
            }
            if !comparison.regressions.isEmpty { throw ExitCode(1) }
        }
    }
}
