import ArgumentParser
import Foundation
import Workbench

/// `bench export-target ID [--target-param …] --out DIR`: writes what another framework needs
/// to run on the identical target (`TargetExport`: `target.json` with the options, formula,
/// reference moments and check points, and the target's arrays as `.npy`), so a sampler
/// written elsewhere is measured on the same target and can check itself
/// (docs/EXTERNAL.md, "The same target elsewhere"; `examples/external/check_target.py`).
struct ExportTargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-target", abstract: "Write a target's data, parameters and check points for another framework.",
        discussion: """
            DIR gets target.json and one NAME.npy per array (float64, C order). Check an implementation with
              python3 examples/external/check_target.py DIR
            Example:
              bench export-target gaussian-illcond --target-param noise=correlated --out exported/icg
            """)

    @Argument(help: "Target id (see `bench list`).") var target: String
    @Option(name: .customLong("target-param"), help: "Target option name=value (repeatable).") var targetParams: [String] = []
    @Option(help: "Folder to write into (created).") var out: String
    @Flag(help: "Replace an export already in --out.") var overwrite = false

    func run() throws {
        try reportingUserErrors {
            let options = try parseAssignments(targetParams, option: "--target-param")
            let (built, resolved) = try Bench.registry.target(target).make(options: options)
            let manifest = out + "/target.json"
            if FileManager.default.fileExists(atPath: manifest) && !overwrite {
                throw WorkbenchError.invalidValue(owner: "bench export-target", name: "--out", value: out,
                                                  accepted: "a folder without target.json, or --overwrite to replace it")
            }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw WorkbenchError.io(path: out, action: "create the export folder", creating: true)
            }
            let export = TargetExport(target: built, options: resolved)
            let arrays = TargetExport.arrays(of: built)
            try export.write(arrays: arrays, into: out)
            print("export-target: \(target), d = \(built.dimension), N = \(built.dataSize), "
                  + "\(export.checkPoints.count) check points" + (arrays.isEmpty ? "" : ", arrays " + arrays.map(\.name).joined(separator: ", ")))
            if export.formula == nil { printError("bench: \(export.definition)") }
            print("wrote \(manifest)")
        }
    }
}
