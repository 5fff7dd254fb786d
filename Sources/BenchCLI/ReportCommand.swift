import ArgumentParser
import Plotting
import Workbench

/// `bench report DIR`: re-renders the report from `DIR/results.jsonl` and `DIR/grid.json`
/// without re-running anything. It holds the folder's lock while it draws, and refuses a
/// results file with a key on two lines or a line of another spec (`ResultsFolder.load`);
/// it never rewrites its inputs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render the report of a grid folder from its results.")

    @Argument(help: "A folder written by `bench grid`.") var directory: String

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            let lock = try ResultsFolderAccess.lock(directory)
            defer { lock.release() }
            let (manifest, results, torn) = try ResultsFolder.load(directory)
            if torn > 0 { printError("bench: skipped a torn last line in \(directory)/results.jsonl") }
            for file in try ReportBuilder.write(results: results, manifest: manifest, to: directory) {
                print("wrote \(file)")
            }
        }
    }
}
