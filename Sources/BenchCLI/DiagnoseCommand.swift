import ArgumentParser
import Foundation
import Workbench

/// `bench diagnose`: the diagnostics of draws made elsewhere, against a target's reference.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose", abstract: "Compute every diagnostic of draws from any sampler (.npy or .csv) against a target.",
        discussion: """
            The draws file is chosen by its extension:
              .npy  NumPy, little-endian float64 ('<f8'), C order, shape (chains, draws, d) or (draws, d)
              .csv  a header row, one column per coordinate, an optional 'chain' column
                    (columns 'draw' and 'iteration' are ignored; '#' lines are comments)
            d must be the target's dimension. A non-finite draw marks its chain diverged there.
            The gradient count is unknown, so per-gradient efficiencies are undefined.
            Examples:
              bench diagnose --draws draws.npy --target gaussian-iso
              bench diagnose --draws draws.csv --target std-normal-1d --diagnostics ess,marginals --json
            """)

    @Option(help: "The draws: FILE.npy or FILE.csv.") var draws: String
    @Option(help: "Target id (see `bench list`) whose reference the draws are compared with.") var target: String
    @Option(name: .customLong("target-param"), help: "Target option name=value (repeatable), e.g. dimension=10.")
    var targetParams: [String] = []
    @Option(help: "Comma-separated diagnostic ids, or 'all'.") var diagnostics: String = "all"
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() throws {
        try reportingUserErrors {
            let registry = Bench.registry
            let (built, options) = try registry.target(target).make(
                options: try parseAssignments(targetParams, option: "--target-param"))
            let selected = try registry.diagnosticIDs(diagnostics.split(separator: ",").map(String.init))
            try DrawMemory.checkImport(draws)  // before reading: a file too large for memory is refused, not OOM-killed
            let array = try DrawsFile.read(draws, dimension: built.dimension)
            let record = try RunRecord(importing: array, from: draws, target: built, targetOptions: options)
            let result = CellResult(
                run: record, target: built, diagnostics: try selected.map { try registry.diagnostic($0) },
                provenance: .current())
            if json {
                print(try JSONOutput.line(result))
                ResultTable.healthWarnings(result.assessedHealth).forEach(printError)
            } else {
                print(ResultTable.render(result))
            }
        }
    }
}
