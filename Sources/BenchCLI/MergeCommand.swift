import ArgumentParser
import Foundation
import Plotting
import Workbench

/// `bench merge DIR… --out DIR`: combines the outputs of `bench grid --shard K/N` runs into one
/// results file and report, after checking they are shards of the same grid and that every
/// cell is there exactly once. The output folder is never one of the inputs.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine shard outputs of one grid into one results file and report.",
        discussion: """
            --out must not be one of the shard folders (merge never overwrites its inputs), and a folder \
            that already holds a grid's files is replaced only with --overwrite.
            """)

    @Argument(help: "Output folders of `bench grid --shard K/N`.") var directories: [String]
    @Option(help: "Folder for the merged results and report.") var out: String
    @Flag(help: "Replace the grid files already in --out (without it, such a folder is refused).") var overwrite = false

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            try ResultsFolder.checkNotAnInput(out: out, inputs: directories, command: "bench merge")
            // The shards of a grid with external samplers name their manifests in the spec; the
            // merge re-expands the cells, so it needs their plugins (not their children).
            if let first = directories.first, let spec = try? GridManifest.load(from: first + "/grid.json").spec {
                try ExternalOptions.register([], recorded: spec.externalSamplers, settings: ExternalSettings())
            }
            let (manifest, results, tuning) = try GridMerge.merge(directories, registry: Bench.registry)
            let folder = try ResultsFolderAccess.open(out)
            defer { folder.release() }
            try folder.claim(overwrite: overwrite, command: "bench merge")
            try manifest.write(to: folder.path(.manifest))
            try folder.store.rewrite(results)
            if let tuning, let spec = manifest.spec.tuning {
                try TuningRecord(tuning: spec, decisions: tuning).write(to: folder.path(.tuning))
            }
            print("merge: \(results.count) cells from \(directories.count) folders")
            for file in try ReportBuilder.write(results: results, manifest: manifest, tuning: tuning, to: folder) { print("wrote \(file)") }
        }
    }
}
