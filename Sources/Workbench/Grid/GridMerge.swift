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
        var manifest = try GridManifest.load(from: ResultsFolder.manifestPath(first))
        let reference = try manifest.spec.canonicalJSON()
        var found: [String: (CellResult, String)] = [:]
        for directory in directories {
            let other = try GridManifest.load(from: ResultsFolder.manifestPath(directory))
            guard try other.spec.canonicalJSON() == reference else {
                throw WorkbenchError.unsupported("\(directory) ran a different grid than \(first) (their grid.json specs differ)")
            }
            let (results, torn) = try ResultsFolder.loadResults(directory, identity: try other.identity())
            if torn > 0 {
                throw WorkbenchError.malformedData(path: ResultsFolder.resultsPath(directory), location: "last line",
                                                   problem: "torn write; finish the shard with `bench grid --resume` first")
            }
            for result in results {
                if let (_, earlier) = found[result.key] {
                    throw WorkbenchError.unsupported("cell '\(result.key)' is in both \(earlier) and \(directory)")
                }
                found[result.key] = (result, directory)
            }
        }
        let (cells, decisions) = try expectedCells(of: manifest.spec, results: found.mapValues(\.0), registry: registry)
        if decisions != nil { manifest.cellCount = cells.count }
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

    /// The keys of the cells `spec` consists of, in the order `bench grid` writes them, given
    /// the stored `results`: without tuning, its planned cells; with tuning, the sweep cells
    /// as each pair's walk over `results` goes (extensions included; a pending extension
    /// counts as a cell) and the final cells of the decisions those results give, which are
    /// returned too.
    public static func expectedCells(of spec: GridSpec, results: [String: CellResult], registry: Registry) throws
        -> (keys: [String], decisions: [TuningDecision]?)
    {
        guard spec.tuning != nil else { return (try spec.cells(registry: registry).map(\.cell.key), nil) }
        let plan = try spec.tuningPlan(registry: registry)
        let chosen = try plan.decide(plan.pairs, results: results, seeds: spec.seeds)
        let sweeps = try plan.pairs.compactMap { try $0.walk(results: results, tuning: plan.tuning) }
        let keys = sweeps.flatMap { walk in walk.points.map(\.key) + (walk.pending.map { [$0.key] } ?? []) }
            + chosen.flatMap(\.finalCells)
        return (keys, chosen)
    }
}
