import Foundation
import Synchronization
import Testing
@testable import Workbench

@Suite struct GridRunnerTests {
    let spec = GridSpec(samplers: ["all"], targets: ["unit-gaussian"], stepSizes: [0.05, 0.1, 0.2],
                        seeds: [1, 2, 3], chains: 2, steps: 400)
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")
    let runner = GridRunner(registry: testRegistry)

    /// What must not depend on scheduling: keys in order, metrics, gradient counts.
    func fingerprint(_ results: [CellResult]) -> [String] {
        results.map { "\($0.key) \($0.status) \($0.metrics.map { "\($0.name)=\($0.value.map { $0.bitPattern } ?? 0)" }) \($0.perDatumGradientEvaluations)" }
    }

    @Test func twoJobsGiveTheSameResultsAsOne() throws {
        let one = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        let twoStore = temporaryStore()
        let two = try runner.run(spec, store: twoStore, provenance: provenance, options: .init(jobs: 2))
        #expect(one.results.count == 12)
        #expect(fingerprint(one.results) == fingerprint(two.results))
        #expect(fingerprint(try twoStore.load().results) == fingerprint(one.results))
    }

    /// An interrupted grid: the store holds the first 5 results and a torn line. Resuming runs
    /// only the 7 missing cells, and every cell is in the store exactly once.
    @Test func resumeRunsOnlyMissingCellsAndNeverDuplicates() throws {
        let full = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        let partial = try ResultStore.interrupted(holding: full.results.prefix(5))
        let resumed = try runner.run(spec, store: partial, provenance: provenance, options: .init(jobs: 2, resume: true))
        #expect(resumed.ran == 7 && resumed.skipped == 5)
        let (stored, torn) = try partial.load()
        #expect(torn == 0)
        #expect(stored.map(\.key) == full.results.map(\.key))
        #expect(fingerprint(stored) == fingerprint(full.results))
    }

    @Test func resumeRefusesResultsOfAnotherGrid() throws {
        let s = temporaryStore()
        _ = try runner.run(spec, store: s, provenance: provenance, options: .init(jobs: 1))
        var other = spec
        other.stepSizes = [0.3]
        #expect(throws: WorkbenchError.self) {
            try runner.run(other, store: s, provenance: provenance, options: .init(jobs: 1, resume: true))
        }
    }

    @Test func shardsPartitionTheGrid() throws {
        let full = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        var pieces: [CellResult] = []
        for k in 1...3 {
            pieces += try runner.run(spec, store: temporaryStore(), provenance: provenance,
                                     options: .init(jobs: 1, shard: try Shard(parsing: "\(k)/3"))).results
        }
        let order = Dictionary(uniqueKeysWithValues: full.results.enumerated().map { ($1.key, $0) })
        #expect(fingerprint(pieces.sorted { order[$0.key]! < order[$1.key]! }) == fingerprint(full.results))
        #expect(throws: WorkbenchError.self) { try Shard(parsing: "4/3") }
        #expect(throws: WorkbenchError.self) { try Shard(parsing: "1-3") }
    }

    /// `jobs` is a number of cores: with at least `jobs` cells each runs with one compute
    /// thread; a single cell gets them all.
    @Test func eachCellGetsItsShareOfTheJobs() throws {
        let executor = runner.inProcessExecutor(diagnostics: [], provenance: provenance)
        func shares(_ spec: GridSpec, jobs: Int) throws -> Set<Int> {
            let seen = Mutex<Set<Int>>([])
            _ = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: jobs),
                               executor: { cell, target in
                                   seen.withLock { _ = $0.insert(ComputeThreads.current) }
                                   return executor(cell, target)
                               })
            return seen.withLock { $0 }
        }
        #expect(try shares(spec, jobs: 1) == [1])
        #expect(try shares(spec, jobs: 2) == [1])
        var single = spec
        single.samplers = ["test-langevin"]
        single.stepSizes = [0.1]
        single.seeds = [1]
        #expect(try shares(single, jobs: 2) == [2])
    }

    /// A cell whose executor reports a failure is recorded with its message; the rest run.
    @Test func failedCellsAreRecordedAndTheGridGoesOn() throws {
        let s = temporaryStore()
        let executor = runner.inProcessExecutor(diagnostics: [], provenance: provenance)
        let outcome = try runner.run(spec, store: s, provenance: provenance, options: .init(jobs: 2),
                                     executor: { cell, target in
                                         cell.stepSize == 0.1
                                             ? CellResult(cell: cell, status: .crashed, message: "signal 4", wallSeconds: 0, provenance: provenance)
                                             : executor(cell, target)
                                     })
        #expect(outcome.results.count == 12)
        #expect(outcome.results.filter { $0.status == .crashed }.count == 3)
        #expect(try s.load().results.filter { $0.status == .crashed }.allSatisfy { $0.message == "signal 4" })
    }
}

@Suite struct GridMergeTests {
    let spec = GridSpec(samplers: ["test-langevin"], targets: ["unit-gaussian"], stepSizes: [0.05, 0.1],
                        seeds: [1, 2], chains: 2, steps: 200)
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")

    /// Runs shard k of n of `grid` into a fresh folder and returns the folder.
    func shardFolder(_ k: Int, of n: Int, grid: GridSpec? = nil) throws -> String {
        let grid = grid ?? spec
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try GridManifest(spec: grid, provenance: provenance, cellCount: 4).write(to: folder + "/grid.json")
        _ = try GridRunner(registry: testRegistry).run(
            grid, store: ResultStore(path: folder + "/results.jsonl"), provenance: provenance,
            options: .init(jobs: 1, shard: try Shard(parsing: "\(k)/\(n)")))
        return folder
    }

    @Test func mergedShardsEqualTheUnshardedGrid() throws {
        let whole = try shardFolder(1, of: 1)
        let merged = try GridMerge.merge([try shardFolder(2, of: 2), try shardFolder(1, of: 2)], registry: testRegistry)
        let expected = try ResultStore(path: whole + "/results.jsonl").load().results
        #expect(merged.results.map(\.key) == expected.map(\.key))
        #expect(merged.results.map(\.metrics) == expected.map(\.metrics))
    }

    @Test func missingDuplicatedOrForeignShardsAreErrors() throws {
        let one = try shardFolder(1, of: 2)
        #expect(throws: WorkbenchError.self) { try GridMerge.merge([one], registry: testRegistry) }
        #expect(throws: WorkbenchError.self) { try GridMerge.merge([one, one], registry: testRegistry) }
        var other = spec
        other.seeds = [9]
        let foreign = try shardFolder(2, of: 2, grid: other)
        #expect(throws: WorkbenchError.self) { try GridMerge.merge([one, foreign], registry: testRegistry) }
    }
}

@Suite struct IsolatedCellExecutorTests {
    let job = CellJob(cell: Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, steps: 10),
                      diagnostics: [], provenance: Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d"))

    func script(_ body: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID()).sh")
        try "#!/bin/sh\ncat > /dev/null\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test func aChildKilledBySignalIsRecordedAsCrashed() throws {
        let result = IsolatedCellExecutor(executable: try script("kill -ILL $$"), arguments: [])(job)
        #expect(result.status == .crashed)
        #expect(result.message?.contains("signal 4") == true)
        #expect(result.key == job.cell.key && result.metrics.isEmpty)
    }

    @Test func aChildThatFailsIsRecordedWithItsMessage() throws {
        let result = IsolatedCellExecutor(executable: try script("echo 'bench: error: no such sampler' >&2; exit 64"), arguments: [])(job)
        #expect(result.status == .failed)
        #expect(result.message == "exit status 64: bench: error: no such sampler")
    }
}
