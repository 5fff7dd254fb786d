import Foundation
import Testing

/// `bench grid --slurm` without a cluster: the generated scripts (--dry-run), the submission
/// through a stand-in `sbatch` that records its arguments, the resubmission checks, usage
/// errors, and `--slurm-status` over folders laid out as the jobs leave them. The real cluster
/// path runs in scripts/slurm-check (CI).
@Suite struct SlurmTests {
    let grid = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.05",
                "--seeds", "1,2", "--steps", "200", "--chains", "2"]

    /// A folder holding a fake `sbatch` that appends its arguments to `calls` and prints the
    /// job id 41, then 42, …; PATH is only this folder, so no real Slurm command is found.
    func fakeSlurm() throws -> (path: String, calls: URL) {
        let bin = try temporaryFolder()
        let calls = bin.appendingPathComponent("calls")
        let script = """
            #!/bin/sh
            echo "$*" >> '\(calls.path)'
            echo $(( 40 + $(/usr/bin/wc -l < '\(calls.path)') ))
            """
        let sbatch = bin.appendingPathComponent("sbatch")
        try script.write(to: sbatch, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sbatch.path)
        return (bin.path, calls)
    }

    @Test func dryRunPrintsBothScriptsAndWritesNothing() throws {
        let out = try temporaryFolder().appendingPathComponent("grid")
        let (code, text, err) = try bench(grid + ["--slurm", "--slurm-tasks", "3", "--slurm-partition", "short", "--slurm-time", "1:00:00",
                                                  "--slurm-extra", "--account=abc --cpus-per-task=2", "--isolate", "--dry-run", "--out", out.path])
        #expect(code == 0, "\(err)")
        #expect(text.contains("#SBATCH --array=1-3"))
        #expect(text.contains("#SBATCH --partition=short") && text.contains("#SBATCH --time=1:00:00"))
        #expect(text.contains("grid --spec \(out.path)/spec.json --shard \"$K/3\" --resume --out \(out.path)/shards/\"$K\" --isolate --jobs \"$jobs\""))
        #expect(text.contains("merge \(out.path)/shards/1 \(out.path)/shards/2 \(out.path)/shards/3 --out \(out.path)"))
        #expect(text.contains("--kill-on-invalid-dep=yes --account=abc --cpus-per-task=2 \(out.path)/slurm/merge.sh"))
        // The executable is named by its absolute path.
        #expect(text.contains("\n/") && text.contains("/bench grid --spec"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func submitsTheArrayThenTheDependentMergeAndRefusesAnotherSpec() throws {
        let (path, calls) = try fakeSlurm()
        let out = try temporaryFolder().appendingPathComponent("grid")
        let (code, text, err) = try bench(grid + ["--slurm", "--slurm-tasks", "2", "--out", out.path], environment: ["PATH": path])
        #expect(code == 0, "\(err)")
        #expect(text.contains("submitted job array 41 (2 tasks") && text.contains("merge job 42"))
        #expect(text.contains("--slurm-status \(out.path)"))
        let sbatch = try String(contentsOf: calls, encoding: .utf8).split(separator: "\n")
        #expect(sbatch == ["--parsable \(out.path)/slurm/array.sh",
                           "--parsable --dependency=afterok:41 --kill-on-invalid-dep=yes \(out.path)/slurm/merge.sh"])
        for file in ["spec.json", "slurm/array.sh", "slurm/merge.sh", "slurm/tasks", "slurm/jobs"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        // The tasks read the spec file: it is the grid's spec.
        let dry = try bench(["grid", "--spec", out.appendingPathComponent("spec.json").path, "--dry-run"])
        #expect(dry.status == 0 && dry.out.contains("cells         2"), "\(dry.err)")

        // A resubmission must keep the spec and the task count.
        let other = try bench(grid.map { $0 == "1,2" ? "1,2,3" : $0 } + ["--slurm", "--slurm-tasks", "2", "--out", out.path],
                              environment: ["PATH": path])
        #expect(other.status == 64 && other.err.contains("seeds was [1,2], now [1,2,3]"), "\(other.err)")
        let tasks = try bench(grid + ["--slurm", "--slurm-tasks", "3", "--out", out.path], environment: ["PATH": path])
        #expect(tasks.status == 64 && tasks.err.contains("--slurm-tasks") && tasks.err.contains("'3'"), "\(tasks.err)")
        let same = try bench(grid + ["--slurm", "--slurm-tasks", "2", "--out", out.path], environment: ["PATH": path])
        #expect(same.status == 0 && same.out.contains("job array 43"), "\(same.err)")
        // Nothing ran: the status counts the grid's cells from its spec.
        let status = try bench(["grid", "--slurm-status", out.path])
        #expect(status.out.contains("task 1/2: waiting") && status.out.contains("cells: 0 of 2 recorded"), "\(status.out)")
    }

    @Test func usageErrorsNameTheBadValue() throws {
        let out = try temporaryFolder().path
        let zero = try bench(grid + ["--slurm", "--slurm-tasks", "0", "--dry-run", "--out", out])
        #expect(zero.status == 64 && zero.err.contains("--slurm-tasks") && zero.err.contains("'0'"), "\(zero.err)")
        let alone = try bench(grid + ["--slurm-tasks", "3", "--out", out])
        #expect(alone.status == 64 && alone.err.contains("with --slurm"), "\(alone.err)")
        let shard = try bench(grid + ["--slurm", "--shard", "1/2", "--dry-run", "--out", out])
        #expect(shard.status == 64 && shard.err.contains("--shard"), "\(shard.err)")
        let noSlurm = try bench(grid + ["--slurm", "--out", out + "/g"], environment: ["PATH": try temporaryFolder().path])
        #expect(noSlurm.status == 1 && noSlurm.err.contains("sbatch"), "\(noSlurm.err)")
        let status = try bench(["grid", "--slurm-status", out])
        #expect(status.status == 64 && status.err.contains("bench grid --slurm"), "\(status.err)")
        for result in [zero, alone, shard, noSlurm, status] {
            #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
        }
    }

    /// A submission folder as the jobs leave it: `exits` are the recorded task exit statuses
    /// (nil: not finished), `merge` the merge job's.
    func submissionFolder(exits: [Int?], merge: Int?) throws -> URL {
        let out = try temporaryFolder()
        let fm = FileManager.default
        try fm.createDirectory(at: out.appendingPathComponent("slurm/status"), withIntermediateDirectories: true)
        try "\(exits.count)\n".write(to: out.appendingPathComponent("slurm/tasks"), atomically: true, encoding: .utf8)
        try "7\n8\n".write(to: out.appendingPathComponent("slurm/jobs"), atomically: true, encoding: .utf8)
        for (k, exit) in exits.enumerated() {
            guard let exit else { continue }
            try fm.createDirectory(at: out.appendingPathComponent("shards/\(k + 1)"), withIntermediateDirectories: true)
            try "\(exit)\n".write(to: out.appendingPathComponent("slurm/status/task-\(k + 1).exit"), atomically: true, encoding: .utf8)
        }
        if let merge {
            try "\(merge)\n".write(to: out.appendingPathComponent("slurm/status/merge.exit"), atomically: true, encoding: .utf8)
        }
        return out
    }

    @Test func statusNamesTheFailedShard() throws {
        let out = try submissionFolder(exits: [0, 1, 0], merge: nil)
        let (code, text, _) = try bench(["grid", "--slurm-status", out.path])
        #expect(code == 1)
        #expect(text.contains("job array 7, merge job 8; 3 tasks"))
        #expect(text.contains("task 1/3: done") && text.contains("task 2/3: FAILED (exit 1)"))
        #expect(text.contains("merge: cancelled") && text.contains("failed shards: 2/3;"))
        #expect(text.hasSuffix("state: failed\n"))
    }

    @Test func statusWhileRunningAndWhenMerged() throws {
        let running = try bench(["grid", "--slurm-status", try submissionFolder(exits: [0, nil], merge: nil).path])
        #expect(running.status == 0 && running.out.contains("task 2/2: waiting") && running.out.contains("merge: waiting for 1 of 2 tasks"))
        #expect(running.out.hasSuffix("state: running\n"))
        let merged = try bench(["grid", "--slurm-status", try submissionFolder(exits: [0, 0], merge: 0).path])
        #expect(merged.status == 0 && merged.out.contains("merge: done") && merged.out.hasSuffix("state: merged\n"), "\(merged.out)")
    }
}
