import Foundation

/// Runs the cells of a grid, `jobs` at a time, appending each result to the store as soon as
/// its cell finishes.
///
/// - Reproducible: a cell's numbers depend only on its key, seed and settings (see
///   `CellRunner`), so any `jobs` gives the same results; when the grid ends the store is
///   rewritten in cell order, so the file does not depend on scheduling either (wall times
///   and dates aside).
/// - Resumable: with `resume`, cells already in the store are skipped (a torn last line from
///   a killed process is dropped first), so an interrupted grid reruns only unfinished cells
///   and never records a cell twice. A stored key on two lines, or a line of another spec
///   (`CellResult.specHash`), is an error, never silently dropped. With `retryCrashed`, the
///   stored `failed` and `crashed` results are removed from the store first and run again.
/// - Identified: every result is stamped with the spec's `identityHash()` before it is stored.
/// - Shardable: with a `shard`, only that slice of the cells runs (with a tuning protocol,
///   that slice of the (sampler, target) pairs, both phases).
/// - Tuning (`GridSpec.tuning`): the sweep cells run first, then rounds of extension cells
///   while choices land at an end of their sweeps; the extensions and the rule's choice are
///   computed from the stored results (`TuningPlan`, `SweepWalk`), so they are the same after
///   `--resume` and for any `jobs`; then the final cells run. All are appended to the store,
///   tagged by `phase`.
/// - Robust: a cell that throws is recorded with status `failed` and its message; with an
///   isolating executor, a cell whose process dies is recorded as `crashed`. The grid goes on.
public struct GridRunner: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    public struct Options: Sendable {
        /// Cores to use (≥ 1): `jobs` cells at once, each on an equal share of the `jobs`
        /// threads (``ComputeThreads``).
        public var jobs: Int
        public var shard: Shard?
        public var resume: Bool
        /// With `resume`: rerun the cells stored as `failed` or `crashed`.
        public var retryCrashed: Bool

        public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, shard: Shard? = nil, resume: Bool = false,
                    retryCrashed: Bool = false) {
            self.jobs = jobs
            self.shard = shard
            self.resume = resume
            self.retryCrashed = retryCrashed
        }
    }

    /// Runs one cell and returns its result; must not throw (errors become `failed` results).
    /// The default runs the cell in this process.
    public typealias CellExecutor = @Sendable (Cell, (any Target, ResolvedParameters)) -> CellResult

    /// Progress after each cell: cells done (this run), cells to run, the cell, its result.
    public typealias Progress = @Sendable (Int, Int, Cell, CellResult) -> Void

    /// What a grid run produced.
    public struct Outcome: Sendable {
        /// Every result of the cells this run covers (previous ones included when resuming),
        /// in cell order.
        public let results: [CellResult]
        /// Cells run now, and cells skipped because the store already had them.
        public let ran: Int
        public let skipped: Int
        /// With a tuning protocol, the decision of every pair this run covers, in pair order.
        public var tuning: [TuningDecision]? = nil
    }

    /// The cells of `spec` this run covers (its shard, if any), in grid order.
    public func cells(of spec: GridSpec, shard: Shard?) throws -> [(cell: Cell, target: (any Target, ResolvedParameters))] {
        let all = try spec.cells(registry: registry)
        guard let shard else { return all }
        return all.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element)
    }

    /// What a running cell is doing, for progress reports (`inProcessExecutor`'s `activity`).
    public enum CellActivity: String, Sendable {
        case sampling, diagnostics
        /// In a child process (`--isolate`): sampling and diagnostics, not told apart.
        case isolated = "running in a child process"
    }

    /// Called from the worker thread as a cell enters each activity.
    public typealias ActivityReport = @Sendable (Cell, CellActivity) -> Void

    /// The in-process executor: runs `cell` with `diagnostics` (sweep cells without
    /// `TuningSpec.diagnosticsSkippedInSweeps`) and records errors as `failed`.
    /// With `exportDraws`, each cell's kept draws are also written to
    /// `<folder>/<cell file stem>.<npy|csv>` (see `Cell.fileStem`). `activity` hears when the
    /// cell starts sampling and when it starts its diagnostics.
    public func inProcessExecutor(diagnostics: [any Diagnostic], provenance: Provenance,
                                  exportDraws: DrawsExport? = nil, activity: ActivityReport? = nil) -> CellExecutor {
        let runner = CellRunner(registry: registry)
        let sweepDiagnostics = diagnostics.filter { !TuningSpec.diagnosticsSkippedInSweeps.contains($0.id) }
        return { cell, target in
            let start = Date()
            do {
                activity?(cell, .sampling)
                let (run, _) = try runner.run(cell, prepared: target)
                if let exportDraws { try DrawsFile.write(DrawsArray(run), to: exportDraws.path(for: cell)) }
                activity?(cell, .diagnostics)
                return CellResult(run: run, target: target.0, diagnostics: cell.phase == .tune ? sweepDiagnostics : diagnostics,
                                  provenance: provenance)
            } catch {
                // An external sampler's child that died by a signal crashed, as an isolated cell does.
                let crashed = (error as? ExternalSamplerFault)?.crashed == true
                return CellResult(cell: cell, status: crashed ? .crashed : .failed, message: "\(error)",
                                  wallSeconds: Date().timeIntervalSince(start), provenance: provenance)
            }
        }
    }

    /// Where a grid writes each cell's draws, and in which format.
    public struct DrawsExport: Codable, Sendable {
        public let folder: String
        public let format: DrawsFile.Format

        public init(folder: String, format: DrawsFile.Format) {
            self.folder = folder
            self.format = format
        }

        public func path(for cell: Cell) -> String { folder + "/" + cell.fileStem + "." + format.rawValue }
    }

    public func run(_ spec: GridSpec, store: ResultStore, provenance: Provenance, options: Options = Options(),
                    executor: CellExecutor? = nil, progress: @escaping Progress = { _, _, _, _ in }) throws -> Outcome {
        guard options.jobs >= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "jobs", value: "\(options.jobs)", accepted: "a whole number ≥ 1")
        }
        let diagnostics = try registry.diagnosticIDs(spec.diagnostics).map { try registry.diagnostic($0) }
        let identity = try spec.identityHash()
        let unstamped = executor ?? inProcessExecutor(diagnostics: diagnostics, provenance: provenance)
        let execute: CellExecutor = { cell, target in
            var result = unstamped(cell, target)
            result.specHash = identity
            return result
        }
        let stored = try options.resume
            ? previousResults(in: store, identity: identity, retryCrashed: options.retryCrashed) : []
        if spec.tuning != nil {
            return try runTuned(spec, store: store, stored: stored, options: options, execute: execute, progress: progress)
        }
        let cells = try cells(of: spec, shard: options.shard)
        let previous = try index(stored, allowed: Set(cells.map(\.cell.key)), store: store)
        let pending = cells.filter { previous[$0.cell.key] == nil }
        let fresh = try runPending(pending, jobs: options.jobs, store: store, execute: execute) { done, cell, result in
            progress(done, pending.count, cell, result)
        }
        let byKey = previous.merging(fresh.map { ($0.key, $0) }) { old, _ in old }
        let ordered = cells.compactMap { byKey[$0.cell.key] }
        try store.rewrite(ordered)
        return Outcome(results: ordered, ran: pending.count, skipped: cells.count - pending.count)
    }

    /// The two phases of the tuning protocol over this run's pairs (all, or its shard's), in
    /// rounds: the planned sweep cells; then, while some pair's choice lands at an end of its
    /// sweep, the next extension cell of every such pair (`TuningPlan.nextSweepCells`, at most
    /// `tuning.extensions` rounds); then the decisions from the stored sweep results, then the
    /// final cells. Each round reads only stored results, so a resumed run — killed anywhere,
    /// mid-extension too — retraces the same walk. The store ends in the order sweep cells (pair order, ascending h within a
    /// pair), then final cells (pair order).
    private func runTuned(_ spec: GridSpec, store: ResultStore, stored: [CellResult], options: Options,
                          execute: CellExecutor, progress: @escaping Progress) throws -> Outcome {
        let plan = try spec.tuningPlan(registry: registry)
        let pairs = plan.pairs(in: options.shard)
        var previous = try index(stored, allowed: nil, store: store)
        // Progress counts both phases; extension rounds and the final phase add to the total
        // as they become known.
        let finalEstimate = pairs.count * spec.seeds.count
        let storedFinal = stored.filter { $0.phase == .final }.count
        var pending = try plan.nextSweepCells(pairs, results: previous)
        var ran = 0
        var total = pending.count + max(0, finalEstimate - storedFinal)
        var rounds = 0
        while !pending.isEmpty {
            // The planned round, then at most one extension per pair a round; more would mean a lost result.
            guard rounds <= plan.tuning.extensions else {
                throw WorkbenchError.unsupported("the sweep extension of '\(pending[0].cell.key)' still has no result after \(rounds) rounds")
            }
            rounds += 1
            let (offset, estimate) = (ran, total)
            let fresh = try runPending(pending, jobs: options.jobs, store: store, execute: execute) { done, cell, result in
                progress(offset + done, estimate, cell, result)
            }
            for result in fresh { previous[result.key] = result }
            ran += pending.count
            pending = try plan.nextSweepCells(pairs, results: previous)
            total += pending.count
        }
        let decisions = try plan.decide(pairs, results: previous, seeds: spec.seeds)
        var finals: [(cell: Cell, target: (any Target, ResolvedParameters))] = []
        for (pair, decision) in zip(pairs, decisions) where !decision.finalCells.isEmpty {
            finals += try pair.finalCells(stepSize: decision.stepSize, seeds: spec.seeds).map { ($0, pair.built) }
        }
        let all = decisions.flatMap { $0.points.map(\.key) } + finals.map(\.cell.key)
        let allowed = Set(all)
        if let stray = stored.first(where: { !allowed.contains($0.key) }) {
            throw WorkbenchError.unsupported(
                "\(store.path) holds cell '\(stray.key)', which is not in this grid; resume it with the spec it was started with")
        }
        let finalPending = finals.filter { previous[$0.cell.key] == nil }
        let (offset, estimate) = (ran, ran + finalPending.count)
        let freshFinal = try runPending(finalPending, jobs: options.jobs, store: store, execute: execute) { done, cell, result in
            progress(offset + done, estimate, cell, result)
        }
        for result in freshFinal { previous[result.key] = result }
        let ordered = all.compactMap { previous[$0] }
        try store.rewrite(ordered)
        ran += finalPending.count
        return Outcome(results: ordered, ran: ran, skipped: all.count - ran, tuning: decisions)
    }

    /// The results already in `store`, checked (unique keys, this spec's `identity`); a torn
    /// last line is dropped, and with `retryCrashed` the failed and crashed results too, and
    /// the file is rewritten without them before any cell runs (so a second kill leaves no
    /// duplicate).
    private func previousResults(in store: ResultStore, identity: String, retryCrashed: Bool) throws -> [CellResult] {
        guard FileManager.default.fileExists(atPath: store.path) else { return [] }
        let (numbered, torn) = try store.loadNumbered()
        try store.checkUniqueKeys(numbered)
        try ResultsFolder.checkIdentity(numbered, identity: identity, path: store.path, of: "this grid")
        let stored = numbered.map(\.result)
        let kept = retryCrashed ? stored.filter { $0.status == .ok } : stored
        if torn > 0 || kept.count != stored.count { try store.rewrite(kept) }
        return kept
    }

    /// `stored` by key, refusing results of cells outside `allowed` (nil: checked later).
    private func index(_ stored: [CellResult], allowed: Set<String>?, store: ResultStore) throws -> [String: CellResult] {
        var previous: [String: CellResult] = [:]
        for result in stored {
            if let allowed, !allowed.contains(result.key) {
                throw WorkbenchError.unsupported(
                    "\(store.path) holds cell '\(result.key)', which is not in this grid; resume it with the spec it was started with")
            }
            previous[result.key] = result
        }
        return previous
    }

    /// Runs `pending`, `jobs` at a time, appending each result to `store` as it finishes and
    /// reporting it (done so far in this call, the cell, its result); returns the results.
    private func runPending(_ pending: [(cell: Cell, target: (any Target, ResolvedParameters))], jobs: Int,
                            store: ResultStore, execute: CellExecutor,
                            progress: @escaping @Sendable (Int, Cell, CellResult) -> Void) throws -> [CellResult] {
        let collected = Collected()
        let workers = min(jobs, max(pending.count, 1))
        // `jobs` cores in all: each worker's cells get an equal share for their parallel
        // diagnostics (one thread each when there are at least `jobs` cells).
        let share = max(1, jobs / workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            ComputeThreads.withLimit(share) {
                while let index = collected.claim(below: pending.count) {
                    let (cell, target) = pending[index]
                    let result = execute(cell, target)
                    // Encode outside the lock: only the write and the progress line are serialized.
                    let line = Result { try ResultStore.encodedLine(result) }
                    collected.finish(result) { done in
                        try store.append(encodedLine: line.get())
                        progress(done, cell, result)
                    }
                }
            }
        }
        if let error = collected.error { throw error }
        return collected.results
    }
}

/// Shared state of the workers: the next cell to claim, the finished results, and the first
/// store error (after which no new cell starts).
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var results: [CellResult] = []
    private(set) var error: Error?

    func claim(below count: Int) -> Int? {
        lock.withLock {
            guard error == nil, next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Records `result` and runs `record` (append + progress) under the lock, so lines and
    /// progress reports never interleave. After the first store error nothing more is
    /// appended: a cell that finishes then is not stored, so `--resume` runs it again.
    func finish(_ result: CellResult, record: (Int) throws -> Void) {
        lock.withLock {
            guard error == nil else { return }
            results.append(result)
            do { try record(results.count) } catch { self.error = error }
        }
    }
}
