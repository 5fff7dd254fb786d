import ArgumentParser
import Foundation
import Plotting
import Workbench

/// `bench merge DIR… --out DIR`: combines the outputs of `bench grid --shard K/N` runs into one
/// results file and report, after checking they are shards of the same grid and that every
/// cell is there exactly once.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine shard outputs of one grid into one results file and report.")

    @Argument(help: "Output folders of `bench grid --shard K/N`.") var directories: [String]
    @Option(help: "Folder for the merged results and report.") var out: String

    func run() throws {
        try reportingUserErrors {
            try ReportBuilder.checkDevices()
            let (manifest, results, tuning) = try GridMerge.merge(directories, registry: Bench.registry)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
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
