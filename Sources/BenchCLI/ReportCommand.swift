import ArgumentParser
import Plotting
import Workbench

/// `bench report DIR [--out OUT]`: re-renders the report from `DIR/results.jsonl` and
/// `DIR/grid.json` without re-running anything, into DIR or, with `--out`, into OUT (DIR is
/// then only read: a read-only or committed folder can be reported). It holds the written
/// folder's lock while it draws, and refuses a results file with a key on two lines, a line of
/// another spec (`ResultsFolder.load`) or a key outside the grid; it never rewrites its
/// inputs, a failed or killed rendering keeps the previous report (`ReportBuilder.write`),
/// and an OUT that holds a grid's or a report's files is replaced only with `--overwrite`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render the report of a grid folder from its results.",
        discussion: """
            Exit status: 0 written; 64 usage (an --out holding files without --overwrite); 65 malformed \
            results; 73 a file cannot be created; 74 a write failed (a full disk: the previous report is kept); \
            75 the folder is held by another bench.
            """)

    @Argument(help: "A folder written by `bench grid`.") var directory: String
    @Option(help: "Write the report into this folder instead of DIR (DIR is only read).") var out: String?
    @Flag(help: "With --out: replace the grid or report files already there.") var overwrite = false
    /// Test only (hidden): the N-th rendered file is cut short before it is checked, as a
    /// full disk leaves it (`WriteFaults`).
    @Option(name: .customLong("test-fail-report-file"), parsing: .unconditional, help: .hidden)
    var testFailReportFile: Int?

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            let inPlace = out.map { RealPath($0).isSame(as: RealPath(directory)) } ?? true
            if inPlace && overwrite {
                throw WorkbenchError.invalidValue(owner: "bench report", name: "flag", value: "--overwrite",
                                                  accepted: "--overwrite with an --out other than DIR (DIR's own report is always renewed)")
            }
            let folder = try ResultsFolderAccess.open(inPlace ? directory : out!)
            defer { folder.release() }
            let (manifest, results, _) = try ResultsFolder.load(directory)
            if let torn = ResultStore(path: ResultsFolder.resultsPath(directory)).tornTail() {
                printError("bench: skipped the torn last line of \(ResultsFolder.resultsPath(directory)) (bytes \(torn.lowerBound)–\(torn.upperBound)); "
                           + "`bench grid --resume` sets it aside and reruns its cell")
            }
            try checkCellsBelong(results, to: manifest, in: directory)
            let tuning = try manifest.spec.tuning.map { _ in
                try TuningRecord.load(from: ResultsFolder.path(.tuning, in: directory)).decisions
            }
            if !inPlace { try folder.claim(overwrite: overwrite, command: "bench report", refusing: ResultsFolder.Entry.gridFiles) }
            if let n = testFailReportFile { WriteFaults.arm(.reportFile, at: n) }
            for file in try ReportBuilder.write(results: results, manifest: manifest, tuning: tuning, to: folder) {
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
