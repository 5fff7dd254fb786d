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
            if let n = testFailReportFile { WriteFaults.arm(.reportFile, at: n) }
            for file in try ReportBuilder.write(results: results, manifest: manifest, to: folder) {
                print("wrote \(file)")
            }
        }
    }
}
