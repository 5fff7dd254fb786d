import Foundation
import Workbench

/// `bench grid --slurm`: writes the spec to `OUT/spec.json` and the two batch scripts
/// (`SlurmScripts`) to `OUT/slurm/`, then submits the job array and the merge job
/// (`--dependency=afterok:<array> --kill-on-invalid-dep=yes`) with `sbatch`, and prints
/// their ids and how to follow them. With `dryRun` it prints the scripts and the sbatch
/// commands and writes nothing.
///
/// Resubmitting the same command into the same OUT is how a failed or killed task is redone:
/// the spec and the task count must be those of the first submission (else refused, exit 64,
/// naming the difference), jobs of the earlier submission still queued refuse it (exit 64),
/// and each task resumes its shard folder, so only the cells not yet recorded run again.
struct SlurmSubmission {
    let options: SlurmOptions
    let grid: GridSpec
    let out: String
    /// Arguments every task's `bench grid` gets (--jobs, --isolate, --retry-crashed, …).
    let gridArguments: [String]

    func run(dryRun: Bool) throws {
        let tasks = try options.checkedTasks()
        let out = URL(fileURLWithPath: self.out).standardizedFileURL.path
        if out.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "'" || $0 == "\"" }) {
            throw WorkbenchError.invalidValue(owner: "bench grid --slurm", name: "--out", value: out,
                                              accepted: "a folder path without spaces or quotes (#SBATCH lines cannot quote)")
        }
        let bench = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath().path
        let scripts = SlurmScripts(bench: bench, out: out, tasks: tasks, partition: options.partition, time: options.time,
                                   gridArguments: gridArguments, failTask: options.testFailTask)
        let extra = options.extraArguments
        let arrayCommand = ["sbatch", "--parsable"] + extra + [scripts.arrayPath]
        let mergeCommand = ["sbatch", "--parsable", "--dependency=afterok:<array>", "--kill-on-invalid-dep=yes"] + extra + [scripts.mergePath]
        if dryRun {
            print("# \(scripts.arrayPath)")
            print(scripts.array)
            print("# \(scripts.mergePath)")
            print(scripts.merge)
            print("# submitted with")
            print(arrayCommand.map(shellWord).joined(separator: " "))
            print(mergeCommand.map(shellWord).joined(separator: " "))
            return
        }
        guard let sbatch = Self.onPath("sbatch") else {
            throw WorkbenchError.environment(
                "--slurm needs sbatch on PATH (a Slurm cluster's login node); for a local one: scripts/local-slurm start")
        }
        let folder = try ResultsFolderAccess.open(out)
        defer { folder.release() }
        try checkResubmission(out: out, tasks: tasks)
        let fm = FileManager.default
        for folder in ["slurm/logs", "slurm/status", "shards"] {
            try fm.createDirectory(atPath: out + "/" + folder, withIntermediateDirectories: true)
        }
        for name in (try? fm.contentsOfDirectory(atPath: out + "/slurm/status")) ?? [] {
            try? fm.removeItem(atPath: out + "/slurm/status/" + name)
        }
        // Every field written (not the canonical JSON, which leaves out `tuning.extensions: 0`):
        // the tasks read it back as a spec file.
        try AtomicFile.write(try JSONOutput.encoder().encode(grid), to: folder.path(.slurmSpec), describing: "the grid spec")
        try AtomicFile.write(Data("\(tasks)\n".utf8), to: out + "/slurm/tasks", describing: "the task count")
        try AtomicFile.write(Data(scripts.array.utf8), to: scripts.arrayPath, describing: "the array script")
        try AtomicFile.write(Data(scripts.merge.utf8), to: scripts.mergePath, describing: "the merge script")
        let arrayID = try Self.submit(sbatch, Array(arrayCommand.dropFirst()))
        try AtomicFile.write(Data("\(arrayID)\n".utf8), to: out + "/slurm/jobs", describing: "the job ids")
        let mergeID: String
        do {
            mergeID = try Self.submit(sbatch, ["--parsable", "--dependency=afterok:\(arrayID)", "--kill-on-invalid-dep=yes"]
                                      + extra + [scripts.mergePath])
        } catch let error as WorkbenchError {
            // No array without its merge: cancel it, so a resubmission starts clean.
            let cancelled = (try? Self.onPath("scancel").map { try Self.output($0, [arrayID]) }) != nil
            throw WorkbenchError.environment("\(error.description); \(cancelled ? "cancelled" : "could not cancel") the job array \(arrayID)")
        }
        try AtomicFile.write(Data("\(arrayID)\n\(mergeID)\n".utf8), to: out + "/slurm/jobs", describing: "the job ids")
        print("slurm: submitted job array \(arrayID) (\(tasks) tasks, shards in \(out)/shards) and merge job \(mergeID) (into \(out))")
        print("follow: squeue -j \(arrayID),\(mergeID)   or   \(shellWord(bench)) grid --slurm-status \(out)")
        print("logs:   \(out)/slurm/logs/; after a failed task, submit the same command again: only unfinished cells rerun")
    }

    /// A resubmission must keep the spec and the task count, and the earlier jobs must be gone.
    private func checkResubmission(out: String, tasks: Int) throws {
        let fm = FileManager.default
        let specPath = ResultsFolder.path(.slurmSpec, in: out)
        guard fm.fileExists(atPath: specPath) else {
            if fm.fileExists(atPath: ResultsFolder.path(.results, in: out)) || fm.fileExists(atPath: ResultsFolder.path(.shards, in: out)) {
                throw WorkbenchError.unsupported(
                    "\(out) holds results that are not from `bench grid --slurm` (no spec.json); give --slurm another --out")
            }
            return
        }
        let old = try GridSpec.load(from: specPath)
        let differences = try grid.differences(from: old)
        if !differences.isEmpty {
            let list = differences.map { "\($0.field) was \($0.old), now \($0.new)" }.joined(separator: "; ")
            throw WorkbenchError.unsupported(
                "\(out) was submitted with another spec (\(list)); resubmit with the same spec, or give another --out")
        }
        if let text = try? String(contentsOfFile: out + "/slurm/tasks", encoding: .utf8),
           let old = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), old != tasks {
            throw WorkbenchError.invalidValue(owner: "bench grid --slurm", name: "--slurm-tasks", value: "\(tasks)",
                                              accepted: "\(old), the task count \(out) was first submitted with (its shards are K/\(old))")
        }
        if let ids = try? String(contentsOfFile: out + "/slurm/jobs", encoding: .utf8),
           let squeue = Self.onPath("squeue") {
            let list = ids.split(whereSeparator: \.isNewline).joined(separator: ",")
            let queued = (try? Self.output(squeue, ["-h", "-o", "%i", "-j", list]))?
                .split(whereSeparator: \.isNewline).map(String.init) ?? []
            if !queued.isEmpty {
                throw WorkbenchError.unsupported(
                    "jobs \(queued.joined(separator: ", ")) of the last submission into \(out) are still queued or running; wait for them, or scancel them, then resubmit")
            }
        }
    }

    /// The job id `sbatch --parsable` prints (before any ";cluster").
    private static func submit(_ sbatch: String, _ arguments: [String]) throws -> String {
        let text = try output(sbatch, arguments)
        guard let id = text.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw WorkbenchError.environment("sbatch printed no job id (got '\(text.trimmingCharacters(in: .whitespacesAndNewlines))')")
        }
        return id
    }

    /// Runs `executable` with `arguments` (no input) and returns its standard output; a
    /// non-zero exit is an error quoting its standard error.
    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw WorkbenchError.environment("\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(message)")
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// The path of `name` in a folder of PATH, if any.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
