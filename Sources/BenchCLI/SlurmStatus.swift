import Foundation
import Workbench

/// `bench grid --slurm-status OUT`: the progress of a `bench grid --slurm` submission, read
/// from the folder alone (no sacct, which needs accounting): per task whether it is waiting,
/// started, done or failed (the exit status its script recorded in `OUT/slurm/status/`) and how
/// many cells its shard folder holds; then the merge, and the cells recorded of the grid's
/// (from `OUT/spec.json`). The last line is `state: …`, one of
/// `merged`, `failed`, `running`; the exit status is 0, except 1 when a task or the merge failed.
struct SlurmStatus {
    let out: String

    /// The lines to print and whether something failed.
    func summary() throws -> (lines: [String], failed: Bool) {
        let fm = FileManager.default
        guard let taskText = try? String(contentsOfFile: out + "/slurm/tasks", encoding: .utf8),
              let tasks = Int(taskText.trimmingCharacters(in: .whitespacesAndNewlines)), tasks >= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "--slurm-status", value: out,
                                              accepted: "a folder written by `bench grid --slurm` (it has slurm/tasks)")
        }
        let jobs = ((try? String(contentsOfFile: out + "/slurm/jobs", encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isNewline).map(String.init)
        var lines: [String] = []
        if jobs.count == 2 { lines.append("slurm: job array \(jobs[0]), merge job \(jobs[1]); \(tasks) tasks") }
        var failedTasks: [Int] = []
        var done = 0, cells = 0, broken = 0
        for k in 1...tasks {
            let shard = "\(out)/shards/\(k)"
            var counted = ""
            if fm.fileExists(atPath: ResultsFolder.resultsPath(shard)) {
                let results = try ResultStore(path: ResultsFolder.resultsPath(shard)).load().results
                let bad = results.filter { $0.status != .ok }.count
                cells += results.count
                broken += bad
                counted = ", \(results.count) \(results.count == 1 ? "cell" : "cells") recorded" + (bad > 0 ? " (\(bad) failed or crashed)" : "")
            }
            let state: String
            if let rc = exitStatus("task-\(k)") {
                if rc == 0 { state = "done"; done += 1 } else { state = "FAILED (exit \(rc))"; failedTasks.append(k) }
            } else if fm.fileExists(atPath: shard) {
                state = "started, no exit recorded yet (running, or killed by Slurm: see its log)"
            } else {
                state = "waiting"
            }
            lines.append("task \(k)/\(tasks): \(state)\(counted); log \(out)/slurm/logs/task-\(k).log")
        }
        let merge = exitStatus("merge")
        let mergedCells = merge == 0 ? (try? ResultStore(path: ResultsFolder.resultsPath(out)).load().results.count) : nil
        switch merge {
        case .some(0): lines.append("merge: done, \(mergedCells ?? 0) cells in \(out) (report \(ResultsFolder.path(.report, in: out)))")
        case .some(let rc): lines.append("merge: FAILED (exit \(rc)); log \(out)/slurm/logs/merge.log")
        case .none where !failedTasks.isEmpty:
            lines.append("merge: cancelled (it runs only after every task succeeded)")
        case .none: lines.append("merge: waiting for \(tasks - done) of \(tasks) tasks")
        }
        // The grid's size from its spec (with tuning an upper bound: pairs without a stable step size skip their final cells).
        let planned = (try? GridSpec.load(from: ResultsFolder.path(.slurmSpec, in: out))).flatMap { spec in
            (try? GridPlanSummary(spec, registry: Bench.registry)).map { (spec.tuning == nil ? "of " : "of up to ") + "\($0.cellCount) " }
        } ?? ""
        lines.append("cells: \(cells) \(planned)recorded in the shards" + (broken > 0 ? ", \(broken) failed or crashed" : ""))
        let failed = !failedTasks.isEmpty || (merge ?? 0) != 0
        if failed {
            if !failedTasks.isEmpty {
                lines.append("failed shards: " + failedTasks.map { "\($0)/\(tasks)" }.joined(separator: ", ")
                             + "; submit the same command again: only their unfinished cells rerun")
            }
            lines.append("state: failed")
        } else {
            lines.append(merge == 0 ? "state: merged" : "state: running")
        }
        return (lines, failed)
    }

    /// The exit status a job recorded in `OUT/slurm/status/NAME.exit`, if any.
    private func exitStatus(_ name: String) -> Int? {
        (try? String(contentsOfFile: "\(out)/slurm/status/\(name).exit", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
