import Foundation

/// Runs the cells of a grid one after another, evaluating the diagnostics of each and
/// appending its result to the store as soon as it finishes.
///
/// A cell that throws (for example a sampler that rejects a combination) is reported through
/// `progress` and skipped; the grid goes on and the error is returned in `failures`, never
/// dropped silently.
public struct GridRunner: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// Progress after each cell: cells done, cells in all, the cell, and its result or error.
    public typealias Progress = (Int, Int, Cell, Result<CellResult, Error>) -> Void

    public func run(_ spec: GridSpec, store: ResultStore, provenance: Provenance,
                    progress: Progress = { _, _, _, _ in }) throws -> (results: [CellResult], failures: [(Cell, Error)]) {
        let cells = try spec.cells(registry: registry)
        let diagnostics = try registry.diagnosticIDs(spec.diagnostics).map { try registry.diagnostic($0) }
        let runner = CellRunner(registry: registry)
        var results: [CellResult] = []
        var failures: [(Cell, Error)] = []
        for (index, entry) in cells.enumerated() {
            do {
                let (run, _) = try runner.run(entry.cell, prepared: entry.target)
                let result = CellResult(run: run, target: entry.target.0, diagnostics: diagnostics, provenance: provenance)
                try store.append(result)
                results.append(result)
                progress(index + 1, cells.count, entry.cell, .success(result))
            } catch {
                failures.append((entry.cell, error))
                progress(index + 1, cells.count, entry.cell, .failure(error))
            }
        }
        return (results, failures)
    }
}
