import ArgumentParser
import Workbench

/// The `bench grid` options that send a grid to a Slurm cluster instead of running it here
/// (`SlurmSubmission`), or summarise such a submission (`SlurmStatus`).
struct SlurmOptions: ParsableArguments {
    @Flag(help: "Submit the grid to Slurm: a job array of --slurm-tasks shards, then a job that merges them into --out.")
    var slurm = false
    @Option(name: .customLong("slurm-tasks"), parsing: .unconditional, help: "With --slurm: the number of array tasks (shards); default 4.")
    var tasks: Int?
    @Option(name: .customLong("slurm-partition"), help: "With --slurm: the partition (sbatch --partition).")
    var partition: String?
    @Option(name: .customLong("slurm-time"), help: "With --slurm: the time limit of each task (sbatch --time), e.g. 2:00:00.")
    var time: String?
    @Option(name: .customLong("slurm-extra"), parsing: .unconditional,
            help: "With --slurm: more sbatch arguments for both jobs, split at spaces, e.g. \"--account=abc --cpus-per-task=4\".")
    var extra: String?
    @Option(name: .customLong("slurm-status"), help: "Summarise the progress of a --slurm submission into this folder (no sacct needed).")
    var status: String?
    /// Test only (hidden): task K of this submission stops after its first recorded cell with
    /// exit 1, as if killed, so CI can check the cancelled merge and the resubmission.
    @Option(name: .customLong("slurm-test-fail-task"), parsing: .unconditional, help: .hidden)
    var testFailTask: Int?

    /// Whether any --slurm-… option besides --slurm and --slurm-status is given.
    var givesSubmissionSettings: Bool {
        tasks != nil || partition != nil || time != nil || extra != nil || testFailTask != nil
    }

    /// The number of tasks, checked: a whole number ≥ 1 (and the fail task one of them).
    func checkedTasks() throws -> Int {
        let count = tasks ?? 4
        guard count >= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "--slurm-tasks", value: "\(count)", accepted: "a whole number ≥ 1 of array tasks")
        }
        if let k = testFailTask, !(1...count).contains(k) {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "--slurm-test-fail-task", value: "\(k)", accepted: "a task number 1…\(count)")
        }
        return count
    }

    /// The --slurm-extra words (split at whitespace; no shell quoting is interpreted).
    var extraArguments: [String] {
        (extra ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }
}
