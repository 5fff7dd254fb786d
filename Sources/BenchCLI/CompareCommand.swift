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

            The two grid.json specs must agree in every field that changes the numbers of a cell \
            without changing its key (steps, chains, warm-up, thinning, max draws, gradient budget, \
            budget scales, tuning, wall-time cap); the fields that select cells (samplers, targets, \
            step sizes, batch sizes, noise, seeds, options, hyperparameters) may differ, since their \
            cells show as missing. A folder without grid.json cannot be checked.

            Exit status: 0 nothing worse; 1 something worse; 3 the runs are not comparable — they share \
            no configuration, a configuration or a seed of a shared configuration is in one run only \
            (allowed with --allow-missing when some are shared), or the specs differ in a field that \
            changes numbers or a grid.json is missing (allowed with --allow-spec-change); 64/65 a usage \
            error or a malformed results file. When something is worse and configurations are also \
            missing, the status is 1.
            """)

    @Argument(help: "The baseline grid folder.") var old: String
    @Argument(help: "The grid folder to judge.") var new: String
    @Option(help: "Comma-separated metric names to gate on (default: b2, ess-per-gradient).")
    var metrics: String = "b2,ess-per-gradient"
    @Option(help: "Relative change allowed before a metric counts as changed.") var tolerance: Double = 0.25
    @Option(help: "Where to write compare.md (default: NEW/compare.md).") var out: String?
    @Flag(name: .customLong("allow-missing"),
          help: "Pass when configurations or seeds are in one run only (at least one configuration must be shared).")
    var allowMissing = false
    @Flag(name: .customLong("allow-spec-change"),
          help: "Compare even when the specs differ in steps, chains, budgets or other fields that change numbers, or a grid.json is missing (noted on stderr).")
    var allowSpecChange = false

    func run() throws {
        try reportingUserErrors {
            guard tolerance.isFinite, tolerance >= 0 else {
                throw WorkbenchError.invalidValue(owner: "bench compare", name: "tolerance", value: "\(tolerance)", accepted: "a number ≥ 0")
            }
            let names = metrics.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.contains(where: \.isEmpty) else {
                throw WorkbenchError.invalidValue(owner: "bench compare", name: "--metrics", value: metrics,
                                                  accepted: "comma-separated metric names, at least one (e.g. b2,ess-per-gradient)")
            }
            let oldResults = try ResultsFolder.loadResults(old).results
            let newResults = try ResultsFolder.loadResults(new).results
            let known = Set((oldResults + newResults).flatMap(\.metrics).map(\.name))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw WorkbenchError.unknownID(kind: "metric", id: unknown, accepted: known.sorted())
            }
            try checkSpecs()
            let comparison = GridComparison(old: oldResults, new: newResults, metrics: names, relativeTolerance: tolerance)
            let path = out ?? new + "/compare.md"
            for folder in [old, new] {
                try ResultsFolder.checkNotAnInput(out: path, inputs: [.results, .manifest, .tuning].map { ResultsFolder.path($0, in: folder) },
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
            if !allowMissing && !comparison.isComplete {
                printError("bench: error: " + missingText(comparison) + "; compare the same grid, or pass --allow-missing")
                throw ExitCode(Self.notComparable)
            }
        }
    }

    /// What is in one run only: configurations, then seeds of shared configurations, each
    /// count with an example.
    private func missingText(_ c: GridComparison) -> String {
        func example(_ a: [String], _ b: [String]) -> String {
            a.first.map { " (e.g. only in \(old): \($0))" } ?? b.first.map { " (e.g. only in \(new): \($0))" } ?? ""
        }
        var parts: [String] = []
        if !(c.removed.isEmpty && c.added.isEmpty) {
            parts.append("\(c.removed.count) configurations only in \(old) and \(c.added.count) only in \(new)" + example(c.removed, c.added))
        }
        if !(c.seedsRemoved.isEmpty && c.seedsAdded.isEmpty) {
            parts.append("\(c.seedsRemoved.count) seeds of shared configurations only in \(old) and \(c.seedsAdded.count) only in \(new)"
                         + example(c.seedsRemoved, c.seedsAdded))
        }
        return parts.joined(separator: "; ")
    }

    /// Exit 3 unless both folders have a grid.json whose specs agree outside
    /// `GridComparison.specFieldsAllowedToDiffer`; with --allow-spec-change, a note instead.
    private func checkSpecs() throws {
        var problems: [String] = []
        var specs: [GridSpec] = []
        for folder in [old, new] {
            let path = ResultsFolder.manifestPath(folder)
            if FileManager.default.fileExists(atPath: path) {
                specs.append(try GridManifest.load(from: path).spec)
            } else {
                problems.append("\(folder) has no grid.json, so its spec cannot be checked against the other's")
            }
        }
        if specs.count == 2 {
            let differences = try GridComparison.incomparableDifferences(old: specs[0], new: specs[1])
            if !differences.isEmpty {
                problems.append("the specs differ in what changes the numbers of every cell: "
                                + differences.map { "\($0.field) was \($0.old), now \($0.new)" }.joined(separator: "; "))
            }
        }
        guard !problems.isEmpty else { return }
        if allowSpecChange {
            problems.forEach { printError("bench: note: \($0); comparing anyway (--allow-spec-change)") }
            return
        }
        printError("bench: error: \(old) and \(new) are not comparable: \(problems.joined(separator: "; ")); "
                   + "rerun NEW with OLD's spec, renew the baseline, or pass --allow-spec-change")
        throw ExitCode(Self.notComparable)
    }
}
