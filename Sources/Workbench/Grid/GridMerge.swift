import Foundation

/// Combines the output folders of the shards of one grid (`bench merge`).
///
/// Every folder must hold a `grid.json` whose spec is the same grid, and together their
/// `results.jsonl` must hold every cell of that grid exactly once; anything else is an error
/// that names the folder and the cell, so a merged report is never silently incomplete.
public enum GridMerge {
    ///
    /// With a tuning protocol, the grid's cells are the sweep cells (planned, and the
    /// extensions each pair's walk over the merged results adds) and the final cells the
    /// decisions computed from those results give (the order `bench grid` writes), and those
    /// decisions are returned too.
    public static func merge(_ directories: [String], registry: Registry) throws
        -> (manifest: GridManifest, results: [CellResult], tuning: [TuningDecision]?)
    {
        guard let first = directories.first else {
            throw WorkbenchError.invalidValue(owner: "bench merge", name: "folders", value: "(none)", accepted: "one or more grid output folders")
        }
        var manifest = try GridManifest.load(from: first + "/grid.json")
        let reference = try manifest.spec.canonicalJSON()
        var found: [String: (CellResult, String)] = [:]
        for directory in directories {
            let other = try GridManifest.load(from: directory + "/grid.json")
            guard try other.spec.canonicalJSON() == reference else {
                throw WorkbenchError.unsupported("\(directory) ran a different grid than \(first) (their grid.json specs differ)")
            }
            let (results, torn) = try ResultsFolder.loadResults(directory, identity: try other.identity())
            if torn > 0 {
                throw WorkbenchError.malformedData(path: directory + "/results.jsonl", location: "last line",
                                                   problem: "torn write; finish the shard with `bench grid --resume` first")
            }
            for result in results {
                if let (_, earlier) = found[result.key] {
                    throw WorkbenchError.unsupported("cell '\(result.key)' is in both \(earlier) and \(directory)")
                }
                found[result.key] = (result, directory)
            }
        }
        var cells: [String]
        var decisions: [TuningDecision]?
        if manifest.spec.tuning != nil {
            let plan = try manifest.spec.tuningPlan(registry: registry)
            let results = found.mapValues(\.0)
            let chosen = try plan.decide(plan.pairs, results: results, seeds: manifest.spec.seeds)
            // The sweep cells as each pair's walk over the merged results goes, extensions
            // included (a pending extension is a missing cell).
            let sweeps = try plan.pairs.compactMap { try $0.walk(results: results, tuning: plan.tuning) }
            cells = sweeps.flatMap { walk in walk.points.map(\.key) + (walk.pending.map { [$0.key] } ?? []) }
                + chosen.flatMap(\.finalCells)
            decisions = chosen
            manifest.cellCount = cells.count
        } else {
            cells = try manifest.spec.cells(registry: registry).map(\.cell.key)
        }
        let missing = cells.filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw WorkbenchError.unsupported(
                "\(missing.count) of \(cells.count) cells are in none of the folders, e.g. '\(missing[0])'; run the missing shards first")
        }
        if let stray = found.keys.first(where: { !Set(cells).contains($0) }) {
            throw WorkbenchError.unsupported("cell '\(stray)' in \(found[stray]!.1) is not part of the grid")
        }
        return (manifest, cells.map { found[$0]!.0 }, decisions)
    }
}
