import ArgumentParser
import Foundation
import Workbench

/// `bench baseline GRID --out DIR`: keeps what `bench compare` needs of a finished grid — its
/// spec and every cell's metrics, without figure data — as a small folder to commit, so CI
/// can compare each new run with it (`bench compare DIR NEW`).
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Keep a grid's spec and metrics (no figure data) as a baseline for `bench compare`.",
        discussion: """
            Writes DIR/grid.json and DIR/results.jsonl with every cell of GRID but its tuning sweep \
            (which `bench compare` leaves out), each without its marginal histogram, trace, bias trace \
            and directionless metrics (its health kept). A grid with failed or crashed cells is refused: \
            a baseline must be a run to compare against. DIR must not be GRID (a baseline never \
            overwrites its input), and a DIR that already holds a grid's files is replaced only with \
            --overwrite; both files are written atomically.
            Example:
              bench grid --samplers all --preset quick --out reports/quick
              bench baseline reports/quick --out baselines/quick --overwrite
            """)

    @Argument(help: "A finished `bench grid` output folder.") var grid: String
    @Option(help: "Folder to write the baseline into.") var out: String
    @Flag(help: "Replace the baseline already in --out (without it, a folder holding a grid's files is refused).") var overwrite = false

    func run() throws {
        try reportingUserErrors {
            try ResultsFolder.checkNotAnInput(out: out, inputs: [grid], command: "bench baseline")
            let (manifest, results, torn) = try ResultsFolder.load(grid)
            if torn > 0 {
                throw WorkbenchError.malformedData(path: ResultsFolder.resultsPath(grid), location: "last line",
                                                   problem: "torn write; finish the grid with `bench grid --resume` first")
            }
            if let broken = results.first(where: { $0.status != .ok }) {
                throw WorkbenchError.invalidValue(
                    owner: "bench baseline", name: "cell \(broken.key)", value: broken.status.rawValue,
                    accepted: "a grid whose cells all ran (status ok)")
            }
            let folder = try ResultsFolderAccess.open(out)
            defer { folder.release() }
            try folder.claim(overwrite: overwrite, command: "bench baseline")
            try manifest.write(to: folder.path(.manifest))
            // `bench compare` leaves tuning sweeps out, so the baseline does too.
            let kept = results.filter { $0.phase != .tune }
            try folder.store.rewrite(kept.map(\.metricsOnly))
            print("baseline: \(kept.count) cells of \(grid) (\(results.count - kept.count) sweep cells left out); "
                  + "wrote \(folder.path(.manifest)) and \(folder.path(.results))")
        }
    }
}
