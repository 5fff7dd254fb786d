import ArgumentParser
import Foundation
import Plotting
import Plugins
import Workbench

/// `bench grid`: crosses samplers × targets × step sizes × batch sizes × seeds, writes
/// `results.jsonl` and `grid.json` into the output folder, then the report.
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid", abstract: "Run a grid of cells and write results and a report.",
        discussion: """
            The spec comes from --preset or --spec FILE (JSON, or YAML for .yaml/.yml), and flags override its fields:
              bench grid --samplers all --preset quick
              bench grid --samplers sgld --targets std-normal-1d --step-sizes 0.01,0.1 --seeds 1,2 --steps 100000
            Without --preset, --spec or --step-sizes it runs the tuning protocol on the quick preset's
            defaults (targets, sweep, seeds, budget) and prints which it took before it starts:
              bench grid --samplers all
            Sampler hyperparameters: --param SAMPLER.NAME=VALUE; target options: --target-param TARGET.NAME=VALUE.
            On a Slurm cluster (one array task per shard, then a merge job into --out; --dry-run prints the scripts):
              bench grid --preset quick --slurm --slurm-tasks 4 --out reports/quick
              bench grid --slurm-status reports/quick
            Exit status: 0 the grid ran (cells skipped for want of a stable step size and unhealthy cells \
            are results, flagged in the report); 1 a cell failed or crashed; 64 usage; 65 malformed data; \
            73 a file cannot be created; 74 a read or write failed (a full disk: free space, then --resume); \
            75 the folder is held by another bench.
            """)

    @Option(help: "A named spec: \(GridPresets.all.keys.sorted().joined(separator: ", ")).") var preset: String?
    @Option(help: "A grid spec file: JSON, or YAML when it ends in .yaml or .yml (the fields of grid.json's \"spec\").") var spec: String?
    @Option(help: "Comma-separated sampler ids, or 'all'.") var samplers: String?
    @Option(help: "Comma-separated target ids, or 'all'.") var targets: String?
    @Option(name: .customLong("step-sizes"), parsing: .unconditional, help: "Comma-separated step sizes.") var stepSizes: String?
    @Option(name: .customLong("batch-sizes"), help: ArgumentHelp("Comma-separated batch sizes, each a whole number n ≥ 1, 'full' or 'default' (the target's).", valueName: "n|full|default,…")) var batchSizes: String?
    @OptionGroup var minibatches: MinibatchOptions
    @Option(help: "Comma-separated gradient-noise models for analytic targets.") var noise: String?
    @Option(parsing: .unconditional, help: "Comma-separated seeds.") var seeds: String?
    @Option(parsing: .unconditional, help: "Steps per chain, warm-up included.") var steps: Int?
    @Option(name: .customLong("gradient-budget"), parsing: .unconditional,
            help: "Full-gradient equivalents per chain, warm-up included; sets each cell's steps (replaces --steps).")
    var gradientBudget: Double?
    @Option(parsing: .unconditional, help: "Chains per cell.") var chains: Int?
    @Option(parsing: .unconditional, help: "Warm-up steps per chain (default: steps / 10).") var warmup: Int?
    @Option(help: "Comma-separated diagnostic ids, or 'all'.") var diagnostics: String?
    @Option(name: .customLong("param"), help: "SAMPLER.NAME=VALUE (repeatable).") var params: [String] = []
    @Option(name: .customLong("target-param"), help: "TARGET.NAME=VALUE (repeatable).") var targetParams: [String] = []
    @Option(help: "Output folder.") var out: String = GridCommand.defaultOut
    @Option(parsing: .unconditional, help: "Cores to use: this many cells at once, one core each; a cell with cores to spare runs its chains at once (default: all cores); results do not depend on it.") var jobs: Int?
    @Option(help: "Run only shard K of N (K/N) of the cells; combine shards with `bench merge`.") var shard: String?
    @Flag(help: "Keep the results already in the output folder and run only the missing cells (the spec must be the one in its grid.json).")
    var resume = false
    @Flag(name: .customLong("retry-crashed"), help: "With --resume, also rerun the cells recorded as failed or crashed.")
    var retryCrashed = false
    @Flag(help: "Replace the results already in the output folder (without it, a folder with results is refused).")
    var overwrite = false
    @Flag(help: "Run each cell in a child process, so a plugin that crashes is recorded as crashed and the grid goes on.")
    var isolate = false
    @Option(name: .customLong("wall-time-cap"), parsing: .unconditional,
            help: "Seconds per cell, shared by its chains; a capped chain stops and is marked truncated (not reproducible bit for bit).")
    var wallTimeCap: Double?
    @Flag(name: .customLong("dry-run"), help: "Print the number of cells and the total gradient budget, and write nothing.")
    var dryRun = false
    @Option(name: .customLong("export-draws"),
            help: "Also write each cell's kept draws to OUT/draws/<cell>.npy or .csv: give npy or csv.")
    var exportDraws: String?
    @OptionGroup var slurm: SlurmOptions
    @OptionGroup var external: ExternalOptions
    /// Test only (hidden): stop with exit 1 once this many cells are recorded, as if killed
    /// (`--slurm-test-fail-task` gives it to one Slurm task).
    @Option(name: .customLong("test-exit-after-cells"), parsing: .unconditional, help: .hidden)
    var testExitAfterCells: Int?
    /// Test only (hidden): the N-th result append writes half its line and fails with ENOSPC,
    /// as on a full disk (`WriteFaults`).
    @Option(name: .customLong("test-fail-append"), parsing: .unconditional, help: .hidden)
    var testFailAppend: Int?

    func run() throws {
        try reportingUserErrors {
            if let folder = slurm.status {
                let (lines, failed) = try SlurmStatus(out: folder).summary()
                lines.forEach { print($0) }
                if failed { throw ExitCode(1) }
                return
            }
            // The external samplers a spec file records (a Slurm task's spec.json), or a resumed
            // folder's grid.json, are registered from their manifests without --external.
            let recorded = try spec.map { try GridSpec.load(from: $0).externalSamplers }
                ?? (resume ? (try? GridManifest.load(from: ResultsFolder.manifestPath(out)))?.spec.externalSamplers ?? [:] : [:])
            try external.register(recorded: recorded, logFolder: ResultsFolder.path(.logs, in: out))
            let registry = Bench.registry
            let grid = try ExternalOptions.recordIdentities(in: try resolvedSpec(), registry: registry)
            try checkFolderFlags()
            // Every option is checked before --dry-run returns and before anything runs.
            let jobs = try checkedJobs()
            let shard = try self.shard.map(Shard.init(parsing:))
            let exportFormat = try exportDraws.map(drawsFormat)
            if stepSizes != nil, let note = try StepSizeUse.gridNote(samplerIDs: registry.samplerIDs(grid.samplers), registry: registry) {
                printError(note)
            }
            if usesDefaults {
                try GridDefaults.lines(grid, given: givenFlags, out: out, jobs: jobs, registry: registry).forEach { print($0) }
            }
            if slurm.slurm || slurm.givesSubmissionSettings {
                try submitToSlurm(grid, shard: shard)
                return
            }
            if dryRun {
                if usesDefaults { print("") }
                try GridPlanSummary(grid, registry: registry).lines.forEach { print($0) }
                return
            }
            try ReportBuilder.checkDevices()
            let provenance = Provenance.current(extraLibraries: ["plplot": ReportBuilder.plplotVersion])
            let plan = try grid.tuning.map { _ in try grid.tuningPlan(registry: registry) }
            // With tuning, the count assumes every swept pair finds a stable step size.
            let cellCount = try plan.map { $0.pairs.reduce(0) { $0 + $1.sweepCells.count + grid.seeds.count } }
                ?? grid.cells(registry: registry).count
            let skipped = try grid.skippedPairs(registry: registry)
            for reason in skipped { printError("bench: skipping: \(reason)") }
            var manifest = GridManifest(spec: grid, provenance: provenance, cellCount: cellCount, skipped: skipped)
            let folder = try ResultsFolderAccess.open(out)
            defer { folder.release() }
            let resultsPath = folder.path(.results)
            // Every check passes before grid.json is written (a refused resume leaves it as it was).
            if resume {
                try ResultsFolder.checkResume(out, spec: grid)
                if let torn = try folder.setAsideTornLine() {
                    printError("bench: set aside the torn last line of \(resultsPath) (bytes \(torn.lowerBound)–\(torn.upperBound)) "
                               + "in \(folder.path(.tornLines)); its cell runs again")
                }
            } else {
                let replaced = try folder.prepareFresh(overwrite: overwrite)
                if replaced > 0 { printError("bench: --overwrite: replaced the \(replaced) results and every other file of the old grid in \(out)") }
            }
            if let failAppend = testFailAppend { WriteFaults.arm(.append, at: failAppend) }
            // External cells' children write their logs here: a plain folder, never a link out.
            if !grid.externalSamplers.isEmpty { _ = try folder.folder(.logs) }
            try manifest.write(to: folder.path(.manifest))
            let start = Date()
            let progressReporter = ProgressReporter()
            let options = GridRunner.Options(jobs: jobs, shard: shard, resume: resume, retryCrashed: retryCrashed)
            let export = try exportFormat.map { GridRunner.DrawsExport(folder: try folder.folder(.draws), format: $0) }
            let outcome = try GridRunner(registry: registry).run(
                grid, store: folder.store, provenance: provenance, options: options,
                executor: try executor(diagnostics: grid.diagnostics, provenance: provenance, export: export,
                                       activity: progressReporter.started),
                progress: { [testExitAfterCells] done, total, cell, result in
                    progressReporter.report(done: done, total: total, cell: cell, result: result)
                    if let stop = testExitAfterCells, done >= stop {
                        printError("bench: --test-exit-after-cells \(stop): stopping after \(done) cells (test only)")
                        Foundation.exit(1)
                    }
                })
            // With tuning, the grid's cells are known once its sweeps are: the sweep cells run
            // (extensions included) and the final cells, run or skipped.
            var planned = cellCount
            if let decisions = outcome.tuning, let tuning = grid.tuning {
                let decided = decisions.reduce(0) { $0 + $1.points.count + $1.finalCells.count }
                if options.shard == nil { planned = decided + decisions.reduce(0) { $0 + $1.skippedCells.count } }
                if options.shard == nil && decided != manifest.cellCount {
                    manifest.cellCount = decided
                    try manifest.write(to: folder.path(.manifest))
                }
                try TuningRecord(tuning: tuning, decisions: decisions).write(to: folder.path(.tuning))
                for d in decisions where d.noStableStepSize {
                    printError("bench: \(d.pair): \(d.reason); skipped its \(d.skippedCells.count) final cells")
                }
            }
            progressReporter.finish()
            printError("bench: writing the report (\(outcome.results.count) cells) into \(out)")
            let files = try ReportBuilder.write(
                results: outcome.results, manifest: manifest, tuning: outcome.tuning,
                to: folder)
            let resumed = outcome.skipped > 0 ? " (\(outcome.skipped) already done)" : ""
            print("grid: \(outcome.results.count) of \(planned) cells\(resumed) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            for file in files { print("wrote \(file)") }
            let broken = outcome.results.filter { $0.status != .ok }
            if !broken.isEmpty {
                printError("bench: \(broken.count) cells failed or crashed; they are recorded in \(resultsPath) with their messages")
                throw ExitCode(1)
            }
        }
    }

    /// `--slurm` (`SlurmSubmission`): the plan, then the submission (or its scripts, with
    /// --dry-run). The settings outside the spec go to every task.
    private func submitToSlurm(_ grid: GridSpec, shard: Shard?) throws {
        guard slurm.slurm else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "options", value: "--slurm-… without --slurm",
                                              accepted: "--slurm-tasks, --slurm-partition, --slurm-time and --slurm-extra with --slurm")
        }
        if shard != nil || overwrite {
            throw WorkbenchError.invalidValue(owner: "bench grid --slurm", name: "flag", value: shard != nil ? "--shard" : "--overwrite",
                                              accepted: "neither: --slurm shards by --slurm-tasks, and a resubmission resumes")
        }
        // The plan (which checks the spec against the plugins) first, as without --slurm.
        let plan = try GridPlanSummary(grid, registry: Bench.registry).lines
        if dryRun { plan.forEach { print($0) } }
        var arguments: [String] = []
        if let jobs { arguments += ["--jobs", "\(jobs)"] }
        if isolate { arguments.append("--isolate") }
        if retryCrashed { arguments.append("--retry-crashed") }
        if let exportDraws { arguments += ["--export-draws", exportDraws] }
        if let timeout = external.cellTimeout { arguments += ["--cell-timeout", "\(timeout)"] }
        try SlurmSubmission(options: slurm, grid: grid, out: out, gridArguments: arguments).run(dryRun: dryRun)
    }

    /// --resume, --overwrite and --retry-crashed: which combinations mean something.
    private func checkFolderFlags() throws {
        if resume && overwrite {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "flags", value: "--resume --overwrite",
                                              accepted: "one of them: --resume keeps the results, --overwrite replaces them")
        }
        if retryCrashed && !resume {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "flag", value: "--retry-crashed",
                                              accepted: "--retry-crashed with --resume")
        }
    }

    /// How cells run: with --isolate as `bench run-cell` in a child process of this very
    /// binary, else in this process; either way writing draws when asked and telling
    /// `activity` what each cell is doing (for the progress line).
    private func executor(diagnostics: [String], provenance: Provenance, export: GridRunner.DrawsExport?,
                          activity: @escaping GridRunner.ActivityReport) throws -> GridRunner.CellExecutor {
        let registry = Bench.registry
        let ids = try registry.diagnosticIDs(diagnostics)
        if isolate {
            let child = IsolatedCellExecutor(
                executable: Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]),
                arguments: ["run-cell"] + ExternalOptions.childArguments(registry: registry, cellTimeout: external.cellTimeout,
                                                                         logFolder: ResultsFolder.path(.logs, in: out)))
            let sweepIDs = ids.filter { !TuningSpec.diagnosticsSkippedInSweeps.contains($0) }
            return { cell, _ in
                activity(cell, .isolated)
                return child(CellJob(cell: cell, diagnostics: cell.phase == .tune ? sweepIDs : ids, provenance: provenance,
                             exportDraws: export, threads: ComputeThreads.current))
            }
        }
        return GridRunner(registry: registry).inProcessExecutor(
            diagnostics: try ids.map { try registry.diagnostic($0) }, provenance: provenance, exportDraws: export,
            activity: activity)
    }

    /// The format named by `--export-draws`.
    private func drawsFormat(_ format: String) throws -> DrawsFile.Format {
        guard let parsed = DrawsFile.Format(rawValue: format) else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "--export-draws", value: format, accepted: "npy or csv")
        }
        return parsed
    }

    /// `--jobs`, default every core; fewer than 1 is an error.
    private func checkedJobs() throws -> Int {
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "--jobs", value: "\(jobs)", accepted: "a whole number ≥ 1 of cores")
        }
        return jobs
    }

    /// Whether the spec is `GridDefaults`' (no --preset, --spec or --step-sizes).
    var usesDefaults: Bool { preset == nil && spec == nil && stepSizes == nil }

    /// The long names of the spec flags given (for `GridDefaults.lines`).
    private var givenFlags: Set<String> {
        var given: Set<String> = []
        if samplers != nil { given.insert("samplers") }
        if targets != nil { given.insert("targets") }
        if seeds != nil { given.insert("seeds") }
        if steps != nil { given.insert("steps") }
        if gradientBudget != nil { given.insert("gradient-budget") }
        if chains != nil { given.insert("chains") }
        if out != Self.defaultOut { given.insert("out") }
        return given
    }

    static let defaultOut = "reports/latest"

    /// The preset or spec file, with the flags given applied on top.
    func resolvedSpec() throws -> GridSpec {
        var grid: GridSpec
        if let spec {
            if preset != nil { throw WorkbenchError.unsupported("give --preset or --spec, not both") }
            grid = try GridSpec.load(from: spec)
        } else if let preset {
            grid = try GridPresets.named(preset)
        } else if let stepSizes {
            // A gradient budget sets each cell's steps, so it stands in for --steps.
            guard steps != nil || gradientBudget != nil else {
                throw WorkbenchError.invalidValue(
                    owner: "bench grid", name: "--steps", value: "(none)",
                    accepted: "--steps N or --gradient-budget G with --step-sizes (or leave out --step-sizes: the tuning protocol then picks step sizes on the quick preset's budget)")
            }
            grid = GridSpec(stepSizes: try list(stepSizes, "step size", Double.init), steps: steps ?? 1)
        } else {
            grid = GridDefaults.spec
        }
        if let samplers { grid.samplers = ids(samplers) }
        if let targets { grid.targets = ids(targets) }
        if let stepSizes { grid.stepSizes = try list(stepSizes, "step size", Double.init) }
        // An axis given on the command line is every target's: it replaces the per-target ones too.
        if let batchSizes {
            grid.batchSizes = try ids(batchSizes).map(BatchSizeChoice.init(parsing:))
            grid.targetBatchSizes = [:]
        }
        if let batching = minibatches.batching { grid.batching = batching }
        if let start = minibatches.start { grid.start = start }
        if let noise {
            grid.noise = ids(noise)
            grid.targetNoise = [:]
        }
        if let seeds { grid.seeds = try list(seeds, "seed", UInt64.init) }
        if let steps {
            grid.steps = steps
            grid.gradientBudget = nil
        }
        if let gradientBudget { grid.gradientBudget = gradientBudget }
        if let chains { grid.chains = chains }
        if let warmup { grid.warmup = warmup }
        if let diagnostics { grid.diagnostics = ids(diagnostics) }
        if let wallTimeCap { grid.wallTimeCap = wallTimeCap }
        // A misspelt plugin id before the dot is an error naming the flag (GridSpec checks the
        // spec file's keys the same way).
        let samplerSettings = try scoped(params, option: "--param")
        try Bench.registry.checkSamplerIDs(samplerSettings.map(\.0), in: "--param")
        for (owner, name, value) in samplerSettings {
            grid.hyperparameters[owner, default: [:]][name] = value
        }
        let targetSettings = try scoped(targetParams, option: "--target-param")
        try Bench.registry.checkTargetIDs(targetSettings.map(\.0), in: "--target-param")
        for (owner, name, value) in targetSettings {
            grid.targetOptions[owner, default: [:]][name] = value
        }
        return grid
    }

    private func ids(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private func list<T>(_ text: String, _ what: String, _ parse: (String) -> T?) throws -> [T] {
        try ids(text).map { item in
            guard let value = parse(item) else {
                throw WorkbenchError.invalidValue(owner: "bench grid", name: what, value: item, accepted: "a comma-separated list of numbers")
            }
            return value
        }
    }

    /// Parses OWNER.NAME=VALUE assignments.
    private func scoped(_ items: [String], option: String) throws -> [(String, String, ParameterValue)] {
        try parseAssignments(items, option: option).map { key, value in
            guard let dot = key.firstIndex(of: ".") else {
                throw WorkbenchError.invalidValue(
                    owner: "bench grid", name: option, value: key, accepted: "PLUGIN.NAME=VALUE, e.g. sgld.schedule-decay=0.55")
            }
            return (String(key[..<dot]), String(key[key.index(after: dot)...]), value)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
