import Foundation
import Testing
@testable import Workbench

/// A planted b²: (ln(h / best))², lowest at the step size `Best.stepSize`, so a test decides
/// where the rule's choice lands in a sweep. A registered diagnostic is a type, so each
/// planted step size is one (`BestAt0_5`, …).
struct PlantedB2Diagnostic<Best: PlantedBest>: Diagnostic {
    static var id: String { "planted-b2" }
    static var summary: String { "(ln(h / best))²" }
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let r = Foundation.log((run.cell.stepSize ?? 1) / Best.stepSize)
        return [Metric(diagnostic: id, name: "b2", value: r * r, unit: "", direction: .lowerIsBetter)]
    }
}

/// The step size where a planted b² is lowest.
protocol PlantedBest { static var stepSize: Double { get } }
enum BestAt1eMinus6: PlantedBest { static let stepSize = 1e-6 }
enum BestAt0_01: PlantedBest { static let stepSize = 0.01 }
enum BestAt0_5: PlantedBest { static let stepSize = 0.5 }
enum BestAt0_8: PlantedBest { static let stepSize = 0.8 }
enum BestAt1: PlantedBest { static let stepSize = 1.0 }
enum BestAt10: PlantedBest { static let stepSize = 10.0 }

/// The test samplers on the unit Gaussian, with b² planted lowest at `Best.stepSize`.
func plantedRegistry<Best: PlantedBest>(best: Best.Type) -> Registry {
    try! Registry(samplers: tuningRegistry.samplers, targets: tuningRegistry.targets,
                  diagnostics: [PlantedB2Diagnostic<Best>.plugin])
}

/// Sweeps that bracket (`TuningSpec.extensions`, `SweepWalk`): test-langevin on the unit Gaussian
/// is swept over [0.0316, 0.1, 0.316] (ratio √10 between points); it diverges for h well above 2.
@Suite struct SweepExtensionTests {
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")

    func spec(extensions: Int = 4, stepSizes: [Double]? = nil, samplers: [String] = ["test-langevin"]) -> GridSpec {
        var tuning = TuningSpec(points: 3, span: 10, seed: 99, tieTolerance: 0, extensions: extensions)
        if let stepSizes { tuning.stepSizes = ["test-langevin": stepSizes] }
        return GridSpec(samplers: samplers, targets: ["unit-gaussian"], stepSizes: [], seeds: [1, 2], chains: 2, steps: 300,
                        tuning: tuning)
    }

    func run<Best: PlantedBest>(_ grid: GridSpec, best: Best.Type, store: ResultStore = temporaryStore(), options: GridRunner.Options = .init(jobs: 1))
        throws -> GridRunner.Outcome
    {
        try GridRunner(registry: plantedRegistry(best: best)).run(grid, store: store, provenance: provenance, options: options)
    }

    func fingerprint(_ results: [CellResult]) -> [String] {
        results.map { "\($0.key) \($0.phase.map(\.rawValue) ?? "-") \($0.metrics.map { "\($0.name)=\($0.value.map { $0.bitPattern } ?? 0)" })" }
    }

    /// The acceptance rule: a pair with a stable point whose choice is an end of its evaluated
    /// step sizes has a boundary reason.
    func everyEndChoiceHasAReason(_ decisions: [TuningDecision]) -> Bool {
        decisions.allSatisfy { !$0.isAtEndOfSweep || $0.boundary != nil }
    }

    let planned = TuningSpec(points: 3, span: 10).sweep(centre: 0.1)

    @Test func aChoiceAtTheTopEndIsExtendedUntilABetterPointBracketsIt() throws {
        let outcome = try run(spec(), best: BestAt0_5.self)
        let decision = try #require(outcome.tuning?.first)
        // 0.316 is the top of the planned sweep; 1.0 beyond it is worse, so 0.316 is interior.
        #expect(decision.points.count == 4)
        #expect(decision.points.map(\.isExtension) == [false, false, false, true])
        let added = decision.points[3].stepSize
        #expect(abs(added - planned[2] * planned[2] / planned[1]) < 1e-15)
        #expect(decision.stepSize == planned[2])
        #expect(decision.boundary == nil && !decision.isAtEndOfSweep)
        #expect(decision.reason.contains("sweep extended by 1 point above"), "\(decision.reason)")
        // The extension is a sweep cell on the tuning seed, stored with the others (ascending h), then the finals.
        #expect(outcome.results.map(\.phase) == [.tune, .tune, .tune, .tune, .final, .final])
        #expect(outcome.results[3].stepSize == added && outcome.results[3].seed == 99 && outcome.results[3].key.hasSuffix("|tune"))
        #expect(outcome.results[4].stepSize == planned[2])
    }

    @Test func aChoiceAtTheBottomEndIsExtendedDownwards() throws {
        let outcome = try run(spec(), best: BestAt0_01.self)
        let decision = try #require(outcome.tuning?.first)
        // 0.0316 → 0.01 (the best, again at the end) → 0.00316 (worse): two points below.
        #expect(decision.points.map(\.isExtension) == [true, true, false, false, false])
        let h = try #require(decision.stepSize)
        #expect(abs(h - 0.01) < 1e-12 && h == decision.points[1].stepSize)
        #expect(decision.boundary == nil && everyEndChoiceHasAReason([decision]))
        #expect(decision.reason.contains("sweep extended by 2 points below"), "\(decision.reason)")
        #expect(outcome.results.filter { $0.phase == .tune }.map(\.stepSize) == decision.points.map(\.stepSize))
    }

    @Test func aDivergedPointBeyondTheChoiceBracketsItWithoutExtension() throws {
        // Planned: 0.3 is chosen and 5, above it, diverges: nothing to extend.
        let planned = try run(spec(stepSizes: [0.1, 0.3, 5]), best: BestAt1.self)
        let decision = try #require(planned.tuning?.first)
        #expect(decision.points.count == 3 && !decision.points.contains(where: \.isExtension))
        #expect(decision.points[2].divergedChains > 0)
        #expect(decision.stepSize == 0.3 && decision.boundary == nil && !decision.isAtEndOfSweep)
        // Extended: 0.316 → 1.0 (better) → 3.16, which diverges: 1.0 is bracketed by divergence.
        let extended = try #require(try run(spec(), best: BestAt0_8.self).tuning?.first)
        #expect(extended.points.count == 5 && extended.points[4].divergedChains > 0 && extended.points[4].isExtension)
        #expect(extended.stepSize == extended.points[3].stepSize && extended.boundary == nil)
    }

    @Test func aChoiceStillAtAnEndAfterTheCapSaysSo() throws {
        let capped = try #require(try run(spec(extensions: 2), best: BestAt1eMinus6.self).tuning?.first)
        #expect(capped.points.count == 5 && capped.points.prefix(2).allSatisfy(\.isExtension))
        #expect(capped.stepSize == capped.points[0].stepSize && capped.isAtEndOfSweep)
        let reason = try #require(capped.boundary)
        #expect(reason.hasPrefix("chosen h = \(formatNumber(capped.points[0].stepSize)) is the smallest of 5 evaluated"), "\(reason)")
        #expect(reason.hasSuffix("2 extensions below did not bracket it"), "\(reason)")
        // Off: the planned sweep only, and the reason says so.
        let off = try #require(try run(spec(extensions: 0), best: BestAt10.self).tuning?.first)
        #expect(off.points.count == 3 && off.stepSize == planned[2])
        #expect(off.boundary == "chosen h = \(formatNumber(planned[2])) is the largest of 3 evaluated; sweep extensions are off (extensions = 0)")
        // One planned point has no spacing to extend by.
        let single = try #require(try run(spec(stepSizes: [0.1]), best: BestAt1.self).tuning?.first)
        #expect(single.points.count == 1 && single.boundary?.contains("only step size") == true)
        #expect(everyEndChoiceHasAReason([capped, off, single]))
    }

    /// Killed after the first of two extensions was stored (and mid-append of the next line):
    /// resuming walks on from the stored results and runs every cell once; two jobs and merged
    /// shards retrace the same walk.
    @Test func extensionsAreTheSameAfterResumeForAnyJobsAndMergedShards() throws {
        let grid = spec(samplers: ["all"])
        let full = try run(grid, best: BestAt0_01.self)
        let tune = full.results.filter { $0.phase == .tune }
        #expect(tune.count == 5)
        // The planned sweep and the first extension (h ≈ 0.01), not the second.
        let firstExtension = tune[1]
        let partial = try ResultStore.interrupted(holding: tune.filter { $0.stepSize! > 0.005 })
        #expect(try partial.load().results.contains { $0.key == firstExtension.key })
        let resumed = try run(grid, best: BestAt0_01.self, store: partial, options: .init(jobs: 2, resume: true))
        // The second extension, 2 finals each for both samplers.
        #expect(resumed.ran == 1 + 4 && resumed.skipped == 4)
        let (stored, torn) = try partial.load()
        #expect(torn == 0 && Set(stored.map(\.key)).count == stored.count)
        #expect(fingerprint(stored) == fingerprint(full.results))
        #expect(resumed.tuning == full.tuning)

        let two = try run(grid, best: BestAt0_01.self, options: .init(jobs: 2))
        #expect(fingerprint(two.results) == fingerprint(full.results) && two.tuning == full.tuning)

        let registry = plantedRegistry(best: BestAt0_01.self)
        func folder(_ shard: Shard?) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("bracket-\(UUID())").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try GridManifest(spec: grid, provenance: provenance, cellCount: 0).write(to: path + "/grid.json")
            _ = try run(grid, best: BestAt0_01.self, store: ResultStore(path: path + "/results.jsonl"), options: .init(jobs: 1, shard: shard))
            return path
        }
        let shards = [try folder(try Shard(parsing: "1/2")), try folder(try Shard(parsing: "2/2"))]
        let merged = try GridMerge.merge(shards, registry: registry)
        #expect(fingerprint(merged.results) == fingerprint(full.results))
        #expect(merged.tuning == full.tuning)
        // A shard without its last extension is incomplete, and merge says so.
        let store = ResultStore(path: shards[0] + "/results.jsonl")
        try store.rewrite(try store.load().results.filter { $0.key != tune[0].key })
        #expect(throws: WorkbenchError.self) { try GridMerge.merge(shards, registry: registry) }
    }
}

/// `TuningSpec.extensions` in specs and folders (docs/RESULTS.md, "Identity").
@Suite struct SweepExtensionIdentityTests {
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")

    func grid(extensions: Int) -> GridSpec {
        GridSpec(samplers: ["test-langevin"], targets: ["unit-gaussian"], stepSizes: [], seeds: [1], chains: 2, steps: 300,
                 tuning: TuningSpec(points: 3, span: 10, extensions: extensions))
    }

    @Test func aSpecWithoutExtensionsGetsTheDefaultAndZeroReadsBackAsWritten() throws {
        let spec = try JSONDecoder().decode(GridSpec.self, from: Data(#"{"steps": 100, "tuning": {"points": 3}}"#.utf8))
        #expect(spec.tuning?.extensions == TuningSpec.defaultExtensions && TuningSpec.defaultExtensions == 4)
        let off = grid(extensions: 0)
        let written = try JSONOutput.encoder().encode(off)
        #expect(String(decoding: written, as: UTF8.self).contains(#""extensions":0"#))
        #expect(try JSONDecoder().decode(GridSpec.self, from: written).tuning?.extensions == 0)
        // The canonical JSON leaves out the value of the protocol before extensions, and only it.
        #expect(!String(decoding: try off.canonicalJSON(), as: UTF8.self).contains("extensions"))
        #expect(String(decoding: try grid(extensions: 4).canonicalJSON(), as: UTF8.self).contains(#""extensions":4"#))
        #expect(try off.identityHash() != grid(extensions: 4).identityHash())
    }

    /// A folder written before the field existed: its grid.json has no `extensions`. It reads as
    /// unextended with its identity unchanged; a resume on today's default is refused naming
    /// the field, and one with `extensions: 0` goes on.
    @Test func anOldFolderKeepsItsIdentityAndResumesOnlyUnextended() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("old-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let old = grid(extensions: 0)
        let outcome = try GridRunner(registry: plantedRegistry(best: BestAt10.self)).run(
            old, store: ResultStore(path: folder + "/results.jsonl"), provenance: provenance, options: .init(jobs: 1))
        try GridManifest(spec: old, provenance: provenance, cellCount: outcome.results.count).write(to: folder + "/grid.json")
        // Strip the field, as a grid.json of the earlier version has it.
        let path = folder + "/grid.json"
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var spec = try #require(json["spec"] as? [String: Any])
        var tuning = try #require(spec["tuning"] as? [String: Any])
        #expect(tuning.removeValue(forKey: "extensions") != nil)
        spec["tuning"] = tuning
        json["spec"] = spec
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))

        let manifest = try GridManifest.load(from: path)
        #expect(manifest.spec.tuning?.extensions == 0)
        #expect(try manifest.spec.identityHash() == manifest.identity())
        do {
            try ResultsFolder.checkResume(folder, spec: grid(extensions: 4))
            Issue.record("resuming an unextended folder with extensions was accepted")
        } catch {
            #expect("\(error)".contains("tuning was") && "\(error)".contains("extensions"), "\(error)")
        }
        try ResultsFolder.checkResume(folder, spec: grid(extensions: 0))
        let resumed = try GridRunner(registry: plantedRegistry(best: BestAt10.self)).run(
            manifest.spec, store: ResultStore(path: folder + "/results.jsonl"), provenance: provenance,
            options: .init(jobs: 1, resume: true))
        #expect(resumed.ran == 0 && resumed.tuning?.first?.boundary?.contains("extensions are off") == true)
    }
}
