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
        discussion: "--out must not be one of the shard folders (merge never overwrites its inputs).")

    @Argument(help: "Output folders of `bench grid --shard K/N`.") var directories: [String]
    @Option(help: "Folder for the merged results and report.") var out: String

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            try ResultsFolder.checkNotAnInput(out: out, inputs: directories, command: "bench merge")
            let (manifest, results, tuning) = try GridMerge.merge(directories, registry: Bench.registry)
            let lock = try ResultsFolderAccess.lock(out)
            defer { lock.release() }
            try manifest.write(to: out + "/grid.json")
            try ResultStore(path: out + "/results.jsonl").rewrite(results)
            if let tuning, let spec = manifest.spec.tuning {
                try TuningRecord(tuning: spec, decisions: tuning).write(to: out + "/tuning.json")
            }
            print("merge: \(results.count) cells from \(directories.count) folders")
            for file in try ReportBuilder.write(results: results, manifest: manifest, tuning: tuning, to: out) { print("wrote \(file)") }
        }
    }
}
