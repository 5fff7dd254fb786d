import ArgumentParser
import Foundation
import Workbench

/// `bench run-cell` (hidden): the child side of `bench grid --isolate`. Reads a `CellJob` as
/// JSON on standard input, runs the cell in this process, prints the `CellResult` as JSON.
struct RunCellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-cell", abstract: "Run one cell given as JSON on standard input (used by grid --isolate).",
        shouldDisplay: false)

    @OptionGroup var external: ExternalOptions

    func run() throws {
        ParentWatch.dieWithParent()  // a cell never outlives its grid
        try reportingUserErrors {
            try external.register()
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let job: CellJob
            do {
                job = try JSONDecoder().decode(CellJob.self, from: input)
            } catch {
                throw WorkbenchError.malformedData(path: "standard input", location: "cell job", problem: "\(error)")
            }
            let registry = Bench.registry
            let diagnostics = try job.diagnostics.map { try registry.diagnostic($0) }
            let runner = GridRunner(registry: registry)
            let target = try CellRunner(registry: registry).makeTarget(job.cell)
            let execute = runner.inProcessExecutor(diagnostics: diagnostics, provenance: job.provenance,
                                                   exportDraws: job.exportDraws)
            let result = ComputeThreads.withLimit(job.threads ?? ComputeThreads.current) { execute(job.cell, target) }
            FileHandle.standardOutput.write(try JSONOutput.encoder().encode(result))
        }
    }
}
