import ArgumentParser
import Plotting
import Workbench

/// `bench report DIR`: re-renders the report from `DIR/results.jsonl` and `DIR/grid.json`
/// without re-running anything.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render the report of a grid folder from its results.")

    @Argument(help: "A folder written by `bench grid`.") var directory: String

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            let manifest = try GridManifest.load(from: directory + "/grid.json")
            let (results, torn) = try ResultStore(path: directory + "/results.jsonl").load()
            if torn > 0 { printError("bench: skipped a torn last line in \(directory)/results.jsonl") }
            for file in try ReportBuilder.write(results: results, manifest: manifest, to: directory) {
                print("wrote \(file)")
            }
        }
    }
}
