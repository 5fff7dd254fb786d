import ArgumentParser
import Plotting
import Workbench

/// `bench report DIR`: re-renders the report from `DIR/results.jsonl` and `DIR/grid.json`
/// without re-running anything. It holds the folder's lock while it draws, and refuses a
/// results file with a key on two lines or a line of another spec (`ResultsFolder.load`);
/// it never rewrites its inputs, and a failed or killed rendering keeps the previous report
/// (`ReportBuilder.write`).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render the report of a grid folder from its results.")

    @Argument(help: "A folder written by `bench grid`.") var directory: String
    /// Test only (hidden): the N-th rendered file is cut short before it is checked, as a
    /// full disk leaves it (`WriteFaults`).
    @Option(name: .customLong("test-fail-report-file"), parsing: .unconditional, help: .hidden)
    var testFailReportFile: Int?

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            let folder = try ResultsFolderAccess.open(directory)
            defer { folder.release() }
            let (manifest, results, _) = try ResultsFolder.load(directory)
            if let torn = folder.store.tornTail() {
                printError("bench: skipped the torn last line of \(folder.path(.results)) (bytes \(torn.lowerBound)–\(torn.upperBound)); "
                           + "`bench grid --resume` sets it aside and reruns its cell")
            }
            try checkCellsBelong(results, to: manifest, in: directory)
            if let n = testFailReportFile { WriteFaults.arm(.reportFile, at: n) }
            for file in try ReportBuilder.write(results: results, manifest: manifest, to: folder) {
                print("wrote \(file)")
            }
        }
    }

    /// Refuses a result whose key is not a cell of the folder's grid (a line pasted in from
    /// elsewhere with the folder's spec hash), which the count of finished cells would take
    /// for one of the grid's. A baseline of a tuned grid keeps no sweep cells, so its final
    /// cells cannot be recomputed and are not checked.
    private func checkCellsBelong(_ results: [CellResult], to manifest: GridManifest, in folder: String) throws {
        guard manifest.spec.tuning == nil || results.contains(where: { $0.phase == .tune }) else { return }
        let stored = Dictionary(results.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let cells = Set(try GridMerge.expectedCells(of: manifest.spec, results: stored, registry: Bench.registry).keys)
        guard let stray = results.first(where: { !cells.contains($0.key) }) else { return }
        throw WorkbenchError.malformedData(
            path: ResultsFolder.resultsPath(folder), location: "cell '\(stray.key)'",
            problem: "not a cell of the grid in its grid.json; remove that line (a folder holds one grid's cells)")
    }
}
