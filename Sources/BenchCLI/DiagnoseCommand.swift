import ArgumentParser
import Foundation
import Workbench

/// `bench diagnose`: the diagnostics of draws made elsewhere, against a target's reference.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose", abstract: "Compute every diagnostic of draws from any sampler (.npy or .csv) against a target.",
        discussion: """
            The draws file is chosen by its extension:
              .npy  NumPy, little-endian float64, float32 or float16, C order, shape (chains, draws, d) or
                    (draws, d); --layout draw,chain,dim for (draws, chains, d), what lax.scan stacks
              .csv  a header row, one column per coordinate, an optional 'chain' column
                    (columns 'draw' and 'iteration' are ignored; '#' lines are comments)
            d must be the target's dimension. A non-finite draw marks its chain diverged there.
            The gradient count is unknown unless --gradient-evaluations gives it (full-gradient
            equivalents over all chains, warm-up included); without it per-gradient efficiencies are undefined.
            Examples:
              bench diagnose --draws draws.npy --target gaussian-iso
              bench diagnose --draws jax.npy --layout draw,chain,dim --gradient-evaluations 80000 --target gaussian-iso
              bench diagnose --draws draws.csv --target std-normal-1d --diagnostics ess,marginals --json
            """)

    @Option(help: "The draws: FILE.npy or FILE.csv.") var draws: String
    @Option(help: "Target id (see `bench list`) whose reference the draws are compared with.") var target: String
    @Option(name: .customLong("target-param"), help: "Target option name=value (repeatable), e.g. dimension=10.")
    var targetParams: [String] = []
    @Option(help: "Comma-separated diagnostic ids, or 'all'.") var diagnostics: String = "all"
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: ArgumentHelp("The axis order of a 3-axis .npy: chain,draw,dim (ArviZ's, the default) or draw,chain,dim.",
                               valueName: "chain,draw,dim|draw,chain,dim"))
    var layout: String = DrawsArray.Layout.chainDrawDimension.rawValue
    @Option(name: .customLong("gradient-evaluations"), parsing: .unconditional,
            help: "What the draws cost, in full-gradient equivalents over all chains (warm-up included): gives ESS per gradient.")
    var gradientEvaluations: Double?

    func run() throws {
        try reportingUserErrors {
            let registry = Bench.registry
            let (built, options) = try registry.target(target).make(
                options: try parseAssignments(targetParams, option: "--target-param"))
            let selected = try registry.diagnosticIDs(diagnostics.split(separator: ",").map(String.init))
            guard let axes = DrawsArray.Layout(rawValue: layout) else {
                throw WorkbenchError.invalidValue(owner: "bench diagnose", name: "--layout", value: layout,
                                                  accepted: DrawsArray.Layout.allCases.map(\.rawValue).joined(separator: " or "))
            }
            if let g = gradientEvaluations, !(g.isFinite && g > 0) {
                throw WorkbenchError.invalidValue(owner: "bench diagnose", name: "--gradient-evaluations", value: "\(g)",
                                                  accepted: "a positive number of full-gradient equivalents")
            }
            try DrawMemory.checkImport(draws)  // before reading: a file too large for memory is refused, not OOM-killed
            let threeAxes = try DrawsFile.format(of: draws) == .npy && NpyReader.header(of: draws).shape.count == 3
            if axes == .drawChainDimension && !threeAxes {
                throw WorkbenchError.invalidValue(owner: "bench diagnose", name: "--layout", value: layout,
                                                  accepted: "draw,chain,dim only for a .npy of three axes (a CSV names its chains in a column)")
            }
            let file = try DrawsFile.read(draws, dimension: built.dimension)
            if threeAxes && axes == .chainDrawDimension && file.chains > file.draws {
                printError("bench: warning: \(draws) read as \(file.chains) chains of \(file.draws) draws — more chains than draws; "
                           + "if the array is (draws, chains, d), as lax.scan stacks it, add --layout draw,chain,dim")
            }
            let array = file.reading(as: axes)
            let record = try RunRecord(importing: array, from: draws, target: built, targetOptions: options,
                                       gradientEvaluations: gradientEvaluations)
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
