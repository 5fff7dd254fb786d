import Workbench

/// The two batch scripts of a `bench grid --slurm` submission into the folder `out`
/// (absolute): the job array, whose task K runs shard K/N of `out/spec.json` into
/// `out/shards/K` with `--resume` (a fresh folder starts, a resubmission reruns only the
/// cells not yet recorded), and the merge job, which `bench merge`s the N shard folders into
/// `out` (the merge writes the report; `--overwrite`, since a resubmission merges again into
/// the folder it owns). Each job records its exit status in
/// `out/slurm/status/` and logs into `out/slurm/logs/`, which is what `SlurmStatus` reads.
/// Pure text: no file is written and nothing is submitted here.
struct SlurmScripts {
    let bench: String
    let out: String
    let tasks: Int
    let partition: String?
    let time: String?
    /// Arguments every task's `bench grid` gets after the shard's (e.g. --isolate).
    let gridArguments: [String]
    /// The task that stops after its first cell (test only; see `SlurmOptions.testFailTask`).
    let failTask: Int?

    var arrayPath: String { out + "/slurm/array.sh" }
    var mergePath: String { out + "/slurm/merge.sh" }

    /// `#SBATCH` lines shared by both jobs.
    private func header(name: String, output: String) -> [String] {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --output=\(output)"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        return lines
    }

    var array: String {
        let status = out + "/slurm/status"
        var grid = [bench, "grid", "--spec", ResultsFolder.path(.slurmSpec, in: out)].map(shellWord)
            + ["--shard", "\"$K/\(tasks)\"", "--resume", "--out", shellWord(out + "/shards/") + "\"$K\""]
        grid += gridArguments.map(shellWord)
        var lines = header(name: "bench-grid", output: out + "/slurm/logs/task-%a.log")
        lines += ["#SBATCH --array=1-\(tasks)",
                  "# Written by `bench grid --slurm`: task K runs shard K/\(tasks) of the grid.",
                  "K=$SLURM_ARRAY_TASK_ID",
                  "rm -f \(shellWord(status))/task-$K.exit",
                  "jobs=\"${SLURM_CPUS_PER_TASK:-1}\""]
        if !gridArguments.contains("--jobs") { grid += ["--jobs", "\"$jobs\""] }
        if let failTask {
            lines.append("test_fail=(); [ \"$K\" = \(failTask) ] && test_fail=(--test-exit-after-cells 1)  # test only")
            grid.append("\"${test_fail[@]}\"")
        }
        lines += [grid.joined(separator: " "), "rc=$?",
                  "echo \"$rc\" > \(shellWord(status))/task-$K.exit", "exit \"$rc\""]
        return lines.joined(separator: "\n") + "\n"
    }

    var merge: String {
        let status = out + "/slurm/status"
        let shards = (1...tasks).map { shellWord(out + "/shards/\($0)") }.joined(separator: " ")
        var lines = header(name: "bench-merge", output: out + "/slurm/logs/merge.log")
        lines += ["# Written by `bench grid --slurm`: runs once every task succeeded (afterok).",
                  "rm -f \(shellWord(status))/merge.exit",
                  "\(shellWord(bench)) merge \(shards) --out \(shellWord(out)) --overwrite", "rc=$?",
                  "echo \"$rc\" > \(shellWord(status))/merge.exit", "exit \"$rc\""]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `word` as one shell word: as it is when it holds only safe characters, else single-quoted.
func shellWord(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    if safe && !word.isEmpty { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
