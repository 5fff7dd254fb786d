import Foundation
import Testing
@testable import Workbench

/// The library side of a results folder's guarantees: the spec hash, field differences, the
/// folder lock, atomic writes, duplicate keys and compare's notion of worse.
@Suite struct ResultsFolderUnitTests {
    let spec = GridSpec(samplers: ["test-langevin"], targets: ["unit-gaussian"], stepSizes: [0.1], chains: 2, steps: 400)
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("results-folder-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The hash is pinned: a change of encoding that moves it would orphan every folder's
    /// results, so it must be deliberate (and this number renewed with a note in RESULTS.md).
    /// The value was checked independently: FNV-1a 64 of the canonical JSON
    /// {"batchSizes":["default"],"chains":2,…,"thin":1} computed in Python.
    @Test func theSpecHashIsStableAndChangesWithEveryNumberChangingField() throws {
        #expect(try spec.identityHash() == "5c6cbcceb5fa1b59")
        let decoded = try JSONDecoder().decode(GridSpec.self, from: try spec.canonicalJSON())
        #expect(try decoded.identityHash() == spec.identityHash())
        var changed: [GridSpec] = []
        for edit in [{ (s: inout GridSpec) in s.steps = 800 }, { $0.chains = 3 }, { $0.warmup = 10 }, { $0.diagnostics = ["ess"] },
                     { $0.seeds = [2] }, { $0.maxDrawsPerChain = 100 }, { $0.hyperparameters = ["test-langevin": ["friction": .number(0.5)]] },
                     { $0.batchSizes = [.full] }, { $0.gradientBudget = 10 }] as [(inout GridSpec) -> Void] {
            var other = spec
            edit(&other)
            changed.append(other)
        }
        let hashes = try changed.map { try $0.identityHash() }
        #expect(Set(hashes + [try spec.identityHash()]).count == changed.count + 1)
    }

    @Test func differencesNameTheFieldAndBothValues() throws {
        var other = spec
        other.steps = 800
        other.seeds = [1, 2]
        let differences = try other.differences(from: spec)
        #expect(differences.map(\.field) == ["seeds", "steps"])
        #expect(differences[1].old == "400" && differences[1].new == "800")
        #expect(try spec.differences(from: spec).isEmpty)
    }

    @Test func aFolderLockIsExclusiveAndReleased() throws {
        let path = try folder()
        let lock = try FolderLock(folder: path)
        #expect(lock.takenOverFrom == nil)
        #expect(throws: WorkbenchError.folderInUse(folder: path, pid: getpid())) { try FolderLock(folder: path) }
        lock.release()
        let again = try FolderLock(folder: path)
        #expect(again.takenOverFrom == nil, "a released lock leaves no pid to take over")
        // A pid left in the file by a holder that died is reported as taken over.
        again.release()
        try "999999\n".write(toFile: path + "/" + FolderLock.fileName, atomically: false, encoding: .utf8)
        #expect(try FolderLock(folder: path).takenOverFrom == 999_999)
    }

    @Test func atomicWritesReplaceTheFileAndLeaveNoTemporaryFile() throws {
        let path = try folder()
        try AtomicFile.write(text: "old\n", to: path + "/f.txt", describing: "a test file")
        try AtomicFile.write(text: "new\n", to: path + "/f.txt", describing: "a test file")
        #expect(try String(contentsOfFile: path + "/f.txt", encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["f.txt"])
        #expect(throws: WorkbenchError.self) { try AtomicFile.write(text: "x", to: path + "/missing/f.txt", describing: "a test file") }
    }

    @Test func aKeyOnTwoLinesIsAnErrorNamingTheLines() throws {
        let store = ResultStore(path: try folder() + "/results.jsonl")
        let cells = try spec.cells(registry: testRegistry).map(\.cell)
        let result = CellResult(cell: cells[0], status: .crashed, message: "signal 9", wallSeconds: 0, provenance: provenance)
        try store.append(result)
        try store.append(result)
        let (numbered, _) = try store.loadNumbered()
        #expect(throws: WorkbenchError.self) { try store.checkUniqueKeys(numbered) }
        do { try store.checkUniqueKeys(numbered) } catch { #expect("\(error)".contains("lines 1 and 2")) }
    }

    /// A seed that crashes in NEW but not in OLD is worse even when the seeds that ran agree.
    @Test func aNewlyCrashedSeedIsWorse() throws {
        let runner = GridRunner(registry: testRegistry)
        var two = spec
        two.seeds = [1, 2]
        let old = try runner.run(two, store: ResultStore(path: try folder() + "/r.jsonl"), provenance: provenance).results
        var new = old
        let cell = try two.cells(registry: testRegistry)[1].cell
        new[1] = CellResult(cell: cell, status: .crashed, message: "signal 11", wallSeconds: 0, provenance: provenance)
        let comparison = GridComparison(old: old, new: new, metrics: ["b2"], relativeTolerance: 0.25)
        #expect(comparison.shared == 1 && comparison.removed.isEmpty && comparison.added.isEmpty)
        #expect(comparison.regressions.map(\.metric) == ["crashed"])
        #expect(GridComparison(old: old, new: old, metrics: ["b2"], relativeTolerance: 0.25).regressions.isEmpty)
    }

    /// A seed whose health verdict gets worse in NEW is worse whatever its metrics say, and one
    /// that gets healthier is better (`GridComparison.healthChange`).
    @Test func aSeedWhoseHealthGetsWorseIsWorse() throws {
        let runner = GridRunner(registry: testRegistry)
        var two = spec
        two.seeds = [1, 2]
        let old = try runner.run(two, store: ResultStore(path: try folder() + "/r.jsonl"), provenance: provenance).results
        try #require(old.allSatisfy { $0.assessedHealth.verdict != .fail })
        var new = old
        new[1].health = CellHealth(flags: [.init(check: "stuck", severity: .fail, kind: .broken, reason: "4 of 4 chains stuck")])
        let worse = GridComparison(old: old, new: new, metrics: ["b2"], relativeTolerance: 0.25)
        let change = try #require(worse.regressions.first { $0.metric == "health" })
        #expect(change.note?.contains("seed 2") == true && change.note?.contains("4 of 4 chains stuck") == true)
        #expect(worse.markdown(oldName: "old", newName: "new").contains("| health | \(old[1].assessedHealth.verdict.rawValue) | fail"))
        let better = GridComparison(old: new, new: old, metrics: ["b2"], relativeTolerance: 0.25)
        #expect(better.regressions.isEmpty && better.improvements.map(\.metric) == ["health"])
    }
}
